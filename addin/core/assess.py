"""Per-order deadlines and risk: when TikTok will cancel each order, and how close that is.

Every rule of the policy that applies to an order (by its kind: normal or pre-order, who fulfils
and ships it, a SKU handling time, its order date) gives a deadline from its start event; of the
rules sharing a name the most specific applies. The pending deadline is the one of the first
milestone the order has not reached among the ``cancel`` rules: today against it gives the Risk.
``warn`` rules (the dispatch SLA, refund requests) never make an order Overdue: their deadlines go
to the ``Dispatch by`` column and the Summary's to-do list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .orders import CANCELLED, UNPAID, Orders
from .rules import DISPATCH, Milestone, Policy, Rule

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    import numpy.typing as npt

    from .calendar import WorkCalendar
    from .order_kinds import OrderKinds
    from .rules import Extension

    BoolArray = npt.NDArray[np.bool_]

__all__ = [
    "AT_RISK",
    "CANCELLED_RISK",
    "CHECK_DATA",
    "COLUMNS",
    "DONE",
    "DUE_TODAY",
    "ON_TRACK",
    "OVERDUE",
    "PRE_ORDER",
    "RISKS",
    "TIKTOK_FULFILS",
    "UNPAID_RISK",
    "URGENCY",
    "Assessment",
    "applies",
    "assess",
    "rule_deadlines",
]

# Risk values, in the order a seller should look at them.
OVERDUE, DUE_TODAY, AT_RISK, CHECK_DATA, PRE_ORDER, ON_TRACK, TIKTOK_FULFILS, UNPAID_RISK, DONE, CANCELLED_RISK = (
    "Overdue",
    "Due today",
    "At risk",
    "Check data",
    "Pre-order",
    "On track",
    "TikTok fulfils",
    UNPAID,
    "Done",
    CANCELLED,
)
RISKS = (
    OVERDUE,
    DUE_TODAY,
    AT_RISK,
    CHECK_DATA,
    PRE_ORDER,
    ON_TRACK,
    TIKTOK_FULFILS,
    UNPAID_RISK,
    DONE,
    CANCELLED_RISK,
)
URGENCY = {risk: rank for rank, risk in enumerate(RISKS)}

#: The columns added to the seller's sheet, with these exact headers.
COLUMNS = (
    "Ship-by deadline",
    "Delivery deadline",
    "Next auto-cancel",
    "Days left",
    "Risk",
    "Data issue",
    "Dispatch by",
)

_NAT = np.datetime64("NaT", "D")


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
    at_risk_days: int  # working days before a deadline that make an order At risk
    dispatch_by: np.ndarray = field(default_factory=lambda: np.empty(0, dtype="datetime64[D]"))
    dispatch_milestone: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))  # -1: no rule
    #: warn rule name -> its deadline for each open order that has not met it yet (NaT otherwise)
    warnings: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class _Group:
    """The rules sharing one name, resolved per order: the deadline and milestone of the version that applies."""

    name: str
    kind: str
    deadline: np.ndarray
    milestone: np.ndarray  # int, -1 where no version applies
    blocked: np.ndarray  # a start the order must have is missing or unreadable


def rule_deadlines(
    rule: Rule, start: np.ndarray, calendar: WorkCalendar, days: np.ndarray | int | None = None
) -> np.ndarray:
    """The deadline of one rule for each start date (NaT where the clock has not started).

    ``days`` overrides the rule's own (a SKU's handling time plus the rule's days). A working-day
    clock starting in a year the market's holiday data does not cover gives NaT: counting it without
    holidays would be wrong, and it must not stop the other orders.
    """
    days = rule.days if days is None else days
    if rule.unit == "working":
        return calendar.workday(np.where(calendar.covers(start), start, _NAT), days)
    calendar_days: np.ndarray = start + np.asarray(days).astype("timedelta64[D]")
    return calendar_days


def applies(rule: Rule, orders: Orders, kinds: OrderKinds) -> np.ndarray:
    """True for each order the rule's conditions select."""
    n = len(orders)
    mask = np.ones(n, dtype=bool)
    if rule.order_type != "any":
        mask &= kinds.pre_order == (rule.order_type == "pre-order")
    if rule.fulfillment != "any":
        mask &= kinds.by_tiktok == (rule.fulfillment == "tiktok")
    if rule.shipping is not None:
        mask &= kinds.seller_shipping == (rule.shipping == "seller")
    if rule.handling_time is not None:
        mask &= (kinds.handling_days >= 0) == rule.handling_time
    created = orders.dates["created"]
    if rule.orders_from:
        mask &= created >= np.datetime64(rule.orders_from, "D")
    if rule.orders_to:
        mask &= created <= np.datetime64(rule.orders_to, "D")
    return mask


