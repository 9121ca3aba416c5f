"""Folding SKU rows into orders: statuses in any language, conflicting rows, rows without an Order ID.

Today is Wed 26 Nov 2025 (US). By hand: an order placed Thu 20 Nov must be In transit 7 US working
days later, Tue 2 Dec (Thanksgiving 27 Nov not counted); one placed Mon 10 Nov by Thu 20 Nov
(Veterans Day 11 Nov not counted).
"""

from __future__ import annotations

import datetime as dt
import itertools
import unicodedata

import numpy as np
import pytest

from addin.core.policies import get_policy
from addin.core.statuses import lookup, parse_seller_statuses
from addin.errors import AutocancelError
from addin.io.export import read_export
from addin.pipeline import Settings, run

TODAY = dt.date(2025, 11, 26)
NOV20, NOV10 = "11/20/2025 7:44:26 AM", "11/10/2025 7:44:26 AM"


def check(export_file, rows, **settings):
    refresh = run(
        read_export(export_file(rows)), Settings(today=TODAY, **{"policy": get_policy("standard"), **settings})
    )
    a = refresh.assessment
    return {
        oid: (a.risk[i], None if np.isnat(a.next_deadline[i]) else a.next_deadline[i].astype(object), a.data_issue[i])
        for i, oid in enumerate(refresh.orders.ids)
    }, refresh


def row(oid, status, created=NOV20, sku="a", **extra):
    return {"Order ID": oid, "Order Status": status, "Created Time": created, "SKU ID": sku, **extra}


@pytest.mark.parametrize("order", list(itertools.permutations(["Unpaid", "To ship", "To ship"]))[::2])
def test_unpaid_and_to_ship_rows_decide_the_same_whatever_their_order(export_file, order):
    rows = [row("1", s, sku=str(k)) for k, s in enumerate(order)]
    ((risk, deadline, issue),) = check(export_file, rows)[0].values()
    assert (risk, deadline) == ("On track", dt.date(2025, 12, 2))  # paid rows prove the order was paid
    assert "disagree" in issue and "Unpaid (row" in issue and "To ship (row" in issue
    assert issue.endswith("counted as To ship")


@pytest.mark.parametrize("first", ["Completed", "To ship"])
def test_a_completed_row_does_not_hide_a_pending_shipment(export_file, first):
    other = "To ship" if first == "Completed" else "Completed"
    rows = [row("1", first, NOV10, "a"), row("1", other, NOV10, "b")]
    ((risk, deadline, issue),) = check(export_file, rows)[0].values()
    assert (risk, deadline) == ("Overdue", dt.date(2025, 11, 20))
    assert "Completed (row" in issue and "counted as To ship" in issue


def test_a_partly_cancelled_order_is_open_and_not_a_conflict(export_file):
    rows = [row("9", "Cancelled", NOV20, "a"), row("9", "To ship", NOV20, "b")]
    assert check(export_file, rows)[0]["9"] == ("On track", dt.date(2025, 12, 2), "")


def test_an_unknown_status_is_read_from_the_rows_own_times(export_file):
    rows = [
        row("delivered", "Lost in space", NOV10, **{"Delivered Time": "11/15/2025 1:00:00 PM"}),
        row("collected", "Lost in space", NOV10, **{"RTS Time": "11/12/2025 1:00:00 PM"}),
        row("cancelled", "Lost in space", NOV10, **{"Cancelled Time": "11/11/2025 1:00:00 PM"}),
        row("nothing", "Lost in space", NOV10),
    ]
    result, _ = check(export_file, rows)
    assert result["delivered"][0] == "Done"
    assert result["delivered"][2] == (
        "Order Status, row 2: 'Lost in space' is not a status we know; read as Delivered from its Delivered Time"
    )
    assert result["collected"][:2] == ("Overdue", dt.date(2025, 11, 20))  # standard rule wants In transit
    assert "read as Awaiting collection from its RTS Time" in result["collected"][2]
    assert result["cancelled"][0] == "Cancelled"
    assert result["nothing"][0] == "Check data" and result["nothing"][2].startswith("Order Status, row 5")
    us_official = check(export_file, rows, policy=get_policy("us-official"))[0]
    assert us_official["collected"][0] == "On track"  # Awaiting collection is what that rule asks


