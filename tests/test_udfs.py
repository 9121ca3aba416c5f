"""The worksheet functions (addin.udfs) as plain Python: what Excel would get back, without Excel.

xlwings' decorators are no-ops off Windows (checked below), so these are the functions Excel
calls; arguments arrive as xlwings passes them (a scalar for one cell, a list of rows for a
range read with ``ndim=2``; None for an empty cell).
"""

from __future__ import annotations

import csv
import datetime as dt
import inspect
import sys
from pathlib import Path

import numpy as np
import pytest
import xlwings as xw

from addin import udfs
from addin.calendar import calendar_for
from addin.export import read_export
from addin.pipeline import Settings, run
from addin.rules import STANDARD

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sample_us_export.csv"
D = dt.datetime
THANKSGIVING_WEEK = D(2025, 11, 26)  # Wednesday before Thanksgiving (Thu 27 Nov 2025)


def col(*values):
    """A column as xlwings passes a range read with ndim=2."""
    return [[v] for v in values]


def flat(result):
    return [r[0] for r in result]


# -- xlwings on this platform ------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform.startswith("win"), reason="on Windows the decorators register UDFs")
def test_xlwings_decorators_are_no_ops_here():
    def f(x):
        return x

    assert xw.func(f) is f and xw.func(category="x")(f) is f and xw.arg("x", ndim=2)(f) is f
    for fn in udfs.UDFS:
        assert not hasattr(fn, "__xlfunc__")
    with pytest.raises(xw.XlwingsError, match="only supported on Windows and macOS"):
        xw.Book()  # no Excel engine on Linux


def test_python_names_and_signatures():
    names = [f.__name__ for f in udfs.UDFS]
    assert names == ["cancel_deadline", "delivery_deadline", "cancel_risk", "workdays_left", "workday_market",
                     "cancel_rate", "market_holidays"]
    params = {f.__name__: list(inspect.signature(f).parameters) for f in udfs.UDFS}
    assert params["cancel_risk"] == ["order_time", "status", "substatus", "estimated_delivery", "today", "market"]
    assert params["workday_market"] == ["start", "days", "market"]
    assert params["cancel_rate"] == ["order_ids", "cancel_by", "cancel_reasons"]
    for f in udfs.UDFS:
        assert f.__doc__ and len(f.__doc__) <= 255  # Excel's limit for a function description


# -- CANCEL_DEADLINE / DELIVERY_DEADLINE ------------------------------------------------------------


def test_cancel_deadline_one_cell_export_text_with_tab():
    # 7 working days after Wed 26 Nov 2025, skipping Thanksgiving and the weekend: Mon 8 Dec... (US)
    assert udfs.cancel_deadline("11/26/2025 7:44:26 AM\t") == D(2025, 12, 8)
    assert udfs.cancel_deadline(THANKSGIVING_WEEK) == D(2025, 12, 8)
    assert udfs.cancel_deadline(45987.0) == D(2025, 12, 8)  # Excel serial of 2025-11-26


def test_cancel_deadline_column_spills_one_row_per_row():
    result = udfs.cancel_deadline(col("11/26/2025 7:44:26 AM\t", None, "\t", "not a date", D(2025, 12, 1)))
    assert isinstance(result, list) and all(len(r) == 1 for r in result)
    values = flat(result)
    assert values[0] == D(2025, 12, 8)
    assert values[1] == "" and values[2] == ""  # blank and TikTok's empty time (just a tab)
    assert "not a date" in values[3] and "Traceback" not in values[3]
    assert values[4] == D(2025, 12, 10)


def test_cancel_deadline_market_and_rules():
    # Thailand, Sunday is the only weekend day; SEA Shipped-by-TikTok collection rule: 3 working days
    assert udfs.cancel_deadline("26/11/2025 10:00:00", "TH", "sea-tiktok-shipping/collection") == D(2025, 11, 29)
    assert udfs.cancel_deadline("11/26/2025", "US", "us-official") == D(2025, 12, 8)
    assert udfs.cancel_deadline("11/26/2025", "usa") == D(2025, 12, 8)
    assert udfs.cancel_deadline("11/26/2025", None, "delivery") == D(2025, 12, 26)  # 30 calendar days
    assert udfs.cancel_deadline("11/26/2025", "XX").startswith(udfs.ERROR_PREFIX)
    assert "unknown market" in udfs.cancel_deadline("11/26/2025", "XX")
    assert "no rule" in udfs.cancel_deadline("11/26/2025", "US", "nope")


