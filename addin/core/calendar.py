"""Working-day calendars: a market's weekend and public holidays, plus the seller's own days.

Arithmetic is Excel's ``WORKDAY.INTL`` exactly, done for a whole column at once: the calendar
keeps the sorted array of its working days and answers with ``numpy.searchsorted``. That also
makes the seller's extra *working* days (a Saturday the warehouse opens) work, which neither
``WORKDAY.INTL`` nor ``numpy.busday_offset`` can express.

A calendar is a value: every year it answers for is worked out when it is made, and nothing
changes it afterwards, so two refreshes (or two workbooks in one Excel) can share one without
seeing each other. Keeping calendars for reuse is the caller's business (``addin.pipeline``).
A market calendar answers only for the years its holiday source knows (python-holidays stops at
2100, and starts later than 1950 for some countries): outside them it raises OutOfCalendar
rather than count holidays as work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from functools import partial

import holidays as holidays_lib
import numpy as np
import numpy.typing as npt

from ..errors import AutocancelError
from .markets import Market, get_market

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "WEEKDAYS",
    "DateArray",
    "OutOfCalendar",
    "WorkCalendar",
    "as_days",
    "market_calendar",
    "market_holidays",
    "market_years",
    "weekend_mask",
    "weekend_text",
]

#: Dates the calendars answer for. Outside it a date is a typo, not an order.
FIRST_YEAR, LAST_YEAR = 1950, 2150
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday (Monday = 0)
#: Monday first, as in Excel's weekend strings.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

DateArray = npt.NDArray[np.datetime64]  # datetime64[D]; NaT where there is no date
HolidaySource = Callable[[range], Mapping[dt.date, str]]


class OutOfCalendar(AutocancelError):  # noqa: N818 - a public name the adapters and the workbook catch
    """A date outside the years the calendar answers for."""


def as_days(values: Iterable[dt.date | None] | np.ndarray | np.datetime64 | dt.date) -> DateArray:
    """Dates (or None) as a numpy ``datetime64[D]`` array, None as NaT; a scalar gives a 0-d array."""
    if isinstance(values, (np.ndarray, np.generic, dt.date)):
        return np.asarray(values, dtype="datetime64[D]")
    return np.array([v if v is not None else np.datetime64("NaT") for v in values], dtype="datetime64[D]")


def weekend_mask(weekend: str) -> npt.NDArray[np.bool_]:
    """Excel's weekend string ("0000011": Monday..Sunday, 1 = rest) as 7 booleans, True = rest."""
    if len(weekend) != len(WEEKDAYS) or set(weekend) - {"0", "1"} or weekend == "1111111":
        raise ValueError(f"weekend {weekend!r} must be 7 characters of 0 and 1 (Monday first), not all 1")
    return np.array([c == "1" for c in weekend])


def weekend_text(weekend: str) -> str:
    """The rest days of an Excel weekend string by name: "0000011" -> "Saturday, Sunday"."""
    return ", ".join(name for name, flag in zip(WEEKDAYS, weekend, strict=True) if flag == "1")


