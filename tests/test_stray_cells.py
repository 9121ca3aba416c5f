"""A seller's note typed far below the orders of a refreshed workbook (issue 11 item 3): the refresh
reads only the used cells (bounded memory, seconds), the note is kept in its own row and column,
and it is never an order nor a blank-row "Check data"."""

from __future__ import annotations

import json
import resource

import openpyxl
import pytest
from forked import cli_in_child
from sample_files import SMALL_US

from addin.cli import main
from addin.workbook.orders_block import Stray, place_strays, read_rows

TODAY = ["--today", "2025-12-01"]
ORDERS_IN_SAMPLE = 24  # the small sample's distinct Order IDs (cut -d, -f1 | sort -u)
CAP = 2 << 30  # 2 GB of address space: the old dense read needed 3.6 GB for a note at A200000


def _header_column(ws, header: str) -> int | None:
    return next((c.column for c in ws[1] if c.value == header), None)


@pytest.fixture
def noted(tmp_path, capsys):
    """A refreshed workbook with notes at A200000, A1048576 and under "My note" at row 200000."""
    path = tmp_path / "shop.xlsx"
    assert main(["refresh", str(SMALL_US), "-o", str(path), *TODAY]) == 0
    assert f"{ORDERS_IN_SAMPLE} orders" in capsys.readouterr().out
    book = openpyxl.load_workbook(path)
    ws = book["Orders"]
    mine = ws.max_column + 1
    ws.cell(1, mine, "My note")
    ws["A200000"] = "call the buyer back"
    ws.cell(200000, mine, "ask about the refund")
    ws["A1048576"] = "last row of the sheet"
    book.save(path)
    return path


def _check(path, capsys) -> dict:
    capsys.readouterr()
    assert main(["check", str(path), "--json", *TODAY]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_far_note_is_kept_and_never_an_order(noted, capsys):
    code, err = cli_in_child(
        ["refresh", str(noted), *TODAY], lambda: resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))
    )
    assert code == 0, err
    assert "A200000" in err  # one line says the notes are kept and not counted
    book = openpyxl.load_workbook(noted)
    ws = book["Orders"]
    mine = _header_column(ws, "My note")
    assert ws["A200000"].value == "call the buyer back"
    assert ws.cell(200000, mine).value == "ask about the refund"
    assert ws["A1048576"].value == "last row of the sheet"
    # in rows of their own: nothing of ours beside them, and the rows between them are empty
    risk = _header_column(ws, "Risk")
    assert ws.cell(200000, risk).value is None
    assert (
        sum(1 for (r, _), c in ws._cells.items() if r > 1000 and c.value is not None) == 3
    )  # the sample's 400 rows end far above

    summary = _check(noted, capsys)["summary"]
    assert summary["orders"] == ORDERS_IN_SAMPLE
    assert summary["risk_counts"]["Check data"] == 0


def test_check_reads_the_used_cells_only(noted, capsys):
    """``check`` on the noted workbook before any refresh: the same orders, no blank row counted."""
    data = _check(noted, capsys)
    assert data["summary"]["orders"] == ORDERS_IN_SAMPLE
    assert data["summary"]["risk_counts"]["Check data"] == 0
    assert "call the buyer back" not in data["orders"]


def test_a_second_refresh_keeps_the_notes_where_they_are(noted, capsys):
    for _ in range(2):
        assert main(["refresh", str(noted), *TODAY]) == 0
    ws = openpyxl.load_workbook(noted)["Orders"]
    assert ws["A200000"].value == "call the buyer back"
    assert ws.cell(200000, _header_column(ws, "My note")).value == "ask about the refund"
    assert _check(noted, capsys)["summary"]["orders"] == ORDERS_IN_SAMPLE


def test_orders_below_a_blank_row_are_still_orders():
    """Only a row with fewer than two export cells below the last order is the seller's: a blank
    row between orders keeps its place, the orders under it are read."""
    header = ["Order ID", "Order Status", "Created Time", "Row key", "My note"]
    used = [
        (1, header),
        (2, ["1", "To ship", "11/28/2025", "1 | "]),
        (4, ["2", "To ship", "11/29/2025"]),
        (9, ["note", None, None, None, "mine"]),
    ]
    grid = read_rows(iter(used))
    assert [r[:1] for r in grid.rows] == [["1"], (), ["2"]]
    assert grid.strays == [Stray(9, 1, "note"), Stray(9, 5, "mine")]


def test_a_note_the_orders_grow_over_moves_below_them_and_says_so():
    header = ["Order ID", "Order Status", "My note"]
    new_header = ["Order ID", "Risk", "Order Status", "Row key", "My note"]
    placed, lines = place_strays([Stray(10, 3, "mine")], header, new_header, last_row=20)
    assert placed == [(Stray(10, 3, "mine"), 22, 5)]  # under "My note", one blank row after row 20
    assert "C10 is now E22" in lines[-1]


def test_cells_past_excels_last_row_are_not_read():
    grid = read_rows(iter([(1, ["Order ID", "Order Status"]), (2, ["1", "To ship"]), (1_048_577, ["x"])]))
    assert grid.beyond == 1 and grid.strays == []


def test_a_note_under_our_columns_goes_right_of_the_block():
    """Our columns are rewritten by every refresh (and a Row key would make the note an order)."""
    header = ["Order ID", "Order Status", "Risk", "Row key"]
    placed, _ = place_strays([Stray(900, 4, "typed in the hidden column")], header, header, last_row=20)
    assert placed == [(Stray(900, 4, "typed in the hidden column"), 900, 5)]
