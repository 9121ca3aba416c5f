"""The short readable report of ``autocancel check``: the rate first, then the orders to act on."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .core.assess import (
    AT_RISK,
    CHECK_DATA,
    DUE_TODAY,
    ON_TRACK,
    OVERDUE,
    PRE_ORDER,
    URGENCY,
)
from .core.summary import AMBER, GREEN

if TYPE_CHECKING:
    from .pipeline import Refresh

__all__ = ["TOP", "text_report", "urgent_orders"]

TOP = 15
_ACT_ON = (OVERDUE, DUE_TODAY, AT_RISK, CHECK_DATA, PRE_ORDER)
_SHOW_ISSUE = (CHECK_DATA, PRE_ORDER)


def urgent_orders(refresh: Refresh, limit: int = TOP) -> list[int]:
    """Indices of the open orders to act on, most urgent first (risk, then days left)."""
    a = refresh.assessment
    urgency = np.array([URGENCY[r] for r in a.risk])
    days = np.where(np.isnan(a.days_left), np.inf, a.days_left)
    order = np.lexsort((days, urgency))
    order = order[np.isin(a.risk[order], (*_ACT_ON, ON_TRACK))]
    return [int(i) for i in order[:limit]]


def text_report(refresh: Refresh) -> str:
    """The report: the rate and its verdict, the counts, what to do, then the orders to act on first."""
    s, st = refresh.summary, refresh.settings
    window = f"last {s.window_days} days" if s.window_days else "all orders in the file"
    verdicts = {GREEN: "within target", AMBER: f"above the aim ({s.verdict})"}
    verdict = verdicts.get(s.light, f"ABOVE TARGET ({s.verdict})")
    lines = [
        (
            f"Auto-cancel guard - {st.market.name} ({st.market.code}), today {s.today:%a %d %b %Y}, "
            f"policy {s.policy} ({s.policy_source})"
        ),
        (
            f"Seller-fault cancellation rate: {s.seller_responsible_rate:.2%} "
            f"({s.seller_responsible} of {s.confirmed} confirmed orders, {window}) - target {st.target:.1%}: {verdict}"
        ),
        f"If every overdue order is auto-cancelled: {s.projected_rate:.2%}",
        "Orders: " + ", ".join(f"{r} {n}" for r, n in s.risk_counts.items() if n),
    ]
    if s.appealable:
        lines.append(f"Cancelled at the buyer's request (you may appeal): {s.appealable}")
    if s.unclassified:
        lines.append(
            f"Cancellations with a reason we do not know (on neither side): {s.unclassified} - "
            + "; ".join(f"{r} ({n})" for r, n in s.unclassified_reasons.items())
        )
    if s.excluded:
        lines.append("Left out of the rate: " + ", ".join(f"{k} {n}" for k, n in s.excluded.items()))
    if s.late_dispatch_rate is not None:
        target = f" - target at most {s.late_dispatch_target:.0%}" if s.late_dispatch_target is not None else ""
        lines.append(f"Late dispatch rate: {s.late_dispatch_rate:.2%} ({s.late_dispatch} of {s.dispatch_due}){target}")
    lines += [
        f"To do ({rule}): {late} past, {soon} due within {st.at_risk_days} working days"
        for rule, late, soon in s.to_do
        if late or soon
    ]
    lines += [f"Not verified: {note}" for note in s.unverified]
    shown = [i for i in urgent_orders(refresh) if refresh.assessment.risk[i] in _ACT_ON]
    a = refresh.assessment
    if shown:
        lines += ["", "Act on these first:", f"  {'Order ID':<20} {'Next auto-cancel':<17} {'Days left':>9}  Risk"]
        for i in shown:
            deadline = "" if np.isnat(a.next_deadline[i]) else f"{a.next_deadline[i].astype(object):%a %d %b %Y}"
            days = "" if np.isnan(a.days_left[i]) else f"{int(a.days_left[i]):d}"
            issue = f"  ({a.data_issue[i]})" if a.risk[i] in _SHOW_ISSUE else ""
            lines.append(f"  {refresh.orders.ids[i]:<20} {deadline:<17} {days:>9}  {a.risk[i]}{issue}")
    else:
        lines += ["", "No open order is overdue or at risk."]
    return "\n".join(lines) + "\n"
