"""Working-day calendars: a market's weekend and public holidays, plus the seller's own days.

Arithmetic is Excel's ``WORKDAY.INTL`` exactly, done for a whole column at once: the calendar
keeps the sorted array of its working days and answers with ``numpy.searchsorted``. That also
makes the seller's extra *working* days (a Saturday the warehouse opens) work, which neither
``WORKDAY.INTL`` nor ``numpy.busday_offset`` can express.

Years load on demand and the span only ever grows contiguously, so a date outside what is
loaded is loaded first; it is never silently taken for a working day. A market calendar answers
only for the years its holiday source knows (python-holidays stops at 2100, and starts later than
1950 for some countries): outside them it raises OutOfCalendar rather than count holidays as work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache, partial

import holidays as holidays_lib
import numpy as np

from ..errors import AutocancelError
from .markets import Market, get_market

#: Dates the calendars answer for. Outside it a date is a typo, not an order.
FIRST_YEAR, LAST_YEAR = 1950, 2150
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday (Monday = 0)

DateArray = np.ndarray  # numpy datetime64[D]; NaT where there is no date


class OutOfCalendar(AutocancelError):
    """A date outside FIRST_YEAR..LAST_YEAR."""


def as_days(values: Iterable[dt.date | None] | np.ndarray | np.datetime64 | dt.date) -> DateArray:
    """Dates (or None) as a numpy ``datetime64[D]`` array, None as NaT; a scalar gives a 0-d array."""
    if isinstance(values, (np.ndarray, np.generic, dt.date)):
        return np.asarray(values, dtype="datetime64[D]")
    return np.array([v if v is not None else np.datetime64("NaT") for v in values], dtype="datetime64[D]")


def weekend_mask(weekend: str) -> np.ndarray:
    """Excel's weekend string ("0000011": Monday..Sunday, 1 = rest) as 7 booleans, True = rest."""
    if len(weekend) != 7 or set(weekend) - {"0", "1"} or weekend == "1111111":
        raise ValueError(f"weekend {weekend!r} must be 7 characters of 0 and 1 (Monday first), not all 1")
    return np.array([c == "1" for c in weekend])


