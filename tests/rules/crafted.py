"""Rows of a crafted TikTok export, as the per-market tests write them."""

from __future__ import annotations

import datetime as dt

D = dt.date


def order(oid, created, status="To ship", sub="Awaiting shipment", **cells):
    """One SKU row; ``paid`` defaults to the order time (a confirmed order)."""
    row = {
        "Order ID": oid,
        "Order Status": status,
        "Order Substatus": sub,
        "Created Time": created,
        "Paid Time": created,
        "Normal or Pre-order": "Normal",
        "Fulfillment Type": "Fulfillment by seller",
    }
    row.update(cells)
    return row


def cancelled(oid, created, by, reason, **cells):
    return order(oid, created, "Canceled", "", **{"Cancel By": by, "Cancel Reason": reason, **cells})
