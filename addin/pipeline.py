"""One refresh, the same for the command, the workbook and the Excel button: read, assess, sum up.

Settings come from the command line or the workbook's Settings sheet; everything below this
module is pure computation on arrays. What the core must not hold is here: the clock ("today" is
the market's date now unless the settings name a day) and the calendars kept for reuse. Without
a policy of its own the market's TikTok rules apply (``addin.core.policies``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from .core.assess import Assessment, assess
from .core.calendar import WorkCalendar, market_calendar
from .core.detect import choose_market
from .core.export import FIELDS, ID_FIELDS, Export, id_text
from .core.markets import Market, get_market
from .core.order_kinds import OrderKinds, read_kinds
from .core.orders import Orders, collect_orders
from .core.policies import MarketRules, Threshold, market_rules
from .core.statuses import parse_seller_statuses
from .core.summary import BUYER_FAULT_REASONS, RateRules, Summary, summarise

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    import numpy as np

    from .core.rules import Extension, Policy


__all__ = ["Refresh", "Settings", "assess_orders", "calendar_for", "cell_export", "market_today", "run"]


@lru_cache(maxsize=32)  # every market and a few sellers' own days; a calendar holds about 0.5 MB
def _calendar(market: Market, extra_off: frozenset[dt.date], extra_working: frozenset[dt.date]) -> WorkCalendar:
    return market_calendar(market, extra_off, extra_working)


def calendar_for(
    market: str | Market, extra_off: Iterable[dt.date] = (), extra_working: Iterable[dt.date] = ()
) -> WorkCalendar:
    """The market's calendar with the seller's own days, built once per (market, days) in this process.

    Calendars are values (``WorkCalendar`` never changes), so one kept here can only ever be
    handed to a call with the same market and the same days: two workbooks with different
    Holidays sheets get two calendars. Building one takes tens of milliseconds; a worksheet
    function recalculated in 1,000 cells would otherwise build 1,000.
    """
    m = market if isinstance(market, Market) else get_market(market)
    return _calendar(m, frozenset(extra_off), frozenset(extra_working))


def market_today(market: Market) -> dt.date:
    """The market's local date now: the one place a refresh reads the clock."""
    return market.today(dt.datetime.now(dt.UTC))


@dataclass(frozen=True)
class Settings:
    """What a refresh needs to know besides the orders; defaults are the market's TikTok rules."""

    market: Market = field(default_factory=lambda: get_market("US"))
    policy: Policy | None = None  # None: the market's default policy (addin.core.policies)
    today: dt.date | None = None  # None: the market's local date now
    window_days: int | None = None  # None: the market's (SEA 7 days; US every order in the file)
    at_risk_days: int = 2
    rate_target: float | None = None  # None: the market's lines
    buyer_fault_reasons: tuple[str, ...] = BUYER_FAULT_REASONS
    edd_column: str | None = None
    extra_off: frozenset[dt.date] = frozenset()
    extra_working: frozenset[dt.date] = frozenset()
    #: The seller's own status spellings: (their text, one of the canonical status names), from the
    #: workbook's Statuses table or the policy file's [statuses]; checked by the core, not the reader.
    statuses: tuple[tuple[str, str], ...] = ()
    #: Why this market: what the file showed when it was found from the export (the Summary says it).
    market_reason: str = ""
    #: Seller SKU -> handling time in business days (US made-to-order, back-order, custom items).
    handling_times: tuple[tuple[str, int], ...] = ()
    #: TikTok's announced deadline extensions (the workbook's Extensions table), on top of the policy's.
    extensions: tuple[Extension, ...] = ()

    @property
    def effective_today(self) -> dt.date:
        """The day deadlines are counted from: the one given, else the market's date now."""
        return self.today or market_today(self.market)

    @property
    def market_rules(self) -> MarketRules:
        """The market's TikTok rules: its default policy, rate lines and windows."""
        return market_rules(self.market.code)

    @property
    def applied_policy(self) -> Policy:
        """The policy a refresh uses: the one chosen, else the market's TikTok rules."""
        return self.policy or self.market_rules.policy

    @property
    def thresholds(self) -> tuple[Threshold, ...]:
        """The rate's lines: the seller's own target, else the market's TikTok lines."""
        if self.rate_target is None:
            return self.market_rules.thresholds
        return (Threshold(self.rate_target, f"above your target of {self.rate_target:.1%}", at_or_above=False),)

    @property
    def target(self) -> float:
        """The first line of the rate (the seller's own target when they set one)."""
        return self.thresholds[0].rate

    @property
    def effective_window(self) -> int | None:
        """The rate's window in days: the one set, else the market's (None: every order in the file)."""
        return self.market_rules.window_days if self.window_days is None else self.window_days

    @property
    def calendar(self) -> WorkCalendar:
        """The market's calendar with the seller's own days (kept for reuse, see ``calendar_for``)."""
        return calendar_for(self.market, self.extra_off, self.extra_working)


