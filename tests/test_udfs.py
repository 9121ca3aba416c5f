"""The worksheet functions (addin.udfs) as plain Python: what Excel would get back, without Excel.

xlwings' decorators are no-ops off Windows (checked below), so these are the functions Excel
calls; arguments arrive as xlwings passes them (a scalar for one cell, a list of rows for a
range read with ``ndim=2``; None for an empty cell).
"""

from __future__ import annotations

import datetime as dt
import inspect
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import xlwings as xw

from addin import pipeline, udfs
from addin.io.export import read_export
from addin.pipeline import Settings, run

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
    assert names == [
        "cancel_deadline",
        "delivery_deadline",
        "cancel_risk",
        "workdays_left",
        "workday_market",
        "cancel_rate",
        "market_holidays",
    ]
    params = {f.__name__: list(inspect.signature(f).parameters) for f in udfs.UDFS}
    # ``caller`` last: xlwings' reserved argument (the calling cell), never shown in Excel.
    assert params["cancel_risk"] == [
        "order_time",
        "status",
        "substatus",
        "estimated_delivery",
        "today",
        "market",
        "caller",
    ]
    assert params["workday_market"] == ["start", "days", "market", "caller"]
    assert params["cancel_rate"] == ["order_ids", "cancel_by", "cancel_reasons", "caller"]
    assert params["market_holidays"] == ["market", "year"]
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


def test_cancel_deadline_spills_a_column_counted_by_hand():
    """US (us-official): 7 working days after the order day, US public holidays off.

    Mon 17 Nov: Tue 18 .. Fri 21 are 1-4, Mon 24 .. Wed 26 are 5-7 -> Wed 26 Nov.
    Wed 24 Dec: Christmas and New Year's Day off -> Fri 26, Mon 29, Tue 30, Wed 31, Fri 2, Mon 5, Tue 6 Jan.
    Sat 29 Nov (a day off): Mon 1 .. Fri 5 are 1-5, Mon 8, Tue 9 -> Tue 9 Dec; an ISO date reads the same.
    """
    got = udfs.cancel_deadline(col("11/17/2025 7:44:26 AM\t", "12/24/2025", "11/29/2025", None, "2025-11-28"))
    assert flat(got) == [D(2025, 11, 26), D(2026, 1, 6), D(2025, 12, 9), "", D(2025, 12, 9)]


def test_cancel_deadline_counts_us_business_days_by_hand():
    """Seven US business days after the order (KB 3995852763301633), counted on the calendar:
    Veterans Day (Tue 11 Nov 2025), Thanksgiving (Thu 27 Nov) and New Year's Day are off."""
    created = col(
        "11/07/2025 6:00:00 PM\t",  # Fri: Mon 10, Wed 12, Thu 13, Fri 14, Mon 17, Tue 18, Wed 19
        "11/08/2025 10:00:00 AM\t",  # Sat: counted from Monday, the same Wed 19
        "11/10/2025 7:44:26 AM\t",  # Mon: 12 13 14 17 18 19 20
        "11/27/2025 9:00:00 AM\t",  # on Thanksgiving: 28, 1 2 3 4 5, 8 Dec
        "12/31/2025 11:59:59 PM\t",  # New Year's Eve: 2 Jan, 5 6 7 8 9, 12 Jan
    )
    assert flat(udfs.cancel_deadline(created)) == [
        D(2025, 11, 19),
        D(2025, 11, 19),
        D(2025, 11, 20),
        D(2025, 12, 8),
        D(2026, 1, 12),
    ]


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
    result = flat(
        udfs.cancel_risk(
            col(
                "11/20/2025 1:00:00 PM\t",
                "11/28/2025 1:00:00 PM\t",
                None,
                "11/01/2025",
                "11/10/2025",
                "x",
                "11/01/2025",
            ),
            col("To ship", "To ship", None, "Canceled", "Shipped", "To ship", "Unpaid"),
            None,
            None,
            today,
        )
    )
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
    assert flat(udfs.cancel_risk(col("11/10/2025", "11/30/2025"), "To ship", None, None, today)) == [
        "Overdue",
        "On track",
    ]
    bad = udfs.cancel_risk(col("11/10/2025", "11/30/2025"), col("To ship", "To ship", "To ship"), None, None, today)
    assert isinstance(bad, str) and "differ in length" in bad
    assert "today" in udfs.cancel_risk("11/10/2025", "To ship", None, None, "soon")


