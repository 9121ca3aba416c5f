"""The Orders rows streamed by :mod:`addin.workbook.fast_rows` are the workbook xlsxwriter writes.

``write_new(fast=False)`` has xlsxwriter write every cell (the reference); the default streams the
data rows itself. Every part of the package must be the same bytes (but the creation time).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import pytest
import xlsxwriter
from xlsxwriter.utility import _datetime_to_excel_datetime

from addin.io.export import read_export
from addin.pipeline import Settings, run
from addin.workbook import ORDERS, fast_rows, write_refreshed
from addin.workbook.refresh import data_years
from addin.workbook.xlsx_new import write_new

if TYPE_CHECKING:
    from collections.abc import Iterable

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TODAY = dt.date(2025, 12, 1)
WHEN = dt.datetime(2025, 12, 1, 9, 30)

#: Text a buyer or a seller may type, each one a trap for an XML writer.
AWKWARD = [
    "Fish & Chips <b>bold</b> > less",
    "a]]>b",
    "emoji 😀👍🏽 and 漢字",
    "tab\there",
    "line\nbreak",
    "cr\r\nlf",
    "nul\x00 bell\x07 esc\x1b",
    "\x1c leading file separator",
    "_x0041_ literal escape",
    "_X00ff_ upper",
    " leading space",
    "trailing space ",
    "\xa0nbsp\xa0",
    "\u2028line sep",
    '=HYPERLINK("http://x","y")',
    "+1+2",
    "-3",
    "@SUM(A1)",
    "=1+1",
    "'quoted",
    '"double" quotes',
    "non-char \ufffe\uffff",
    "0012",
    "1e5",
    "  ",
    "\t",
    "x" * 40000,
    "y" * 32767,
    "z" * 32768,
    "😀" * 16384,  # (the reader sniffs the encoding in the first 64 KB)
]
AMOUNTS = ["12.50", "MYR 0.00", " 7", "-0", "-0.0", "1e5", "A&B", "<1>", "12.", "3.141593", "", "0012"]
HEADERS = [
    "Order ID",
    "Order Status",
    "Order Substatus",
    "SKU ID",
    "Created Time",
    "Paid Time",
    "Shipped Time",
    "Quantity",
    "Order Amount",
    "Buyer Message",
    "Seller Note",
]


def write_export(path: Path, rows: Iterable[tuple[str, str, str, str]]) -> Path:
    """A TikTok-shaped CSV of HEADERS: row i's (Paid Time, Shipped Time, Buyer Message, Seller Note) given."""
    import csv

    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADERS)
        for i, (paid, shipped, message, note) in enumerate(rows):
            w.writerow(
                [
                    f"5764006051612{i:05d}\t",
                    "To ship" if i % 3 else "Completed",
                    "Awaiting shipment",
                    f"1735109531238{i:06d}\t",
                    f"11/{1 + i % 28:02d}/2025 3:58:07 PM\t",
                    paid,
                    shipped,
                    str(1 + i % 3),
                    AMOUNTS[i % len(AMOUNTS)],
                    message,
                    note,
                ]
            )
    return path


def awkward_export(path: Path) -> Path:
    return write_export(
        path,
        (
            ("" if i % 4 == 0 else f"11/{1 + i % 28:02d}/2025 4:00:00 PM\t", "", text, text[::-1] if i % 2 else "")
            for i, text in enumerate(AWKWARD * 2)
        ),
    )


def build(tmp_path: Path, source: Path, *, formulas: bool = False, progress=None) -> tuple[Path, Path]:
    refresh = run(read_export(source), Settings(today=TODAY))
    stored = Settings(**{**refresh.settings.__dict__, "today": None})
    paths = []
    for fast in (True, False):
        path = tmp_path / f"{'fast' if fast else 'slow'}.xlsx"
        write_new(
            refresh,
            path,
            stored,
            formulas=formulas,
            years=data_years(refresh),
            input_name="in.csv",
            refreshed_at=WHEN,
            fast=fast,
            progress=progress if fast else None,
        )
        paths.append(path)
    return paths[0], paths[1]


