"""In-place refresh by splice (the Orders rows streamed into the package) against the openpyxl way.

Every case refreshes the same workbook both ways, each in its own folder under the same file
name, and compares what a seller sees: every sheet's cells (values and number formats), Tables,
rules, panes, names (``test_workbook.full_snapshot``), and the warnings.
"""

from __future__ import annotations

import datetime as dt
import gc
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import spreadsheet_engine
from ooxml import validate
from test_workbook import add_note_column, full_snapshot, headers

from addin.cli import main
from addin.core.assess import RISKS
from addin.io import xlsx_cells
from addin.io.export import read_export
from addin.workbook import ORDERS, WorkbookError, inplace, orders_block, packed_rows
from addin.workbook.refresh import refresh_workbook

ROOT = Path(__file__).resolve().parent.parent
US = ROOT / "examples" / "sample_us_export.csv"
TEMPLATE = ROOT / "workbook_template.xlsm"
WHEN = dt.datetime(2025, 12, 1, 9, 30)
TODAY = dt.date(2025, 12, 1)


@pytest.fixture
def spliced(monkeypatch) -> list[Path]:
    """The outputs the splice wrote (so a test knows the fast path was taken, not the fallback)."""
    written: list[Path] = []
    real = inplace.write

    def spy(book, rest, output):
        written.append(Path(output))
        real(book, rest, output)

    monkeypatch.setattr(inplace, "write", spy)
    return written


@pytest.fixture(params=["lists", "packed"])
def held(request, monkeypatch):
    """How the splice holds the sheet's rows: as lists, or packed as a big sheet's are.

    Packed is forced here on the sample, calamine reading a few rows at a time (shared strings
    written into each group) and the rows packed seven to a batch, so that every boundary is
    crossed; the test fails if the rows were not packed.
    """
    if request.param == "lists":
        yield request.param
        return
    monkeypatch.setattr(inplace, "PACKED_FROM_BYTES", 0)
    monkeypatch.setattr(inplace, "GROUP_BYTES", 3000)
    monkeypatch.setattr(xlsx_cells, "_CHUNK", 997)  # the sheet read a kilobyte at a time: groups of a few rows
    monkeypatch.setattr(inplace, "INLINE_FROM_BYTES", 0)  # shared strings written into each group
    monkeypatch.setattr(packed_rows, "BATCH", 7)
    monkeypatch.setattr(orders_block, "IN_ORDER_FROM", 0)  # sorted most urgent first, put in order packed
    kinds: list[type] = []
    real = inplace.Splice.grid

    def grid(self, ws):
        kinds.append(type(self.rows))
        made = real(self, ws)
        kinds.append(type(made.rows))
        return made

    monkeypatch.setattr(inplace.Splice, "grid", grid)
    yield request.param
    assert kinds and set(kinds) == {packed_rows.PackedRows}


def shop_written(tmp_path: Path, *options: str) -> Path:
    """The US sample refreshed into a new workbook by the command, as a seller's shop.xlsx."""
    shop = tmp_path / "shop.xlsx"
    assert main(["refresh", str(US), "-o", str(shop), "--today", TODAY.isoformat(), *options]) == 0
    return shop


def both_ways(tmp_path: Path, source: Path, **kw) -> dict[str, tuple[Path, list[str]]]:
    """``source`` refreshed by each engine: engine -> (output, warnings)."""
    out = {}
    for engine in ("openpyxl", "splice"):
        folder = tmp_path / engine
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / source.name
        shutil.copy(source, path)
        done = refresh_workbook(path, refreshed_at=WHEN, overrides={"today": TODAY}, engine=engine, **kw)
        out[engine] = (path, done.warnings)
    return out


def assert_same(results: dict[str, tuple[Path, list[str]]]) -> None:
    (slow, slow_warnings), (fast, fast_warnings) = results["openpyxl"], results["splice"]
    a, b = full_snapshot(slow), full_snapshot(fast)
    assert a.keys() == b.keys()
    for key in a:
        assert a[key] == b[key], key
    assert slow_warnings == fast_warnings


def orders_values(path: Path) -> list[list]:
    return [list(r) for r in openpyxl.load_workbook(path)[ORDERS].iter_rows(values_only=True)]


def test_the_template_with_the_sample_loaded_then_refreshed(tmp_path, spliced, held):
    loaded = both_ways(tmp_path, TEMPLATE, export_path=US)
    assert_same(loaded)
    again = both_ways(tmp_path / "again", loaded["splice"][0])
    assert_same(again)
    assert len(spliced) == 2  # both splice runs took the fast path
    ws = openpyxl.load_workbook(again["splice"][0])[ORDERS]
    assert ws.max_row - 1 == len(read_export(US).rows)


