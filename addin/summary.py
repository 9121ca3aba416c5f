"""The shop's seller-responsible cancellation rate, what is at risk, and where the rate is heading.

TikTok counts orders, not SKU rows; a cancellation is the seller's when the seller cancelled, or
when the system did for a reason that is not the buyer's (by default only "Customer overdue to
pay" is the buyer's).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .assess import CANCELLED_RISK, OVERDUE, RISKS, Assessment
from .orders import Orders

BUYER_FAULT_REASONS = ("Customer overdue to pay",)


@dataclass
class Summary:
    """The figures of the Summary sheet and of ``autocancel check --json``."""

    orders: int  # distinct orders in the window
    cancelled: int
    cancelled_by: dict[str, int]
    seller_responsible: int
    seller_responsible_rate: float
    risk_counts: dict[str, int]  # every order in the file, whatever the window: it is about now
    projected_rate: float  # if every Overdue order in the window is auto-cancelled
    today: dt.date
    window_days: int | None
    first_order: dt.date | None
    last_order: dt.date | None
    per_day: list[tuple[dt.date, int, int]] = field(default_factory=list)  # day, orders, seller-resp.

    def as_json(self) -> dict:
        return {
            "orders": self.orders,
            "cancelled": self.cancelled,
            "seller_responsible": self.seller_responsible,
            "seller_responsible_rate": self.seller_responsible_rate,
            "risk_counts": self.risk_counts,
            "projected_rate": self.projected_rate,
        }


def seller_responsible(orders: Orders, risk: np.ndarray, buyer_fault_reasons: tuple[str, ...]) -> np.ndarray:
    """True for each cancelled order that counts against the seller."""
    buyer = {r.strip().lower() for r in buyer_fault_reasons}
    by = np.array(orders.cancel_by, dtype=object)
    reason_is_buyers = np.array([r.strip().lower() in buyer for r in orders.cancel_reason], dtype=bool)
    return (risk == CANCELLED_RISK) & ((by == "Seller") | ((by == "System") & ~reason_is_buyers))


def summarise(
    orders: Orders,
    result: Assessment,
    window_days: int | None = None,
    buyer_fault_reasons: tuple[str, ...] = BUYER_FAULT_REASONS,
) -> Summary:
    """Counts and rates over the orders created in the window (every order when it is None)."""
    created = orders.dates["created"]
    today64 = np.datetime64(result.today, "D")
    if window_days:
        in_window = (created > today64 - np.timedelta64(window_days, "D")) & (created <= today64)
    else:
        in_window = np.ones(len(orders), dtype=bool)
    risk = result.risk
    cancelled = (risk == CANCELLED_RISK) & in_window
    seller = seller_responsible(orders, risk, buyer_fault_reasons) & in_window
    overdue = (risk == OVERDUE) & in_window
    total = int(in_window.sum())
    counts = Counter(risk.tolist())
    by = Counter(b or "(blank)" for b, c in zip(orders.cancel_by, cancelled) if c)
    valid = ~np.isnat(created)
    return Summary(
        orders=total,
        cancelled=int(cancelled.sum()),
        cancelled_by=dict(by.most_common()),
        seller_responsible=int(seller.sum()),
        seller_responsible_rate=_rate(int(seller.sum()), total),
        risk_counts={r: counts.get(r, 0) for r in RISKS},
        projected_rate=_rate(int(seller.sum() + overdue.sum()), total),
        today=result.today,
        window_days=window_days,
        first_order=created[valid].min().astype(object) if valid.any() else None,
        last_order=created[valid].max().astype(object) if valid.any() else None,
        per_day=_per_day(created, in_window & valid, seller),
    )


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 6) if whole else 0.0


def _per_day(created: np.ndarray, included: np.ndarray, seller: np.ndarray) -> list[tuple[dt.date, int, int]]:
    """Orders and seller-responsible cancellations per order day, oldest first."""
    days, index = np.unique(created[included], return_inverse=True)
    orders = np.bincount(index, minlength=len(days))
    cancels = np.bincount(index, weights=seller[included].astype(np.int64), minlength=len(days))
    return [(d.astype(object), int(o), int(c)) for d, o, c in zip(days, orders, cancels)]