def assert_same_package(fast: Path, slow: Path) -> None:
    with zipfile.ZipFile(fast) as a, zipfile.ZipFile(slow) as b:
        assert a.testzip() is None
        assert a.namelist() == b.namelist()
        for name in b.namelist():
            if name == "docProps/core.xml":  # the creation time
                continue
            assert a.read(name) == b.read(name), name


@pytest.mark.parametrize(
    ("source", "formulas"),
    [
        ("sample_us_export.csv", False),
        ("sample_us_export_with_edd.csv", True),
        ("sample_th_export.xlsx", False),  # cells of a workbook: numbers, not only text
    ],
)
def test_streamed_rows_are_what_xlsxwriter_writes(tmp_path, source, formulas):
    assert_same_package(*build(tmp_path, EXAMPLES / source, formulas=formulas))


def test_awkward_text_is_what_xlsxwriter_writes(tmp_path):
    fast, slow = build(tmp_path, awkward_export(tmp_path / "awkward.csv"))
    assert_same_package(fast, slow)


def test_awkward_text_reads_back_as_text(tmp_path):
    source = awkward_export(tmp_path / "awkward.csv")
    out = tmp_path / "book.xlsx"
    write_refreshed(run(read_export(source), Settings(today=TODAY)), out, refreshed_at=WHEN)
    ws = openpyxl.load_workbook(out)[ORDERS]
    head = [c.value for c in ws[1]]
    msg, amount = head.index("Buyer Message") + 1, head.index("Order Amount") + 1
    for r, text in enumerate(AWKWARD * 2, start=2):
        cell = ws.cell(r, msg)
        if text == "\t":  # the reader strips TikTok's trailing tab: an empty cell
            assert cell.value is None
            continue
        # Control characters stay Excel's _xHHHH_ escapes (Excel shows the character; openpyxl the escape).
        assert cell.data_type == "s" and cell.value == fast_rows.escape_control(fast_rows.utf16_truncate(text)), r
    amounts = [ws.cell(r, amount).value for r in range(2, 2 + len(AMOUNTS))]
    assert amounts == [12.5, "MYR 0.00", 7, 0, -0.0, "1e5", "A&B", "<1>", "12.", 3.141593, None, 12]
    assert ws.cell(2, head.index("Order ID") + 1).value == "576400605161200000"
    with zipfile.ZipFile(out) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet2.xml").decode()


def test_text_longer_than_excel_allows_is_cut_like_xlsxwriter_does():
    assert fast_rows.utf16_truncate("z" * 32768) == "z" * 32767
    assert fast_rows.utf16_truncate("😀" * 16384) == "😀" * 16383  # never half an emoji
    assert fast_rows.utf16_truncate("y" * 32767) == "y" * 32767


def test_rich_text_looking_buyer_text_stays_escaped_text(tmp_path, export_file):
    """xlsxwriter would copy "<r>...</r>" into the XML unescaped; the streamed rows never do."""
    text = "<r><t>injected</t></r>"
    rows = [
        {
            "Order ID": "576400605161220001",
            "Order Status": "To ship",
            "Order Substatus": "Awaiting shipment",
            "SKU ID": "1735109531238800001",
            "Created Time": "11/28/2025 3:58:07 PM",
            "Buyer Message": text,
        }
    ]
    out = tmp_path / "book.xlsx"
    write_refreshed(run(read_export(export_file(rows)), Settings(today=TODAY)), out)
    ws = openpyxl.load_workbook(out)[ORDERS]
    col = [c.value for c in ws[1]].index("Buyer Message") + 1
    assert ws.cell(2, col).value == text and ws.cell(2, col).data_type == "s"


