"""Writes image.tar: a one-file container image in `docker save` format.

The integration test publishes it as a tarball image asset, so synthesizing
the test needs no Docker (deploying it runs `docker load` and pushes to ECR).
Every byte is fixed (no timestamps, owners or random ids), so the file, its
asset hash and the committed snapshot only change when this script does.

Usage: python3 build.py   (rewrites image.tar beside this script)
"""
import hashlib
import io
import json
import os
import tarfile


def tar_bytes(files: dict) -> bytes:
    """A tar archive of `files` (name -> bytes) with fixed metadata."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 0
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def main() -> None:
    layer = tar_bytes({"hello.txt": b"cdk-image-digest-lookup integration test image\n"})
    layer_digest = hashlib.sha256(layer).hexdigest()
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": [f"sha256:{layer_digest}"]},
        },
        sort_keys=True,
        separators=(",", ":"),
    ).encode()
    config_name = f"{hashlib.sha256(config).hexdigest()}.json"
    manifest = json.dumps(
        [{"Config": config_name, "RepoTags": ["cdk-image-digest-lookup-integ:latest"], "Layers": [f"{layer_digest}/layer.tar"]}],
        separators=(",", ":"),
    ).encode()
    image = tar_bytes({config_name: config, f"{layer_digest}/layer.tar": layer, "manifest.json": manifest})
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "image.tar"), "wb") as out:
        out.write(image)


if __name__ == "__main__":
    main()
