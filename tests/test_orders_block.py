"""The Orders block as a pure function: plain rows in, plain rows out, the same for every engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pytest

from addin.io.export import export_from_table, read_export
from addin.workbook import orders_block, packed_rows
from addin.workbook.orders_block import (
    OrdersSheetError,
    build,
    parse_time,
    plan,
    sheet_export,
    split_header,
    time_format,
)

ROOT = Path(__file__).resolve().parent.parent
HEAD = ["Order ID", "Order Status", "Order Substatus", "SKU ID", "Product Name", "Created Time", "Order Amount"]
OURS_OLD = ["Ship-by deadline", "Delivery deadline", "Next auto-cancel", "Days left", "Risk", "Data issue", "Row key"]


def order(i: int, status: str = "To ship") -> list:
    return [
        f"5764{i:014d}",
        status,
        "Awaiting shipment",
        f"17{i:04d}",
        f"Product {i}",
        "11/28/2025 3:58:07 PM",
        "26.60",
    ]


def export_of(rows: list[list], head: list[str] = HEAD):
    return export_from_table("today.csv", [head, *rows])


class Computed:
    def __init__(self, header: str, values: list) -> None:
        self.header, self.values = header, values


def computed(n: int) -> list[Computed]:
    """Our columns as a refresh fills them (the values themselves do not matter here)."""
    day = dt.date(2025, 12, 3)
    values = {
        "Ship-by deadline": day,
        "Delivery deadline": None,
        "Next auto-cancel": day,
        "Days left": 2,
        "Risk": "At risk",
        "Data issue": None,
    }
    return [Computed(h, [values[h]] * n) for h in OURS_OLD[:-1]] + [Computed("Row key", [None] * n)]


def sheet_after(block) -> tuple[list, list[list]]:
    return block.header, list(block.rows())


def first_sheet(n: int, note_header: str = "My note"):
    """A sheet refreshed once: the block of n orders, with a note per order in a seller column."""
    export = export_of([order(i) for i in range(n)])
    block = build(plan([], [], export, in_place=False), computed_with_keys(export), day_first=False)
    header, rows = sheet_after(block)
    header = [*header, note_header]
    key = header.index("Row key")
    rows = [[*r, f"note for {r[0]}"] for r in rows]
    assert all(r[key] for r in rows)
    return header, rows


def computed_with_keys(export) -> list[Computed]:
    from addin.workbook.orders_block import row_keys

    cols = computed(len(export.rows))
    cols[-1] = Computed("Row key", row_keys(export))
    return cols


def notes_by_id(header: list, rows: list[list], note: str = "My note") -> dict:
    oid, c = header.index("Order ID"), header.index(note)
    return {r[oid]: r[c] for r in rows}


def test_layout_reads_first_what_a_seller_looks_at():
    block = build(plan([], [], export_of([order(1)]), in_place=False), computed(1), day_first=False)
    assert block.header[:5] == ["Order ID", "Product Name", "Risk", "Next auto-cancel", "Days left"]
    assert block.header[5:10] == ["Order Status", "Order Substatus", "SKU ID", "Created Time", "Order Amount"]
    assert block.header[10:] == ["Ship-by deadline", "Delivery deadline", "Data issue", "Dispatch by", "Row key"]
    assert block.frozen == 5
    assert block.kinds[:3] == ["export", "export", "ours"]


def test_export_cells_become_values_shown_as_the_export_wrote_them():
    block = build(plan([], [], export_of([order(1)]), in_place=False), computed(1), day_first=False)
    row = next(block.rows())
    h = block.header
    assert row[h.index("Created Time")] == dt.datetime(2025, 11, 28, 15, 58, 7)
    assert block.formats[h.index("Created Time")] == "mm/dd/yyyy h:mm:ss AM/PM"
    assert row[h.index("Order Amount")] == 26.6 and block.formats[h.index("Order Amount")] == "0.00"
    assert row[h.index("Order ID")] == "576400000000000001"  # text, all 18 digits


@pytest.mark.parametrize(
    ("text", "day_first", "expected", "fmt"),
    [
        ("12/01/2025 3:58:07 PM", False, dt.datetime(2025, 12, 1, 15, 58, 7), "mm/dd/yyyy h:mm:ss AM/PM"),
        ("01/12/2025 15:58:07", True, dt.datetime(2025, 12, 1, 15, 58, 7), "dd/mm/yyyy hh:mm:ss"),
        ("12/01/2025 12:05:00 AM", False, dt.datetime(2025, 12, 1, 0, 5), "mm/dd/yyyy h:mm:ss AM/PM"),
        ("2025-12-01 08:00", False, dt.datetime(2025, 12, 1, 8, 0), "yyyy-mm-dd hh:mm"),
        ("12/01/2025", False, dt.datetime(2025, 12, 1), "mm/dd/yyyy"),
    ],
)
def test_tiktok_times(text, day_first, expected, fmt):
    assert parse_time(text, day_first=day_first) == expected
    assert time_format(text, day_first=day_first) == fmt


@pytest.mark.parametrize("text", ["31/31/2025 1:00:00 PM", "soon", "13/01/2025 13:00:00 PM", ""])
def test_not_a_time_stays_text(text):
    assert parse_time(text, day_first=False) is None


def test_currency_amounts_stay_text():
    rows = [order(1)]
    rows[0][-1] = "MYR 0.00"
    block = build(plan([], [], export_of(rows), in_place=False), computed(1), day_first=True)
    assert next(block.rows())[block.header.index("Order Amount")] == "MYR 0.00"


def test_re_paste_in_another_order_keeps_notes_with_their_orders():
    header, rows = first_sheet(20)
    want = notes_by_id(header, rows)
    export = export_of([order(i) for i in reversed(range(20))])
    p = plan(header, rows, export, in_place=False)
    block = build(p, computed_with_keys(export), day_first=False)
    got = notes_by_id(*sheet_after(block))
    assert got == want and p.moved == 20 and not p.dropped


def test_smaller_export_loaded_over_a_bigger_one_replaces_every_row():
    header, rows = first_sheet(40)
    export = export_of([order(i) for i in range(30, 45)])  # 10 old orders, 5 new
    p = plan(header, rows, export, in_place=False)
    block = build(p, computed_with_keys(export), day_first=False)
    h, new_rows = sheet_after(block)
    assert len(new_rows) == 15
    notes = notes_by_id(h, new_rows)
    assert notes == {f"5764{i:014d}": (f"note for 5764{i:014d}" if i < 40 else None) for i in range(30, 45)}
    assert len(p.dropped) == 30 and any("30 row(s)" in w for w in p.warnings)


def test_ctrl_v_of_a_shorter_export_is_told_not_counted_silently():
    header, rows = first_sheet(40)
    oid = header.index("Order ID")
    pasted = [order(i) for i in range(100, 110)]  # ten new orders pasted over rows 2-11 of the export part
    cols = split_header(header)
    for r, new in zip(rows, pasted, strict=False):
        for c, v in zip(cols.export, [new[HEAD.index(h)] for h in [header[c] for c in cols.export]], strict=True):
            r[c] = v
    export = sheet_export(header, rows, "book", "Orders")
    p = plan(header, rows, export, in_place=True)
    assert [r[oid] for r in rows[:2]] == [pasted[0][0], pasted[1][0]]
    (warning,) = [w for w in p.warnings if "same orders" in w]
    assert "rows 12-41 (30 rows)" in warning and "Load export" in warning


def test_editing_a_few_rows_is_not_a_paste():
    header, rows = first_sheet(40)
    rows[3][header.index("Order ID")] = "576400000000000999"  # a typo fixed on one row
    export = sheet_export(header, rows, "book", "Orders")
    assert not [w for w in plan(header, rows, export, in_place=True).warnings if "same orders" in w]


def test_the_sellers_edd_column_is_read_wherever_it_sits():
    header, rows = first_sheet(3, note_header="Estimated Delivery Date")
    for r in rows:
        r[-1] = "12/05/2025"
    export = sheet_export(header, rows, "book", "Orders", "Estimated Delivery Date")
    p = plan(header, rows, export, in_place=True, edd_column="Estimated Delivery Date")
    assert p.assessed.column("edd") == ["12/05/2025"] * 3
    assert "Estimated Delivery Date" not in p.export.headers  # it stays the seller's column
    p = plan(header, rows, export, in_place=True)  # found by its name without the option too
    assert p.assessed.column("edd") == ["12/05/2025"] * 3


class CountedFields(Mapping[str, list[object]]):
    """An export's fields that note which are read (a stored CSV reads each again)."""

    def __init__(self, fields: Mapping[str, list[object]]) -> None:
        self.fields, self.read = fields, set[str]()

    def __getitem__(self, name: str) -> list[object]:
        self.read.add(name)
        return self.fields[name]

    def __iter__(self):
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)