def test_whitespace_list_is_pythons():
    assert set(fast_rows.WHITESPACE) | {" "} == {c for c in map(chr, range(0x110000)) if c.isspace()}
    assert all(bool(re.match(r"\s", c)) == c.isspace() for c in map(chr, range(0x3100)))


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(1900, 1, 1, 6),
        dt.datetime(1900, 2, 28),
        dt.datetime(1900, 3, 1),
        dt.datetime(2025, 12, 1, 15, 58, 7, 123456),
        dt.datetime(9999, 12, 31, 23, 59),
    ],
)
def test_serial_numbers_are_xlsxwriters(value):
    assert fast_rows.excel_serial(value) == _datetime_to_excel_datetime(value, False, False)


def test_times_printed_by_polars_are_printed_as_xlsxwriter_prints_them():
    """Every second of two days of 2025 and the edges of the range polars prints, against ``%.16G``."""
    import polars as pl

    start = fast_rows.excel_serial(dt.datetime(2025, 11, 30))
    serials = [start + s / 86400 for s in range(2 * 86400)] + [10000.0, 10000.5, 65535.99998842592, 9999.5, 65536.5]
    frame = pl.DataFrame({"s": serials}).with_columns(p=fast_rows._shortest(pl.col("s")))
    printed = frame.select(fast_rows._printed(pl.col("s"), pl.col("p"))).to_series().to_list()
    by_polars = [(text, f"{s:.16G}") for s, text in zip(serials, printed, strict=True) if text is not None]
    assert [mine for mine, _ in by_polars] == [theirs for _, theirs in by_polars]
    assert len(by_polars) > len(serials) * 0.8  # polars prints most of them
    assert printed[-2] is None and printed[-1] is None  # out of the range: Python prints them


def test_cells_of_other_types_are_what_xlsxwriter_writes():
    from addin.workbook.xlsx_new import _write

    values = [
        True,
        False,
        3,
        -2.5,
        1e20,
        12345678901234567890,
        float("nan"),
        float("inf"),
        float("-inf"),
        dt.date(2025, 12, 1),
        dt.datetime(2025, 12, 1, 10, 30),
        "x < y",
        "",
        None,
    ]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"constant_memory": True, "nan_inf_to_errors": True, "strings_to_formulas": False}
    )
    ws = book.add_worksheet()
    fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, f in ((0, None), (1, fmt)):  # constant_memory: row by row
        for c, value in enumerate(values):
            _write(ws, r, c, value, f)
    book.close()
    xml = zipfile.ZipFile(buffer).read("xl/worksheets/sheet1.xml").decode()
    style = f' s="{fmt._get_xf_index()}"'
    ours = [
        "".join(
            f'<c r="{xlsxwriter.utility.xl_col_to_name(c)}{r + 1}{fast_rows.cell_tail(v, s)}'
            for c, v in enumerate(values)
            if fast_rows.cell_tail(v, s)
        )
        for r, s in ((0, ""), (1, style))
    ]
    rows = re.findall(r"<row [^>]*>(.*?)</row>", xml)
    assert rows == ours


def test_progress_every_ten_thousand_rows():
    calls = []
    rows = [["1", "x"]] * 25_000
    chunks = list(
        fast_rows.rows_xml(rows, ["", ""], total=25_000, progress=lambda done, total: calls.append((done, total)))
    )
    assert calls == [(10_000, 25_000), (20_000, 25_000), (25_000, 25_000)]
    xml = "".join(chunks)
    assert xml.count("<row ") == 25_000 and xml.endswith('<c r="B25001" t="inlineStr"><is><t>x</t></is></c></row>')


def test_progress_through_write_new(tmp_path):
    calls = []
    build(tmp_path, EXAMPLES / "sample_us_export.csv", progress=lambda d, t: calls.append((d, t)))
    n = len(read_export(EXAMPLES / "sample_us_export.csv").rows)
    assert calls == [(n, n)]


def test_progress_through_write_refreshed(tmp_path):
    calls = []
    refresh = run(read_export(EXAMPLES / "sample_us_export.csv"), Settings(today=TODAY))
    write_refreshed(refresh, tmp_path / "book.xlsx", progress=lambda d, t: calls.append((d, t)))
    assert calls == [(len(refresh.export.rows), len(refresh.export.rows))]


