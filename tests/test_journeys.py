"""The daily journeys, through every engine: the headless command (``addin.cli.main``) on a
workbook file, and the buttons (``addin.excel``) on the fake xlwings Book of test_excel.

Every journey ends with the seller's own notes (and dates) beside the Order ID they were typed for.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
from sample_files import SMALL_US, SMALL_US_EDD
from test_excel import FakeBook, FakeSheet, excel_typed

from addin import excel
from addin.cli import main
from addin.core.assess import RISKS
from addin.io.export import read_export
from addin.workbook import ORDERS
from addin.workbook.layout import PASTE

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
US = SMALL_US
US_EDD = SMALL_US_EDD
TH = EXAMPLES / "sample_th_export.xlsx"
TODAY = "2025-12-01"


# -- helpers ------------------------------------------------------------------------------------
def us_rows() -> list[list[str]]:
    with US.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def new_workbook(tmp_path: Path, source: Path = US, *extra: str) -> Path:
    out = tmp_path / "shop.xlsx"
    assert main(["refresh", str(source), "-o", str(out), "--today", TODAY, *extra]) == 0
    return out


def add_notes(path: Path, header: str = "My note", value=None) -> dict[str, object]:
    """The seller's column right of ours: per row, a note naming its Order ID and SKU ID."""
    book = openpyxl.load_workbook(path)
    ws = book[ORDERS]
    h = [c.value for c in ws[1]]
    c = len(h) + 1
    ws.cell(1, c).value = header
    notes = {}
    for r in range(2, ws.max_row + 1):
        key = (ws.cell(r, h.index("Order ID") + 1).value, ws.cell(r, h.index("SKU ID") + 1).value)
        ws.cell(r, c).value = value(key) if value else f"note {key[0]}/{key[1]}"
        notes.setdefault(key, ws.cell(r, c).value)
    book.save(path)
    return notes


def sheet_notes(header: list, rows: list[list], note: str = "My note") -> dict:
    oid, sku, c = header.index("Order ID"), header.index("SKU ID"), header.index(note)
    out: dict = {}
    for r in rows:
        out.setdefault((r[oid], r[sku]), r[c] if c < len(r) else None)
    return out


def file_grid(path: Path) -> tuple[list, list[list]]:
    ws = openpyxl.load_workbook(path)[ORDERS]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    return rows[0], rows[1:]


def fake_book(path: Path) -> FakeBook:
    """The fake xlwings Book holding a workbook file's cells (formulas as formulas)."""
    log: list = []
    sheets = []
    for ws in openpyxl.load_workbook(path).worksheets:
        sheet = FakeSheet(ws.title, log, tables=list(ws.tables))
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    sheet.formulas[(c.row, c.column)] = c.value
                elif c.value is not None:
                    sheet.cells[(c.row, c.column)] = c.value
        sheets.append(sheet)
    sheets.append(FakeSheet(PASTE, log))
    book = FakeBook(sheets, log)
    log.clear()
    return book


def fake_grid(sheet: FakeSheet) -> tuple[list, list[list]]:
    keys = [*sheet.cells, *sheet.formulas]
    height, width = max(r for r, _ in keys), max(c for _, c in keys)
    grid = [
        [sheet.formulas.get((r, c), sheet.cells.get((r, c))) for c in range(1, width + 1)] for r in range(1, height + 1)
    ]
    return grid[0], grid[1:]


def paste_values(sheet: FakeSheet, rows: list[list], at: tuple[int, int] = (1, 1)) -> None:
    """What Excel's paste of values does: the cells covered change, the others stay."""
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            key = (at[0] + i, at[1] + j)
            sheet.formulas.pop(key, None)
            if v in ("", None):
                sheet.cells.pop(key, None)
            else:
                sheet.cells[key] = excel_typed("'" + v) if isinstance(v, str) else v


def set_today(book: FakeBook) -> None:
    settings = book.sheets["Settings"]
    row = next(r for (r, c), v in settings.cells.items() if c == 1 and v == "Today")
    settings.cells[(row, 2)] = dt.datetime(2025, 12, 1)


def read_export_rows(rows: list[list[str]]) -> set[str]:
    """The distinct orders of an export's rows, counted by hand."""
    return {r[0].strip() for r in rows[1:] if r[0].strip()}


def summary_count(book: FakeBook) -> int:
    """How many orders the refresh counted: the distinct Order IDs of the Orders sheet."""
    header, grid = fake_grid(book.sheets[ORDERS])
    return len({r[header.index("Order ID")] for r in grid if r[header.index("Order ID")]})


