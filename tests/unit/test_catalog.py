"""The model catalog and the fail-closed integrity check."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

import pytest

from offcut import CATALOG, DEFAULT_MODEL_ID, ModelIntegrityError, UnknownModelError, get_model
from offcut import verify_model_bytes, verify_model_file


def test_catalog_rows_are_complete():
    assert DEFAULT_MODEL_ID in CATALOG
    for model_id, spec in CATALOG.items():
        assert spec.id == model_id
        assert re.fullmatch(r"[0-9a-f]{64}", spec.sha256)
        assert spec.byte_size > 1_000_000 and spec.input_size in (320, 1024)
        assert spec.source.registry in ("npm", "pypi") and spec.licence


def test_unknown_model_names_the_choices():
    with pytest.raises(UnknownModelError, match="unknown model 'nope'; choose one of: isnet, isnet-fusion, isnet-quint8, u2netp"):
        get_model("nope")


def _spec_for(data: bytes):
    return replace(get_model("u2netp"), byte_size=len(data), sha256=hashlib.sha256(data).hexdigest())


def test_exact_bytes_pass():
    data = b"model weights" * 1000
    verify_model_bytes(_spec_for(data), data)


def test_truncated_bytes_are_rejected():
    data = b"model weights" * 1000
    with pytest.raises(ModelIntegrityError, match="expected 13,000 bytes, got 12,999"):
        verify_model_bytes(_spec_for(data), data[:-1])


def test_same_size_corruption_is_rejected(tmp_path):
    data = bytearray(b"model weights" * 1000)
    spec = _spec_for(bytes(data))
    data[5000] ^= 1
    path = tmp_path / "m.onnx"
    path.write_bytes(data)
    with pytest.raises(ModelIntegrityError, match=r"SHA-256 .* \(corrupted or tampered\)"):
        verify_model_file(spec, path)


def test_missing_file_says_how_to_get_it(tmp_path):
    with pytest.raises(ModelIntegrityError, match="is missing .* run `make models`"):
        verify_model_file(get_model("u2netp"), tmp_path / "absent.onnx")


def test_every_int8_row_has_its_committed_ranges_and_a_float_variant_for_webgpu():
    from offcut.catalog import float_variant
    from offcut.graph._quantise import calibration_path

    int8_rows = [spec for spec in CATALOG.values() if spec.int8_calibration]
    assert int8_rows, "the default's ISNet runs in int8 (README: Performance)"
    for spec in int8_rows:
        assert calibration_path(spec.int8_calibration).is_file()
        gpu = float_variant(spec)
        assert gpu.int8_calibration is None and gpu.id != spec.id and gpu.grid_side == spec.grid_side
    plain = CATALOG["isnet"]
    assert float_variant(plain) is plain


def test_research_variants_name_a_row_on_another_grid_or_in_float():
    from offcut.catalog import research_variant

    default = get_model(DEFAULT_MODEL_ID)
    assert research_variant(DEFAULT_MODEL_ID) is default
    wider = research_variant(f"{DEFAULT_MODEL_ID}@1024")
    assert (wider.id, wider.side, wider.int8_calibration) == (f"{DEFAULT_MODEL_ID}@1024", 1024,
                                                              default.int8_calibration)
    gpu = research_variant(f"{DEFAULT_MODEL_ID}.float@896")
    assert (gpu.id, gpu.side, gpu.int8_calibration) == (f"{DEFAULT_MODEL_ID}.float@896", 896, None)
    assert research_variant("u2netp@256").side == 256


@pytest.mark.parametrize(("name", "words"), [
    ("nope@1024", "unknown model 'nope'"),
    ("isnet-fusion@1000", "a positive multiple of 64"),
    ("isnet-fusion@0", "a positive multiple of 64"),
    ("isnet-fusion@big", "a positive multiple of 64"),
    ("isnet-fusion.half", "the only kind after '.' is 'float'"),
])
def test_research_variants_that_do_not_exist_are_refused_with_the_reason(name, words):
    from offcut.catalog import research_variant

    with pytest.raises(UnknownModelError, match=re.escape(words)):
        research_variant(name)


def test_offcut_eval_refuses_a_variant_that_does_not_exist_before_reading_anything(tmp_path, capsys):
    from offcut.cli import main

    manifest = tmp_path / "manifest.json"
    manifest.write_text("[]")
    assert main(["eval", str(manifest), "--model", "isnet-fusion@1000", "--no-anchors"]) == 2
    assert "offcut eval: unknown variant 'isnet-fusion@1000'" in capsys.readouterr().err
