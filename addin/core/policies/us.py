"""TikTok Shop US: the Fulfillment Policy's auto-cancel deadlines, the dispatch SLA, and the rate lines.

Sources (TikTok Seller University, US Seller Center):
- Fulfillment Policy KB 3995852763301633 (2025-10-23), KB 8064131472115499: regular orders are
  auto-cancelled if not "Awaiting collection" (tracking uploaded) 7 business days after the order;
  made-to-order / back-order / custom SKUs 4 business days after their dispatch deadline (the
  product's handling time); pre-orders 5 business days after theirs (1 business day after the
  pre-order closure date).
- KB 6179821974439723 (2026-01-17): from 2026-01-26 the dispatch SLA is "In transit" within 2
  business days (before: ready to ship within 2), handling-time and pre-order dispatch deadlines
  get +1 business day. The late dispatch rate is judged on it (at most 4%, 3rd parties).
- KB 6747273381791534 (2025-09-19), KB 8308896260065025: 7 business days after Awaiting collection
  without a carrier scan, buyers may ask for a refund (a warning, not a cancel).
- Partner API cancel reasons: "not delivered within 30 days of the estimated delivery" exists in the US.
- KB 7953001314830094: seller-fault cancellation rate of confirmed orders at most 2.5%, creator
  samples excluded; the window is not stated. KB 7774796411864833: FBT orders are exempt.
"""

from __future__ import annotations

import datetime as dt

from ..rules import Milestone, Policy, Rule
from .base import MarketRules, Threshold

__all__ = ["CHANGE", "MARKETS", "PRE_ORDER_COLUMN", "US"]

CHANGE = dt.date(2026, 1, 26)  # KB 6179821974439723: the dispatch SLA changed for orders from this day
_LAST_BEFORE = CHANGE - dt.timedelta(days=1)
#: The seller's column with a pre-order's closure date (the export does not hold it).
PRE_ORDER_COLUMN = "Pre-order closure date"
_AC, _IT = Milestone.AWAITING_COLLECTION, Milestone.IN_TRANSIT
_PRE = "pre-order"

US = Policy(
    "us-official",
    (
        # KB 3995852763301633 / 8064131472115499: tracking uploaded within 7 business days.
        Rule("ship-by", "created", 7, "working", _AC),
        # Handling-time SKUs: dispatch deadline = handling time (+1 from 2026-01-26), cancel 4 after.
        Rule("ship-by", "created", 4, "working", _AC, handling_time=True, orders_to=_LAST_BEFORE),
        Rule("ship-by", "created", 5, "working", _AC, handling_time=True, orders_from=CHANGE),
        # Pre-orders: dispatch 1 business day after closure (2 from 2026-01-26), cancel 5 after.
        Rule("ship-by", "column", 6, "working", _AC, order_type=_PRE, column=PRE_ORDER_COLUMN, orders_to=_LAST_BEFORE),
        Rule("ship-by", "column", 7, "working", _AC, order_type=_PRE, column=PRE_ORDER_COLUMN, orders_from=CHANGE),
        # Partner API: delivery time-out is a US cancel reason.
        Rule("delivery", "edd", 30, "calendar", Milestone.DELIVERED),
        # KB 6179821974439723: the dispatch SLA the late dispatch rate counts (warn).
        Rule("dispatch", "created", 2, "working", _AC, kind="warn", orders_to=_LAST_BEFORE),
        Rule("dispatch", "created", 2, "working", _IT, kind="warn", orders_from=CHANGE),
        Rule("dispatch", "created", 0, "working", _AC, kind="warn", handling_time=True, orders_to=_LAST_BEFORE),
        Rule("dispatch", "created", 1, "working", _IT, kind="warn", handling_time=True, orders_from=CHANGE),
        Rule(
            "dispatch",
            "column",
            1,
            "working",
            _AC,
            kind="warn",
            order_type=_PRE,
            column=PRE_ORDER_COLUMN,
            orders_to=_LAST_BEFORE,
        ),
        Rule(
            "dispatch",
            "column",
            2,
            "working",
            _IT,
            kind="warn",
            order_type=_PRE,
            column=PRE_ORDER_COLUMN,
            orders_from=CHANGE,
        ),
        # KB 6747273381791534: not In transit 7 business days after Awaiting collection -> refund requests.
        Rule("refund-request", "rts", 7, "working", _IT, kind="warn", order_type="any"),
    ),
    "TikTok US Fulfillment Policy KB 3995852763301633 (2025-10-23): Awaiting collection 7 business days "
    "after the order (handling-time SKUs: 4 after their dispatch deadline; pre-orders: 5 after); delivered "
    "30 days after the EDD (Partner API); dispatch SLA KB 6179821974439723 (2026-01-26 change)",
)

MARKETS = {
    "US": MarketRules(
        US,
        (
            Threshold(
                0.025, "above TikTok US's 2.5% seller-fault cancellation limit (KB 7953001314830094)", at_or_above=False
            ),
        ),
        "KB 7953001314830094",
        window_days=None,
        window_note="TikTok US does not state the evaluation window (3rd parties: 28 or 30 days): "
        "every order in the file is counted unless you set one",
        late_dispatch_target=0.04,
        fbt_exempt=True,
        unverified="the 4% late dispatch target is from 3rd parties",
    ),
}