# -- re-paste in another order ------------------------------------------------------------------
def test_headless_load_of_the_export_in_another_order(tmp_path):
    out = new_workbook(tmp_path)
    notes = add_notes(out)
    rows = us_rows()
    again = write_csv(tmp_path / "today.csv", [rows[0], *reversed(rows[1:])])
    assert main(["load", str(out), str(again), "--today", TODAY]) == 0
    header, grid = file_grid(out)
    assert sheet_notes(header, grid) == notes
    assert grid[0][header.index("Order ID")] == rows[-1][0].strip()


def test_button_paste_export_in_another_order(tmp_path):
    out = new_workbook(tmp_path)
    notes = add_notes(out)
    book = fake_book(out)
    set_today(book)
    rows = us_rows()
    paste_values(book.sheets[PASTE], [rows[0], *reversed(rows[1:])])
    assert excel.load_pasted(book) == [] and not book.app.alerts
    header, grid = fake_grid(book.sheets[ORDERS])
    assert sheet_notes(header, grid) == notes
    assert not book.sheets[PASTE].cells  # the staging sheet is cleared


def test_button_refresh_after_ctrl_v_in_another_order(tmp_path):
    """The issue's journey: 396 of 400 notes moved to another order before the button read the Row key."""
    out = new_workbook(tmp_path)
    notes = add_notes(out)
    book = fake_book(out)
    set_today(book)
    orders = book.sheets[ORDERS]
    rows = us_rows()
    head = rows[0]
    reordered = [head, *reversed(rows[1:])]
    header, _ = fake_grid(orders)
    # Ctrl+V of the same export, other order, at A1: what TikTok columns are, as on the sheet
    by_header = {h: i for i, h in enumerate(head)}
    table = [[row[by_header[h]] if h in by_header else None for h in header if h in by_header] for row in reordered]
    cols = [i for i, h in enumerate(header) if h in by_header]
    for r, row in enumerate(table):
        for c, v in zip(cols, row, strict=True):
            orders.cells.pop((r + 1, c + 1), None)
            if v:
                orders.cells[(r + 1, c + 1)] = excel_typed("'" + v)
    excel.refresh(book)
    header, grid = fake_grid(orders)
    assert sheet_notes(header, grid) == notes


# -- a smaller export over a bigger one -----------------------------------------------------------
def test_headless_load_of_a_smaller_export(tmp_path):
    out = new_workbook(tmp_path)
    add_notes(out)
    rows = us_rows()
    small = write_csv(tmp_path / "small.csv", [rows[0], *rows[1:13]])
    assert main(["load", str(out), str(small), "--today", TODAY]) == 0
    header, grid = file_grid(out)
    assert len(grid) == 12  # the old rows are gone
    expected = read_export(small)
    assert [r[header.index("Order ID")] for r in grid] == expected.column("order_id")
    assert all(
        r[header.index("My note")] == f"note {r[header.index('Order ID')]}/{r[header.index('SKU ID')]}" for r in grid
    )


def test_button_ctrl_v_of_a_smaller_export_says_what_is_left(tmp_path):
    out = new_workbook(tmp_path)
    add_notes(out)
    book = fake_book(out)
    set_today(book)
    rows = us_rows()
    small = [rows[0], *rows[29:41]]  # 12 other rows pasted over the first 12 rows at A1
    paste_values(book.sheets[ORDERS], small)
    warnings = excel.refresh(book)
    assert any(re.search(r"rows 14-41 \(28 rows\) were left from the previous export", w) for w in warnings)
    assert any("Paste export" in w for w in warnings)
    ((message, _, _, mode),) = book.app.alerts
    assert mode == "info" and "rows 14-41" in message
    _, grid = fake_grid(book.sheets[ORDERS])
    assert len(grid) == 12  # the old rows are not counted as today's
    assert summary_count(book) == len(read_export_rows(small))
    # the fix it names: Paste export replaces every row
    paste_values(book.sheets[PASTE], small)
    book.app.alerts.clear()
    excel.load_pasted(book)
    _, grid = fake_grid(book.sheets[ORDERS])
    assert len(grid) == 12 and not any("same orders" in a[0] for a in book.app.alerts)


def test_headless_refresh_after_ctrl_v_of_a_smaller_export_prints_one_line(tmp_path, capsys):
    out = new_workbook(tmp_path)
    rows = us_rows()
    small = [rows[0], *rows[29:41]]
    book = openpyxl.load_workbook(out)
    ws = book[ORDERS]
    for r, row in enumerate(small, start=1):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c).value = v or None
    book.save(out)
    capsys.readouterr()
    assert main(["refresh", str(out), "--today", TODAY]) == 0
    printed = capsys.readouterr()
    assert "12 rows" in printed.out
    lines = [line for line in printed.err.splitlines() if "rows 14-41" in line]
    assert len(lines) == 1 and "Paste export or Load export" in lines[0]
    assert len(file_grid(out)[1]) == 12


