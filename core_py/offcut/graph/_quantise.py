"""A network's convolutions in 8-bit integers: static, per-channel, calibrated.

ORT-web's WASM build runs ISNet's int8 convolutions in half the time of the
float ones (768² grid, 2 threads: 1.77 s against 3.55 s), and the CPU is
where every user without a GPU spends their wait. The quantisation is the
one ONNX Runtime's tooling does ("QDQ": Quantize/DequantizeLinear pairs
around each op, which every ONNX Runtime fuses into integer kernels):

- static: activation ranges come from a calibration run, not from each
  photo at run time (dynamic quantisation, what @imgly's ``quint8`` file
  does, measures every tensor per run and lost IoU);
- per channel: each output channel of a convolution gets its own weight
  scale;
- calibrated on the *tune* half of eval v2 (``offcut.eval.calibrate``, ``make
  calibrate``), whose ranges are committed as a small JSON file beside this
  module, so building a graph needs no photos and gives the same bytes on
  every machine;
- the output head kept in float (the last convolution, its upsampling and
  sigmoid: every alpha value passes through it). On 30 tune photos, ISNet
  alone: everything quantised -0.31 IoU; head in float -0.001 [-0.003,
  +0.002]; head and first convolution in float -0.005, first alone -0.007.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper

__all__ = ["CALIBRATION_DIR", "PERCENTILE", "calibration_method", "calibration_path", "prepared_for_quantisation",
           "quantised"]

CALIBRATION_DIR = Path(__file__).resolve().parent / "calibration"

#: The committed ranges hold the central PERCENTILE % of each activation's
#: values over the calibration photos (offcut.eval.calibrate).
PERCENTILE = 99.99

_FP16, _FP32 = TensorProto.FLOAT16, TensorProto.FLOAT


def calibration_path(name: str) -> Path:
    return CALIBRATION_DIR / f"{name}.json"


def prepared_for_quantisation(network: onnx.ModelProto, side: int, output_name: str) -> onnx.ModelProto:
    """``network`` with float32 weights, a fixed [1, 3, side, side] input, shapes inferred
    and constants folded: the exact graph both calibration and quantisation see
    (the ranges file names its tensors)."""
    from onnxruntime.quantization.shape_inference import quant_pre_process

    network = _with_float32_weights(network)
    for dim, value in zip(network.graph.input[0].type.tensor_type.shape.dim, (1, 3, side, side), strict=True):
        dim.Clear()
        dim.dim_value = value
    kept = onnx.ValueInfoProto()
    kept.CopyFrom(next((o for o in network.graph.output if o.name == output_name), kept))
    if kept.name != output_name:
        raise ValueError(f"network has no output {output_name!r}")
    kept.type.tensor_type.ClearField("shape")  # declared for the trained side, not this grid
    del network.graph.output[:]  # the side outputs would be quantised (and calibrated) for nothing
    network.graph.output.append(kept)
    with tempfile.TemporaryDirectory(prefix="offcut-quant-") as folder:
        raw, prepared = Path(folder) / "raw.onnx", Path(folder) / "prepared.onnx"
        onnx.save(network, raw)
        # The symbolic shape pass needs sympy; every shape here is static anyway.
        quant_pre_process(str(raw), str(prepared), skip_symbolic_shape=True)
        return onnx.load(prepared)


def quantised(prepared: onnx.ModelProto, ranges: Path) -> onnx.ModelProto:
    """The int8 (QDQ) form of a network from :func:`prepared_for_quantisation`."""
    from onnxruntime.quantization import QuantFormat, QuantType, quantize_static

    if not ranges.is_file():
        raise FileNotFoundError(f"no calibration ranges at {ranges} (make calibrate writes them)")
    with tempfile.TemporaryDirectory(prefix="offcut-quant-") as folder:
        target = Path(folder) / "int8.onnx"
        quantize_static(
            prepared, target, calibration_data_reader=None, calibration_cache_path=ranges,
            quant_format=QuantFormat.QDQ, per_channel=True,
            # uint8 activations and int8 weights: the pair MLAS (native and WASM) has fast kernels for.
            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
            calibrate_method=calibration_method(),
            nodes_to_exclude=kept_in_float(prepared),
        )
        return onnx.load(target)


def calibration_method():
    """How the committed ranges were made (ONNX Runtime checks it against the file)."""
    from onnxruntime.quantization import CalibrationMethod

    return CalibrationMethod.Percentile


def kept_in_float(network: onnx.ModelProto) -> list[str]:
    """The output head: the nodes from the last convolution to the output (see the module docstring)."""
    producer = {out: node for node in network.graph.node for out in node.output}
    head, name = [], network.graph.output[0].name
    while name in producer:  # walk back along the data inputs to the last convolution
        node = producer[name]
        head.append(node.name)
        if node.op_type == "Conv":
            return head
        name = node.input[0]
    raise ValueError("network output is not computed from a convolution")


def _with_float32_weights(network: onnx.ModelProto) -> onnx.ModelProto:
    """A copy whose fp16 weights, constants and casts are float32 (the quantiser reads float weights)."""
    widened = onnx.ModelProto()
    widened.CopyFrom(network)
    graph = widened.graph
    for tensor in graph.initializer:
        if tensor.data_type == _FP16:
            tensor.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(tensor).astype(np.float32), tensor.name))
    for node in graph.node:
        for attribute in node.attribute:
            if node.op_type == "Cast" and attribute.name == "to" and attribute.i == _FP16:
                attribute.i = _FP32
            if node.op_type == "Constant" and attribute.t.data_type == _FP16:
                attribute.t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(attribute.t).astype(np.float32)))
    for value in (*graph.input, *graph.output):
        if value.type.tensor_type.elem_type == _FP16:
            value.type.tensor_type.elem_type = _FP32
    del graph.value_info[:]
    return widened
