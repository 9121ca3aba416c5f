"""The Refresh button's adapter (addin.excel) driven by a fake xlwings Book that records every call.

The fake holds cell values per sheet and answers the few xlwings calls the adapter makes; every
read and write is logged, so the tests can assert bulk I/O (one read of Orders, one assignment
per block, never a write per cell), the status bar, the restore of screen updating and
calculation, and the single message box on failure.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest
from test_end_to_end import oracle

from addin import excel
from addin.workbook.grid import MAX_COL, MAX_ROW
from addin.workbook.orders_block import OURS
from addin.workbook.values import cell_value
from tools.template import build_sheets

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sample_us_export.csv"


# -- the fake ---------------------------------------------------------------------------------------


def _ref(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref.strip().upper())
    col = 0
    for ch in m[1]:
        col = col * 26 + ord(ch) - 64
    return int(m[2]), col


def excel_typed(v):
    """What Excel keeps of a value given to Range.value: text after an apostrophe as it is; other
    text that looks like a number becomes one (an 18-digit ID loses its last digits)."""
    if isinstance(v, str):
        if v.startswith("'"):
            return v[1:]
        try:
            return float(v)
        except ValueError:
            return v
    return v


class FakeFont:
    def __init__(self, rng):
        object.__setattr__(self, "_rng", rng)

    def __setattr__(self, name, value):
        self._rng.sheet.log.append(("font", self._rng.sheet.name, self._rng.address, name, value))


class FakeRange:
    def __init__(self, sheet, r1, c1, r2=None, c2=None, *, areas=None):
        self.sheet, self.row, self.column = sheet, r1, c1
        self.last_row, self.last_column = r2 or r1, c2 or c1
        self.areas = areas
        self.ndim = None

    @property
    def address(self):
        return f"R{self.row}C{self.column}:R{self.last_row}C{self.last_column}"

    @property
    def shape(self):
        return self.last_row - self.row + 1, self.last_column - self.column + 1

    @property
    def current_region(self):
        """Excel's CurrentRegion: grown while a neighbouring row or column (diagonals too) holds a cell."""
        taken = {*self.sheet.cells, *self.sheet.formulas}
        r1, c1, r2, c2 = self.row, self.column, self.last_row, self.last_column

        def near_row(r):
            return any((r, c) in taken for c in range(max(1, c1 - 1), c2 + 2))

        def near_col(c):
            return any((r, c) in taken for r in range(max(1, r1 - 1), r2 + 2))

        grown = True
        while grown:
            grown = False
            while near_row(r2 + 1):
                r2, grown = r2 + 1, True
            while r1 > 1 and near_row(r1 - 1):
                r1, grown = r1 - 1, True
            while near_col(c2 + 1):
                c2, grown = c2 + 1, True
            while c1 > 1 and near_col(c1 - 1):
                c1, grown = c1 - 1, True
        return FakeRange(self.sheet, r1, c1, r2, c2)

    @property
    def columns(self):
        return FakeColumns(self)

    def options(self, ndim=None, **_):
        self.ndim = ndim
        return self

    @property
    def value(self):
        self.sheet.log.append(("read", self.sheet.name, self.address, self.ndim))
        rows = [
            [self.sheet.cells.get((r, c)) for c in range(self.column, self.last_column + 1)]
            for r in range(self.row, self.last_row + 1)
        ]
        if self.ndim == 2:
            return rows
        return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else rows

    @value.setter
    def value(self, data):
        if self.sheet.fail_on_write:
            raise OSError("the sheet is protected")
        rows = data if isinstance(data, list) and data and isinstance(data[0], list) else [[data]]
        self.sheet.log.append(("write", self.sheet.name, (self.row, self.column), (len(rows), len(rows[0]))))
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                key = (self.row + i, self.column + j)
                self.sheet.formulas.pop(key, None)
                if isinstance(v, str) and v.startswith("="):  # Excel makes it a formula
                    self.sheet.formulas[key] = v
                    self.sheet.cells.pop(key, None)
                elif v is None:
                    self.sheet.cells.pop(key, None)
                else:
                    self.sheet.cells[key] = excel_typed(v)

    @property
    def formula(self):
        self.sheet.log.append(("read_formula", self.sheet.name, self.address))
        key = (self.row, self.column)
        return self.sheet.formulas.get(key, self.sheet.cells.get(key, ""))

    def _clear(self, what):
        self.sheet.log.append((what, self.sheet.name, self.address))
        for store in (self.sheet.cells, self.sheet.formulas):
            for key in [
                k for k in store if self.row <= k[0] <= self.last_row and self.column <= k[1] <= self.last_column
            ]:
                del store[key]

    def clear_contents(self):
        self._clear("clear_contents")

    def clear(self):
        self._clear("clear")

    def __setattr__(self, name, value):
        if name in ("number_format", "color", "column_width", "row_height"):
            self.sheet.log.append((name, self.sheet.name, self.areas or self.address, value))
            return
        object.__setattr__(self, name, value)

    @property
    def font(self):
        return FakeFont(self)


