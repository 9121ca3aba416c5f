"""The fast paths (issue 12) give what the reference paths give, on samples and on fuzzed files.

- a CSV read column-wise by polars is the Export the csv module's row-by-row reader makes, or
  the fast reader steps aside and the row reader reads it;
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.core.columns import Cells, distinct
from addin.core.dates import parse_dates
from addin.io import export as export_module
from addin.io.export import CsvRows, ExportError, read_export

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLES_N = int(os.environ.get("AUTOCANCEL_FUZZ_EXAMPLES", "60"))


def both(path: Path, **options):
    """(column-wise Export or None when it stepped aside, row-by-row Export); errors as their message."""

    def read():
        try:
            return read_export(path, **options)
        except ExportError as exc:
            return str(exc)

    fast = read()
    real = export_module._csv_by_columns
    export_module._csv_by_columns = lambda *_, **__: None
    try:
        slow = read()
    finally:
        export_module._csv_by_columns = real
    return fast, slow


def same(fast, slow) -> bool:
    if isinstance(fast, str) or isinstance(slow, str):
        assert fast == slow
        return False
    width = len(slow.headers)

    def padded(rows) -> list[list]:  # a short row: "" in the cells it lacks (what a reader gives the writers)
        return [list(r) + [""] * (width - len(r)) for r in rows]

    assert (fast.headers, fast.columns, fast.first_row, fast.skipped_description_row, fast.warnings) == (
        slow.headers,
        slow.columns,
        slow.first_row,
        slow.skipped_description_row,
        slow.warnings,
    )
    assert fast.fields == slow.fields
    for field in fast.fields:  # what the rules see of them, found by polars on the fast path
        fast_cells, slow_cells = fast.column(field), slow.column(field)
        assert isinstance(fast_cells, Cells) == isinstance(fast.rows, CsvRows) and not isinstance(slow_cells, Cells)
        fast_distinct, slow_distinct = distinct(fast_cells), distinct(slow_cells)
        assert fast_distinct[0] == slow_distinct[0] and fast_distinct[1].tolist() == slow_distinct[1].tolist()
        for day_first in (False, True):
            fast_days, slow_days = (parse_dates(c, day_first=day_first) for c in (fast_cells, slow_cells))
            assert fast_days.days.tolist() == slow_days.days.tolist()
            assert (fast_days.problems, fast_days.day_first) == (slow_days.problems, slow_days.day_first)
    assert (fast.sheet_rows is None) == (slow.sheet_rows is None)
    if fast.sheet_rows is not None:
        assert fast.sheet_rows.tolist() == slow.sheet_rows.tolist()
    assert [fast.sheet_row(i) for i in range(len(fast.rows))] == [slow.sheet_row(i) for i in range(len(slow.rows))]
    assert padded(fast.rows) == padded(slow.rows)
    return isinstance(fast.rows, CsvRows)


@pytest.mark.parametrize("name", ["sample_us_export.csv", "sample_us_export_with_edd.csv"])
def test_a_tiktok_csv_is_read_column_wise_into_the_same_export(name):
    assert same(*both(EXAMPLES / name))  # and it was the column-wise reader that read it


def test_the_stored_rows_leave_the_disk_with_their_export(tmp_path, monkeypatch):
    """A Load export in Excel's long-running Python must not leave a copy of each export in the temp folder."""
    import gc

    monkeypatch.setattr(export_module.tempfile, "tempdir", str(tmp_path))
    export = read_export(EXAMPLES / "sample_us_export.csv")
    assert isinstance(export.rows, CsvRows)
    assert len(list(tmp_path.iterdir())) == 1  # the stored rows
    assert export.column("order_id") == export.column("order_id")  # read again, the same
    was = gc.isenabled()
    gc.disable()  # gone by reference counting alone, not at the next full collection
    try:
        del export
        assert list(tmp_path.iterdir()) == []
    finally:
        if was:
            gc.enable()