def paste_smaller_export_reversed(path: Path) -> None:
    """The seller's note column, then a smaller export pasted over the export's columns (rows
    in reverse order, the rows below it cleared), and a note typed below the orders."""
    add_note_column(path)
    book = openpyxl.load_workbook(path)
    ws = book[ORDERS]
    h = headers(ws)
    export = read_export(US)
    cols = [h.index(x) + 1 for x in export.headers]
    rows = export.rows[: len(export.rows) // 2][::-1]
    for r in range(2, ws.max_row + 1):
        for c in cols:
            ws.cell(r, c).value = None
    for r, row in enumerate(rows, start=2):
        for c, v in zip(cols, row, strict=False):
            if v != "":
                ws.cell(r, c).value = v
                ws.cell(r, c).data_type = "s"
    ws.cell(ws.max_row + 3, len(h) + 1).value = "checked by Ana"
    book.save(path)


def test_seller_columns_re_sorted_rows_and_a_smaller_export_pasted_over(tmp_path, spliced, held):
    shop = shop_written(tmp_path)
    paste_smaller_export_reversed(shop)
    results = both_ways(tmp_path, shop)
    assert_same(results)
    assert spliced
    ws = openpyxl.load_workbook(results["splice"][0])[ORDERS]
    h = headers(ws)
    for r in range(2, len(read_export(US).rows) // 2 + 2):  # each note beside the order it names
        oid, sku = ws.cell(r, h.index("Order ID") + 1).value, ws.cell(r, h.index("SKU ID") + 1).value
        note = ws.cell(r, h.index("My note") + 1).value
        assert note is None or note.startswith(f"{oid}/{sku}/")
    assert "checked by Ana" in [c.value for row in ws.iter_rows(min_row=ws.max_row) for c in row]


def test_sorted_most_urgent_first_the_same_both_ways(tmp_path, spliced, held):
    shop = shop_written(tmp_path)
    add_note_column(shop)
    results = both_ways(tmp_path, shop, by_urgency=True)
    assert_same(results)
    assert spliced
    ws = openpyxl.load_workbook(results["splice"][0])[ORDERS]
    h = headers(ws)
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    risks = [r[h.index("Risk")] for r in rows]
    assert risks == sorted(risks, key=RISKS.index) and len(set(risks)) > 2  # most urgent first
    for r in rows:  # each note beside the order it names
        note = r[h.index("My note")]
        assert note is None or note.startswith(f"{r[h.index('Order ID')]}/{r[h.index('SKU ID')]}/")


def test_a_workbook_saved_with_shared_strings_the_same_both_ways(tmp_path, spliced, held, monkeypatch):
    spreadsheet_engine.require_soffice()
    shop = shop_written(tmp_path)
    add_note_column(shop)
    saved = spreadsheet_engine.recalculate(shop, tmp_path / "saved")  # as Excel saves: text in shared strings
    with zipfile.ZipFile(saved) as z:
        assert "xl/sharedStrings.xml" in z.namelist()
    inlined = []
    real = inplace.SharedStrings.inlined
    monkeypatch.setattr(
        inplace.SharedStrings, "inlined", lambda self, group: inlined.append(real(self, group)) or inlined[-1]
    )
    pruned = []
    real_pruned = inplace._pruned
    monkeypatch.setattr(inplace, "_pruned", lambda *a: pruned.append(real_pruned(*a)) or pruned[-1])
    results = both_ways(tmp_path / "refreshed", saved)
    assert_same(results)
    assert spliced
    assert pruned and xlsx_cells.SHARED_STRINGS in pruned[0]  # openpyxl read only the strings the small copy uses
    assert len(pruned[0][xlsx_cells.SHARED_STRINGS]) < len(zipfile.ZipFile(saved).read(xlsx_cells.SHARED_STRINGS)) / 10
    if held == "packed":  # each group without the shared strings part
        assert len(inlined) > 1 and all(x is not None for x in inlined)
    else:  # the shared strings go with each group
        assert not inlined


def test_rows_out_of_order_go_the_openpyxl_way(tmp_path, spliced):
    shop = shop_written(tmp_path)
    with zipfile.ZipFile(shop) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    name = next(
        n for n in parts if n.startswith("xl/worksheets/") and b"<sheetData>" in parts[n] and b'<row r="3"' in parts[n]
    )
    xml = parts[name].decode()
    r2, r3 = xml.index('<row r="2"'), xml.index('<row r="3"')
    r4 = xml.index('<row r="4"')
    parts[name] = (xml[:r2] + xml[r3:r4] + xml[r2:r3] + xml[r4:]).encode()  # rows 3 then 2, as some writers do
    with zipfile.ZipFile(shop, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    results = both_ways(tmp_path, shop)
    assert not spliced  # calamine sorts the rows of a group, not the groups: openpyxl reads them
    assert_same(results)


def test_a_workbook_of_the_1904_date_system_goes_the_openpyxl_way(tmp_path, spliced):
    shop = shop_written(tmp_path)
    book = openpyxl.load_workbook(shop)
    book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    book.save(shop)
    results = both_ways(tmp_path, shop)
    assert not spliced  # the rows are written as serials of the 1900 system
    assert_same(results)
    ws = openpyxl.load_workbook(results["splice"][0])[ORDERS]
    deadlines = [c.value for c in ws[openpyxl.utils.get_column_letter(headers(ws).index("Next auto-cancel") + 1)][1:]]
    assert {d.year for d in deadlines if d is not None} == {2025}  # not four years and a day off


def test_macros_and_buttons_are_the_templates_byte_for_byte(tmp_path, spliced):
    path = both_ways(tmp_path, TEMPLATE, export_path=US)["splice"][0]
    assert spliced
    with zipfile.ZipFile(TEMPLATE) as before, zipfile.ZipFile(path) as after:
        kept = [n for n in before.namelist() if n.startswith("xl/vba") or n.endswith((".vml", ".bin"))]
        assert "xl/vbaProject.bin" in kept and any(n.endswith(".vml") for n in kept)
        for name in kept:
            assert after.read(name) == before.read(name), name


def test_the_result_validates_and_libreoffice_reads_the_same_values(tmp_path, spliced):
    spreadsheet_engine.require_soffice()
    path = both_ways(tmp_path, TEMPLATE, export_path=US)["splice"][0]
    assert spliced
    assert validate(path) == []
    ours = openpyxl.load_workbook(path, data_only=True)[ORDERS]
    theirs = openpyxl.load_workbook(spreadsheet_engine.recalculate(path, tmp_path / "lo"), data_only=True)[ORDERS]
    assert ours.max_row == theirs.max_row == len(read_export(US).rows) + 1
    for a, b in zip(ours.iter_rows(values_only=True), theirs.iter_rows(values_only=True), strict=True):
        for x, y in zip(a, b, strict=True):
            if isinstance(x, float) or isinstance(y, float):
                assert x == pytest.approx(y)
            else:
                assert x == y


def test_refreshing_twice_gives_the_same_orders(tmp_path, spliced, held):
    path = both_ways(tmp_path, TEMPLATE, export_path=US)["splice"][0]
    first = orders_values(path)
    refresh_workbook(path, refreshed_at=WHEN, overrides={"today": TODAY})
    assert orders_values(path) == first
    assert len(spliced) == 2


def test_a_failure_while_streaming_leaves_the_workbook_untouched(tmp_path, monkeypatch):
    path = both_ways(tmp_path, TEMPLATE, export_path=US)["splice"][0]
    before = path.read_bytes()

    def broken(block, styles, first_row=2):
        yield b'<row r="2">'
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(inplace, "block_xml", broken)
    with pytest.raises(WorkbookError, match="No space left"):
        refresh_workbook(path, refreshed_at=WHEN, overrides={"today": TODAY})
    assert gc.isenabled()  # paused while the rows were in memory, back on (Excel's process lives on)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, path.stem + ".bak" + path.suffix])


def test_formulas_of_the_seller_and_deadline_formulas_are_kept(tmp_path, spliced, held):
    shop = shop_written(tmp_path, "--formulas")
    book = openpyxl.load_workbook(shop)
    ws = book[ORDERS]
    c = len(headers(ws)) + 1
    ws.cell(1, c).value = "Twice the quantity"
    ws.cell(2, c).value = f"=2*{openpyxl.utils.get_column_letter(headers(ws).index('Quantity') + 1)}2"
    book.save(shop)
    results = both_ways(tmp_path, shop)
    assert_same(results)
    assert spliced
    ws = openpyxl.load_workbook(results["splice"][0])[ORDERS]
    h = headers(ws)
    assert str(ws.cell(2, h.index("Ship-by deadline") + 1).value).startswith("=IF(")
    assert str(ws.cell(2, h.index("Twice the quantity") + 1).value).startswith("=2*")


def test_a_note_at_the_last_row_goes_the_openpyxl_way(tmp_path, spliced):
    shop = shop_written(tmp_path)
    book = openpyxl.load_workbook(shop)
    book[ORDERS]["A1048576"] = "far note"
    book.save(shop)
    results = both_ways(tmp_path, shop)
    assert not spliced  # calamine would build the whole 1,048,576-row rectangle: not read that way
    slow, fast = (openpyxl.load_workbook(results[e][0], read_only=True)[ORDERS] for e in ("openpyxl", "splice"))
    rows = len(read_export(US).rows) + 1
    assert list(slow.iter_rows(max_row=rows, values_only=True)) == list(fast.iter_rows(max_row=rows, values_only=True))
    assert [c.value for c in next(fast.iter_rows(min_row=1048576, max_col=1))] == ["far note"]


#: Cells the column-wise writer must not take the plain way: what XML escapes, white space Excel
#: keeps only when told, text over the plain limit, a date before Excel's 1900 quirks end, a
#: formula, a yes/no, tiny and negative numbers.
TRICKY = [
    "Tom & Jerry <gift>",
    "  two leading spaces",
    "tab\tinside",
    "y" * 20_000,
    dt.datetime(1900, 2, 1, 6, 0),
    "=1+1",
    True,
    1e-7,
    -2.5,
    0,
    "\u3000ideographic space",
    "plain",
]


def test_tricky_cells_are_written_as_the_openpyxl_way_writes_them(tmp_path, spliced, held):
    shop = shop_written(tmp_path)
    book = openpyxl.load_workbook(shop)
    ws = book[ORDERS]
    h = headers(ws)
    note = len(h) + 1
    ws.cell(1, note).value = "Staff notes"
    product, paid = h.index("Product Name") + 1, h.index("Paid Time") + 1
    for r, v in enumerate(TRICKY, start=2):
        ws.cell(r, note).value = v  # "=1+1": a formula of the seller's
        if isinstance(v, str) and not v.startswith("="):
            ws.cell(r, product).value = v
            ws.cell(r, product).data_type = "s"
    ws.cell(2, paid).value = "2025-11-20"  # another way to write a time: read, not as TikTok writes it
    ws.cell(3, paid).value = "31/02/2025 10:00:00"  # no such day: stays text
    ws.cell(4, paid).value = dt.datetime(1900, 1, 15, 12, 0)
    book.save(shop)
    results = both_ways(tmp_path, shop)
    assert_same(results)
    assert spliced
    ws = openpyxl.load_workbook(results["splice"][0])[ORDERS]
    h = headers(ws)
    notes = [ws.cell(r, h.index("Staff notes") + 1).value for r in range(2, len(TRICKY) + 2)]
    assert notes[0] == "Tom & Jerry <gift>" and notes[1] == "  two leading spaces" and notes[3] == "y" * 20_000
    assert notes[5] == "=1+1" and notes[6] is True and notes[8] == -2.5
    assert ws.cell(2, h.index("Paid Time") + 1).value == dt.datetime(2025, 11, 20)
    assert ws.cell(3, h.index("Paid Time") + 1).value == "31/02/2025 10:00:00"


def _sheet(rows: str) -> bytes:
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f"{rows}</sheetData></worksheet>"
    ).encode()


def _cut(xml: bytes, size: int = 7) -> inplace.Cutter:
    """The Cutter fed ``xml`` a few bytes at a time: rows and tags straddle the chunks."""
    cutter = inplace.Cutter()
    for _ in cutter.groups(xml[i : i + size] for i in range(0, len(xml), size)):
        pass
    return cutter


def test_the_cutter_counts_the_cells_and_finds_the_formulas_across_chunks():
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Order ID</t></is></c><c r="B1" t="inlineStr"><is><t>Note</t>'
        '</is></c></row><row r="2"><c r="A2"><v>1</v></c><c r="C2"><f>A2*2</f><v>2</v></c></row>'
        '<row r="4" spans="1:4"><c r="D4" t="inlineStr"><is><r><rPr><color rgb="FF0000"/></rPr><t>red</t></r>'
        "</is></c></row>"
    )
    cutter = _cut(_sheet(rows))
    sheet = cutter.sheet
    assert (sheet.rows, sheet.cells, sheet.last, sheet.width) == (3, 5, 4, 4)  # D4: 4 columns
    assert cutter.formulas == {2: ["C"]}
    assert [n for n, _ in cutter.last] == [1, 2, 4]
    cut = cutter.cut({4}, ours=set())
    assert cut.kept == {1, 2, 4} and b"<f>A2*2</f>" in cut.xml and cut.xml.endswith(b"</sheetData></worksheet>")


@pytest.mark.parametrize(
    "rows",
    [
        '<row r="1"><c><v>1</v></c></row>',  # no reference: calamine places it, the cut could not
        '<row r="1"><c s="1" r="A1"><v>1</v></c></row>',  # the reference not first
        '<row r="1"><c r="A2"><v>1</v></c></row>',  # a cell outside its row
        '<row><c r="A1"><v>1</v></c></row>',  # a row without its number
        '<c r="A1"><v>1</v></c>',  # a cell outside any row
    ],
)
def test_the_cutter_leaves_sheets_it_cannot_read_to_openpyxl(rows):
    with pytest.raises(inplace.NotSpliced):
        _cut(_sheet(rows))
