import datetime as dt

import pytest

from addin.export import read_export
from addin.pipeline import Settings, run

TODAY = dt.date(2025, 11, 26)


def cancelled(oid, by, reason, created="11/20/2025 7:00:00 AM"):
    return {"Order ID": oid, "Order Status": "Canceled", "Created Time": created, "Cancel By": by, "Cancel Reason": reason}


def shop(export_file):
    rows = [
        cancelled("1", "Seller", "Out of stock"),
        cancelled("2", "System", "Customer overdue to pay"),  # the buyer's fault
        cancelled("3", "System", "Package lost"),  # counts against the seller
        cancelled("4", "User", "No longer needed"),
        {"Order ID": "5", "Order Status": "To ship", "Created Time": "11/10/2025 7:00:00 AM"},  # overdue
        {"Order ID": "5", "Order Status": "To ship", "Created Time": "11/10/2025 7:00:00 AM", "SKU ID": "2"},
        {"Order ID": "6", "Order Status": "Completed", "Created Time": "10/01/2025 7:00:00 AM"},
        {"Order ID": "7", "Order Status": "To ship", "Created Time": "11/25/2025 7:00:00 AM"},
        {"Order ID": "8", "Order Status": "Shipped", "Created Time": "11/24/2025 7:00:00 AM"},
    ]
    return read_export(export_file(rows))


def test_rate_counts_orders_not_rows_and_only_seller_fault(export_file):
    s = run(shop(export_file), Settings(today=TODAY)).summary
    assert s.orders == 8  # order 5 has two SKU rows
    assert s.cancelled == 4
    assert s.cancelled_by == {"Seller": 1, "System": 2, "Buyer": 1}
    assert s.seller_responsible == 2
    assert s.seller_responsible_rate == pytest.approx(2 / 8)
    assert s.projected_rate == pytest.approx(3 / 8)  # + the overdue order 5
    assert s.risk_counts == {"Overdue": 1, "Due today": 0, "At risk": 0, "Check data": 0, "On track": 2,
                             "Unpaid": 0, "Done": 1, "Cancelled": 4}


def test_buyer_fault_reasons_are_a_setting(export_file):
    s = run(shop(export_file), Settings(today=TODAY, buyer_fault_reasons=("customer overdue to pay", "Package lost"))).summary
    assert s.seller_responsible == 1


def test_window_keeps_orders_created_in_the_last_n_days(export_file):
    s = run(shop(export_file), Settings(today=TODAY, window_days=7)).summary
    # created 20, 20, 20, 20, 25, 24 Nov are within 20..26 Nov; 10 Nov and 1 Oct are not
    assert s.orders == 6
    assert s.seller_responsible_rate == pytest.approx(2 / 6)
    assert s.projected_rate == pytest.approx(2 / 6)  # the overdue order is outside the window
    assert s.risk_counts["Overdue"] == 1  # what is at risk now is counted whatever the window
    assert [(d.isoformat(), o, c) for d, o, c in s.per_day] == [
        ("2025-11-20", 4, 2), ("2025-11-24", 1, 0), ("2025-11-25", 1, 0)]


def test_an_empty_export_has_a_zero_rate(export_file):
    s = run(read_export(export_file([])), Settings(today=TODAY)).summary
    assert (s.orders, s.seller_responsible_rate, s.projected_rate) == (0, 0.0, 0.0)