def _specificity(rule: Rule) -> int:
    return sum(
        (
            rule.order_type != "normal",
            rule.fulfillment != "seller",
            rule.shipping is not None,
            rule.handling_time is not None,
        )
    )


def _groups(
    orders: Orders, policy: Policy, kinds: OrderKinds, calendar: WorkCalendar, open_: BoolArray
) -> tuple[list[_Group], list[tuple[int, str]]]:
    """Each rule name resolved per order, and (order, why) for what stops a deadline of an open order."""
    n = len(orders)
    reasons: list[tuple[int, str]] = []
    names = list(dict.fromkeys(r.name.lower() for r in policy.rules))
    out = []
    for name in names:
        versions = sorted((r for r in policy.rules if r.name.lower() == name), key=_specificity, reverse=True)
        deadline, milestone = np.full(n, _NAT), np.full(n, -1, dtype=np.int64)
        blocked, taken = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        for rule in versions:
            mine = applies(rule, orders, kinds) & ~taken
            taken |= mine
            if rule.start == "column":
                start = kinds.columns.get(rule.column or "", np.full(n, _NAT))
                unreadable = np.zeros(n, dtype=bool)
            else:
                start, unreadable = orders.dates[rule.start], orders.unreadable[rule.start]
            days = rule.days + np.maximum(kinds.handling_days, 0) if rule.handling_time else rule.days
            d = _extended(rule, rule_deadlines(rule, start, calendar, days), orders, calendar, policy.extensions)
            deadline = np.where(mine, d, deadline)
            milestone = np.where(mine, int(rule.milestone), milestone)
            uncounted = np.isnat(d) & ~np.isnat(start)  # a year without holiday data
            missing = mine & np.isnat(d) & (unreadable | (rule.start == "created") | uncounted)
            # The orders a missing start stops: open ones still short of this cancel rule's milestone.
            concerned = mine & open_ & (orders.reached < rule.milestone) & (rule.kind == "cancel")
            if rule.column in kinds.missing_columns and rule.order_type != "pre-order":
                # A pre-order says what to add in its own way (Risk Pre-order); any other order cannot be counted.
                reasons += [
                    (o, f"no column {rule.column!r} in the export: the {rule.name} deadline cannot be counted")
                    for o in np.flatnonzero(concerned).tolist()
                ]
                blocked |= mine
            blocked |= missing
            reasons += [
                (
                    o,
                    f"{rule.start_label} {start[o]} is outside the years with holiday data for this market "
                    f"({calendar.years[0]}-{calendar.years[1] - 1})"
                    if uncounted[o]
                    else f"{rule.start_label} is empty: the {rule.name} deadline cannot be counted",
                )
                for o in np.flatnonzero(concerned & missing & ~unreadable).tolist()
            ]
        out.append(_Group(versions[0].name, versions[0].kind, deadline, milestone, blocked))
    return out, reasons


def _extended(
    rule: Rule, deadline: np.ndarray, orders: Orders, calendar: WorkCalendar, extensions: tuple[Extension, ...]
) -> np.ndarray:
    """TikTok's announced extensions for orders created in their dates (not on EDD-based rules)."""
    if rule.start == "edd":
        return deadline
    created = orders.dates["created"]
    for ext in extensions:
        hit = (created >= np.datetime64(ext.orders_from, "D")) & (created <= np.datetime64(ext.orders_to, "D"))
        hit &= ~np.isnat(deadline)
        if ext.days:
            deadline = np.where(hit, calendar.workday(np.where(hit, deadline, _NAT), ext.days), deadline)
        if ext.until:
            deadline = np.where(hit, np.maximum(deadline, np.datetime64(ext.until, "D")), deadline)
    return deadline


