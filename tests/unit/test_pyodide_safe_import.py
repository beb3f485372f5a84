"""The shared package must import with the standard library alone (as under Pyodide)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core_py"


def test_import_without_numpy_onnxruntime_pillow_onnx():
    script = textwrap.dedent(
        """
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {"numpy", "onnxruntime", "PIL", "onnx"}:
                    raise ImportError(f"blocked: {name}")
        sys.meta_path.insert(0, Block())
        import asyncio, offcut
        from offcut import RgbaImage, remove_background, write_png, check_png, get_model
        print("ok", len(offcut.__all__))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=CORE, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")
