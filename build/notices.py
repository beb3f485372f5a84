"""The licence files that ship in dist/: Offcut's own (AGPL-3.0) and the
third-party notices for everything the package carries besides our code.

Each component is named with the version actually shipped (read from its
installed package or the catalog row), its licence and where it came from;
the full licence texts follow (committed in build/licences/: the same texts
Debian ships in /usr/share/common-licenses, ONNX Runtime's own LICENSE,
CPython's LICENSE.txt and idb's LICENSE).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from offcut.catalog import ModelSpec

ROOT = Path(__file__).resolve().parent.parent
LICENCES = Path(__file__).resolve().parent / "licences"
NOTICES = "THIRD_PARTY_NOTICES.txt"


def write_notices(dist: Path, models: list[ModelSpec], node_modules: Path) -> None:
    """dist/LICENSE (Offcut's) and dist/THIRD_PARTY_NOTICES.txt for ``models`` and the runtimes."""
    shutil.copy2(ROOT / "LICENSE", dist / "LICENSE")
    pyodide, ort, idb, webp, jpeg, detect = (_npm_version(node_modules / name) for name in (
        "pyodide", "onnxruntime-web", "idb", "@jsquash/webp", "@jsquash/jpeg", "wasm-feature-detect"))
    sections = [
        ("Pyodide", pyodide, "MPL-2.0", "npm package pyodide (source: https://github.com/pyodide/pyodide)",
         "pyodide/ (the Python runtime)", "MPL-2.0.txt"),
        ("CPython standard library", "bundled with Pyodide " + pyodide, "PSF-2.0",
         "inside pyodide/python_stdlib.zip and pyodide.asm.wasm", "pyodide/", "PSF-2.0-python.txt"),
        ("ONNX Runtime Web", ort, "MIT, Copyright (c) Microsoft Corporation", "npm package onnxruntime-web",
         "ort/ (its third-party components are listed in "
         f"https://github.com/microsoft/onnxruntime/blob/v{ort}/ThirdPartyNotices.txt)", "MIT-onnxruntime.txt"),
        ("idb", idb, "ISC, Copyright (c) 2016, Jake Archibald", "npm package idb", "engine_worker.js (bundled)",
         "ISC-idb.txt"),
        # The export codecs: the packages' glue is Apache-2.0; the codecs inside carry their own licences,
        # shipped as the packages have them (codec/LICENSE.codec.md).
        ("jSquash WebP (@jsquash/webp)", webp, "Apache-2.0", "npm package @jsquash/webp",
         "engine_worker.js (bundled), codecs/webp_*.wasm", "Apache-2.0.txt"),
        ("libwebp", f"inside @jsquash/webp {webp}", "BSD-3-Clause, Copyright (c) 2010, Google Inc.",
         "npm package @jsquash/webp (codec/)", "codecs/webp_*.wasm",
         node_modules / "@jsquash/webp/codec/LICENSE.codec.md"),
        ("jSquash JPEG (@jsquash/jpeg)", jpeg, "Apache-2.0", "npm package @jsquash/jpeg",
         "engine_worker.js (bundled), codecs/mozjpeg_*.wasm", "Apache-2.0.txt"),
        ("MozJPEG (libjpeg-turbo)", f"inside @jsquash/jpeg {jpeg}", "IJG, BSD-3-Clause and zlib",
         "npm package @jsquash/jpeg (codec/)", "codecs/mozjpeg_*.wasm",
         node_modules / "@jsquash/jpeg/codec/LICENSE.codec.md"),
        ("wasm-feature-detect", detect, "Apache-2.0", "npm package wasm-feature-detect",
         "engine_worker.js (bundled)", "Apache-2.0.txt"),
    ]
    for spec in models:
        source = spec.source
        origin = f"{source.registry} package {source.package}=={source.version}, {source.member}"
        sections.append((f"model weights of catalog row {spec.id} ({spec.file_name})",
                         f"{source.package} {source.version}", spec.licence, origin,
                         "models/ (inside the pipeline graph)", "Apache-2.0.txt"))
    lines = ["Offcut ships these components besides its own code (LICENSE: AGPL-3.0).", ""]
    for name, version, licence, origin, where, _ in sections:
        lines += [f"{name}", f"  version: {version}", f"  licence: {licence}", f"  from:    {origin}",
                  f"  in:      {where}", ""]
    for text in dict.fromkeys(section[-1] for section in sections):  # each text once, in order
        # A name: a text committed in build/licences/; a path: a package's own licence file.
        path = text if isinstance(text, Path) else LICENCES / text
        title = f"{path.parent.parent.name}/{path.name}" if isinstance(text, Path) else text.removesuffix(".txt")
        lines += ["=" * 78, title, "=" * 78, path.read_text().rstrip(), ""]
    (dist / NOTICES).write_text("\n".join(lines) + "\n")


def _npm_version(package: Path) -> str:
    return json.loads((package / "package.json").read_text())["version"]
