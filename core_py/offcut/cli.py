"""The ``offcut`` command: batch background removal with native onnxruntime."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ._png_write import DEFAULT_COMPRESSION
from .catalog import CATALOG, DEFAULT_MODEL_ID, research_variant
from .errors import OffcutError, UnknownModelError

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "models":
        return _list_models()
    if args.command == "eval":
        return _evaluate(args)
    return _remove_all(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="offcut", description="On-device background removal.")
    commands = parser.add_subparsers(dest="command", required=True)
    remove = commands.add_parser("remove", help="cut out the subject of each image into a transparent PNG")
    remove.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    remove.add_argument("-o", "--output-dir", type=Path,
                        help="where to write <name>-nobg.png (default: next to each image)")
    remove.add_argument("--model", default=DEFAULT_MODEL_ID, choices=sorted(CATALOG),
                        help=f"default: {DEFAULT_MODEL_ID}")
    remove.add_argument("--compression", type=int, default=DEFAULT_COMPRESSION, choices=range(0, 10),
                        metavar="0-9", help=f"zlib level of the PNG (default {DEFAULT_COMPRESSION})")
    picture = remove.add_argument_group("the picture (default: a transparent PNG of the whole photo)")
    picture.add_argument("--background", default="transparent", metavar="transparent|blur|#RRGGBB",
                         help="what shows behind the subject: nothing, the photo blurred, or a colour")
    picture.add_argument("--crop", metavar="MARGIN",
                         help="crop to the subject with this margin: '5%%' of its box's longer side, or '20px'")
    picture.add_argument("--format", default="png", choices=["png", "webp", "jpeg", "jpg"],
                         help="PNG or lossless WebP (both keep transparency), or JPEG (needs a background)")
    picture.add_argument("--max-size", type=int, metavar="PX", help="shrink so the longest side is at most PX")
    picture.add_argument("--only-mask", action="store_true", help="write the mask alone (white subject on black)")
    commands.add_parser("models", help="list the models and whether their files are present")
    evaluate = commands.add_parser("eval",
                                   help="measure cutout quality against ground truth, beside the peers' methods")
    # No default: a tool installed anywhere must not assume where its checkout's neighbours are.
    evaluate.add_argument("manifests", nargs="+", type=Path, metavar="MANIFEST",
                          help="JSON lists of photo / ground-truth alpha pairs, evaluated as one set "
                               "(`make eval` passes the research set)")
    evaluate.add_argument("--half", metavar="tune|report",
                          help="only this half of the fixed tune / report split (tune on one, report the other)")
    evaluate.add_argument("--cache", type=Path, default=Path("out/eval/cache"),
                          help="where the peers' alphas are kept between runs (default: out/eval/cache)")
    evaluate.add_argument("--model", action="append", metavar="MODEL",
                          help=f"catalog row(s) to evaluate, the first is 'ours' (default: {DEFAULT_MODEL_ID}); "
                               f"a row may name a variant: ROW.float (float32) or ROW@SIDE (another grid), "
                               f"e.g. {DEFAULT_MODEL_ID}@1024")
    evaluate.add_argument("--no-anchors", action="store_true", help="skip the imgly and rembg-u2netp anchors")
    evaluate.add_argument("--sheet", type=Path, default=Path("out/eval/contact-sheet.png"),
                          help="where to write the contact sheet (default: out/eval/contact-sheet.png)")
    return parser


def _evaluate(args) -> int:
    from .eval import ManifestError, anchor_method, evaluate, format_report, pipeline_method
    from .eval._anchors import ANCHORS
    from .eval._split import HALVES

    if args.half is not None and args.half not in HALVES:
        print(f"offcut eval: --half must be one of {', '.join(HALVES)}, not {args.half!r}", file=sys.stderr)
        return 2
    manifests = args.manifests
    for manifest in manifests:
        if not manifest.is_file():
            print(f"offcut eval: no manifest at {manifest}", file=sys.stderr)
            return 2
    models = args.model or [DEFAULT_MODEL_ID]
    try:
        for model_id in models:
            research_variant(model_id)
    except UnknownModelError as err:
        print(f"offcut eval: {err}", file=sys.stderr)
        return 2
    methods = {model_id: pipeline_method(model_id) for model_id in models}
    if not args.no_anchors:
        methods.update({name: anchor_method(name, args.cache) for name in ANCHORS})
    try:
        report = evaluate(manifests, methods, args.sheet, half=args.half,
                          progress=lambda line: print(line, file=sys.stderr, flush=True))
    except ManifestError as err:
        print(f"offcut eval: {err}", file=sys.stderr)
        return 2
    print(format_report(report))
    return 0


def output_path(image: Path, output_dir: Path | None, extension: str = "png") -> Path:
    return (output_dir or image.parent) / f"{image.stem}-nobg.{extension}"


def _remove_all(args) -> int:
    from ._api import decode_and_cut, export_cutout
    from ._export import ExportOptions

    try:
        options = ExportOptions.from_cli(background=args.background, crop=args.crop, format=args.format,
                                         max_size=args.max_size, only_mask=args.only_mask)
    except OffcutError as err:
        print(f"offcut remove: {err}", file=sys.stderr)
        return 2
    if args.output_dir:
        args.output_dir.mkdir(parents=True, exist_ok=True)
    total, failed = len(args.images), 0
    for index, image in enumerate(args.images, 1):
        started = time.perf_counter()
        try:
            photo, cutout = decode_and_cut(image, args.model, args.compression)
            data, width, height = cutout.png, cutout.width, cutout.height
            if not options.is_plain:
                picture = export_cutout(cutout, options, photo, compression=args.compression)
                data, width, height = picture.data, picture.width, picture.height
            target = output_path(image, args.output_dir, options.extension)
            target.write_bytes(data)
        except OffcutError as err:
            failed += 1
            print(f"[{index}/{total}] error: {err}", file=sys.stderr, flush=True)
            if err.code == "model-integrity":  # every later file would fail the same way
                skipped = total - index
                failed += skipped
                if skipped:
                    print(f"offcut: skipped the remaining {skipped} image(s)", file=sys.stderr)
                break
            continue
        except OSError as err:
            failed += 1
            print(f"[{index}/{total}] error: {image}: cannot write output ({err.strerror})",
                  file=sys.stderr, flush=True)
            continue
        seconds = time.perf_counter() - started
        print(f"[{index}/{total}] {image} → {target} ({width}×{height}, "
              f"{len(data) / 1e6:.1f} MB, {seconds:.1f} s)", file=sys.stderr, flush=True)
    if failed:
        print(f"offcut: {failed} of {total} image(s) failed", file=sys.stderr)
    return 1 if failed else 0


def _list_models() -> int:
    from ._store import model_path

    for spec in CATALOG.values():
        present = "present" if model_path(spec).exists() else "missing (run `make models`)"
        default = " (default)" if spec.id == DEFAULT_MODEL_ID else ""
        print(f"{spec.id:14} {spec.display_name}{default}: {spec.megabytes:.1f} MB, {spec.licence}; {present}")
    return 0