def test_cancel_deadline_matches_the_core_on_the_sample_export():
    export = read_export(SAMPLE)
    refresh = run(export, Settings(today=dt.date(2025, 12, 1), policy=STANDARD))
    created = export.column("created")
    got = flat(udfs.cancel_deadline(col(*created)))
    want = refresh.assessment.ship_by[refresh.orders.row_order]
    normal = ~refresh.kinds.pre_order[refresh.orders.row_order]  # the cell has no order type: normal orders
    for g, w in zip(np.array(got, dtype=object)[normal], want[normal]):
        assert (g == "" and np.isnat(w)) or g.date() == w.astype(object)


def test_delivery_deadline():
    assert udfs.delivery_deadline(D(2025, 11, 1)) == D(2025, 12, 1)
    assert flat(udfs.delivery_deadline(col("11/01/2025", None))) == [D(2025, 12, 1), ""]


def test_a_block_of_several_columns_is_refused_with_a_message():
    assert "one column" in udfs.cancel_deadline([[1, 2], [3, 4]])


def test_a_row_gives_a_row():
    assert udfs.cancel_deadline([["11/26/2025", "11/28/2025"]]) == [[D(2025, 12, 8), D(2025, 12, 9)]]
    assert udfs.cancel_deadline([["11/26/2025"]]) == D(2025, 12, 8)  # a one-cell range is one value


# -- CANCEL_RISK ------------------------------------------------------------------------------------


def test_cancel_risk_values():
    today = D(2025, 12, 1)
    result = flat(udfs.cancel_risk(
        col("11/20/2025 1:00:00 PM\t", "11/28/2025 1:00:00 PM\t", None, "11/01/2025", "11/10/2025", "x", "11/01/2025"),
        col("To ship", "To ship", None, "Canceled", "Shipped", "To ship", "Unpaid"),
        None, None, today))
    # ordered 20 Nov: deadline Tue 2 Dec, one working day left -> At risk; shipped with no EDD:
    # only the delivery rule is left and its clock has not started -> On track
    assert result == ["At risk", "On track", "", "Cancelled", "On track", "Check data", "Unpaid"]
    assert udfs.cancel_risk("11/01/2025", "Completed", None, None, today) == "Done"


def test_cancel_risk_substatus_and_one_cell():
    today = D(2025, 12, 1)
    assert udfs.cancel_risk("11/10/2025", "To ship", None, None, today) == "Overdue"
    # In transit reached the ship-by milestone; no EDD, so no other deadline: On track
    assert udfs.cancel_risk("11/10/2025", "Shipped", "In transit", None, today) == "On track"
    assert udfs.cancel_risk("11/20/2025", "To ship", None, None, D(2025, 12, 2)) == "Due today"
    # delivery rule through the EDD: shipped, EDD 1 Oct + 30 days = 31 Oct, passed
    assert udfs.cancel_risk("09/20/2025", "Shipped", "In transit", "10/01/2025", today) == "Overdue"


def test_cancel_risk_scalar_arguments_repeat_and_lengths_must_match():
    today = D(2025, 12, 1)
    assert flat(udfs.cancel_risk(col("11/10/2025", "11/30/2025"), "To ship", None, None, today)) == \
        ["Overdue", "On track"]
    bad = udfs.cancel_risk(col("11/10/2025", "11/30/2025"), col("To ship", "To ship", "To ship"), None, None, today)
    assert isinstance(bad, str) and "differ in length" in bad
    assert "today" in udfs.cancel_risk("11/10/2025", "To ship", None, None, "soon")