class FakeColumns:
    def __init__(self, rng):
        self.rng = rng

    def autofit(self):
        self.rng.sheet.log.append(("autofit", self.rng.sheet.name, self.rng.address))


class FakeTable:
    def __init__(self, name, sheet, ref):
        self.name, self.sheet, self.ref = name, sheet, ref

    def resize(self, rng):
        self.sheet.log.append(("table_resize", self.name, (rng.row, rng.column, rng.last_row, rng.last_column)))


class FakeSheet:
    def __init__(self, name, log, cells=None, tables=()):
        self.name, self.log = name, log
        self.cells: dict[tuple[int, int], object] = dict(cells or {})
        self.formulas: dict[tuple[int, int], str] = {}
        self.tables = [FakeTable(t, self, None) for t in tables]
        self.fail_on_write = False

    @property
    def used_range(self):
        if not self.cells and not self.formulas:
            return FakeRange(self, 1, 1)
        rows = [r for r, _ in [*self.cells, *self.formulas]]
        cols = [c for _, c in [*self.cells, *self.formulas]]
        return FakeRange(self, min(rows), min(cols), max(rows), max(cols))

    def range(self, a, b=None):
        if isinstance(a, tuple):
            r2, c2 = b if b is not None else a
            return FakeRange(self, a[0], a[1], r2, c2)
        if "," in a:  # multi-area, only for formats
            return FakeRange(self, 1, 1, areas=a)
        if ":" in a:
            (r1, c1), (r2, c2) = (_ref(p) for p in a.split(":"))
            return FakeRange(self, r1, c1, r2, c2)
        r, c = _ref(a)
        return FakeRange(self, r, c)


class FakeSheets:
    def __init__(self, sheets):
        self._sheets = {s.name: s for s in sheets}

    def __getitem__(self, name):
        return self._sheets[name]

    def __iter__(self):
        return iter(self._sheets.values())


class FakeNames:
    def __init__(self, log):
        self.log = log

    def add(self, name, refers_to):
        self.log.append(("name", name, refers_to))


class FakeApp:
    def __init__(self, log):
        object.__setattr__(self, "log", log)
        object.__setattr__(self, "alerts", [])
        object.__setattr__(self, "screen_updating", True)
        object.__setattr__(self, "calculation", "automatic")
        object.__setattr__(self, "status_bar", False)

    def __setattr__(self, name, value):
        self.log.append(("app", name, value))
        object.__setattr__(self, name, value)

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        assert callback is None  # the button waits for the box: never a callback
        self.alerts.append((prompt, title, buttons, mode))


class FakeBook:
    name = "workbook_template.xlsm"

    def __init__(self, sheets, log):
        self.log = log
        self.app = FakeApp(log)
        self.sheets = FakeSheets(sheets)
        self.names = FakeNames(log)


def fake_template_book(orders_rows: list[list] | None = None) -> FakeBook:
    """A fake Book holding the values of the real template's sheets (as built from source)."""
    log: list = []
    book = build_sheets()
    sheets = []
    for ws in book.worksheets:
        cells = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}
        sheets.append(FakeSheet(ws.title, log, cells, tables=list(ws.tables)))
    if orders_rows is not None:
        orders = next(s for s in sheets if s.name == "Orders")
        for r, row in enumerate(orders_rows, start=1):
            for c, v in enumerate(row, start=1):
                if v != "":
                    orders.cells[(r, c)] = v
    fake = FakeBook(sheets, log)
    log.clear()
    return fake


def sample_rows() -> list[list[str]]:
    with SAMPLE.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def writes(log, sheet=None):
    return [e for e in log if e[0] == "write" and (sheet is None or e[1] == sheet)]


