"""``python -m offcut.eval.calibrate``: a row's int8 activation ranges, from the tune half of eval v2.

    python -m offcut.eval.calibrate [--model isnet-fusion] [--photos 24]   (make calibrate)

Runs the row's network, exactly as the pipeline prepares it (same grid, same
shrink, same normalisation), on photos of the *tune* half of the split
(``_split.py``) only, and writes the range of every activation to
``graph/calibration/<int8_calibration>.json``, which is committed: graphs
are then built from it on any machine, with no photos. Each range covers
the central 99.99 % of that tensor's values over all the photos (ONNX
Runtime's percentile calibration): a range stretched to the rarest outlier
spends the 256 levels on values almost never seen. On 13 tune photos the
percentile ranges left ISNet's int8 mask 0.0036 from the float one on
average, with 0.4 % of pixels off by more than 0.1; the mean of each photo's
min and max: 0.0131 and 4.2 % (blotches in uncertain regions); the global
min and max: 0.30 and 66 %.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from ..catalog import DEFAULT_MODEL_ID, get_model
from ._manifest import load_manifest
from ._split import half_of

V2 = Path("../shared/eval/v2")  # beside the checkout, as `make calibrate` runs it
MANIFESTS = (V2 / "manifest.json", V2 / "people-removebg.json")


def calibration_photos(manifests, count: int) -> list:
    """``count`` pairs of the tune half, spread evenly over the manifests' pairs sorted by id."""
    tune = sorted((p for m in manifests for p in load_manifest(m) if half_of(p.id) == "tune"), key=lambda p: p.id)
    if len(tune) < count:
        raise ValueError(f"only {len(tune)} tune pairs, asked for {count}")
    return [tune[i * len(tune) // count] for i in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=DEFAULT_MODEL_ID)
    parser.add_argument("--photos", type=int, default=24)
    parser.add_argument("--manifest", type=Path, action="append", help="default: eval v2's two manifests")
    args = parser.parse_args(argv)

    import onnx
    import onnxruntime as ort
    from onnxruntime.quantization import CalibrationDataReader, create_calibrator
    from onnxruntime.quantization.calibrate import save_tensors_data

    from .._integrity import verify_model_file
    from .._store import model_path
    from ..graph._network import network_for_grid
    from ..graph._pipeline_graph import build_network_input_graph
    from ..graph._quantise import PERCENTILE, calibration_method, calibration_path, prepared_for_quantisation

    spec = get_model(args.model)
    if not spec.int8_calibration:
        parser.error(f"{spec.id} has no int8_calibration in the catalog")
    verify_model_file(spec, model_path(spec))
    prepared = prepared_for_quantisation(network_for_grid(spec, onnx.load(model_path(spec))), spec.side,
                                         spec.output_name)
    to_input = ort.InferenceSession(build_network_input_graph(spec).SerializeToString(),
                                    providers=["CPUExecutionProvider"])
    photos = calibration_photos(args.manifest or MANIFESTS, args.photos)
    input_name = prepared.graph.input[0].name

    class Photos(CalibrationDataReader):
        def __init__(self, pairs):
            self._pairs = iter(pairs)

        def get_next(self):
            pair = next(self._pairs, None)
            if pair is None:
                return None
            print(f"calibrating on {pair.id}", flush=True)
            return {input_name: to_input.run(None, {"image": np.ascontiguousarray(pair.load_rgba())})[0]}

    with tempfile.TemporaryDirectory(prefix="offcut-calibrate-") as folder:
        model = Path(folder) / "prepared.onnx"
        onnx.save(prepared, model)
        calibrator = create_calibrator(model, augmented_model_path=str(Path(folder) / "augmented.onnx"),
                                       calibrate_method=calibration_method(),
                                       extra_options={"percentile": PERCENTILE, "num_bins": 2048})
        # A few photos per call: the calibrator holds every activation of the
        # photos of one call (~1 GB each at 768²) before adding them to its histograms.
        for start in range(0, len(photos), 2):
            calibrator.collect_data(Photos(photos[start:start + 2]))
        ranges = calibrator.compute_data()
    target = calibration_path(spec.int8_calibration)
    target.parent.mkdir(parents=True, exist_ok=True)
    save_tensors_data(ranges, target)
    # Only the ranges are read back (the histograms are ~1 MB), sorted, one
    # value per line: a recalibration reads as a reviewable diff.
    saved = json.loads(target.read_text())
    for tensor in saved["data"].values():
        for statistic in [key for key in tensor if key not in ("CLS", "lowest", "highest")]:
            del tensor[statistic]
    target.write_text(json.dumps(saved, indent=1, sort_keys=True) + "\n")
    target.chmod(0o644)  # save_tensors_data writes through mkstemp (0600)
    print(f"{len(ranges.data)} activation ranges from {len(photos)} tune photos → {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