def test_cancel_risk_spills_a_column_counted_by_hand():
    """US (us-official, 7 working days to ship), today Mon 1 Dec 2025, At risk within 2 working days.

    Ordered Mon 17 Nov: due Wed 26 Nov, Overdue. Mon 24 Nov: Tue 25, Wed 26, Fri 28 (Thanksgiving off),
    Mon 1 .. Thu 4 -> Thu 4 Dec, 3 working days left: On track. Fri 21 Nov -> Wed 3 Dec, 2 left: At risk.
    Thu 20 Nov -> Tue 2 Dec, 1 left: At risk. Wed 19 Nov -> Mon 1 Dec: Due today.
    """
    times = col("11/17/2025 7:44:26 AM\t", "11/24/2025", "11/21/2025", "11/20/2025", "11/19/2025", "11/10/2025", None)
    statuses = col("To ship\t", "To ship", "To ship", "To ship", "To ship", "Canceled", None)
    got = flat(udfs.cancel_risk(times, statuses, None, None, D(2025, 12, 1)))
    assert got == ["Overdue", "On track", "At risk", "At risk", "Due today", "Cancelled", ""]


def test_cancel_risk_of_a_column_counted_by_hand():
    """Today Mon 1 Dec 2025, US rules: tracking due 7 business days after the order, At risk with
    2 working days or fewer left (Thanksgiving, Thu 27 Nov, is off)."""
    rows = [
        ("11/10/2025 7:44:26 AM\t", "To ship", "Awaiting shipment", "Overdue"),  # due Thu 20 Nov
        ("11/19/2025 7:44:26 AM\t", "To ship", "Awaiting shipment", "Due today"),  # 20 21 24 25 26 28, 1 Dec
        ("11/21/2025 7:44:26 AM\t", "To ship", "Awaiting shipment", "At risk"),  # Wed 3 Dec: 2 working days
        ("11/24/2025 7:44:26 AM\t", "To ship", "Awaiting shipment", "On track"),  # Thu 4 Dec: 3 working days
        ("11/10/2025 7:44:26 AM\t", "To ship", "Awaiting collection", "On track"),  # tracking uploaded
        ("11/10/2025 7:44:26 AM\t", "Shipped", "In transit", "On track"),  # no EDD: no delivery clock
        ("11/10/2025 7:44:26 AM\t", "Completed", "Completed", "Done"),
        ("11/10/2025 7:44:26 AM\t", "Canceled", "Canceled", "Cancelled"),
        ("11/30/2025 7:44:26 AM\t", "Unpaid", "Unpaid", "Unpaid"),
        ("the 10th\t", "To ship", "Awaiting shipment", "Check data"),
    ]
    created, status, substatus, expected = zip(*rows, strict=True)
    got = flat(udfs.cancel_risk(col(*created), col(*status), col(*substatus), None, D(2025, 12, 1)))
    assert got == list(expected)


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
    assert flat(udfs.workday_market(col(D(2025, 11, 26), D(2025, 11, 26), None), col(1, "x", 2))) == [
        D(2025, 11, 28),
        "days: 'x' is not a whole number of days",
        "",
    ]
    assert "whole number" in udfs.workday_market(D(2025, 11, 26), 1.5)
    # England's Easter 2025 (Good Friday 18, Easter Monday 21 Apr) and Early May bank holiday (Mon 5 May):
    # Thu 17 Apr + 1 -> Tue 22; Mon 14 Apr + 5 -> Tue 15, Wed 16, Thu 17, Tue 22, Wed 23; Fri 2 May + 1 -> Tue 6.
    got = flat(udfs.workday_market(col(D(2025, 4, 17), D(2025, 4, 14), D(2025, 5, 2)), col(1, 5, 1), "GB"))
    assert got == [D(2025, 4, 22), D(2025, 4, 23), D(2025, 5, 6)]


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


