"""The tune / report split is fixed and balanced."""

from offcut.eval._split import HALVES, half_of


def test_split_is_pinned():
    # Moving a pair between halves would leak tuning into the reported figures.
    assert {pair: half_of(pair) for pair in ("alphamatting_GT01", "alphamatting_GT03", "hs_removebg_100",
                                              "ecssd_0001")} == {
        "alphamatting_GT01": "tune", "alphamatting_GT03": "report", "hs_removebg_100": "tune", "ecssd_0001": "report"}


def test_split_is_about_even():
    halves = [half_of(f"pair-{i}") for i in range(2000)]
    assert set(halves) == set(HALVES) and 900 < halves.count("tune") < 1100