def test_zip64_when_the_sheet_outgrows_zip(tmp_path, monkeypatch):
    """Over 2 GiB a worksheet needs ZIP64; an estimate that falls short writes the package again."""
    source = awkward_export(tmp_path / "awkward.csv")
    refresh = run(read_export(source), Settings(today=TODAY))
    stored = Settings(**{**refresh.settings.__dict__, "today": None})
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 200_000)  # a small "2 GiB"
    calls = []
    real = fast_rows._write_package

    def spy(*args, **kw):
        calls.append(kw["zip64"])
        return real(*args, **kw)

    monkeypatch.setattr(fast_rows, "_write_package", spy)
    out = tmp_path / "big.xlsx"
    write_new(refresh, out, stored, formulas=False, years=data_years(refresh), input_name="in.csv", refreshed_at=WHEN)
    assert calls == [None]  # the estimate saw it coming
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
    calls.clear()
    package = io.BytesIO()  # a workbook with a header row only: a tiny worksheet to start from
    book = xlsxwriter.Workbook(package, {"constant_memory": True})
    book.add_worksheet().write_string(0, 0, "Order ID")
    book.close()
    big = ["<row>" + "x" * 100_000 + "</row>"] * 4  # rows much longer than the first chunk
    fast_rows.write_with_rows(
        package, tmp_path / "again.xlsx", "xl/worksheets/sheet1.xml", lambda: iter(["<!-- -->", *big]), expected_rows=1
    )
    assert calls == [None, True]
    monkeypatch.undo()
    with zipfile.ZipFile(tmp_path / "again.xlsx") as z:
        assert z.testzip() is None
        assert z.read("xl/worksheets/sheet1.xml").count(b"x" * 100_000) == 4


def test_one_row_export_has_the_same_cells_and_styles(tmp_path):
    """With one row xlsxwriter numbers the styles in another order (styles.xml differs): same look."""
    lines = (EXAMPLES / "sample_us_export.csv").read_text(encoding="utf-8-sig").splitlines(keepends=True)
    source = tmp_path / "one.csv"
    source.write_text("".join(lines[:2]), encoding="utf-8-sig")
    fast, slow = build(tmp_path, source)

    def look(path: Path) -> dict:
        book = openpyxl.load_workbook(path)
        return {
            ws.title: [
                [
                    (
                        c.value,
                        c.data_type,
                        c.number_format,
                        c.font.b,
                        c.font.i,
                        c.font.color and c.font.color.rgb,
                        c.fill.fgColor.rgb,
                        c.alignment.horizontal,
                        c.alignment.wrap_text,
                    )
                    for c in row
                ]
                for row in ws.iter_rows()
            ]
            for ws in book.worksheets
        }

    assert look(fast) == look(slow)


# -- the column-wise writer (a CSV read by polars, issue 12) -------------------------------------
#: Times a TikTok column may hold beside its own: other forms, impossible days and hours, old years.
ODD_TIMES = [
    "11/20/2025 7:44:26 AM",
    " 11/20/2025 7:44:26 pm ",
    "11/20/2025 12:00:00 AM",
    "11/20/2025 12:59:59 PM",
    "11/20/2025 0:30:00 AM",  # no such hour on a 12-hour clock: stays text
    "11/20/2025 13:00:00 PM",
    "11/20/2025 17:44:26",
    "11/20/2025 24:00:00",
    "11/20/2025 7:60:00",
    "02/29/2024 1:00:00 AM",
    "02/29/2025 1:00:00 AM",  # not a leap year: stays text
    "13/20/2025 1:00:00 AM",
    "04/31/2025 1:00:00 AM",
    "11/20/2025",
    "11/20/2025 7:44",
    "2025-11-20 07:44:26",
    "11.20.2025 7:44:26 AM",
    "01/01/1900 1:00:00 AM",
    "03/01/1900 1:00:00 AM",
    "12/31/2099 11:59:59 PM",
    "12/31/9999 11:59:59 PM",
    "\u0661\u0661/\u0662\u0660/\u0662\u0660\u0662\u0665 7:44:26 AM",  # Arabic-Indic digits
    "\x1c11/20/2025 7:44:26 AM",
    "soon",
    " ",
]