def test_button_load_export_of_a_file(tmp_path):
    out = new_workbook(tmp_path)
    notes = add_notes(out)
    rows = us_rows()
    today = write_csv(tmp_path / "today.csv", [rows[0], *reversed(rows[1:21])])
    book = fake_book(out)
    set_today(book)
    (dropped,) = excel.load_export(str(today), book)
    assert dropped.startswith("20 row(s) of your own columns belonged to orders no longer in the export")
    assert [a[3] for a in book.app.alerts] == ["info"]
    book.app.alerts.clear()
    header, grid = fake_grid(book.sheets[ORDERS])
    assert len(grid) == 20
    kept = sheet_notes(header, grid)
    assert all(kept[k] == notes[k] for k in kept)
    # a file that is not an export: one message, nothing written
    book.log.clear()
    excel.load_export(str(tmp_path / "missing.csv"), book)
    ((message, _, _, mode),) = book.app.alerts
    assert mode == "critical" and "missing.csv: no such file" in message and "Nothing in the workbook" in message
    assert not [e for e in book.log if e[0] == "write"]


# -- an export with more columns (Thai) -------------------------------------------------------------
def th_rows() -> list[list]:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(TH))
    return [list(r) for r in sheet.get_sheet_by_index(0).iter_rows()]


def test_headless_thai_export_with_more_columns_and_a_description_row(tmp_path):
    out = new_workbook(tmp_path, TH, "--market", "TH")
    notes = add_notes(out)
    book = openpyxl.load_workbook(out)
    header = [c.value for c in book[ORDERS][1]]
    rows = th_rows()
    assert len(rows[0]) > 58 and rows[0][0] == "Order ID"
    again = tmp_path / "th_again.csv"
    write_csv(again, [rows[0], rows[1], *reversed(rows[2:])])  # header, description row, orders reversed
    assert main(["load", str(out), str(again), "--market", "TH", "--today", TODAY]) == 0
    header, grid = file_grid(out)
    assert sheet_notes(header, grid) == notes
    assert "Request Tax Invoice" in header and header.index("Request Tax Invoice") < header.index("Ship-by deadline")
    tax = header.index("Request Tax Invoice")
    assert {r[tax] for r in grid} <= {"Yes", "No", None}  # never a deadline
    ws = openpyxl.load_workbook(out)[ORDERS]
    assert ws.tables["Orders"].ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{len(grid) + 1}"


def test_button_thai_paste_over_a_us_workbook_keeps_table_and_notes(tmp_path):
    out = new_workbook(tmp_path, TH, "--market", "TH")
    notes = add_notes(out)
    book = fake_book(out)
    set_today(book)
    rows = th_rows()
    paste_values(book.sheets[PASTE], [[str(v) if v not in (None, "") else "" for v in r] for r in rows])
    excel.load_pasted(book)
    assert not [a for a in book.app.alerts if a[3] == "critical"]
    header, grid = fake_grid(book.sheets[ORDERS])
    assert sheet_notes(header, grid) == notes
    resize = [e for e in book.log if e[0] == "table_resize" and e[1] == "Orders"]
    assert resize[-1] == ("table_resize", "Orders", (1, 1, len(grid) + 1, len(header)))


# -- the seller's EDD right of ours -----------------------------------------------------------------
def test_edd_right_of_ours_is_read_by_refresh_check_and_the_button(tmp_path, capsys):
    with US_EDD.open(encoding="utf-8-sig") as f:
        edd = {row["Order ID"].strip(): row["Estimated Delivery Date"].strip() for row in csv.DictReader(f)}
    src = tmp_path / "no_edd.csv"
    with US_EDD.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    i = rows[0].index("Estimated Delivery Date")
    write_csv(src, [r[:i] + r[i + 1 :] for r in rows])
    out = new_workbook(tmp_path, src)
    add_notes(out, "Estimated Delivery Date", lambda key: edd.get(str(key[0])) or None)
    assert main(["refresh", str(out), "--today", TODAY, "--edd-column", "Estimated Delivery Date"]) == 0
    header, grid = file_grid(out)
    delivery = [r[header.index("Delivery deadline")] for r in grid]
    assert any(isinstance(d, dt.datetime) for d in delivery)
    capsys.readouterr()
    assert main(["check", str(out), "--today", TODAY, "--json"]) == 0
    import json

    checked = json.loads(capsys.readouterr().out)["orders"]
    oid = header.index("Order ID")
    for r, d in zip(grid, delivery, strict=True):
        assert checked[r[oid]]["delivery"] == (d.date().isoformat() if d else None)
    # the button agrees
    book = fake_book(out)
    set_today(book)
    excel.refresh(book)
    h2, g2 = fake_grid(book.sheets[ORDERS])
    assert [r[h2.index("Delivery deadline")] for r in g2] == delivery