def test_cancel_risk_matches_the_core_for_the_same_columns():
    """Row by row equal to the pipeline given the same columns (each row its own order)."""
    with open(SAMPLE, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head, data = rows[0], rows[1:]
    i = {h: head.index(h) for h in ("Created Time", "Order Status", "Order Substatus")}
    today = dt.date(2025, 12, 1)
    got = flat(udfs.cancel_risk(col(*[r[i["Created Time"]] for r in data]), col(*[r[i["Order Status"]] for r in data]),
                                col(*[r[i["Order Substatus"]] for r in data]), None, D(2025, 12, 1)))
    from addin.export import Export

    export = Export("t", ["Order ID", "Order Status", "Order Substatus", "Created Time"],
                    [[str(n), r[i["Order Status"]], r[i["Order Substatus"]], r[i["Created Time"]].rstrip("\t")]
                     for n, r in enumerate(data)], {"order_id": 0, "status": 1, "substatus": 2, "created": 3}, 2)
    want = list(run(export, Settings(today=today, policy=STANDARD)).assessment.risk)
    assert got == want
    assert {"Overdue", "Done", "Cancelled"} <= set(got)


# -- WORKDAYS_LEFT / WORKDAY_MARKET -------------------------------------------------------------------


def test_workdays_left():
    today = D(2025, 11, 26)
    assert udfs.workdays_left(D(2025, 12, 3), today) == 4  # Fri 28, Mon 1, Tue 2, Wed 3
    assert udfs.workdays_left(D(2025, 11, 27), today) == 0  # Thanksgiving is not a working day
    assert udfs.workdays_left(D(2025, 11, 21), today) == -3
    assert flat(udfs.workdays_left(col(D(2025, 12, 3), None, "bad"), today))[:2] == [4, ""]
    assert isinstance(udfs.workdays_left(D(2025, 12, 3)), int)  # today defaults to the market's


def test_workday_market_is_excels_workday_with_holidays():
    assert udfs.workday_market(D(2025, 11, 26), 1) == D(2025, 11, 28)  # skips Thanksgiving
    assert udfs.workday_market(D(2025, 11, 29), 1) == D(2025, 12, 1)  # Saturday start rolls forward
    assert udfs.workday_market(D(2025, 12, 1), -1) == D(2025, 11, 28)
    assert udfs.workday_market(D(2025, 11, 29), 0) == D(2025, 11, 29)
    assert udfs.workday_market("30/11/2025", 1, "TH") == D(2025, 12, 1)
    assert flat(udfs.workday_market(col(D(2025, 11, 26), D(2025, 11, 26), None), col(1, "x", 2))) == \
        [D(2025, 11, 28), "days: 'x' is not a whole number of days", ""]
    assert "whole number" in udfs.workday_market(D(2025, 11, 26), 1.5)
    # the calendar's own arithmetic, for a column
    starts = [D(2025, 1, 1) + dt.timedelta(days=k) for k in range(60)]
    got = flat(udfs.workday_market(col(*starts), 5, "GB"))
    want = calendar_for("GB").workday(np.array(starts, dtype="datetime64[D]"), 5)
    assert got == [dt.datetime.combine(w.astype(object), dt.time()) for w in want]


# -- CANCEL_RATE ------------------------------------------------------------------------------------


def test_cancel_rate_counts_orders_not_rows():
    ids = col("1", "1", "2", "3", "4", None)
    by = col("Seller", "Seller", None, "System", "System", None)
    reasons = col("", "", "", "Customer overdue to pay", "Package lost", None)
    # "Package lost" is the carrier's (Partner API reasons); a System cancel without a reason is unclassified.
    assert udfs.cancel_rate(ids, by, reasons) == 0.25  # order 1 of 4
    assert udfs.cancel_rate(ids, by) == 0.25
    assert udfs.cancel_rate(col(None), col(None)) == ""
    # IDs as Excel may hand them over: text with TikTok's tab, or a number
    assert udfs.cancel_rate(col("576\t", 576.0, "577"), col("Seller", "Seller", None)) == 0.5


def test_cancel_rate_equals_the_summary_rate_on_the_sample():
    export = read_export(SAMPLE)
    refresh = run(export, Settings(today=dt.date(2025, 12, 1)))
    rate = udfs.cancel_rate(col(*export.column("order_id")), col(*export.column("cancel_by")),
                            col(*export.column("cancel_reason")))
    s = refresh.summary  # the cell counts every order of its range; the Summary only confirmed ones
    assert rate == pytest.approx(s.seller_responsible / s.orders, abs=1e-6)
    assert 0 < rate < 1


# -- MARKET_HOLIDAYS -----------------------------------------------------------------------------------


def test_market_holidays_spills_date_and_name():
    rows = udfs.market_holidays("US", 2025)
    assert [D(2025, 11, 27), "Thanksgiving Day"] in rows
    assert all(len(r) == 2 and isinstance(r[0], dt.datetime) for r in rows)
    assert udfs.market_holidays("us", 2025.0) == rows
    assert "not a year" in udfs.market_holidays("US", "soon")
    assert "unknown market" in udfs.market_holidays("XX", 2025)
    assert udfs.market_holidays(None) == ""


# -- errors never escape; calendars are reused ------------------------------------------------------


def test_no_exception_escapes(monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(udfs, "calendar_for", boom)
    out = udfs.workday_market(D(2025, 11, 26), 1)
    assert out == f"{udfs.ERROR_PREFIX}RuntimeError: disk on fire"


def test_calendars_are_built_once_and_reused():
    udfs.workday_market(D(2025, 11, 26), 1, "VN")
    before = calendar_for.cache_info()
    for _ in range(5):
        udfs.workday_market(D(2025, 11, 26), 1, "VN")
        udfs.cancel_deadline("26/11/2025", "VN")
    after = calendar_for.cache_info()
    assert after.misses == before.misses and after.hits >= before.hits + 10