# -- tests ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def refreshed():
    """One click of Refresh on the template holding the sample, counting from the sample's day with
    the seed guide's rules (Settings: Today 1 Dec 2025, Policy standard: the rules test_end_to_end's
    oracle applies); the tests only read what it did."""
    book = fake_template_book(sample_rows())
    settings = book.sheets["Settings"]
    for label, value in (("Today", dt.datetime(2025, 12, 1)), ("Policy", "standard")):
        row = next(r for (r, c), v in settings.cells.items() if c == 1 and v == label)
        settings.cells[(row, 2)] = value
    excel.refresh(book)
    return book


def header_of(sheet) -> list:
    width = max(c for r, c in sheet.cells if r == 1)
    return [sheet.cells.get((1, c)) for c in range(1, width + 1)]


def column(sheet, header: str, n: int) -> list:
    c = header_of(sheet).index(header) + 1
    return [sheet.cells.get((2 + i, c)) for i in range(n)]


def test_orders_read_in_two_bulk_reads_and_written_in_runs_of_columns(refreshed):
    log = refreshed.log
    n_rows = len(sample_rows()) - 1
    width = len(header_of(refreshed.sheets["Orders"]))
    reads = [e for e in log if e[0] == "read" and e[1] == "Orders"]
    # row 1, then every order row at the header's width: options(ndim=2) both
    assert reads == [("read", "Orders", f"R1C1:R1C{width}", 2), ("read", "Orders", f"R2C1:R{n_rows + 1}C{width}", 2)]
    assert len([e for e in log if e[0] == "read_formula"]) == 1  # is it a --formulas workbook?
    # the export pasted at A1 moved into the block's layout (one rectangle over every order row), our
    # columns filled in runs of changed cells: a handful of rectangles, never a write per cell
    orders_writes = writes(log, "Orders")
    assert orders_writes[0][3][0] == n_rows + 1
    assert len(orders_writes) <= len(OURS)
    assert len(writes(log, "Summary")) == 1 and len(writes(log, "Holidays")) == 1
    assert not refreshed.app.alerts


def test_written_values_are_the_rules_counted_by_hand(refreshed):
    """Every row's Risk, Next auto-cancel and Days left as the row-by-row oracle of test_end_to_end
    reads the same CSV (csv module, python-holidays, the rules as written), not as the pipeline does."""
    _, _, expected = oracle(SAMPLE, edd=False)
    orders = refreshed.sheets["Orders"]
    n = len(sample_rows()) - 1
    ids = column(orders, "Order ID", n)
    for header, key in (("Risk", "risk"), ("Next auto-cancel", "next_deadline"), ("Days left", "days_left")):
        got = [v.date().isoformat() if isinstance(v, dt.datetime) else v for v in column(orders, header, n)]
        want = [expected[oid][key] for oid in ids]
        assert got == want, header
    risks = set(column(orders, "Risk", n))
    assert "Overdue" in risks and "Done" in risks
    # the seller reads an order by its ID and product first, then its risk and deadline
    assert header_of(orders)[:5] == ["Order ID", "Product Name", "Risk", "Next auto-cancel", "Days left"]
    # IDs stay text through Excel (written behind an apostrophe), all 18 digits
    assert column(orders, "Order ID", 1) == ["576400607528420446"]
    assert column(orders, "Buyer Message", 1) == ['=HYPERLINK("http://example.com/track","Track my order")']
    assert not orders.formulas


def test_dates_are_real_dates_with_a_date_format(refreshed):
    orders = refreshed.sheets["Orders"]
    assert column(orders, "Next auto-cancel", 1) == [dt.datetime(2025, 12, 10)]
    assert column(orders, "Created Time", 1) == [dt.datetime(2025, 12, 1, 15, 58, 7)]
    assert column(orders, "Order Amount", 1) == [19.85]
    by_col = {}
    for e in refreshed.log:
        if e[0] == "number_format" and e[1] == "Orders":
            first, last = (int(m) for m in re.findall(r"C(\d+)", e[2]))
            by_col.update(dict.fromkeys(range(first, last + 1), e[3]))
    h = header_of(orders)
    col = {name: h.index(name) + 1 for name in ("Next auto-cancel", "Created Time", "Order Amount", "Days left")}
    assert by_col[col["Next auto-cancel"]] == "ddd d mmm yyyy"
    assert by_col[col["Created Time"]] == "mm/dd/yyyy h:mm:ss AM/PM"  # as the export wrote it
    assert by_col[col["Order Amount"]] == "0.00"  # 26.60, not 26.6
    assert by_col[col["Days left"]] == "#,##0"


