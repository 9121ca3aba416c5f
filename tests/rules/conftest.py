"""Crafted exports for the per-market rule tests: TikTok's columns, a few orders each, read end to end."""

from __future__ import annotations

import numpy as np
import pytest

from addin.core.markets import get_market
from addin.io.export import read_export
from addin.pipeline import Settings, run

HEADERS = [
    "Order ID",
    "Order Status",
    "Order Substatus",
    "Normal or Pre-order",
    "Seller SKU",
    "Created Time",
    "Paid Time",
    "RTS Time",
    "Shipped Time",
    "Delivered Time",
    "Cancel By",
    "Cancel Reason",
    "Fulfillment Type",
    "Delivery Option Type",
    "Payment Method",
]


@pytest.fixture
def shop(export_file):
    """``shop(rows, market, today, extra_headers=(), **settings)`` -> (answers by Order ID, Refresh)."""

    def make(rows, market, today, extra_headers=(), **settings):
        export = read_export(export_file(rows, HEADERS + list(extra_headers)))
        refresh = run(export, Settings(market=get_market(market), today=today, **settings))
        a = refresh.assessment

        def day(v):
            return None if np.isnat(v) else v.astype(object)

        answers = {
            oid: {
                "ship_by": day(a.ship_by[i]),
                "delivery": day(a.delivery[i]),
                "next": day(a.next_deadline[i]),
                "dispatch_by": day(a.dispatch_by[i]),
                "days_left": None if np.isnan(a.days_left[i]) else int(a.days_left[i]),
                "risk": a.risk[i],
                "issue": a.data_issue[i],
            }
            for i, oid in enumerate(refresh.orders.ids)
        }
        return answers, refresh

    return make
