"""The Summary and Settings of the refreshed US sample say exactly what the reviewed snapshot says.

The snapshot (tests/snapshots/us.json) was read line by line against the sample export when it
was made; after an intended change, run ``python -m tests.snapshots --update`` and review the diff.
"""

from __future__ import annotations

import pytest
from snapshots import SAMPLES, content, load, refreshed_sample


@pytest.fixture(scope="module")
def us(tmp_path_factory) -> dict:
    return content(refreshed_sample(SAMPLES["us"], tmp_path_factory.mktemp("snapshot") / "shop.xlsx"))


@pytest.mark.parametrize("sheet", ["Summary", "Settings"])
def test_the_sheet_says_what_the_snapshot_says(us, sheet):
    expected = load("us")[sheet]
    for block, value in expected.items():
        assert us[sheet][block] == value, f"{sheet} / {block} changed: python -m tests.snapshots --update, then review"
    assert us[sheet].keys() == expected.keys()


def test_the_snapshot_adds_up(us):
    """Hand checks of the snapshot itself, so a wrong figure cannot be frozen into it."""
    summary = load("us")["Summary"]
    risks = dict(summary["orders by risk"])
    total = risks.pop("All orders")
    rate = summary["rate"]
    assert sum(risks.values()) == total == rate["Orders"]
    assert rate["by System"] + rate["by Buyer"] + rate["by Seller"] == rate["Cancelled orders"] == risks["Cancelled"]
    weeks = summary["per week"]
    confirmed = sum(w["Orders"] for w in weeks)
    assert sum(w["Seller cancels"] for w in weeks) == rate["Seller-responsible cancellations"]
    seller = rate["Seller-responsible cancellations"]
    assert rate["Rate now (every order in the file)"][0] == pytest.approx(seller / confirmed, abs=5e-7)
    # The one Overdue order more, if TikTok cancels it, of the same confirmed orders.
    assert rate["If every Overdue order is auto-cancelled"][0] == pytest.approx((seller + 1) / confirmed, abs=5e-7)
    urgent = [row["Risk"] for row in summary["most urgent open orders"] if row["Risk"]]
    assert urgent[: risks["Overdue"]] == ["Overdue"] * risks["Overdue"]
    assert us["Settings"]["settings"]["Weekend (from market)"] == "0000011"  # US: Saturday and Sunday off