def test_a_loaded_export_takes_the_sellers_edd_column_without_reading_its_other_fields():
    header, rows = first_sheet(3, note_header="Estimated Delivery Date")
    loaded = read_export(ROOT / "examples" / "sample_us_export.csv")
    fields = CountedFields(loaded.fields)
    p = plan(header, rows, replace(loaded, fields=fields), in_place=False)
    assert fields.read == {"order_id", "sku_id"}  # the rows' keys; the times... are read when the rules ask
    assert p.assessed.column("edd") == [None] * len(loaded.rows)  # other orders: none of the seller's dates
    assert p.assessed.column("order_id") == loaded.column("order_id") and "edd" in p.assessed.fields
    assert sorted(p.assessed.fields) == sorted([*loaded.fields, "edd"])


def test_a_named_edd_column_nowhere_is_one_line():
    header, rows = first_sheet(2)
    export = sheet_export(header, rows, "book", "Orders")
    with pytest.raises(OrdersSheetError, match="no column 'My EDD'"):
        plan(header, rows, export, in_place=True, edd_column="My EDD")


def test_the_old_layout_reads_back():
    """A workbook of an earlier version or the template: [export][our block][seller]."""
    header = [*HEAD, *OURS_OLD, "My note"]
    cols = split_header(header)
    assert cols.export == list(range(len(HEAD))) and cols.seller == [len(header) - 1] and not cols.leftover
    assert cols.key == len(HEAD) + 6


