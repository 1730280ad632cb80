#!/usr/bin/env python3
"""Fails unless an app's cloud assembly staged the handler that the build
bundled as the code of its one lookup provider function.

The language apps load the library from its package (wheel, jar, Go module),
whose npm tarball the jsii runtime unpacks; the provider's code asset is
copied from there into cdk.out. A package without the bundle fails here even
if a future aws-cdk-lib stopped failing synth on a missing asset directory.

Usage: check-staged-handler.py <cdk.out> <stack name> <bundled index.js>
"""
import hashlib
import json
import pathlib
import sys


def main(outdir: pathlib.Path, stack: str, bundled: pathlib.Path) -> None:
    template = json.loads((outdir / f"{stack}.template.json").read_text())
    providers = [
        resource for resource in template["Resources"].values()
        if resource["Type"] == "AWS::Lambda::Function" and resource["Properties"].get("Handler") == "index.handler"
    ]
    if len(providers) != 1:
        sys.exit(f"error: want one provider function in {stack}, found {len(providers)}")
    code_key = json.dumps(providers[0]["Properties"]["Code"]["S3Key"])
    files = json.loads((outdir / f"{stack}.assets.json").read_text())["files"]
    hashes = [asset_hash for asset_hash in files if f"{asset_hash}.zip" in code_key]
    if len(hashes) != 1:
        sys.exit(f"error: the provider's code {code_key} is not one file asset of {stack}")
    staged = outdir / files[hashes[0]]["source"]["path"] / "index.js"
    if not staged.is_file():
        sys.exit(f"error: {staged} is missing: the package did not ship assets/lambda/index/index.js")
    shipped, expected = digest(staged.read_bytes()), digest(bundled.read_bytes())
    if shipped != expected:
        sys.exit(f"error: {staged} ({shipped}) is not the bundled handler {bundled} ({expected})")
    print(f"ok: the provider function's code is the bundled handler ({staged}, {shipped})")


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(pathlib.Path(sys.argv[1]), sys.argv[2], pathlib.Path(sys.argv[3]))
