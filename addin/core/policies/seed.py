"""The seed guide's rules, for the markets TikTok publishes no auto-cancel page for.

Those are UK, EU, MX, BR, JP, and SA/AE where TikTok Shop is not confirmed to run.

Seed: "TikTok's Automatic Order Cancellation: Scenarios You Need to Know" (gloda.vip, 2025-03-03, a
third-party tips site). The delivery rule is kept only where TikTok has that cancel reason: the Partner
API's "not delivered within 30 days of the estimated delivery" exists in US, MX, BR, EU and JP.
"""

from __future__ import annotations

import datetime as dt

from ..rules import Milestone, Policy, Rule
from .base import MarketRules, Threshold

__all__ = ["MARKETS", "STANDARD", "STANDARD_SHIP_BY", "UK"]

_SHIP_BY = Rule("ship-by", "created", 7, "working", Milestone.IN_TRANSIT)
_DELIVERY = Rule("delivery", "edd", 30, "calendar", Milestone.DELIVERED)

STANDARD = Policy(
    "standard",
    (_SHIP_BY, _DELIVERY),
    "Seed guide (gloda.vip, 3rd party, 2025-03-03): In transit 7 working days after the order; delivered "
    "30 days after the EDD (a cancel reason in the Partner API for US, MX, BR, EU, JP)",
)
STANDARD_SHIP_BY = Policy(
    "standard-ship-by",
    (_SHIP_BY,),
    "Seed guide (gloda.vip, 3rd party, 2025-03-03): In transit 7 working days after the order; no delivery "
    "time-out (not a cancel reason in this market)",
)
UK = Policy(
    "uk",
    (
        _SHIP_BY,
        # Late dispatch judged on ready to ship within 2 working days of the order, from 2024-11-04
        # (middleofthefairway.com, 3rd party, 2024-10-23). UK has no delivery time-out reason.
        Rule(
            "dispatch",
            "created",
            2,
            "working",
            Milestone.AWAITING_COLLECTION,
            kind="warn",
            orders_from=dt.date(2024, 11, 4),
        ),
    ),
    "Seed guide (3rd party): In transit 7 working days after the order; dispatch (warn): ready to ship "
    "within 2 working days from 2024-11-04 (middleofthefairway.com, 3rd party)",
)

_CAUTIOUS = (
    Threshold(
        0.025,
        "above 2.5%, a cautious line: TikTok publishes no figure for this market",
        at_or_above=False,
        penalty=False,
    ),
)
_NO_SOURCE = "no TikTok auto-cancel page for this market: the seed guide's rules (3rd party); rate line 2.5% assumed"


def _seed(policy: Policy, unverified: str = _NO_SOURCE) -> MarketRules:
    return MarketRules(policy, _CAUTIOUS, "none found", unverified=unverified)


MARKETS: dict[str, MarketRules] = {
    "GB": _seed(UK),
    **{code: _seed(STANDARD) for code in ("DE", "FR", "IT", "ES", "IE", "MX", "BR", "JP")},
    **{
        code: _seed(
            STANDARD_SHIP_BY,
            "TikTok Shop not confirmed to run here (equalocean.com, 2024-04-08): "
            "no Seller Center policy, not a Partner API market",
        )
        for code in ("SA", "AE")
    },
}
