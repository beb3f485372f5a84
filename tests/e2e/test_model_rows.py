"""Every catalog row is the user's to choose, not only the default: the smaller
quantised ISNet downloads its own file and becomes the automatic choice while
it is the best one stored; ISNet alone shares the default's download; each cuts
out as the native CLI does with the same model; removing a shared file removes
every row made from it and leaves the others."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from extension_browser import launch_extension, shipped_manifest

from ._site import data_url
from .conftest import read_png
from .test_model_download import ask, network_records

pytestmark = pytest.mark.browser


def native_alpha(path, model: str) -> np.ndarray:
    import offcut

    # In a thread: Playwright's sync API keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(offcut.remove, path, model=model, output="rgba").result()[..., 3]


def test_other_rows_download_cut_out_like_the_cli_and_are_removed_together(playwright, tmp_path, site):
    small, isnet, best = (shipped_manifest(model) for model in ("isnet-quint8", "isnet", None))
    assert small["network"]["sha256"] != best["network"]["sha256"] == isnet["network"]["sha256"]
    assert small["webgpuLacks"], "the quantised graph's ops were not checked against WebGPU's"
    photo = site.files["astronaut.png"]
    with launch_extension(playwright, tmp_path / "profile", best_model=False) as browser:
        page = browser.context.new_page()
        page.goto(browser.url("popup.html"))

        def statuses() -> dict:
            models = ask(page, "list-models")["result"]["models"]
            return {model["id"]: model["status"] for model in models} | {
                "default": next(model["id"] for model in models if model["default"])}

        def cut_out(model: str | None = None) -> tuple[str, np.ndarray]:
            reply = browser.send(page, {"url": data_url(photo), **({"model": model} if model else {})})
            assert reply["ok"], reply
            saved = browser.wait_for_download(reply["result"]["filename"])
            alpha = read_png(saved)[..., 3]
            saved.unlink()
            return reply["result"]["model"], alpha

        def assert_like_the_cli(alpha: np.ndarray, model: str) -> None:
            difference = float(np.abs(alpha.astype(np.int16) - native_alpha(photo, model)).mean())
            assert difference <= 2, f"{model}: mean alpha differs from the native CLI by {difference:.2f}/255"
            assert ((alpha > 0) & (alpha < 255)).mean() > 0.001, f"{model}: no soft alpha"

        # The smaller download alone: its own file, and the best model stored, so the automatic choice.
        installed = ask(page, "install-model", {"model": small["model"]})
        assert installed["ok"] and installed["result"]["bytes"] == small["network"]["bytes"], installed
        assert network_records(browser, small["network"]) == {small["network"]["sha256"]}
        assert statuses() == {"isnet-fusion": "absent", "isnet": "absent", "isnet-quint8": "stored",
                              "u2netp": "packaged", "default": "isnet-quint8"}
        model, alpha = cut_out()
        assert model == "isnet-quint8"
        assert_like_the_cli(alpha, "isnet-quint8")

        # ISNet alone: asking for it downloads ISNet's file, which the default is made from too;
        # the popup's offer of the default shows that download's progress (asked for as another row).
        installed = ask(page, "install-model", {"model": isnet["model"]})
        assert installed["ok"], installed
        size = f"{isnet['network']['bytes'] / 1e6:.1f}"
        shown = page.inner_text("#model-status")
        assert shown.startswith(f"{size} of {size} MB"), shown
        assert statuses() == {"isnet-fusion": "stored", "isnet": "stored", "isnet-quint8": "stored",
                              "u2netp": "packaged", "default": "isnet-fusion"}
        model, alpha = cut_out("isnet")
        assert model == "isnet"
        assert_like_the_cli(alpha, "isnet")

        # Removing ISNet alone removes the default with it (one file), and nothing else.
        removed = ask(page, "remove-model", {"model": "isnet"})["result"]
        assert removed["alsoRemoved"] == ["isnet-fusion"] and removed["freedBytes"] >= isnet["network"]["bytes"]
        assert network_records(browser, isnet["network"]) == set()
        assert network_records(browser, small["network"]) == {small["network"]["sha256"]}
        assert statuses()["default"] == "isnet-quint8"
        refused = browser.send(page, {"url": data_url(photo), "model": "isnet"})
        assert refused["ok"] is False and refused["error"]["code"] == "model-not-installed", refused
        packaged = ask(page, "remove-model", {"model": "u2netp"})
        assert packaged["ok"] is False and packaged["error"]["code"] == "bad-request", packaged
