"""Per-order deadlines and risk: when will TikTok cancel this order, and how close is it?

Every rule of the policy gives a deadline from its start event. The pending deadline is the one
of the first milestone the order has not reached; today against it gives the Risk.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .calendar import WorkCalendar
from .orders import CANCELLED, UNPAID, Orders
from .rules import EVENTS, Milestone, Policy, Rule

# Risk values, in the order a seller should look at them.
OVERDUE, DUE_TODAY, AT_RISK, CHECK_DATA, ON_TRACK, UNPAID_RISK, DONE, CANCELLED_RISK = (
    "Overdue", "Due today", "At risk", "Check data", "On track", UNPAID, "Done", CANCELLED,
)
RISKS = (OVERDUE, DUE_TODAY, AT_RISK, CHECK_DATA, ON_TRACK, UNPAID_RISK, DONE, CANCELLED_RISK)
URGENCY = {risk: rank for rank, risk in enumerate(RISKS)}

#: The six columns added to the seller's sheet, with these exact headers.
COLUMNS = ("Ship-by deadline", "Delivery deadline", "Next auto-cancel", "Days left", "Risk", "Data issue")


@dataclass
class Assessment:
    """Per-order answers (arrays aligned with ``Orders.ids``)."""

    ship_by: np.ndarray  # datetime64[D], NaT = blank
    delivery: np.ndarray
    next_deadline: np.ndarray
    days_left: np.ndarray  # float, NaN = blank
    risk: np.ndarray  # str
    data_issue: np.ndarray  # str, "" for most orders
    today: dt.date


def rule_deadlines(rule: Rule, start: np.ndarray, calendar: WorkCalendar) -> np.ndarray:
    """The deadline of one rule for each start date (NaT where the clock has not started).

    A working-day clock starting in a year the market's holiday data does not cover gives NaT:
    counting it without holidays would be wrong, and it must not stop the other orders.
    """
    if rule.unit == "working":
        return calendar.workday(np.where(calendar.covers(start), start, np.datetime64("NaT")), rule.days)
    return start + np.timedelta64(rule.days, "D")


def assess(
    orders: Orders, policy: Policy, calendar: WorkCalendar, today: dt.date, at_risk_days: int = 2
) -> Assessment:
    """Deadlines, pending deadline, days left and Risk of every order, all at once."""
    n = len(orders)
    today64 = np.datetime64(today, "D")
    deadlines = [rule_deadlines(r, orders.dates[r.start], calendar) for r in policy.rules]
    nat = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")

    def reported(rule: Rule | None) -> np.ndarray:
        return deadlines[policy.rules.index(rule)] if rule is not None else nat

    status = np.array(orders.status, dtype=object)
    cancelled, unpaid = status == CANCELLED, status == UNPAID
    done = orders.reached >= Milestone.DELIVERED
    open_ = ~(cancelled | unpaid | done) & orders.recognised

    # Pending: among rules not yet met whose clock runs, the lowest milestone, then the earliest.
    big = np.iinfo(np.int64).max
    best_key = np.full(n, big, dtype=np.int64)
    pending = nat.copy()
    blocked = np.zeros(n, dtype=bool)
    reasons = {o: list(msgs) for o, msgs in orders.issues.items()}
    for rule, deadline in zip(policy.rules, deadlines):
        unmet = open_ & (orders.reached < rule.milestone)
        # Every order has an order time; the other events may simply not have happened yet.
        start = orders.dates[rule.start]
        uncounted = np.isnat(deadline) & ~np.isnat(start)  # a year without holiday data
        missing = np.isnat(deadline) & (orders.unreadable[rule.start] | (rule.start == "created") | uncounted)
        blocked |= unmet & missing
        for o in np.flatnonzero(unmet & missing & ~orders.unreadable[rule.start]):
            reasons.setdefault(o, []).append(
                f"{EVENTS[rule.start]} {start[o]} is outside the years with holiday data for this market "
                f"({calendar.years[0]}-{calendar.years[1] - 1})" if uncounted[o]
                else f"{EVENTS[rule.start]} is empty: the {rule.name} deadline cannot be counted")
        key = np.where(unmet & ~np.isnat(deadline),
                       rule.milestone * 10**9 + deadline.astype(np.int64), big)
        better = key < best_key
        best_key = np.where(better, key, best_key)
        pending = np.where(better, deadline, pending)

    risk = np.full(n, ON_TRACK, dtype=object)
    has_pending = ~np.isnat(pending)
    working_left = calendar.working_days_between(np.full(n, today64), pending)
    risk[has_pending & (pending > today64) & (working_left <= at_risk_days)] = AT_RISK
    risk[has_pending & (pending == today64)] = DUE_TODAY
    risk[has_pending & (pending < today64)] = OVERDUE
    risk[blocked | ~orders.recognised] = CHECK_DATA
    risk[done & orders.recognised] = DONE
    risk[unpaid] = UNPAID_RISK
    risk[cancelled] = CANCELLED_RISK
    live = open_ & ~blocked
    pending = np.where(live, pending, nat)
    days_left = np.where(~np.isnat(pending), (pending - today64).astype(np.float64), np.nan)
    return Assessment(
        ship_by=reported(policy.ship_by),
        delivery=reported(policy.delivery),
        next_deadline=pending,
        days_left=days_left,
        risk=risk,
        data_issue=_issues_text(reasons, n),
        today=today,
    )


def _issues_text(reasons: dict[int, list[str]], n: int) -> np.ndarray:
    text = np.full(n, "", dtype=object)
    for o, msgs in reasons.items():
        text[o] = "; ".join(dict.fromkeys(msgs))
    return text
