"""One refresh, the same for the command, the workbook and the Excel button: read, assess, sum up.

Settings come from the command line or the workbook's Settings sheet; everything below this
module is pure computation on arrays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from .assess import Assessment, assess
from .calendar import WorkCalendar, calendar_for
from .export import Export
from .markets import Market, get_market
from .orders import Orders, collect_orders
from .rules import STANDARD, Policy
from .statuses import parse_seller_statuses
from .summary import BUYER_FAULT_REASONS, Summary, summarise


@dataclass(frozen=True)
class Settings:
    """What a refresh needs to know besides the orders; defaults are the seed guide's."""

    market: Market = field(default_factory=lambda: get_market("US"))
    policy: Policy = STANDARD
    today: dt.date | None = None  # None: the market's local date now
    window_days: int | None = None
    at_risk_days: int = 2
    rate_target: float | None = None  # None: the market's
    buyer_fault_reasons: tuple[str, ...] = BUYER_FAULT_REASONS
    edd_column: str | None = None
    extra_off: frozenset[dt.date] = frozenset()
    extra_working: frozenset[dt.date] = frozenset()
    #: The seller's own status spellings: (their text, one of the canonical status names), from the
    #: workbook's Statuses table or the policy file's [statuses]; checked by the core, not the reader.
    statuses: tuple[tuple[str, str], ...] = ()

    @property
    def effective_today(self) -> dt.date:
        return self.today or self.market.today()

    @property
    def target(self) -> float:
        return self.market.rate_target if self.rate_target is None else self.rate_target

    @property
    def calendar(self) -> WorkCalendar:
        return calendar_for(self.market, self.extra_off, self.extra_working)


@dataclass
class Refresh:
    """Everything one refresh computed, per order and for the shop."""

    export: Export
    settings: Settings
    orders: Orders
    assessment: Assessment
    summary: Summary

    def row_values(self) -> list[np.ndarray]:
        """The six computed columns, one entry per export row (each order's answer on all its rows)."""
        a, by_row = self.assessment, self.orders.row_order
        return [a.ship_by[by_row], a.delivery[by_row], a.next_deadline[by_row], a.days_left[by_row],
                a.risk[by_row], a.data_issue[by_row]]


def run(export: Export, settings: Settings) -> Refresh:
    """Assess every order of an export under the settings."""
    today = settings.effective_today
    events = frozenset({"created"} | {r.start for r in settings.policy.rules})
    own = parse_seller_statuses(settings.statuses, "Statuses")
    orders = collect_orders(export, settings.market.day_first, events, own)
    result = assess(orders, settings.policy, settings.calendar, today, settings.at_risk_days)
    summary = summarise(orders, result, settings.window_days, settings.buyer_fault_reasons)
    return Refresh(export, settings, orders, result, summary)