def test_an_unknown_status_on_a_later_row_is_reported(export_file):
    rows = [row("1", "To ship", sku="a"), row("1", "Wandering", sku="b")]
    risk, deadline, issue = check(export_file, rows)[0]["1"]
    assert (risk, deadline) == ("On track", dt.date(2025, 12, 2))  # nothing can be less far than To ship
    assert issue == "Order Status, row 3: 'Wandering' is not a status we know"


def test_an_unknown_row_beside_a_completed_one_cannot_be_told(export_file):
    rows = [row("1", "Completed", sku="a"), row("1", "Wandering", sku="b")]
    assert check(export_file, rows)[0]["1"][0] == "Check data"


def test_rows_without_an_order_id_are_each_flagged_and_never_an_order(export_file):
    rows = [
        row("", "To ship", sku="a"),
        row("7", "To ship"),
        row("", "Cancelled", sku="b"),
        row("", "Completed", sku="c"),
    ]
    _, refresh = check(export_file, rows)
    orders, a = refresh.orders, refresh.assessment
    assert len(orders) == 4 and orders.ids.count("") == 3  # three rows, three flags, not one pseudo-order
    assert list(orders.countable) == [False, True, False, False]
    blank = [i for i, oid in enumerate(orders.ids) if oid == ""]
    assert [a.risk[i] for i in blank] == ["Check data"] * 3
    assert [a.data_issue[i] for i in blank] == [
        f"Order ID, row {r}: empty, so this row is not counted as an order" for r in (2, 4, 5)
    ]
    assert a.risk[orders.ids.index("7")] == "On track"


def test_the_sellers_own_spellings_count_on_every_path(export_file):
    rows = [row("1", "Chờ xử lý"), row("2", "Gửi đi", **{"Shipped Time": "11/21/2025 1:00:00 PM"})]
    mine = (("Chờ xử lý", "to SHIP"), ("  gửi   đi ", "In transit"))
    result, _ = check(export_file, rows, statuses=mine)
    assert result["1"] == ("On track", dt.date(2025, 12, 2), "")
    assert result["2"][0] == "On track" and result["2"][2] == ""
    assert check(export_file, rows)[0]["1"][0] == "Check data"  # without them, unknown


def test_a_sellers_spelling_that_maps_to_no_status_is_refused_in_one_line(export_file):
    with pytest.raises(AutocancelError) as err:
        check(export_file, [row("1", "x")], statuses=(("Chờ xử lý", "Sent"),))
    message = str(err.value)
    assert "'Chờ xử lý' -> 'Sent'" in message and "Awaiting collection" in message and "\n" not in message
    with pytest.raises(AutocancelError, match="given twice"):
        parse_seller_statuses([("Gửi", "To ship"), ("gửi", "Completed")], "Statuses")
    with pytest.raises(AutocancelError, match="Statuses sheet: a status spelling is empty"):
        parse_seller_statuses([(" ", "To ship")], "Statuses sheet")


def test_spellings_are_matched_as_a_reader_would():
    decomposed = unicodedata.normalize("NFD", "Cần vận chuyển")  # how some tools write Vietnamese
    assert lookup(decomposed).name == "To ship"
    assert lookup("AWAITING_COLLECTION").name == "Awaiting collection"  # a Partner API name
    assert lookup("  in   TRANSIT\t").name == "In transit"
    assert lookup("Đã huỷ").name == lookup("Đã hủy").name == "Cancelled"  # both tone-mark placements
    assert lookup("Lost in space") is None