def test_cancel_rate_on_the_sample_counted_by_hand():
    """The 400-row sample has 257 distinct Order IDs; 12 of them were cancelled by the seller (Out of
    stock) or by the system for the seller's lateness (Seller did not ship in time, Collection
    timeout). The cell counts every order of its range (the Summary only confirmed ones)."""
    export = read_export(SAMPLE)
    rate = udfs.cancel_rate(
        col(*export.column("order_id")), col(*export.column("cancel_by")), col(*export.column("cancel_reason"))
    )
    assert rate == pytest.approx(12 / 257, abs=1e-6)


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

    from addin import pipeline

    monkeypatch.setattr(pipeline, "calendar_for", boom)
    out = udfs.workday_market(D(2025, 11, 26), 1)
    assert out == f"{udfs.ERROR_PREFIX}RuntimeError: disk on fire"


def test_calendars_are_built_once_and_reused(monkeypatch):
    built, build = [], pipeline.market_calendar

    def counting(*args):
        built.append(args[0].code)
        return build(*args)

    pipeline._calendar.cache_clear()
    monkeypatch.setattr(pipeline, "market_calendar", counting)
    for _ in range(5):
        assert udfs.workday_market(D(2025, 11, 26), 1, "VN") == D(2025, 11, 27)
        assert isinstance(udfs.cancel_deadline("26/11/2025", "VN"), dt.datetime)
    assert built == ["VN"]


def test_calls_with_other_days_off_never_share_a_calendar():
    # Two workbooks in one Excel: one closes on Friday 28 Nov 2025, the other does not.
    closed = Settings(market=pipeline.get_market("US"), extra_off=frozenset({dt.date(2025, 11, 28)}))
    open_ = Settings(market=pipeline.get_market("US"))
    wednesday = np.array(["2025-11-26"], dtype="datetime64[D]")
    for _ in range(2):  # in either order, however often
        assert closed.calendar.workday(wednesday, 1)[0] == np.datetime64("2025-12-01")  # Thanksgiving, closed Fri
        assert open_.calendar.workday(wednesday, 1)[0] == np.datetime64("2025-11-28")


# -- called from a workbook: its Settings and Holidays are the defaults --------------------------------


class FakeRange:
    """What book_settings asks of xlwings' ``sheet.used_range``: values from its first used cell."""

    def __init__(self, ws):
        self.row, self.column = ws.min_row, ws.min_column
        self.value = [list(r) for r in ws.iter_rows(min_row=ws.min_row, min_col=ws.min_column, values_only=True)]

    def options(self, **_):
        return self


class FakeBook:
    """A workbook as the worksheet functions see it through xlwings (values only)."""

    def __init__(self, path: Path):
        import openpyxl

        book = openpyxl.load_workbook(path, data_only=True)
        self.sheets = [SimpleNamespace(name=ws.title, used_range=FakeRange(ws)) for ws in book.worksheets]

    def caller(self):
        return SimpleNamespace(sheet=SimpleNamespace(book=self), address="$A$1")