# -- a --formulas workbook clicked ------------------------------------------------------------------
def test_formulas_workbook_keeps_its_formulas_when_the_button_is_clicked(tmp_path):
    out = new_workbook(tmp_path, US, "--formulas")
    notes = add_notes(out)
    book = fake_book(out)
    set_today(book)
    orders = book.sheets[ORDERS]
    header, grid = fake_grid(orders)
    ship = header.index("Ship-by deadline") + 1

    def formula_rows() -> set[int]:  # rows whose plain rule is the order's answer get a live formula
        return {r for r in range(2, len(grid) + 2) if str(orders.formulas.get((r, ship), "")).startswith("=IF(")}

    before = formula_rows()
    assert 2 in before and len(before) > len(grid) // 2
    excel.refresh(book)
    assert not book.app.alerts
    header, grid = fake_grid(orders)
    assert header.index("Ship-by deadline") + 1 == ship
    assert formula_rows() == before
    created = openpyxl.utils.get_column_letter(header.index("Created Time") + 1)
    assert f"{created}2" in orders.formulas[(2, ship)]  # pointing at the order's own Created Time
    assert sheet_notes(header, grid) == notes


# -- the sheet view ---------------------------------------------------------------------------------
def test_repeated_refreshes_keep_one_pane_and_few_selections(tmp_path):
    out = new_workbook(tmp_path)
    for _ in range(3):
        assert main(["refresh", str(out), "--today", TODAY]) == 0
    with zipfile.ZipFile(out) as z:
        names = openpyxl.load_workbook(out).sheetnames
        xml = z.read(f"xl/worksheets/sheet{names.index(ORDERS) + 1}.xml").decode()
    assert xml.count("<pane ") == 1
    assert xml.count("<selection") <= 4


# -- a sort by urgency ------------------------------------------------------------------------------
URGENCY = list(RISKS)  # the order a seller should look at them in


def test_sort_by_urgency_headless_and_button(tmp_path):
    out = new_workbook(tmp_path)
    notes = add_notes(out)
    assert main(["refresh", str(out), "--today", TODAY, "--by-urgency"]) == 0
    header, grid = file_grid(out)
    risks = [r[header.index("Risk")] for r in grid]
    assert risks == sorted(risks, key=URGENCY.index) and risks[0] == "Overdue"
    assert sheet_notes(header, grid) == notes
    book = fake_book(out)
    set_today(book)
    excel.sort_by_urgency(book)
    header, grid = fake_grid(book.sheets[ORDERS])
    assert [r[header.index("Risk")] for r in grid] == risks
    assert sheet_notes(header, grid) == notes


def test_a_sellers_date_column_keeps_showing_dates_on_the_button(tmp_path):
    out = new_workbook(tmp_path)
    add_notes(out, "Promised by", lambda _key: dt.datetime(2025, 12, 5))
    book = fake_book(out)
    set_today(book)
    rows = us_rows()
    paste_values(book.sheets[PASTE], [rows[0] + ["Extra TikTok column"], *[[*r, "x"] for r in rows[1:]]])
    excel.load_pasted(book)
    header, grid = fake_grid(book.sheets[ORDERS])
    c = header.index("Promised by") + 1
    assert {r[c - 1] for r in grid} == {dt.datetime(2025, 12, 5)}
    formats = [e for e in book.log if e[0] == "number_format" and e[1] == ORDERS and e[2].startswith(f"R2C{c}:")]
    assert formats and formats[-1][3] == "yyyy-mm-dd"


def test_button_refuses_a_thai_paste_without_its_header_over_our_columns(tmp_path):
    """The issue's data-only paste: 362 tax-invoice values were replaced by deadlines. Now nothing is written."""
    out = new_workbook(tmp_path)
    book = fake_book(out)
    set_today(book)
    rows = th_rows()
    paste_values(book.sheets[ORDERS], [[str(v) if v not in (None, "") else "" for v in r] for r in rows[2:]], at=(2, 1))
    before = dict(book.sheets[ORDERS].cells)
    excel.refresh(book)
    ((message, _, _, mode),) = book.app.alerts
    assert mode == "critical" and "without its header row" in message and "Nothing in the workbook" in message
    assert book.sheets[ORDERS].cells == before and not [e for e in book.log if e[0] == "write"]