class WorkCalendar:
    """Which days are working days, and Excel's WORKDAY/NETWORKDAYS over them, vectorised."""

    def __init__(
        self,
        weekend: str,
        public_holidays: HolidaySource | None = None,
        extra_off: Iterable[dt.date] = (),
        extra_working: Iterable[dt.date] = (),
        years: tuple[int, int] = (FIRST_YEAR, LAST_YEAR),
    ) -> None:
        rest = weekend_mask(weekend)  # a weekend that cannot exist is refused first
        self.weekend = weekend
        #: The years this calendar answers for (its holiday source knows them), within FIRST..LAST_YEAR.
        self.years = (max(years[0], FIRST_YEAR), min(years[1], LAST_YEAR))
        self.extra_off = frozenset(extra_off)
        self.extra_working = frozenset(extra_working)
        first, last = self.years
        span = range(first, last + 1)
        self._holidays = dict(public_holidays(span)) if public_holidays is not None else {}
        self._first, self._end = np.datetime64(f"{first}-01-01", "D"), np.datetime64(f"{last + 1}-01-01", "D")
        days = np.arange(self._first, self._end, dtype="datetime64[D]")
        first_weekday = (int(self._first.astype(np.int64)) + _EPOCH_WEEKDAY) % len(WEEKDAYS)
        week = np.roll(~rest, -first_weekday)
        working = np.tile(week, -(-days.size // len(WEEKDAYS)))[: days.size]  # the week, repeated
        working[self._positions(self.extra_off | set(self._holidays))] = False
        working[self._positions(self.extra_working)] = True
        self._working = days[working]
        self._working.flags.writeable = False

    def _positions(self, dates: Iterable[dt.date]) -> npt.NDArray[np.int64]:
        """Where those dates are in the calendar's span, counted in days from its first (others left out)."""
        offsets = (as_days(list(dates)) - self._first).astype(np.int64)
        return offsets[(offsets >= 0) & (offsets < (self._end - self._first).astype(np.int64))]

    def _check(self, dates: DateArray) -> None:
        """Refuse dates outside the years this calendar knows: their holidays would be counted as work."""
        valid = dates[~np.isnat(dates)]
        if valid.size and (valid.min() < self._first or valid.max() >= self._end):
            raise OutOfCalendar(f"dates must lie between {self.years[0]} and {self.years[1]}")

    def public_holidays(self, first_year: int, last_year: int) -> dict[dt.date, str]:
        """The market's public holidays in those years (empty without a holiday source)."""
        return {d: name for d, name in self._holidays.items() if first_year <= d.year <= last_year}

    # -- arithmetic --------------------------------------------------------------------------
    def workday(self, start: DateArray | dt.date, days: npt.ArrayLike) -> DateArray:
        """Excel ``WORKDAY.INTL(start, days)``: start not counted, weekend start rolls forward.

        ``days`` = 0 returns the start itself; negative goes back. NaT in, NaT out.
        """
        start = as_days(start)
        count = np.broadcast_to(np.asarray(days, dtype=np.int64), start.shape)
        out = np.full(start.shape, np.datetime64("NaT"), dtype="datetime64[D]")
        ok = ~np.isnat(start)
        if not ok.any():
            return out
        s, n = start[ok], count[ok]
        self._check(s)
        w = self._working
        after = np.searchsorted(w, s, side="right") + n - 1  # n > 0: n-th working day after start
        before = np.searchsorted(w, s, side="left") + n  # n < 0: counting back from start
        idx = np.where(n > 0, after, before)
        if ((n < 0) & (idx < 0)).any() or ((n > 0) & (idx >= len(w))).any():
            raise OutOfCalendar(f"the deadline falls outside {self.years[0]}..{self.years[1]}")
        out[ok] = np.where(n == 0, s, w[np.clip(idx, 0, len(w) - 1)])
        return out

    def working_days_between(self, start: DateArray | dt.date, end: DateArray | dt.date) -> npt.NDArray[np.float64]:
        """Working days in (start, end]; negative (-count in (end, start]) when end is earlier.

        Returns a float array with NaN where either date is missing.
        """
        first, last = np.broadcast_arrays(as_days(start), as_days(end))
        out = np.full(first.shape, np.nan)
        ok = ~(np.isnat(first) | np.isnat(last))
        if ok.any():
            self._check(np.concatenate([first[ok], last[ok]]))
            w = self._working
            out[ok] = np.searchsorted(w, last[ok], side="right") - np.searchsorted(w, first[ok], side="right")
        return out

    def covers(self, dates: DateArray) -> npt.NDArray[np.bool_]:
        """True where a clock may start: a year with holiday data, and the next year too for the deadline."""
        year = as_days(dates).astype("datetime64[Y]").astype(np.int64) + 1970
        return (year >= self.years[0]) & (year < self.years[1])

    def is_working(self, dates: DateArray | dt.date) -> npt.NDArray[np.bool_]:
        """True where the date is a working day."""
        days = as_days(dates)
        self._check(days)
        w = self._working
        at = np.minimum(np.searchsorted(w, days), len(w) - 1)  # the sorted working days: a lookup, not a scan
        found: npt.NDArray[np.bool_] = w[at] == days
        return found

    def non_working_days(self, first_year: int, last_year: int | None = None) -> list[tuple[dt.date, str]]:
        """Every day off in those years that is not a plain weekend, with its name, in date order.

        Public holidays on a weekend are listed too: a seller checking the calendar expects them.
        """
        last_year = last_year or first_year
        if first_year < self.years[0] or last_year > self.years[1]:  # an empty list would be a lie
            raise OutOfCalendar(f"holidays are known between {self.years[0]} and {self.years[1]}")
        days = self.public_holidays(first_year, last_year)
        for d in self.extra_off:
            if first_year <= d.year <= last_year:
                days[d] = f"{days[d]}; extra day off" if d in days else "Extra day off"
        return sorted((d, n) for d, n in days.items() if d not in self.extra_working)


def market_holidays(market: Market, years: range) -> Mapping[dt.date, str]:
    """python-holidays for a market in those years, observed/substitute days included."""
    source: Mapping[dt.date, str] = holidays_lib.country_holidays(
        market.holiday_country, subdiv=market.subdiv, categories=market.categories, observed=True, years=years
    )
    return source


def market_years(market: Market) -> tuple[int, int]:
    """The years python-holidays has the market's holidays for; outside them it returns none at all."""
    source = holidays_lib.country_holidays(market.holiday_country, subdiv=market.subdiv, categories=market.categories)
    return int(source.start_year), int(source.end_year)


def market_calendar(
    market: str | Market, extra_off: Iterable[dt.date] = (), extra_working: Iterable[dt.date] = ()
) -> WorkCalendar:
    """The working-day calendar of a market with the seller's own days off and working days.

    Building one loads every year python-holidays knows for the market (a few tens of milliseconds):
    keep it for reuse (``addin.pipeline.calendar_for``) rather than build one per cell.
    """
    m = market if isinstance(market, Market) else get_market(market)
    return WorkCalendar(m.weekend, partial(market_holidays, m), extra_off, extra_working, market_years(m))
