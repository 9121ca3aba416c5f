"""TikTok Shop Southeast Asia: Shipped by TikTok deadlines, pre-orders, and the rate lines.

Sources (TikTok Seller University, each market's Seller Center):
- TH KB 6837799362201346 (2025-08-01), VN KB 7261258355672849 (2025-07-15) and KB 2898390371550978
  (from 2024-08-26): Shipped by TikTok standard orders are auto-cancelled if not "Awaiting collection"
  by 23:59 of the 2nd working day after the order, or not collected (In transit) by the 3rd; not for
  pre-orders or Shipped by Seller. VN KB 6024728339744528: a working day is Monday to Saturday.
- TH KB 6837799362201346, ID KB 7753811422807810: a pre-order not shipped by its Expected Shipped
  Date + 2 calendar days is cancelled (the export has no such date: the seller adds the column).
- ID KB 7753811422807810: Ship by Seller orders not delivered within 15 calendar days are cancelled.
- Rate: TH KB 4260207925872400, VN KB 6988439669442305 (7 calendar days; at 10% or more 2 violation
  points, 4 with 30+ such orders, and sales capped); ID KB 8549287965722385 (aim below 2.5%; caps).
MY, PH and SG publish no page we found: they get the TH/VN rules, labelled unverified.
"""

from __future__ import annotations

from ..rules import Milestone, Policy, Rule
from .base import MarketRules, Threshold

__all__ = ["ID", "MARKETS", "PRE_ORDER_COLUMN", "SEA", "TH", "VN"]

#: The seller's column with a pre-order's Expected Shipped Date (the export does not hold it).
PRE_ORDER_COLUMN = "Expected ship date"
_TIKTOK_SHIPPING = (
    Rule("ship-by", "created", 2, "working", Milestone.AWAITING_COLLECTION, shipping="tiktok"),
    Rule("collection", "created", 3, "working", Milestone.IN_TRANSIT, shipping="tiktok"),
)
_PRE_ORDER = Rule(
    "ship-by", "column", 2, "calendar", Milestone.IN_TRANSIT, order_type="pre-order", column=PRE_ORDER_COLUMN
)
_SHIPPED_BY_TIKTOK = "Shipped by TikTok: Awaiting collection by the 2nd working day, In transit by the 3rd"

TH = Policy(
    "tiktok-th",
    (*_TIKTOK_SHIPPING, _PRE_ORDER),
    f"TikTok TH KB 6837799362201346 (2025-08-01): {_SHIPPED_BY_TIKTOK}; pre-orders shipped by the "
    "Expected Shipped Date + 2 days",
)
VN = Policy(
    "tiktok-vn",
    _TIKTOK_SHIPPING,
    f"TikTok VN KB 7261258355672849 (2025-07-15), KB 2898390371550978: {_SHIPPED_BY_TIKTOK}",
)
ID = Policy(
    "tiktok-id",
    (
        *_TIKTOK_SHIPPING,
        _PRE_ORDER,
        Rule("delivery", "created", 15, "calendar", Milestone.DELIVERED, shipping="seller"),
    ),
    f"TikTok ID KB 7753811422807810: {_SHIPPED_BY_TIKTOK} (as TH/VN, unverified for ID); pre-orders "
    "shipped by the Expected Shipped Date + 2 days; Ship by Seller delivered within 15 days",
)
SEA = Policy(
    "sea-tiktok-shipping",
    _TIKTOK_SHIPPING,
    f"TikTok TH/VN pages (KB 6837799362201346, KB 7261258355672849): {_SHIPPED_BY_TIKTOK}",
)

_CAPS = "sales capped at {}% of average daily orders"
_TH_VN = (
    Threshold(0.10, "10% or more: 2 violation points (4 with 30+ such orders), " + _CAPS.format(90)),
    Threshold(0.30, "30% or more: " + _CAPS.format(70)),
    Threshold(0.50, "50% or more: " + _CAPS.format(50)),
)
_ID = (
    Threshold(0.025, "2.5% or more: above TikTok ID's aim", penalty=False),
    Threshold(0.10, "10% or more: " + _CAPS.format(75)),
    Threshold(0.30, "30% or more: " + _CAPS.format(50)),
    Threshold(0.50, "50% or more: " + _CAPS.format(25)),
    Threshold(0.75, "75% or more: no sales"),
)
_SHIPPED_BY_SELLER = "TikTok states no auto-cancel deadline for Shipped by Seller orders here"

MARKETS = {
    "TH": MarketRules(TH, _TH_VN, "KB 4260207925872400", 7, unverified=_SHIPPED_BY_SELLER),
    "VN": MarketRules(VN, _TH_VN, "KB 6988439669442305", 7, unverified=_SHIPPED_BY_SELLER),
    "ID": MarketRules(
        ID,
        _ID,
        "KB 8549287965722385",
        7,
        unverified="Shipped by TikTok days taken from TH/VN (ID's 2025-08-27 SLA table is an image, unread)",
    ),
    **{
        code: MarketRules(
            SEA,
            _TH_VN,
            "TH KB 4260207925872400 (no page for this market)",
            7,
            unverified="TH/VN deadlines and rate lines, no TikTok page found for this market",
        )
        for code in ("MY", "PH", "SG")
    },
}
