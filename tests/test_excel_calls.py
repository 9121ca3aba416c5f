"""What the Excel button moves between Python and Excel, counted on the fake Book of test_excel.

Every call to Excel is a round trip a seller waits for, so the bounds here are derived from the
block's shape, never from the number of orders: a refresh of 40 or 400 rows makes the same few
reads and writes, a refresh that changes nothing writes nothing to Orders, a new day rewrites our
columns only, and a note typed far below the orders is neither read nor lost.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from typing import TYPE_CHECKING

import pytest
from test_excel import SAMPLE, fake_template_book, header_of, sample_rows

from addin import excel
from addin.workbook.orders_block import OURS

if TYPE_CHECKING:
    from pathlib import Path

_ADDRESS = re.compile(r"R(\d+)C(\d+):R(\d+)C(\d+)")


def cells_of(address: str) -> set[tuple[int, int]]:
    r1, c1, r2, c2 = (int(x) for x in _ADDRESS.fullmatch(address).groups())
    return {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}


def orders_calls(log: list) -> dict[str, list]:
    """The Orders sheet's calls by kind: reads (value and formula), writes, formats, the rest."""
    calls: dict[str, list] = {"read": [], "write": [], "number_format": [], "other": []}
    for e in log:
        if e[0] == "app" or e[1] != "Orders":
            continue
        kind = "read" if e[0] in ("read", "read_formula") else e[0] if e[0] in calls else "other"
        calls[kind].append(e)
    return calls


def written_cells(log: list) -> set[tuple[int, int]]:
    out = set()
    for e in orders_calls(log)["write"]:
        (r, c), (h, w) = e[2], e[3]
        out |= {(r + i, c + j) for i in range(h) for j in range(w)}
    return out


def read_cells(log: list) -> int:
    return sum(len(cells_of(e[2])) for e in orders_calls(log)["read"])


def set_today(book, day: dt.datetime) -> None:
    settings = book.sheets["Settings"]
    row = next(r for (r, c), v in settings.cells.items() if c == 1 and v == "Today")
    settings.cells[(row, 2)] = day


def pasted(n: int):
    """The template with the first ``n`` orders' rows of the sample pasted at A1, Today fixed."""
    book = fake_template_book(sample_rows()[: n + 1])
    set_today(book, dt.datetime(2025, 12, 1))
    return book


def refreshed(n: int):
    book = pasted(n)
    excel.refresh(book)
    assert not [a for a in book.app.alerts if a[3] == "critical"]
    book.log.clear()
    book.app.alerts.clear()
    return book


def our_columns(book) -> set[int]:
    header = header_of(book.sheets["Orders"])
    return {header.index(h) + 1 for h in OURS}


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


# -- the calls do not grow with the orders ------------------------------------------------------
@pytest.mark.parametrize("n", [40, 400])
def test_a_first_refresh_of_n_rows_makes_the_same_few_calls_whatever_n(n):
    book = pasted(n)
    width = len(header_of(book.sheets["Orders"]))
    excel.refresh(book)
    calls = orders_calls(book.log)
    # row 1, the orders' block, one formula probe; the export moved into the block's layout and
    # our columns filled in at most three rectangles; a format call per stretch of same-format
    # columns (the block has 65 columns: never one per cell or per row)
    assert len(calls["read"]) <= 3
    assert len(calls["write"]) <= 3
    assert len(calls["number_format"]) <= 12
    assert len(calls["other"]) <= 2  # the Table sized to the block, the Row key's width
    assert read_cells(book.log) <= (n + 1) * width + 1  # + the formula probe
    assert len(written_cells(book.log)) <= (n + 1) * width


def test_a_refresh_that_changes_nothing_writes_nothing_on_orders():
    book = refreshed(40)
    before = dict(book.sheets["Orders"].cells)
    excel.refresh(book)
    calls = orders_calls(book.log)
    assert calls["write"] == [] and calls["number_format"] == []
    assert len(calls["read"]) == 3  # row 1, the orders, the formula probe
    assert book.sheets["Orders"].cells == before


def test_a_new_day_rewrites_our_columns_only():
    book = refreshed(40)
    set_today(book, dt.datetime(2025, 12, 3))
    excel.refresh(book)
    written = written_cells(book.log)
    assert written  # Days left counts down
    assert {c for _, c in written} <= our_columns(book)
    assert len(orders_calls(book.log)["write"]) <= 2  # the front three and the back block, one each