def one_order_shop(tmp_path, export_file, day_off: dt.date | None, **cells) -> Path:
    """A refreshed workbook of one To ship order placed Wed 26 Nov 2025, with ``day_off`` on
    Holidays' extra non-working days and Settings values (label -> value) typed in."""
    import openpyxl

    from addin.cli import main

    src = export_file(
        [
            {
                "Order ID": "576",
                "Order Status": "To ship",
                "Order Substatus": "Awaiting shipment",
                "Created Time": "11/26/2025 7:44:26 AM",
            }
        ]
    )
    out = tmp_path / "shop.xlsx"
    assert main(["refresh", str(src), "-o", str(out), "--today", "2025-12-01"]) == 0
    book = openpyxl.load_workbook(out)
    if day_off:
        ws = book["Holidays"]
        title = next(c for row in ws.iter_rows(max_row=8) for c in row if c.value == "Extra non-working days (yours)")
        ws.cell(title.row + 2, title.column).value = day_off
    ws = book["Settings"]
    for label, value in cells.items():
        row = next(r for r in range(1, 30) if ws.cell(r, 1).value == label)
        ws.cell(row, 2).value = value
    book.save(out)
    assert main(["refresh", str(out), "--today", "2025-12-01"]) == 0
    return out


def orders_column(path: Path, header: str) -> list:
    import openpyxl

    ws = openpyxl.load_workbook(path)["Orders"]
    col_ = [c.value for c in ws[1]].index(header) + 1
    return [ws.cell(r, col_).value for r in range(2, ws.max_row + 1)]


def test_a_cell_and_the_orders_sheet_agree_with_a_day_off(tmp_path, export_file):
    """Counted by hand: 7 US working days after Wed 26 Nov 2025 skip Thanksgiving (Thu 27) and the
    weekend: Fri 28, Mon 1, Tue 2, Wed 3, Thu 4, Fri 5, Mon 8 Dec. With Tue 2 Dec a day off of the
    seller's, the seventh is Tue 9 Dec."""
    shop = one_order_shop(tmp_path, export_file, dt.date(2025, 12, 2))
    caller = FakeBook(shop).caller()
    assert orders_column(shop, "Ship-by deadline") == [D(2025, 12, 9)]
    assert udfs.cancel_deadline("11/26/2025 7:44:26 AM\t", caller=caller) == D(2025, 12, 9)
    assert udfs.cancel_deadline("11/26/2025 7:44:26 AM\t") == D(2025, 12, 8)  # no workbook: no day off
    # The same order through pipeline.run with 2 Dec entered as a day off.
    export = read_export(tmp_path / "export0.csv")
    refresh = run(export, Settings(today=dt.date(2025, 12, 1), extra_off=frozenset({dt.date(2025, 12, 2)})))
    assert refresh.assessment.ship_by[0] == np.datetime64("2025-12-09")
    # WORKDAY_MARKET and WORKDAYS_LEFT count the same day off: Mon 1 Dec + 1 working day = Wed 3.
    assert udfs.workday_market(D(2025, 12, 1), 1, caller=caller) == D(2025, 12, 3)
    assert udfs.workdays_left(D(2025, 12, 9), D(2025, 12, 1), caller=caller) == 5  # 3, 4, 5, 8, 9
    assert udfs.workdays_left(D(2025, 12, 9), D(2025, 12, 1)) == 6


def test_given_arguments_win_over_the_workbook(tmp_path, export_file):
    shop = one_order_shop(tmp_path, export_file, dt.date(2025, 12, 2))
    caller = FakeBook(shop).caller()
    assert udfs.cancel_deadline("11/26/2025", "US", caller=caller) == D(2025, 12, 9)  # same market: its days off
    # Another market: its own calendar, without the US shop's day off (GB: no Thanksgiving; 26 Nov + 7 = 5 Dec).
    assert udfs.cancel_deadline("26/11/2025", "GB", caller=caller) == D(2025, 12, 5)
    assert udfs.cancel_deadline("11/26/2025", None, "us-official", caller=caller) == D(2025, 12, 9)


