#!/usr/bin/env python3
"""Fails unless every package that jsii-pacmak wrote under a dist/ folder
ships the bundled Lambda handler.

Each language's package carries the npm tarball that the jsii runtime unpacks
at run time, and constructs find their assets inside it: a package whose
tarball lacks assets/lambda/index/index.js builds fine and fails only in a
user's synth ("Cannot find asset"). The tarball is found wherever the target
puts it: dist/js/*.tgz itself, inside the wheel and the sdist, inside the jar,
in the Go module's jsii/ folder, or as a resource of the .NET assembly in the
nupkg. When the working tree has a bundle, the shipped one must be the same
bytes: a package built from an older bundle is as wrong as one without.

Usage: check-packaged-handler.py dist/<target> [...]
"""
import hashlib
import io
import pathlib
import sys
import tarfile
import zipfile
import zlib

# The handler, and the signature verifier it loads for lookups with
# requireSignature (a file of its own, next to it).
BUNDLE_FILES = ["assets/lambda/index/index.js", "assets/lambda/index/signature/verify.js"]
GZIP_MAGIC = b"\x1f\x8b\x08"


def file_in_tarball(data: bytes, name: str):
    """A bundle file's bytes in an npm tarball, or None if it is not there."""
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tarball:
            member = tarball.getmember(f"package/{name}")
            return tarball.extractfile(member).read()
    except (KeyError, tarfile.TarError, EOFError, zlib.error, OSError):
        return None


def is_npm_tarball(data: bytes) -> bool:
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tarball:
            return any(name == "package/package.json" for name in tarball.getnames())
    except (tarfile.TarError, EOFError, zlib.error, OSError):
        return False


def embedded_tarballs(data: bytes):
    """npm tarballs stored as resources in a binary (the .NET assembly): every
    gzip stream that opens as one."""
    start = data.find(GZIP_MAGIC)
    while start != -1:
        candidate = data[start:]
        if is_npm_tarball(candidate):
            yield candidate
        start = data.find(GZIP_MAGIC, start + 1)


def tarballs_in(name: str, data: bytes):
    """The npm tarballs carried by one file of a package, as (where, bytes)."""
    if name.endswith(".tgz"):
        yield name, data
    elif name.endswith(".dll"):
        for index, tarball in enumerate(embedded_tarballs(data)):
            yield f"{name} (resource {index})", tarball
    elif name.endswith((".whl", ".jar", ".nupkg")):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                for where, tarball in tarballs_in(member, archive.read(member)):
                    yield f"{name}!{where}", tarball
    elif name.endswith(".tar.gz"):
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive.getmembers():
                if member.isfile() and member.name.endswith(".tgz"):
                    yield f"{name}!{member.name}", archive.extractfile(member).read()


def packages(folder: pathlib.Path):
    """The artifacts pacmak wrote: archives, or for Go the module's files."""
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        # Sources and docs jars carry no tarball; the jar users load does.
        if path.name.endswith(("-sources.jar", "-javadoc.jar")):
            continue
        if path.name.endswith((".tgz", ".whl", ".jar", ".nupkg", ".tar.gz")):
            yield path


def check(folder: pathlib.Path, expected) -> list:
    problems = []
    found = 0
    for path in packages(folder):
        found += 1
        tarballs = list(tarballs_in(str(path), path.read_bytes()))
        if not tarballs:
            problems.append(f"{path} carries no npm tarball, so no handler either")
        for where, tarball in tarballs:
            for name in BUNDLE_FILES:
                shipped = file_in_tarball(tarball, name)
                local = expected.get(name)
                if shipped is None or not shipped.strip():
                    problems.append(f"{where} has no {name}: run `npx projen bundle` (or compile) and package again")
                elif local is not None and shipped != local:
                    problems.append(
                        f"{where} ships {name} ({sha256(shipped)}) that differs from the working tree's ({sha256(local)}):"
                        " package again after the bundle")
                else:
                    print(f"{where}: {name}, {len(shipped)} bytes, {sha256(shipped)}")
    if found == 0:
        problems.append(f"{folder} holds no package: did jsii-pacmak run for this target?")
    return problems


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def main(folders: list) -> int:
    if not folders:
        print(__doc__, file=sys.stderr)
        return 2
    expected = {name: pathlib.Path(name).read_bytes() for name in BUNDLE_FILES if pathlib.Path(name).is_file()}
    problems = [p for folder in folders for p in check(pathlib.Path(folder), expected)]
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