def test_blank_rows_a_description_row_and_short_rows_read_the_same(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(
        "\ufeffOrder ID,Order Status,Created Time,Buyer Message\r\n"
        "Platform unique order ID.,Current status,Time the order was placed.,Message\r\n"
        "\r\n"
        '576000000000000001\t,To ship,11/20/2025 7:44:26 AM\t,"two\r\nlines, one cell"\r\n'
        ",,,\r\n"
        " , \t,,\r\n"
        "576000000000000002\t,Cancelled\r\n"
        '576000000000000003\t,To ship,21/11/2025 7:44:26 AM\t,"say ""hi"""\r\n'.encode()
    )
    fast, slow = both(path)
    assert same(fast, slow)
    assert fast.skipped_description_row and fast.sheet_rows.tolist() == [4, 7, 8]


@pytest.mark.parametrize(
    ("message", "column_wise"),
    [("ส" * 10_922, True), ("ส" * 10_923, False), ("ส" * 32_767, False), ("x" * 32_767, True), ("x" * 32_768, False)],
)
def test_a_long_cell_is_read_the_same_whichever_reader_takes_it(tmp_path, message, column_wise):
    """Over 32,767 bytes (a Thai character is 3) the row reader takes the file; over 32,767 characters it warns."""
    path = tmp_path / "long.csv"
    path.write_text(f"Order ID,Order Status,Created Time,Buyer Message\n1,To ship,11/20/2025,{message}\n", "utf-8")
    fast, slow = both(path)
    assert same(fast, slow) is column_wise
    assert bool(fast.warnings) == (len(message) > 32_767)


CELLS = st.one_of(
    st.sampled_from(["", " ", "\t", "576000000000000001\t", "To ship", "11/20/2025 7:44:26 AM\t", "a,b", 'say "hi"']),
    st.text(alphabet=st.sampled_from('ab ,;\t"\r\n\x1c\xa0é😀'), max_size=6),
)


@st.composite
def csv_text(draw) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    headers = [
        "Order ID",
        "Order Status",
        "Created Time",
        *draw(st.lists(st.sampled_from(["SKU ID", "Note"]), max_size=2)),
    ]
    rows = draw(st.lists(st.lists(CELLS, max_size=len(headers) + 1), max_size=8))

    def cell(text: str) -> str:
        # Quoted as a writer quotes, or left raw when it can be. (A quote a writer would not
        # write - not doubled, text after the closing one - polars reads otherwise than the csv
        # module does; no export has one.)
        if draw(st.booleans()) or any(c in text for c in (delimiter, '"', "\r", "\n")):
            return '"' + text.replace('"', '""') + '"'
        return text

    text = "\r\n".join(delimiter.join(cell(c) for c in row) for row in [headers, *rows])
    return (draw(st.sampled_from(["", "\ufeff"])) + text + draw(st.sampled_from(["", "\r\n", "\n"]))).encode()


@settings(max_examples=EXAMPLES_N, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=csv_text())
def test_fuzzed_csv_reads_the_same_column_wise_or_row_by_row(tmp_path, data):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    same(*both(path))


def test_the_blank_cell_pattern_is_pythons_white_space():
    chars = [chr(i) for i in range(0x3100)]
    blank = pl.Series(chars).str.contains(export_module._BLANK_CELL).to_list()
    assert [c for c, b in zip(chars, blank, strict=True) if b != c.isspace()] == []


@pytest.mark.parametrize(
    ("data", "lone"),
    [
        (b"a,b\r\nc,d\r\n", False),
        (b"a,b\rc,d\r\n", True),
        (b"a,b\r\nc,d\r", True),  # the last line ends with a CR alone
        (b"abc\r\ndef\r\n", False),  # the CRLF of "abc" split across two chunks
        (b"abc\rdef\r\n", True),  # a CR alone at the end of a chunk
        (b"a,b\nc,d\n", False),
    ],
)
def test_a_lone_cr_is_found_wherever_the_chunks_are_cut(tmp_path, monkeypatch, data, lone):
    monkeypatch.setattr(export_module, "_CR_SCAN_CHUNK", 4)  # "abc\r" | "\ndef" | ...
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    assert export_module._lone_cr(path) is lone
