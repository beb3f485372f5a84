"""Zip ``dist/`` into the package a browser's extension store takes (and a
user downloads): ``out/offcut-<version>.zip``. Prints both sizes: the unpacked
folder (what sits on disk) and the zip (what is downloaded). Build first.

    python build/package_extension.py [--dist DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--out", type=Path, default=ROOT / "out")
    args = parser.parse_args(argv)
    manifest = args.dist / "manifest.json"
    if not manifest.is_file():
        raise SystemExit(f"{args.dist} has no extension: run `make build`")
    version = json.loads(manifest.read_text())["version"]
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"offcut-{version}.zip"
    files = sorted(path for path in args.dist.rglob("*") if path.is_file())
    # Deflate at its highest level: the store unpacks it once; sorted, so the zip is the same for the same dist.
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            archive.write(path, path.relative_to(args.dist).as_posix())
    unpacked = sum(path.stat().st_size for path in files)
    print(f"{target}: {target.stat().st_size / 1e6:.1f} MB to download ({unpacked / 1e6:.1f} MB unpacked, "
          f"{len(files)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