def test_description_row_is_not_kept():
    table = [HEAD, ["ID of the order", "Status", "Sub", "SKU", "Name", "Time", "Amount"], order(1)]
    export = export_from_table("th.xlsx", table)
    block = build(plan([], [], export, in_place=False), computed(1), day_first=True)
    assert [r[0] for r in block.rows()] == [order(1)[0]]


@pytest.mark.parametrize("held", ["looked up", "put in order packed"])
def test_sort_by_urgency_keeps_notes_and_formulas_with_their_rows(held, monkeypatch):
    if held != "looked up":  # as for a big sheet, in buckets of two rows
        monkeypatch.setattr(orders_block, "IN_ORDER_FROM", 0)
        monkeypatch.setattr(packed_rows, "BATCH", 2)
    header, rows = first_sheet(4)
    export = sheet_export(header, rows, "book", "Orders")
    cols = computed_with_keys(export)
    risk = next(c for c in cols if c.header == "Risk")
    risk.values = ["Done", "Overdue", "On track", "Overdue"]
    nxt = next(c for c in cols if c.header == "Next auto-cancel")
    nxt.values = [None, dt.date(2025, 12, 3), dt.date(2025, 12, 9), dt.date(2025, 12, 1)]
    block = build(
        plan(header, rows, export, in_place=True),
        cols,
        day_first=False,
        by_urgency=True,
        formulas=lambda _at: {"Ship-by deadline": [f"=F{2 + j}" for j in range(4)]},
    )
    h, new = sheet_after(block)
    ids = [r[h.index("Order ID")] for r in new]
    assert ids == [f"5764{i:014d}" for i in (3, 1, 2, 0)]  # Overdue (earliest first), On track, Done
    assert notes_by_id(h, new) == notes_by_id(header, rows)
    assert [str(r[h.index("Ship-by deadline")]) for r in new] == ["=F2", "=F3", "=F4", "=F5"]


def test_columns_an_a1_paste_did_not_reach_are_removed_and_told():
    header, rows = first_sheet(3)
    cols = split_header(header)
    # a narrower export pasted at A1 (header and rows): its last header repeats one already seen
    pasted_head = ["Order ID", "Order Status", "Order Substatus", "SKU ID", "Created Time", "Order Amount"]
    for c, h in enumerate(pasted_head):
        header[c] = h
    for r, i in zip(rows, range(3), strict=False):
        o = order(i)
        for c, h in enumerate(pasted_head):
            r[c] = o[HEAD.index(h)]
    cols = split_header(header)
    assert [header[i] for i in cols.export] == pasted_head and cols.leftover
    export = sheet_export(header, rows, "book", "Orders")
    p = plan(header, rows, export, in_place=True)
    assert any("left from the previous export: they were removed" in w for w in p.warnings)
    block = build(p, computed_with_keys(export), day_first=False)
    assert notes_by_id(*sheet_after(block)) == notes_by_id(header, rows)


def test_a_paste_without_its_header_over_our_columns_is_refused():
    """The issue's Thai data-only paste: tax-invoice values under our columns would be overwritten."""
    header, rows = first_sheet(3)
    risk = header.index("Risk")
    rows[1][risk] = "Awaiting shipment"  # an export's column landed under Risk
    with pytest.raises(OrdersSheetError, match=r"cell C3 under 'Risk' holds 'Awaiting shipment'.*Paste export"):
        sheet_export(header, rows, "book", "Orders")
    header, rows = first_sheet(3)
    rows[2][header.index("Ship-by deadline")] = "No"
    with pytest.raises(OrdersSheetError, match="under 'Ship-by deadline' holds 'No'"):
        sheet_export(header, rows, "book", "Orders")