@dataclass
class Refresh:
    """Everything one refresh computed, per order and for the shop; ``settings.policy`` is the one used."""

    export: Export
    settings: Settings
    orders: Orders
    assessment: Assessment
    summary: Summary
    kinds: OrderKinds | None = None
    #: What the seller must know about this run: the market the settings name while the file
    #: looks like another's. Every layer shows them (stderr, the message box, the Summary).
    warnings: tuple[str, ...] = ()

    def row_values(self) -> list[np.ndarray]:
        """The computed columns (``assess.COLUMNS``), one entry per export row (each order's answer on all its rows)."""
        a, by_row = self.assessment, self.orders.row_order
        return [
            a.ship_by[by_row],
            a.delivery[by_row],
            a.next_deadline[by_row],
            a.days_left[by_row],
            a.risk[by_row],
            a.data_issue[by_row],
            a.dispatch_by[by_row],
        ]


def assess_orders(export: Export, settings: Settings) -> tuple[Orders, OrderKinds, Assessment]:
    """The per-order part of a refresh: orders, their kinds and their deadlines and Risk.

    The worksheet functions need only this; :func:`run` adds the shop's figures.
    """
    policy = settings.applied_policy
    events = frozenset({"created", "paid"} | {r.start for r in policy.rules} - {"column"})
    own = parse_seller_statuses((*settings.statuses, *policy.statuses), "Statuses")
    orders = collect_orders(export, day_first=settings.market.day_first, events=events, own_statuses=own)
    kinds = read_kinds(
        export,
        orders,
        day_first=settings.market.day_first,
        handling_times=(*policy.handling_times, *settings.handling_times),
        columns=policy.columns,
    )
    extended = replace(policy, extensions=(*policy.extensions, *settings.extensions))
    result = assess(
        orders,
        kinds,
        extended,
        settings.calendar,
        today=settings.effective_today,
        at_risk_days=settings.at_risk_days,
    )
    return orders, kinds, result


def cell_export(source: str, fields: Mapping[str, Sequence[object]]) -> Export:
    """Cell values given by field, one row per position (a worksheet function's arguments), as an export.

    Each field sits under TikTok's own header and its values are taken as the export reader takes
    a file's: an ID that a spreadsheet turned into a number is its digits again. The columns must
    be as long as one another; ``source`` names them in messages (the function's name).
    """
    values = {name: [id_text(v) for v in cells] if name in ID_FIELDS else list(cells) for name, cells in fields.items()}
    lengths = {len(v) for v in values.values()}
    if len(lengths) > 1:
        raise ValueError(f"{source}: the columns differ in length ({', '.join(map(str, sorted(lengths)))} rows)")
    names = list(values)
    rows = [list(row) for row in zip(*values.values(), strict=True)]
    return Export(
        source, [FIELDS[name][0] for name in names], rows, {name: i for i, name in enumerate(names)}, 1, fields=values
    )


def run(export: Export, settings: Settings) -> Refresh:
    """Assess every order of an export under the settings."""
    policy = settings.applied_policy
    rules = settings.market_rules
    orders, kinds, result = assess_orders(export, settings)
    rate = RateRules(
        settings.effective_window,
        settings.buyer_fault_reasons,
        settings.thresholds,
        fbt_exempt=rules.fbt_exempt,
        late_dispatch_target=rules.late_dispatch_target,
    )
    summary = summarise(orders, result, kinds, settings.calendar, rate)
    summary.policy, summary.policy_source = policy.name, policy.source
    notes = (
        settings.market.unverified,
        rules.unverified if settings.policy is None else "",
        rules.window_note if settings.window_days is None else "",
    )
    summary.unverified = tuple(note for note in notes if note)
    # A market found from this export cannot contradict it: the file is looked at once per run.
    contradiction = None if settings.market_reason else choose_market(export, settings.market).warning
    return Refresh(
        export,
        replace(settings, policy=policy),
        orders,
        result,
        summary,
        kinds,
        (contradiction,) if contradiction else (),
    )