def test_an_edited_status_rewrites_that_orders_answer_only():
    book = refreshed(40)
    orders = book.sheets["Orders"]
    header = header_of(orders)
    status, risk = header.index("Order Status") + 1, header.index("Risk") + 1
    row = next(r for r in range(2, 42) if orders.cells.get((r, status)) == "To ship")
    order_id = orders.cells[(row, 1)]
    orders.cells[(row, status)] = "Cancelled"  # staff typed it after cancelling in Seller Center
    excel.refresh(book)
    written = written_cells(book.log)
    rows_of_order = {r for r in range(2, 42) if orders.cells.get((r, 1)) == order_id}
    assert {r for r, _ in written} == rows_of_order  # no other order's row is touched
    assert {c for _, c in written} <= our_columns(book)  # the status itself is already what it says
    assert orders.cells[(row, risk)] == "Cancelled"


# -- loads: the seller's columns are written when their rows move ----------------------------------
def with_notes(book) -> int:
    """A seller's column right of the block, a note per row; returns its column."""
    orders = book.sheets["Orders"]
    c = len(header_of(orders)) + 1
    orders.cells[(1, c)] = "My note"
    for r in range(2, 42):
        orders.cells[(r, c)] = f"note {orders.cells[(r, 1)]}"
    return c


def test_loading_the_same_export_again_writes_nothing_and_a_reordered_one_moves_the_notes(tmp_path):
    book = refreshed(40)
    note = with_notes(book)
    rows = sample_rows()[:41]
    excel.load_export(str(write_csv(tmp_path / "same.csv", rows)), book)
    assert orders_calls(book.log)["write"] == []
    book.log.clear()
    excel.load_export(str(write_csv(tmp_path / "reversed.csv", [rows[0], *reversed(rows[1:])])), book)
    assert note in {c for _, c in written_cells(book.log)}
    orders = book.sheets["Orders"]
    assert all(orders.cells[(r, note)] == f"note {orders.cells[(r, 1)]}" for r in range(2, 42))


# -- the seller's cells below the orders -----------------------------------------------------------
def test_a_note_typed_far_below_is_neither_read_nor_counted_and_stays():
    book = refreshed(40)
    orders = book.sheets["Orders"]
    width = len(header_of(orders))
    orders.cells[(100000, 26)] = "count again on Monday"
    result, warnings = excel.refresh_book(book)
    far = [e for e in orders_calls(book.log)["read"] if any(r >= 100000 for r, _ in cells_of(e[2]))]
    assert far == []
    assert read_cells(book.log) <= (41 + excel.LOOKAHEAD) * width + 1  # + the formula probe
    ids = {r[0].strip() for r in sample_rows()[1:41]}
    assert result.summary.orders == len(ids)
    assert orders.cells[(100000, 26)] == "count again on Monday"
    assert not warnings


def test_a_note_under_the_orders_moves_below_a_longer_export_and_says_where(tmp_path):
    book = refreshed(40)
    orders = book.sheets["Orders"]
    orders.cells[(45, 1)] = "checked by Ana"
    _, warnings = excel.refresh_book(book)
    assert orders.cells[(45, 1)] == "checked by Ana"
    assert any("below the orders" in w and "A45" in w for w in warnings)
    _, warnings = excel.refresh_book(book, export=excel.read_export(SAMPLE))  # today's 400 rows
    assert orders.cells[(45, 1)] != "checked by Ana"  # an order's ID now
    moved = [w for w in warnings if "A45 is now" in w]
    assert moved
    new_row = int(re.search(r"A45 is now A(\d+)", moved[0])[1])
    assert new_row > 401 and orders.cells[(new_row, 1)] == "checked by Ana"


def test_a_wider_export_moves_the_hidden_row_key_and_shows_the_column_it_hid(tmp_path):
    book = refreshed(40)
    orders = book.sheets["Orders"]
    old_key = header_of(orders).index("Row key") + 1
    rows = sample_rows()[:41]
    wider = [[*rows[0], "Package ID"], *[[*r, f"PK{i}"] for i, r in enumerate(rows[1:])]]
    excel.load_export(str(write_csv(tmp_path / "wider.csv", wider)), book)
    new_key = header_of(orders).index("Row key") + 1
    assert new_key == old_key + 1  # one more export column before our back block
    widths = [e for e in book.log if e[0] == "column_width" and e[1] == "Orders"]
    assert widths == [("column_width", "Orders", f"R1C{new_key}:R1C{new_key}", 0)]
    shown = [e for e in book.log if e[0] == "autofit" and e[1] == "Orders"]
    assert [cells_of(e[2]) for e in shown] == [{(r, old_key) for r in range(1, 42)}]
    assert orders.cells[(1, old_key)] != "Row key"