def odd_export(path: Path) -> Path:
    """The awkward text, amounts and times of a real seller's file, every cell within 32,767 bytes
    (a longer one leaves the file to the row-by-row reader, and so to xlsxwriter)."""
    texts = [t for t in AWKWARD if len(t.encode("utf-8", "surrogatepass")) <= 32767]

    def row(i: int) -> tuple[str, str, str, str]:
        text = texts[i % len(texts)]
        return (
            ODD_TIMES[i % len(ODD_TIMES)] + ("\t" if i % 2 else ""),
            "" if i % 5 else ODD_TIMES[(i * 7) % len(ODD_TIMES)],
            text,
            text[::-1].replace("\n\r", "\r\n") if i % 2 else "",  # (a lone CR: the row reader reads it)
        )

    return write_export(path, map(row, range(3 * max(len(texts), len(ODD_TIMES)))))


def test_rows_built_column_wise_are_what_xlsxwriter_writes(tmp_path, monkeypatch):
    from addin.workbook import xlsx_new

    batches = []
    real = xlsx_new.block_xml
    monkeypatch.setattr(xlsx_new, "_ROWS_PER_FRAME", 7)  # several batches, one of them short
    monkeypatch.setattr(
        xlsx_new, "block_xml", lambda frames, *a, **k: real((batches.append(1) or f for f in frames), *a, **k)
    )
    fast, slow = build(tmp_path, odd_export(tmp_path / "odd.csv"))
    assert len(batches) > 3  # the column-wise writer wrote them
    assert_same_package(fast, slow)


@pytest.mark.parametrize("market", ["US", "TH"])
def test_a_generated_export_reads_back_the_same_cell_for_cell(tmp_path, market):
    """A new workbook from the column-wise reader and writer, opened with openpyxl, against the
    one xlsxwriter writes cell by cell from the row-by-row reader."""
    from ooxml import validate

    from addin.io import export as export_module
    from addin.workbook import xlsx_new
    from tools import samples

    source = samples.write_csv(tmp_path / "shop.csv", 600, today=TODAY, market=market)
    fast = tmp_path / "fast.xlsx"
    refresh = run(read_export(source), Settings(today=TODAY))
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(xlsx_new, "_ROWS_PER_FRAME", 128)  # five batches, the last one short
    batches: list[int] = []
    real = xlsx_new.block_xml
    monkeypatch.setattr(
        xlsx_new, "block_xml", lambda frames, *a, **k: real((batches.append(len(f)) or f for f in frames), *a, **k)
    )
    try:
        write_refreshed(refresh, fast, refreshed_at=WHEN)
    finally:
        monkeypatch.undo()
    assert batches == [128, 128, 128, 128, 88]  # the column-wise writer wrote every row
    monkeypatch.setattr(export_module, "_csv_by_columns", lambda *_, **__: None)
    try:
        refresh = run(read_export(source), Settings(today=TODAY))
    finally:
        monkeypatch.undo()
    stored = Settings(**{**refresh.settings.__dict__, "today": None})
    slow = tmp_path / "slow.xlsx"
    write_new(
        refresh,
        slow,
        stored,
        formulas=False,
        years=data_years(refresh),
        input_name="shop.csv",
        refreshed_at=WHEN,
        fast=False,
    )
    a, b = openpyxl.load_workbook(fast)[ORDERS], openpyxl.load_workbook(slow)[ORDERS]
    assert a.max_row == b.max_row == 601
    for ra, rb in zip(a.iter_rows(), b.iter_rows(), strict=True):
        assert [(c.value, c.data_type, c.number_format) for c in ra] == [
            (c.value, c.data_type, c.number_format) for c in rb
        ]
    assert validate(fast) == []