def test_summary_and_holidays_written(refreshed):
    summary = refreshed.sheets["Summary"]
    texts = [v for v in summary.cells.values() if isinstance(v, str)]
    assert any("Last refreshed" in t for t in texts)
    holidays = refreshed.sheets["Holidays"]
    assert any(v == "Thanksgiving Day" or (isinstance(v, str) and "Thanksgiving" in v) for v in holidays.cells.values())
    assert ("name", "NonWorkingDays") in [(e[0], e[1]) for e in refreshed.log if e[0] == "name"]
    # Summary is ours: old formats cleared, then its styles and widths, one call per style/column
    assert ("clear", "Summary") in [e[:2] for e in refreshed.log]
    assert any(e[0] == "color" and e[1] == "Summary" for e in refreshed.log)
    assert any(e[0] == "column_width" and e[1] == "Summary" for e in refreshed.log)
    styled = [e for e in refreshed.log if e[0] in ("color", "number_format", "font") and e[1] == "Summary"]
    assert len(styled) < len(summary.cells)  # grouped, not one call per cell


def test_status_bar_progress_and_restore(refreshed):
    app_calls = [e for e in refreshed.log if e[0] == "app"]
    assert app_calls[0][1:] == ("screen_updating", False)
    assert ("calculation", "manual") in [e[1:] for e in app_calls]
    bars = [e[2] for e in app_calls if e[1] == "status_bar" and e[2]]
    assert any("reading Orders" in b for b in bars) and any("writing Orders" in b for b in bars)
    assert bars[-1].startswith("Auto-cancel guard: done")
    app = refreshed.app
    assert (app.screen_updating, app.calculation, app.status_bar) == (True, "automatic", False)


def test_bad_setting_one_alert_nothing_written():
    book = fake_template_book(sample_rows())
    settings = book.sheets["Settings"]
    row = next(r for (r, c), v in settings.cells.items() if c == 1 and v == "Market")
    settings.cells[(row, 2)] = "XX"
    excel.refresh(book)
    assert len(book.app.alerts) == 1
    message, title, _, mode = book.app.alerts[0]
    assert f"Settings!B{row}" in message and "unknown market" in message
    assert "Nothing in the workbook was changed" in message and "Traceback" not in message
    assert (title, mode) == ("Auto-cancel guard", "critical")
    assert writes(book.log) == []
    assert (book.app.screen_updating, book.app.calculation, book.app.status_bar) == (True, "automatic", False)


def test_empty_orders_sheet_says_paste_the_export():
    book = fake_template_book()
    book.sheets["Orders"].cells = {}
    excel.refresh(book)
    ((message, *_),) = book.app.alerts
    assert "paste the TikTok Shop export" in message
    assert writes(book.log) == []


def test_export_without_order_id_column():
    book = fake_template_book([["Foo", "Bar"], ["1", "2"]])
    book.sheets["Orders"].cells = {(1, 1): "Foo", (1, 2): "Bar", (2, 1): "1"}
    excel.refresh(book)
    ((message, *_),) = book.app.alerts
    assert "'Order ID'" in message and "TikTok Shop order export" in message


def test_failure_while_writing_restores_excel_and_says_partly_updated():
    book = fake_template_book(sample_rows())
    book.sheets["Summary"].fail_on_write = True
    book.app.calculation = "semiautomatic"
    book.log.clear()
    excel.refresh(book)
    ((message, *_),) = book.app.alerts
    assert "partly updated" in message and "OSError" in message
    assert (book.app.screen_updating, book.app.calculation, book.app.status_bar) == (True, "semiautomatic", False)


def test_sheet_without_our_block_gets_it_in_one_write():
    rows = sample_rows()
    book = fake_template_book()
    orders = book.sheets["Orders"]
    orders.cells = {}
    for r, row in enumerate(rows[:6], start=1):
        for c, v in enumerate(row, start=1):
            if v:
                orders.cells[(r, c)] = v
    excel.refresh(book)
    assert not book.app.alerts
    assert [w[3] for w in writes(book.log, "Orders")] == [(6, 58 + len(OURS))]
    assert sorted(h for h in header_of(orders) if h in OURS) == sorted(OURS)
    assert len(header_of(orders)) == 58 + len(OURS)


def test_export_from_values_cleans_like_the_file_reader():
    values = [
        ["Order ID\t", "Order Status", "Created Time", "Ship-by deadline", "Risk"],
        ["576\t", "To ship", "09/15/2025 7:44:26 AM\t", None, None],
        [5.76e17, "Shipped", dt.datetime(2025, 9, 15), None, None],
        [None, None, None, None, None],
    ]
    export = excel.export_from_values(values, "book, sheet Orders")
    assert export.headers == ["Order ID", "Order Status", "Created Time"]
    assert [r[0] for r in export.rows] == ["576", "576000000000000000"]
    assert export.rows[0][2] == "09/15/2025 7:44:26 AM"
    assert export.first_row == 2


