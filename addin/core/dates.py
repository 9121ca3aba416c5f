"""Read a column of export dates: TikTok text times, Excel date cells and serial numbers.

One format is settled per column, then each distinct date is parsed once and spread back with
numpy: a 100,000-row export has a few hundred distinct days, not 100,000 strings to parse.
Day-first or month-first is the market's order unless the column itself settles the other one:
a first field over 12 can only be a day, a second field over 12 only a day in the middle. One
hand-typed value is no such proof: the other order must be shown by more of the column's dates
than the market's and by at least a tenth of them. A value that contradicts the column's order
is flagged on its own row and read as nothing; it never moves the other rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from .columns import Coded, distinct, distinct_changed

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import numpy.typing as npt

__all__ = ["NAT", "PLAUSIBLE_YEARS", "SETTLES", "DateColumn", "DateParts", "parse_dates", "parse_one"]

_SLASHED = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})")
_SERIAL = re.compile(r"\d{4,6}(\.\d+)?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 after Excel's 1900 leap-year bug
_LAST_SERIAL = 2958465  # 9999-12-31, the last day Excel has
_MONTHS = 12  # a first or middle field over this can only be a day
NAT = np.datetime64("NaT", "D")
#: Order and delivery dates outside these years are typos (TikTok Shop opened in 2021).
PLAUSIBLE_YEARS = (2000, 2099)


@runtime_checkable
class DateParts(Protocol):
    """A column of times whose reader cuts them to their date parts itself (in Rust, at a million rows).

    The date part of a text cell is what comes before its first space, as :func:`parse_dates` cuts it;
    any other cell is its own date part.
    """

    def date_parts(self) -> Coded[object]:
        """Each cell's date part."""
        ...


@dataclass
class DateColumn:
    """Parsed dates (NaT where blank or unreadable) and, per unreadable row, why."""

    days: npt.NDArray[np.datetime64]
    problems: dict[int, str] = field(default_factory=dict)
    day_first: bool | None = None


def _from_serial(serial: float) -> dt.date | None:
    if not 1 <= serial <= _LAST_SERIAL:  # Excel's own range: 1900-01-01..9999-12-31
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


#: Share of a column's slashed dates that must prove the order the market does not use.
SETTLES = 0.1


def _order_of(slashed: list[tuple[int, int]], counts: list[int], *, day_first_default: bool) -> bool:
    """Day-first? The market's order, unless enough of the column's rows can only be read the other way."""
    day_first_rows = sum(n for (a, _), n in zip(slashed, counts, strict=True) if a > _MONTHS)
    month_first_rows = sum(n for (_, b), n in zip(slashed, counts, strict=True) if b > _MONTHS)
    against, supporting = (
        (month_first_rows, day_first_rows) if day_first_default else (day_first_rows, month_first_rows)
    )
    if against > supporting and against >= SETTLES * sum(counts):
        return not day_first_default
    return day_first_default


def parse_dates(values: Sequence[object], *, day_first: bool) -> DateColumn:
    """Dates of a column: text (time of day ignored), datetime/date cells, Excel serials.

    ``day_first`` is the market's habit for DD/MM vs MM/DD text, kept unless the column settles
    the other order (see the module docstring). Blank cells give NaT silently; anything else unreadable gives NaT and a
    problem naming the value.
    """
    keys, index = _date_parts(values)
    rows_per_key = np.bincount(index, minlength=len(keys)) if len(values) else np.zeros(0, dtype=np.int64)
    slashed: list[tuple[int, int]] = []
    counts: list[int] = []
    for key, n in zip(keys, rows_per_key.tolist(), strict=True):
        if isinstance(key, str) and (m := _SLASHED.fullmatch(key.strip())):
            slashed.append((int(m[1]), int(m[2])))
            counts.append(n)
    order = _order_of(slashed, counts, day_first_default=day_first)

    parsed: list[dt.date | None] = []
    reasons: dict[int, str] = {}
    for i, key in enumerate(keys):
        value, why = _one(key, day_first=order)
        if value is not None and not PLAUSIBLE_YEARS[0] <= value.year <= PLAUSIBLE_YEARS[1]:
            why = f"year {value.year} looks wrong"
            value = None
        parsed.append(value)
        if why:
            reasons[i] = why
    unique_days = np.array([p if p is not None else NAT for p in parsed], dtype="datetime64[D]")
    days = unique_days[index] if len(values) else np.empty(0, dtype="datetime64[D]")
    problems: dict[int, str] = {}
    if reasons:
        for row in np.flatnonzero(np.isin(index, list(reasons))).tolist():
            problems[row] = f"{str(values[row]).strip()!r} {reasons[int(index[row])]}"
    return DateColumn(days, problems, order if slashed else None)


def _date_parts(values: Sequence[object]) -> tuple[list[object], npt.NDArray[np.int64]]:
    """Each distinct date part once ("09/15/2025 7:44:26 AM" -> "09/15/2025"), and each cell's index among them."""
    if isinstance(values, DateParts):
        return distinct(values.date_parts())
    if isinstance(values, Coded):  # a few distinct values: cut those, not every cell
        return distinct_changed(values, _cut)
    # cutting every cell first is faster than finding the distinct times: most of a column's are distinct
    return distinct(_cut(values))


def _cut(values: Iterable[object]) -> list[object]:
    """Each value's date part: a text cell's text before its first space, any other cell itself."""
    return [k.partition(" ")[0] if type(k) is str else k for k in values]


def _one(key: object, *, day_first: bool) -> tuple[dt.date | None, str]:
    """One distinct value as a date, or (None, why) - (None, "") for a blank cell."""
    if key is None:
        return None, ""
    if isinstance(key, dt.date):
        return (key.date() if isinstance(key, dt.datetime) else key), ""
    if isinstance(key, (int, float)) and not isinstance(key, bool):
        day = _from_serial(float(key))
        return (day, "") if day else (None, "is not an Excel date")
    text = str(key).strip()
    if not text:
        return None, ""
    try:
        return _from_text(text, day_first=day_first)
    except ValueError:
        return None, "is not a real date"


def _from_text(text: str, *, day_first: bool) -> tuple[dt.date | None, str]:
    """A date typed as text: 15/09/2025 (in the column's order), 2025-09-15, or an Excel serial."""
    if m := _SLASHED.fullmatch(text):
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        day, month = (a, b) if day_first else (b, a)
        if month > _MONTHS and day <= _MONTHS and _real(year, day, month):
            return None, (
                f"reads {'month' if day_first else 'day'}-first, but this column's dates are "
                f"{'day' if day_first else 'month'}-first - retype it as "
                f"{m[2]}/{m[1]}/{m[3]}"
            )
        return dt.date(year, month, day), ""
    if m := _YEAR_FIRST.fullmatch(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3])), ""
    if _SERIAL.fullmatch(text):
        serial = _from_serial(float(text))
        return (serial, "") if serial else (None, "is not an Excel date")
    return None, "is not a date"


def _real(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def parse_one(value: object, *, day_first: bool) -> dt.date | None:
    """A single cell's date (for formulas typed one cell at a time); None when blank.

    Raises ValueError with a short reason when the value is not a date.
    """
    col = parse_dates([value], day_first=day_first)
    if col.problems:
        raise ValueError(col.problems[0])
    day = col.days[0]
    return None if np.isnat(day) else day.astype(object)
