"""The shop's seller-fault cancellation rate as TikTok computes it, what is at risk, and where it is heading.

TikTok counts orders, not SKU rows. The rate is seller-fault cancellations over **confirmed** orders
(paid, or cash on delivery) placed in the market's window; FBT orders are left out where TikTok
exempts them and creator samples when the export marks them (US KB 7953001314830094, TH KB
4260207925872400, VN KB 6988439669442305). Whose fault a cancellation is comes from
``addin.core.reasons``; a reason it does not know is counted apart as "unclassified", on neither side.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .assess import CANCELLED_RISK, OVERDUE, RISKS, Assessment
from .orders import CANCELLED, UNPAID, Orders
from .reasons import NOT_SELLER, SELLER, UNCLASSIFIED, classify, is_non_payment
from .rules import Milestone

if TYPE_CHECKING:
    import datetime as dt

    import numpy.typing as npt

    from .calendar import WorkCalendar
    from .order_kinds import OrderKinds
    from .policies import Threshold

__all__ = [
    "AMBER",
    "BUYER_FAULT_REASONS",
    "GREEN",
    "RED",
    "RateRules",
    "Summary",
    "confirmed_orders",
    "faults",
    "judge",
    "seller_responsible",
    "summarise",
]

#: Extra reasons the seller says are not theirs, on top of addin.core.reasons (the Settings sheet's list).
BUYER_FAULT_REASONS: tuple[str, ...] = ()
GREEN, AMBER, RED = "green", "amber", "red"


@dataclass(frozen=True)
class RateRules:
    """How the shop's rates are counted: the market's TikTok lines and the seller's own choices."""

    window_days: int | None = None  # orders created in the last N days; None: every order in the file
    buyer_fault_reasons: tuple[str, ...] = BUYER_FAULT_REASONS
    thresholds: tuple[Threshold, ...] = ()
    fbt_exempt: bool = False  # FBT orders are left out of the rate (US)
    late_dispatch_target: float | None = None


@dataclass
class Summary:
    """The figures of the Summary sheet and of ``autocancel check --json``."""

    orders: int  # distinct orders in the window
    cancelled: int
    cancelled_by: dict[str, int]
    seller_responsible: int
    seller_responsible_rate: float  # seller-fault cancellations / confirmed orders
    risk_counts: dict[str, int]  # every order in the file, whatever the window: it is about now
    projected_rate: float  # if every Overdue order in the window is auto-cancelled
    today: dt.date
    window_days: int | None
    first_order: dt.date | None
    last_order: dt.date | None
    per_day: list[tuple[dt.date, int, int]] = field(default_factory=list)  # day, confirmed orders, seller-fault
    confirmed: int = 0  # the rate's denominator
    not_seller: int = 0  # cancellations that are the buyer's, the platform's or the carrier's
    unclassified: int = 0  # cancellations whose reason the table does not know: on neither side
    unclassified_reasons: dict[str, int] = field(default_factory=dict)
    appealable: int = 0  # seller cancels at the buyer's request: counted until TikTok accepts an appeal
    excluded: dict[str, int] = field(default_factory=dict)  # "FBT", "creator samples" left out of the rate
    thresholds: tuple[Threshold, ...] = ()
    verdict: str = "within target"
    light: str = GREEN
    late_dispatch: int = 0
    dispatch_due: int = 0  # orders whose dispatch deadline has come (or that were dispatched)
    late_dispatch_rate: float | None = None  # None: the policy has no dispatch rule
    late_dispatch_target: float | None = None
    to_do: list[tuple[str, int, int]] = field(default_factory=list)  # warn rule, late now, due soon
    policy: str = ""
    policy_source: str = ""
    unverified: tuple[str, ...] = ()

    @property
    def target(self) -> float | None:
        """The first (lowest) line of the rate, if the market has one."""
        return self.thresholds[0].rate if self.thresholds else None

    def as_json(self) -> dict[str, object]:
        """The figures as ``autocancel check --json`` prints them."""
        return {
            "orders": self.orders,
            "confirmed": self.confirmed,
            "cancelled": self.cancelled,
            "seller_responsible": self.seller_responsible,
            "seller_responsible_rate": self.seller_responsible_rate,
            "not_seller": self.not_seller,
            "unclassified": self.unclassified,
            "appealable": self.appealable,
            "excluded": self.excluded,
            "risk_counts": self.risk_counts,
            "projected_rate": self.projected_rate,
            "window_days": self.window_days,
            "target": self.target,
            "thresholds": [
                {"rate": t.rate, "consequence": t.consequence, "penalty": t.penalty} for t in self.thresholds
            ],
            "verdict": self.verdict,
            "light": self.light,
            "late_dispatch_rate": self.late_dispatch_rate,
            "late_dispatch": self.late_dispatch,
            "dispatch_due": self.dispatch_due,
            "late_dispatch_target": self.late_dispatch_target,
            "to_do": [{"rule": r, "late": late, "due_soon": soon} for r, late, soon in self.to_do],
            "policy": self.policy,
            "policy_source": self.policy_source,
            "unverified": list(self.unverified),
        }