def test_values_book_feeds_the_layers_settings_reader():
    book = fake_template_book()
    settings, _ = excel.read_settings_from(book)
    assert settings.market.code == "US" and settings.applied_policy.name == "us-official"  # the market's rules
    # one bulk read per sheet
    reads = [e[1] for e in book.log if e[0] == "read"]
    assert sorted(reads) == ["Holidays", "Settings"]


def test_excel_value_conversions():
    assert excel.excel_value(np.datetime64("2025-12-01")) == dt.datetime(2025, 12, 1)
    assert excel.excel_value(np.datetime64("NaT")) is None
    assert excel.excel_value(float("nan")) is None
    assert excel.excel_value(np.float64(3.0)) == 3.0
    assert excel.excel_value(dt.date(2025, 1, 2)) == dt.datetime(2025, 1, 2)
    assert excel.excel_value("") is None and excel.excel_value("x") == "x"
    # the one converter every writer uses: a day count is whole, a day is a date, NaN/NaT blank
    assert cell_value(np.float64(3.0), whole=True) == 3 and type(cell_value(np.float64(3.0), whole=True)) is int
    assert cell_value(np.datetime64("2025-12-01")) == dt.date(2025, 12, 1)
    assert cell_value(np.float64("nan"), whole=True) is None and cell_value(np.datetime64("NaT")) is None
    assert cell_value(True) is True and type(cell_value(np.int64(4))) is int


def test_refresh_without_book_needs_excel():
    """On Linux there is no Excel to call the button: xw.Book.caller() fails and so does refresh()."""
    import sys

    if sys.platform.startswith(("win", "darwin")):
        pytest.skip("Excel may be present")
    import xlwings

    with pytest.raises((AttributeError, xlwings.XlwingsError)):
        excel.refresh()


def test_multi_area_addresses_stay_under_excels_limit():
    refs = [f"A{i}" for i in range(1, 200)]
    areas = list(excel._areas(refs))
    assert all(len(a) <= 255 for a in areas) and ",".join(areas).split(",") == refs


def test_settings_read_where_the_cells_are_and_only_as_far_as_the_reader_looks():
    book = fake_template_book()
    settings = book.sheets["Settings"]
    market = next(r for (r, c), v in settings.cells.items() if c == 1 and v == "Market")
    settings.cells[(market, 2)] = "TH"
    settings.cells[(90000, 200)] = "a note far away"  # typed by staff: not a setting
    s, values = excel.read_settings_from(book)
    assert s.market.code == "TH"
    assert values["Settings"].get(market, 2) == "TH"
    (read,) = [e for e in book.log if e[0] == "read" and e[1] == "Settings"]
    assert read[2] == f"R1C1:R{MAX_ROW}C{MAX_COL}"  # the Settings reader's own reach


def test_styles_fall_back_to_one_cell_at_a_time_when_multi_area_ranges_fail(monkeypatch):
    """Excel for Mac can refuse "A1,C3"-style addresses; the refresh must still finish."""
    book = fake_template_book(sample_rows())
    original = FakeSheet.range

    def no_multi_area(self, a, b=None):
        if isinstance(a, str) and "," in a:
            raise ValueError("multi-area range not supported")
        return original(self, a, b)

    monkeypatch.setattr(FakeSheet, "range", no_multi_area)
    excel.refresh(book)
    assert not book.app.alerts
    assert any(e[0] == "number_format" and e[1] == "Summary" for e in book.log)


def test_the_button_writes_back_what_it_used_a_changed_rule_reads_custom():
    book = fake_template_book(sample_rows())
    settings = book.sheets["Settings"]
    label = {v: r for (r, c), v in settings.cells.items() if c == 1 and isinstance(v, str)}
    assert settings.cells[(label["Policy"], 2)] == "market default"
    rule_row = label["Rule"] + 1  # the first rule of the table: US ship-by, 7 working days
    assert settings.cells[(rule_row, 3)] == 7
    settings.cells[(rule_row, 3)] = 5  # the seller shortens it
    excel.refresh(book)
    assert not [a for a in book.app.alerts if a[3] == "critical"]
    assert settings.cells[(label["Policy"], 2)] == "custom"  # no longer the preset's name
    assert settings.cells[(rule_row, 3)] == 5