class WorkCalendar:
    """Which days are working days, and Excel's WORKDAY/NETWORKDAYS over them, vectorised."""

    def __init__(
        self,
        weekend: str,
        public_holidays: Callable[[range], Mapping[dt.date, str]] | None = None,
        extra_off: Iterable[dt.date] = (),
        extra_working: Iterable[dt.date] = (),
        years: tuple[int, int] = (FIRST_YEAR, LAST_YEAR),
    ) -> None:
        self.weekend = weekend
        #: The years this calendar answers for (its holiday source knows them), within FIRST..LAST_YEAR.
        self.years = (max(years[0], FIRST_YEAR), min(years[1], LAST_YEAR))
        self._rest = weekend_mask(weekend)
        self._public = public_holidays
        self.extra_off = frozenset(extra_off)
        self.extra_working = frozenset(extra_working)
        self._first_year = self._last_year = 0
        self._working = np.empty(0, dtype="datetime64[D]")

    # -- loading -----------------------------------------------------------------------------
    def _load(self, first_year: int, last_year: int) -> None:
        """Grow the loaded span to cover first_year..last_year (whole years, contiguous)."""
        if self._first_year:
            first_year, last_year = min(first_year, self._first_year), max(last_year, self._last_year)
            if (first_year, last_year) == (self._first_year, self._last_year):
                return
        if first_year < self.years[0] or last_year > self.years[1]:
            raise OutOfCalendar(f"dates must lie between {self.years[0]} and {self.years[1]}")
        days = np.arange(f"{first_year}-01-01", f"{last_year + 1}-01-01", dtype="datetime64[D]")
        working = ~self._rest[(days.astype(np.int64) + _EPOCH_WEEKDAY) % 7]
        off = self.extra_off | set(self.public_holidays(first_year, last_year))
        working &= ~np.isin(days, as_days(sorted(off)))
        working |= np.isin(days, as_days(sorted(self.extra_working)))
        self._working = days[working]
        self._first_year, self._last_year = first_year, last_year

    def _cover(self, dates: DateArray, slack_days: int = 0) -> None:
        valid = dates[~np.isnat(dates)]
        if valid.size == 0:
            if not self._first_year:
                self._load(dt.date.today().year, dt.date.today().year)
            return
        year = lambda d: int(d.astype("datetime64[Y]").astype(np.int64)) + 1970  # noqa: E731
        lo, hi = year(valid.min()), year(valid.max())
        # The slack is a margin, not a demand: near the first/last year load what there is.
        slack = np.timedelta64(slack_days, "D")
        self._load(
            min(lo, max(year(valid.min() - slack), self.years[0])),
            max(hi, min(year(valid.max() + slack), self.years[1])),
        )

    def public_holidays(self, first_year: int, last_year: int) -> dict[dt.date, str]:
        """The market's public holidays in those years (empty without a holiday source)."""
        if self._public is None:
            return {}
        return dict(self._public(range(first_year, last_year + 1)))

    # -- arithmetic --------------------------------------------------------------------------
    def workday(self, start: DateArray, days: np.ndarray | int) -> DateArray:
        """Excel ``WORKDAY.INTL(start, days)``: start not counted, weekend start rolls forward.

        ``days`` = 0 returns the start itself; negative goes back. NaT in, NaT out.
        """
        start = as_days(start)
        days = np.broadcast_to(np.asarray(days, dtype=np.int64), start.shape)
        out = np.full(start.shape, np.datetime64("NaT"), dtype="datetime64[D]")
        ok = ~np.isnat(start)
        if not ok.any():
            return out
        s, n = start[ok], days[ok]
        # A year holds at least 52 working days under any allowed weekend; add a year of margin.
        slack = int(np.abs(n).max()) * 7 + 366
        self._cover(s, slack)
        while True:
            w = self._working
            after = np.searchsorted(w, s, side="right") + n - 1  # n > 0: n-th working day after start
            before = np.searchsorted(w, s, side="left") + n  # n < 0: counting back from start
            idx = np.where(n > 0, after, before)
            early, late = ((n < 0) & (idx < 0)).any(), ((n > 0) & (idx >= len(w))).any()
            if not (early or late):
                break
            # The answer lies beyond the loaded years (long runs of days off): load more, never clip.
            grown = (
                max(self._first_year - 5 * int(early), self.years[0]),
                min(self._last_year + 5 * int(late), self.years[1]),
            )
            if grown == (self._first_year, self._last_year):
                raise OutOfCalendar(f"the deadline falls outside {self.years[0]}..{self.years[1]}")
            self._load(*grown)
        res = np.where(n == 0, s, w[np.clip(idx, 0, len(w) - 1)])
        out[ok] = res
        return out

    def working_days_between(self, start: DateArray, end: DateArray) -> np.ndarray:
        """Working days in (start, end]; negative (-count in (end, start]) when end is earlier.

        Returns a float array with NaN where either date is missing.
        """
        start, end = np.broadcast_arrays(as_days(start), as_days(end))
        out = np.full(start.shape, np.nan)
        ok = ~(np.isnat(start) | np.isnat(end))
        if ok.any():
            self._cover(np.concatenate([start[ok], end[ok]]))
            w = self._working
            out[ok] = np.searchsorted(w, end[ok], side="right") - np.searchsorted(w, start[ok], side="right")
        return out

    def covers(self, dates: DateArray) -> np.ndarray:
        """True where a clock may start: a year with holiday data, and the next year too for the deadline."""
        year = as_days(dates).astype("datetime64[Y]").astype(np.int64) + 1970
        return (year >= self.years[0]) & (year < self.years[1])

    def is_working(self, dates: DateArray) -> np.ndarray:
        """True where the date is a working day."""
        dates = as_days(dates)
        self._cover(dates)
        return np.isin(dates, self._working)

    def non_working_days(self, first_year: int, last_year: int | None = None) -> list[tuple[dt.date, str]]:
        """Every day off in those years that is not a plain weekend, with its name, in date order.

        Public holidays on a weekend are listed too: a seller checking the calendar expects them.
        """
        last_year = last_year or first_year
        if first_year < self.years[0] or last_year > self.years[1]:  # an empty list would be a lie
            raise OutOfCalendar(f"holidays are known between {self.years[0]} and {self.years[1]}")
        days = {d: name for d, name in self.public_holidays(first_year, last_year).items()}
        for d in self.extra_off:
            if first_year <= d.year <= last_year:
                days[d] = f"{days[d]}; extra day off" if d in days else "Extra day off"
        return sorted((d, n) for d, n in days.items() if d not in self.extra_working)


def market_holidays(market: Market, years: range) -> Mapping[dt.date, str]:
    """python-holidays for a market in those years, observed/substitute days included."""
    return holidays_lib.country_holidays(
        market.holiday_country, subdiv=market.subdiv, categories=market.categories, observed=True, years=years
    )


@lru_cache(maxsize=64)
def calendar_for(
    market: str | Market,
    extra_off: frozenset[dt.date] = frozenset(),
    extra_working: frozenset[dt.date] = frozenset(),
) -> WorkCalendar:
    """The working-day calendar of a market, built once per (market, extra days) and reused."""
    m = market if isinstance(market, Market) else get_market(market)
    return WorkCalendar(m.weekend, partial(market_holidays, m), extra_off, extra_working, market_years(m))


def market_years(market: Market) -> tuple[int, int]:
    """The years python-holidays has the market's holidays for; outside them it returns none at all."""
    source = holidays_lib.country_holidays(market.holiday_country, subdiv=market.subdiv, categories=market.categories)
    return source.start_year, source.end_year