def faults(orders: Orders, not_seller: tuple[str, ...] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Per order: whose fault its cancellation would be (addin.core.reasons), and whether it is appealable."""
    said = list(zip(orders.cancel_reason, orders.cancel_by, strict=True))
    pairs = {(r, b): classify(r, b, not_seller) for r, b in set(said)}
    fault = np.array([pairs[p][0] for p in said], dtype=object).reshape(len(orders))
    appeal = np.array([pairs[p][1] for p in said], dtype=bool).reshape(len(orders))
    return fault, appeal


def seller_responsible(orders: Orders, risk: np.ndarray, buyer_fault_reasons: tuple[str, ...] = ()) -> np.ndarray:
    """True for each cancelled order that counts against the seller (the reason table, then Cancel By)."""
    seller: np.ndarray = (risk == CANCELLED_RISK) & (faults(orders, buyer_fault_reasons)[0] == SELLER)
    return seller


def confirmed_orders(
    orders: Orders, kinds: OrderKinds, *, non_payment: npt.NDArray[np.bool_], seller_fault: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    """Paid or cash-on-delivery orders; never an unpaid one.

    A cancelled order counts when it had a Paid Time, was COD, or was cancelled for the seller's
    fault (only confirmed orders reach the seller); without a Paid Time column, unless it was
    cancelled for non-payment.
    """
    status = np.array(orders.status, dtype=object)
    paid = ~np.isnat(orders.dates["paid"]) if "paid" in orders.fields else np.ones(len(orders), dtype=bool)
    live = (status != UNPAID) & (status != CANCELLED) & orders.recognised  # To ship and later: paid or COD
    confirmed = live | paid | kinds.cod | seller_fault | (orders.reached >= Milestone.AWAITING_COLLECTION)
    out: npt.NDArray[np.bool_] = confirmed & (status != UNPAID) & ~non_payment
    return out


def summarise(
    orders: Orders, result: Assessment, kinds: OrderKinds, calendar: WorkCalendar, rules: RateRules
) -> Summary:
    """Counts and rates over the orders created in the window (every order when it is None)."""
    window_days, buyer_fault_reasons = rules.window_days, rules.buyer_fault_reasons
    n = len(orders)
    created = orders.dates["created"]
    today64 = np.datetime64(result.today, "D")
    if window_days:
        in_window = (created > today64 - np.timedelta64(window_days, "D")) & (created <= today64)
    else:
        in_window = np.ones(n, dtype=bool)
    in_window &= orders.countable  # a row without an Order ID is flagged on its own, never an order
    risk = result.risk
    fault, appeal = faults(orders, buyer_fault_reasons)
    unpaid_reason = {r: is_non_payment(r) for r in set(orders.cancel_reason)}
    payment = np.array([unpaid_reason[r] for r in orders.cancel_reason], dtype=bool).reshape(n)
    seller_fault = fault == SELLER
    counted = (
        in_window & confirmed_orders(orders, kinds, non_payment=payment, seller_fault=seller_fault) & ~kinds.sample
    )
    excluded = {"creator samples": int((in_window & kinds.sample).sum())}
    if rules.fbt_exempt:
        excluded["FBT"] = int((counted & kinds.by_tiktok).sum())
        counted &= ~kinds.by_tiktok
    cancelled_all = (risk == CANCELLED_RISK) & in_window
    cancelled = cancelled_all & counted
    seller = cancelled & (fault == SELLER)
    unclassified = cancelled & (fault == UNCLASSIFIED)
    overdue = (risk == OVERDUE) & counted
    total = int(counted.sum())
    counts = Counter(risk.tolist())
    by = Counter(b or "(blank)" for b, c in zip(orders.cancel_by, cancelled_all, strict=True) if c)
    valid = ~np.isnat(created)
    rate = _rate(int(seller.sum()), total)
    verdict, light = judge(rate, rules.thresholds)
    late, due = _late_dispatch(orders, result, counted & (risk != CANCELLED_RISK), today64)
    return Summary(
        orders=int(in_window.sum()),
        cancelled=int(cancelled_all.sum()),
        cancelled_by=dict(by.most_common()),
        seller_responsible=int(seller.sum()),
        seller_responsible_rate=rate,
        risk_counts={r: counts.get(r, 0) for r in RISKS},
        projected_rate=_rate(int(seller.sum() + overdue.sum()), total),
        today=result.today,
        window_days=window_days,
        first_order=created[valid].min().astype(object) if valid.any() else None,
        last_order=created[valid].max().astype(object) if valid.any() else None,
        per_day=_per_day(created, counted & valid, seller),
        confirmed=total,
        not_seller=int((cancelled & (fault == NOT_SELLER)).sum()),
        unclassified=int(unclassified.sum()),
        unclassified_reasons=dict(
            Counter(r or "(blank)" for r, u in zip(orders.cancel_reason, unclassified, strict=True) if u)
        ),
        appealable=int((seller & appeal).sum()),
        excluded={k: v for k, v in excluded.items() if v},
        thresholds=rules.thresholds,
        verdict=verdict,
        light=light,
        late_dispatch=late,
        dispatch_due=due,
        late_dispatch_rate=(_rate(late, due) if (result.dispatch_milestone >= 0).any() else None),
        late_dispatch_target=rules.late_dispatch_target,
        to_do=_to_do(result, today64, calendar),
    )


def judge(rate: float, thresholds: tuple[Threshold, ...]) -> tuple[str, str]:
    """The consequence of the highest line the rate crosses, and the traffic light."""
    crossed = [t for t in thresholds if t.crossed(rate)]
    if not crossed:
        return "within target", GREEN
    return crossed[-1].consequence, RED if any(t.penalty for t in crossed) else AMBER


def _late_dispatch(orders: Orders, result: Assessment, counted: np.ndarray, today64: np.datetime64) -> tuple[int, int]:
    """Orders dispatched after their dispatch deadline (or not yet and past it), of those due."""
    m, deadline = result.dispatch_milestone, result.dispatch_by
    has = counted & (m >= 0) & ~np.isnat(deadline)
    when = np.where(m == Milestone.AWAITING_COLLECTION, orders.dates["rts"], orders.dates["shipped"])
    reached = orders.reached >= m
    late = has & ((reached & ~np.isnat(when) & (when > deadline)) | (~reached & (deadline < today64)))
    due = has & (reached | (deadline < today64))
    return int(late.sum()), int(due.sum())


def _to_do(result: Assessment, today64: np.datetime64, calendar: WorkCalendar) -> list[tuple[str, int, int]]:
    """Per warn rule: open orders past its deadline, and those due within the at-risk days."""
    out = []
    for name, deadline in result.warnings.items():
        has = ~np.isnat(deadline)
        left = calendar.working_days_between(np.full(len(deadline), today64), deadline)
        soon = has & (deadline >= today64) & (left <= result.at_risk_days)
        out.append((name, int((has & (deadline < today64)).sum()), int(soon.sum())))
    return out


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 6) if whole else 0.0


def _per_day(created: np.ndarray, included: np.ndarray, seller: np.ndarray) -> list[tuple[dt.date, int, int]]:
    """Confirmed orders and seller-fault cancellations per order day, oldest first."""
    days, index = np.unique(created[included], return_inverse=True)
    orders = np.bincount(index, minlength=len(days))
    cancels = np.bincount(index, weights=seller[included].astype(np.int64), minlength=len(days))
    return [(d.astype(object), int(o), int(c)) for d, o, c in zip(days, orders, cancels, strict=True)]