def test_the_workbooks_policy_and_at_risk_days_are_the_defaults(tmp_path, export_file):
    """Settings: policy us-official, at-risk days 5. On Mon 1 Dec, 5 working days are
    left until Mon 8 Dec (no day off here): At risk with 5, On track with the default 2."""
    shop = one_order_shop(tmp_path, export_file, None, **{"Policy": "us-official", "At-risk days": 5})
    caller = FakeBook(shop).caller()
    assert orders_column(shop, "Risk") == ["At risk"]
    assert udfs.cancel_risk("11/26/2025", "To ship", None, None, D(2025, 12, 1), caller=caller) == "At risk"
    assert udfs.cancel_risk("11/26/2025", "To ship", None, None, D(2025, 12, 1)) == "On track"
    # us-official's delivery rule (Partner API: delivered within 30 days of the EDD): 26 Nov + 30 days.
    assert udfs.cancel_deadline("11/26/2025", None, "delivery", caller=caller) == D(2025, 12, 26)


def test_an_edited_settings_cell_is_never_answered_from_the_cache(tmp_path, export_file):
    shop = one_order_shop(tmp_path, export_file, dt.date(2025, 12, 2))
    fake = FakeBook(shop)
    assert udfs.cancel_deadline("11/26/2025", caller=fake.caller()) == D(2025, 12, 9)
    holidays = next(s for s in fake.sheets if s.name == "Holidays").used_range
    for row in holidays.value:  # the seller clears the day off
        for i, v in enumerate(row):
            if v == D(2025, 12, 2):
                row[i] = None
    assert udfs.cancel_deadline("11/26/2025", caller=fake.caller()) == D(2025, 12, 8)


def test_two_open_workbooks_with_other_days_off_never_see_each_others_calendar(tmp_path, export_file):
    # Two workbooks in one Excel: the second is the first with its day off (Tue 2 Dec) cleared.
    shop = one_order_shop(tmp_path, export_file, dt.date(2025, 12, 2))
    closed, open_ = FakeBook(shop), FakeBook(shop)
    for row in next(s for s in open_.sheets if s.name == "Holidays").used_range.value:
        row[:] = [None if v == D(2025, 12, 2) else v for v in row]
    for _ in range(2):  # recalculated in turn, each answer stays its own workbook's
        assert udfs.cancel_deadline("11/26/2025", caller=closed.caller()) == D(2025, 12, 9)
        assert udfs.cancel_deadline("11/26/2025", caller=open_.caller()) == D(2025, 12, 8)
        assert udfs.workdays_left(D(2025, 12, 9), D(2025, 12, 1), caller=closed.caller()) == 5
        assert udfs.workdays_left(D(2025, 12, 9), D(2025, 12, 1), caller=open_.caller()) == 6


def test_without_today_a_cell_counts_from_the_pipelines_clock(monkeypatch):
    # Frozen at Wed 26 Nov 2025: Fri 28 Nov and Mon 1 Dec are the working days to Mon 1 Dec (Thanksgiving off).
    monkeypatch.setattr(pipeline, "market_today", lambda _market: dt.date(2025, 11, 26))
    assert udfs.workdays_left(D(2025, 12, 1)) == 2
    assert udfs.cancel_risk("11/17/2025", "To ship") == "Due today"  # 7 working days after Mon 17 Nov
    assert udfs.market_holidays("US")[0][0] == D(2025, 1, 1)  # this year's list: 2025


def test_a_bad_settings_cell_shows_in_the_function_cell(tmp_path, export_file):
    shop = one_order_shop(tmp_path, export_file, None)
    fake = FakeBook(shop)
    settings = next(s for s in fake.sheets if s.name == "Settings").used_range
    row = next(i for i, r in enumerate(settings.value) if r[0] == "Market")
    settings.value[row][1] = "XX"
    out = udfs.cancel_deadline("11/26/2025", caller=fake.caller())
    assert out.startswith(udfs.ERROR_PREFIX) and f"Settings!B{settings.row + row}" in out and "XX" in out


def test_a_workbook_without_settings_uses_the_defaults():
    book = SimpleNamespace(sheets=[SimpleNamespace(name="Sheet1", used_range=None)])
    caller = SimpleNamespace(sheet=SimpleNamespace(book=book))
    assert udfs.cancel_deadline("11/26/2025", caller=caller) == D(2025, 12, 8)