def assess(  # noqa: PLR0913 - the orders, the rules and the day: each its own input
    orders: Orders,
    kinds: OrderKinds,
    policy: Policy,
    calendar: WorkCalendar,
    *,
    today: dt.date,
    at_risk_days: int = 2,
) -> Assessment:
    """Deadlines, pending deadline, days left and Risk of every order, all at once.

    ``policy.extensions`` are every deadline extension that applies (TikTok's announced ones
    included); ``today`` is the market's date, given by the caller: the core has no clock.
    """
    n = len(orders)
    today64 = np.datetime64(today, "D")
    reasons = {o: list(msgs) for o, msgs in orders.issues.items()}
    for o, msgs in kinds.issues.items():
        reasons.setdefault(o, []).extend(msgs)
    status = np.array(orders.status, dtype=object)
    cancelled, unpaid = status == CANCELLED, status == UNPAID
    done = orders.reached >= Milestone.DELIVERED
    open_ = ~(cancelled | unpaid | done) & orders.recognised
    groups, stopped = _groups(orders, policy, kinds, calendar, open_ & ~kinds.by_tiktok)
    for o, why in stopped:
        reasons.setdefault(o, []).append(why)
    cancels = [g for g in groups if g.kind == "cancel"]
    nat = np.full(n, _NAT)
    fbt = open_ & kinds.by_tiktok

    # Pending: among cancel rules not yet met whose clock runs, the lowest milestone, then the earliest.
    big = np.iinfo(np.int64).max
    best_key = np.full(n, big, dtype=np.int64)
    pending = nat.copy()
    blocked = np.zeros(n, dtype=bool)
    for g in cancels:
        unmet = open_ & (g.milestone >= 0) & (orders.reached < g.milestone)
        blocked |= unmet & g.blocked
        key = np.where(unmet & ~np.isnat(g.deadline), g.milestone * 10**9 + g.deadline.astype(np.int64), big)
        better = key < best_key
        best_key = np.where(better, key, best_key)
        pending = np.where(better, g.deadline, pending)

    # A pre-order that has not shipped and has no deadline: never a false Overdue, and say what is missing.
    shipped_by = min(
        (r.milestone for r in policy.rules if r.kind == "cancel" and r.order_type == "pre-order"),
        default=Milestone.IN_TRANSIT,
    )
    waiting_pre_order = open_ & kinds.pre_order & np.isnat(pending) & ~blocked & ~fbt & (orders.reached < shipped_by)
    if waiting_pre_order.any():
        why = _pre_order_issue(policy, kinds)  # the same for every such order
        for o in np.flatnonzero(waiting_pre_order).tolist():
            reasons.setdefault(o, []).append(why)

    risk = np.full(n, ON_TRACK, dtype=object)
    has_pending = ~np.isnat(pending)
    working_left = calendar.working_days_between(np.full(n, today64), pending)
    risk[has_pending & (pending > today64) & (working_left <= at_risk_days)] = AT_RISK
    risk[has_pending & (pending == today64)] = DUE_TODAY
    risk[has_pending & (pending < today64)] = OVERDUE
    risk[waiting_pre_order] = PRE_ORDER
    risk[fbt] = TIKTOK_FULFILS
    risk[blocked & ~fbt | ~orders.recognised] = CHECK_DATA
    risk[done & orders.recognised] = DONE
    risk[unpaid] = UNPAID_RISK
    risk[cancelled] = CANCELLED_RISK
    live = open_ & ~blocked & ~fbt
    pending = np.where(live, pending, nat)
    days_left = np.where(~np.isnat(pending), (pending - today64).astype(np.float64), np.nan)

    def first(test: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        out = nat.copy()
        for g in cancels:
            pick = np.isnat(out) & test(g.milestone)
            out = np.where(pick, g.deadline, out)
        return out

    dispatch = next((g for g in groups if g.name.lower() == DISPATCH and g.kind == "warn"), None)
    warnings = {
        g.name: np.where(open_ & ~fbt & (g.milestone >= 0) & (orders.reached < g.milestone), g.deadline, nat)
        for g in groups
        if g.kind == "warn"
    }
    return Assessment(
        ship_by=first(lambda m: (m >= 0) & (m < Milestone.DELIVERED)),
        delivery=first(lambda m: m == Milestone.DELIVERED),
        next_deadline=pending,
        days_left=days_left,
        risk=risk,
        data_issue=_issues_text(reasons, n),
        today=today,
        at_risk_days=at_risk_days,
        dispatch_by=dispatch.deadline if dispatch else nat,
        dispatch_milestone=dispatch.milestone if dispatch else np.full(n, -1, dtype=np.int64),
        warnings=warnings,
    )


def _pre_order_issue(policy: Policy, kinds: OrderKinds) -> str:
    """What a seller adds so that TikTok's pre-order deadline can be counted."""
    columns = [r.column for r in policy.rules if r.kind == "cancel" and r.order_type != "normal" and r.column]
    if not any(r.kind == "cancel" and r.order_type != "normal" for r in policy.rules):
        return f"pre-order: policy {policy.name!r} has no pre-order rule, so no deadline is counted"
    missing = [c for c in dict.fromkeys(columns) if c in kinds.missing_columns]
    if missing:
        return (
            f"pre-order: add a column {missing[0]!r} with the date you set for this pre-order, "
            "to count TikTok's pre-order deadline"
        )
    return (
        f"pre-order: {columns[0]!r} is empty, so TikTok's pre-order deadline cannot be counted"
        if columns
        else "pre-order: no deadline could be counted"
    )


def _issues_text(reasons: dict[int, list[str]], n: int) -> np.ndarray:
    text = np.full(n, "", dtype=object)
    for o, msgs in reasons.items():
        text[o] = "; ".join(dict.fromkeys(msgs))
    return text
