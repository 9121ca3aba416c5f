"""The Summary sheet tells a seller what to do: per urgent order the next step and the product,
what the colours mean, why orders need a data check, whether the delivery rule counted, and when
it was refreshed on the shop's own clock."""

from __future__ import annotations

import datetime as dt
import re

from conftest import HEADERS

from addin.core.markets import get_market
from addin.core.policies import PRESETS
from addin.io.export import read_export
from addin.pipeline import Settings, run
from addin.workbook.layout import RISK_COLOURS
from addin.workbook.summary_sheet import BUTTON_ROW, RISK_MEANING, summary_content

TODAY = dt.date(2025, 12, 1)
WHEN = dt.datetime(2025, 12, 1, 9, 30, tzinfo=dt.UTC)
COLUMNS = [*HEADERS, "Seller SKU", "Product Name"]


def cells(content) -> dict[str, tuple[object, str | None]]:
    return {ref: (value, style) for ref, value, style in content.cells}


def split(ref: str) -> tuple[str, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    return m[1], int(m[2])


def urgent_rows(content) -> dict[str, dict[str, object]]:
    """Order ID -> {header: value} of the urgent list, found by its header cells."""
    by_ref = cells(content)
    head = {value: split(ref) for ref, (value, style) in by_ref.items() if style and style.startswith("head")}
    id_col, head_row = head["Order ID"]
    out = {}
    row = head_row + 1
    while f"{id_col}{row}" in by_ref and by_ref[f"{id_col}{row}"][1] == "id":
        out[by_ref[f"{id_col}{row}"][0]] = {
            h: by_ref.get(f"{col}{row}", (None,))[0] for h, (col, r) in head.items() if r == head_row
        }
        row += 1
    return out


def block_below(content, title: str) -> list[tuple[object, ...]]:
    """The values of the rows under a section title (its columns up to D), until an empty row."""
    by_ref = cells(content)
    _, row = next(split(ref) for ref, (value, _) in by_ref.items() if value == title)
    rows = []
    while True:
        row += 1
        found = sorted(
            (ref, v)
            for ref, v in by_ref.items()
            if split(ref)[1] == row and split(ref)[0] in ("B", "C", "D") and v[0] is not None
        )
        if not found:
            return rows
        rows.append(tuple(v[0] for _, v in found))


def shop(export_file, rows, headers=COLUMNS, **settings):
    """The shop on the seed `standard` rules unless a test names a policy (their milestones are the point)."""
    export = read_export(export_file(rows, headers))
    return run(export, Settings(today=TODAY, **{"policy": PRESETS["standard"], **settings}))


ORDERS = [
    # placed Thu 20 Nov: 7 US working days (Thanksgiving 27 Nov off) end Tue 2 Dec: 1 left, At risk
    {
        "Order ID": "A1",
        "Order Status": "To ship",
        "Order Substatus": "Awaiting shipment",
        "Created Time": "11/20/2025 9:00:00 AM",
        "SKU ID": "1",
        "Seller SKU": "MUG-RED",
        "Product Name": "Red mug",
    },
    {
        "Order ID": "A1",
        "Order Status": "To ship",
        "Order Substatus": "Awaiting shipment",
        "Created Time": "11/20/2025 9:00:00 AM",
        "SKU ID": "2",
        "Seller SKU": "MUG-BLUE",
        "Product Name": "Blue mug",
    },
    # tracking uploaded (Awaiting collection), placed Mon 24 Nov: deadline Thu 4 Dec, 3 left: On track
    {
        "Order ID": "B2",
        "Order Status": "To ship",
        "Order Substatus": "Awaiting collection",
        "Created Time": "11/24/2025 9:00:00 AM",
        "SKU ID": "3",
        "Seller SKU": "TEE-M",
        "Product Name": "T-shirt",
    },
    # a status nobody knows: Check data
    {"Order ID": "C3", "Order Status": "Sent to moon", "Created Time": "11/24/2025 9:00:00 AM", "SKU ID": "4"},
    # two unreadable order times on two rows: one reason, two orders
    {"Order ID": "D4", "Order Status": "To ship", "Created Time": "soon", "SKU ID": "5"},
    {"Order ID": "E5", "Order Status": "To ship", "Created Time": "yesterday", "SKU ID": "6"},
]


def test_each_urgent_order_says_what_to_do_and_which_product(export_file):
    refresh = shop(export_file, ORDERS)
    rows = urgent_rows(summary_content(refresh, refreshed_at=WHEN))
    # Standard policy: the order must be In transit; A1 is not even arranged, B2 waits for the carrier.
    assert rows["A1"]["What to do"] == "Arrange shipment, hand over"
    assert rows["A1"]["Risk"] == "At risk" and rows["A1"]["Product (SKU)"] == "Red mug (MUG-RED) + 1 more"
    assert rows["B2"]["What to do"] == "Hand to the carrier" and rows["B2"]["Risk"] == "On track"
    assert rows["B2"]["Product (SKU)"] == "T-shirt (TEE-M)"
    assert rows["C3"]["What to do"] == "Fix the data (Orders > Data issue)" and rows["C3"]["Risk"] == "Check data"


def test_the_next_step_follows_the_policys_milestone(export_file):
    """us-official: the order must reach Awaiting collection (tracking uploaded), nothing later."""
    refresh = shop(export_file, ORDERS[:3], policy=PRESETS["us-official"])
    rows = urgent_rows(summary_content(refresh, refreshed_at=WHEN))
    assert rows["A1"]["What to do"] == "Arrange shipment"
    assert "B2" not in rows  # it reached the policy's only milestone: nothing can cancel it


def test_in_transit_with_an_edd_is_chasing_the_delivery(export_file):
    row = {
        "Order ID": "F6",
        "Order Status": "Shipped",
        "Order Substatus": "In transit",
        "Created Time": "10/01/2025 9:00:00 AM",
        "Shipped Time": "10/03/2025 9:00:00 AM",
        "Estimated Delivery Date": "11/10/2025",
        "SKU ID": "7",
    }
    refresh = shop(export_file, [row], [*COLUMNS, "Estimated Delivery Date"])
    rows = urgent_rows(summary_content(refresh, refreshed_at=WHEN))
    assert rows["F6"]["What to do"] == "Chase the delivery"  # EDD 10 Nov + 30 days = 10 Dec


def test_check_data_reasons_are_counted_by_reason(export_file):
    """'soon' (row 6) and 'yesterday' (row 7) are one reason for two orders; the unknown status another."""
    table = block_below(summary_content(shop(export_file, ORDERS), refreshed_at=WHEN), "Why orders need a data check")
    assert table == [
        ("Reason", "Orders"),
        ("Created Time: a value is not a date", 2),
        ("Order Status: a value is not a status we know", 1),
    ]


def test_no_reasons_block_when_every_order_is_readable(export_file):
    content = summary_content(shop(export_file, ORDERS[:3]), refreshed_at=WHEN)
    assert "Why orders need a data check" not in [v for v, _ in cells(content).values()]


def test_legend_names_every_risk_in_its_colour(export_file):
    legend = block_below(summary_content(shop(export_file, ORDERS[:1]), refreshed_at=WHEN), "What the colours mean")
    assert [risk for risk, _ in legend] == list(RISK_COLOURS)
    assert dict(legend) == RISK_MEANING
    by_ref = cells(summary_content(shop(export_file, ORDERS[:1]), refreshed_at=WHEN))
    styles = {value: style for value, style in by_ref.values() if value in RISK_MEANING}
    assert all(styles[risk].endswith(risk) for risk in RISK_MEANING)


def test_a_note_when_the_delivery_rule_cannot_count(export_file):
    def notes(refresh):
        return [
            v
            for v, _ in cells(summary_content(refresh, refreshed_at=WHEN)).values()
            if isinstance(v, str) and v.startswith("Delivery rule not counted")
        ]

    assert len(notes(shop(export_file, ORDERS[:1]))) == 1  # standard policy, no EDD column
    with_edd = [{**ORDERS[0], "Estimated Delivery Date": "12/10/2025"}]
    assert notes(shop(export_file, with_edd, [*COLUMNS, "Estimated Delivery Date"])) == []
    assert notes(shop(export_file, ORDERS[:1], policy=PRESETS["sea-tiktok-shipping"])) == []  # no EDD rule to count


def test_last_refreshed_is_on_the_markets_clock(export_file):
    """09:30 UTC on 1 Dec 2025 is 01:30 in Los Angeles (PST, UTC-8) and 16:30 in Bangkok (UTC+7)."""
    us = summary_content(shop(export_file, ORDERS[:1]), refreshed_at=WHEN)
    assert cells(us)["B2"][0].startswith("Last refreshed 01 Dec 2025 01:30 Los Angeles time")
    rows = [{**ORDERS[0], "Created Time": "20/11/2025 09:00:00"}]
    th = summary_content(shop(export_file, rows, market=get_market("TH")), refreshed_at=WHEN)
    assert cells(th)["B2"][0].startswith("Last refreshed 01 Dec 2025 16:30 Bangkok time")


def test_the_buttons_row_stays_empty_and_tall(export_file):
    content = summary_content(shop(export_file, ORDERS), refreshed_at=WHEN)
    assert [ref for ref, (value, _) in cells(content).items() if split(ref)[1] == BUTTON_ROW] == []
    assert content.heights[BUTTON_ROW] >= 30


def test_a_reason_about_no_cell_keeps_the_column_to_add():
    """Only a cell's own value is taken out of a reason; the column a seller must add stays named."""
    from addin.workbook.summary_sheet import issue_reasons

    pre_order = "pre-order: add a column 'Pre-order closure date' with the date you set for this pre-order"
    assert issue_reasons([pre_order, pre_order, "Created Time, row 7: '32/13/2025' is not a date"]) == [
        (pre_order, 2),
        ("Created Time: a value is not a date", 1),
    ]
