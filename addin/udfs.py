r"""Excel worksheet functions (xlwings UDFs): =CANCEL_DEADLINE(A2:A500) and friends.

Each function takes one cell or a whole column and answers one value per row, so one formula
spills down a column (Excel dynamic arrays) instead of one call per cell. Dates come in as
Excel dates, serial numbers or TikTok's export text (``09/15/2025 7:44:26 AM\t``) and go out
as real dates; a blank input gives a blank, a bad one a short message in that row's cell.

The functions are thin: every answer comes from the core through the same entry points as
``autocancel check`` (``pipeline.cell_export`` then ``pipeline.assess_orders``; the calendar of
``pipeline.calendar_for``), so a cell and the command never disagree.

Called from a workbook of ours (one with a Settings sheet), an argument left out is the
workbook's: its market, policy, at-risk days, Today, buyer-fault reasons, status spellings and
the Holidays sheet's extra days off and working days, read with the same reader as a refresh
(:func:`book_settings`), so a cell and the Orders sheet agree. Given arguments win; another
market than the workbook's leaves the Holidays sheet's days out (they are that market's).
xlwings passes the calling cell as the reserved ``caller`` argument, which Excel never shows.
Calendars are kept by ``pipeline.calendar_for`` per (market, days): built once per Python
process and reused by every later call with the same days.

On Windows the ``@xw.func`` / ``@xw.arg`` decorators register the functions with xlwings; on
Linux and macOS they are no-ops and these are plain Python functions (that is how the tests
call them). ``tools.template`` reads the same decorators to generate the VBA wrappers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import numpy as np
import numpy.typing as npt
import xlwings as xw

from .core.assess import rule_deadlines
from .core.calendar import OutOfCalendar
from .core.columns import is_blank
from .core.dates import parse_dates, parse_one
from .core.markets import Market, UnknownMarket, get_market
from .core.orders import CANCELLED
from .core.policies import PRESETS, STANDARD
from .core.rules import Policy, PolicyError, Rule
from .core.summary import seller_responsible
from .errors import AutocancelError
from .pipeline import Settings, assess_orders, calendar_for, cell_export
from .workbook.grid import Grid, GridBook
from .workbook.layout import HOLIDAYS, SETTINGS
from .workbook.settings_sheet import read_settings
from .workbook.values import cell_value

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = [
    "CATEGORY",
    "ERROR_PREFIX",
    "UDFS",
    "UdfInputError",
    "book_settings",
    "cancel_deadline",
    "cancel_rate",
    "cancel_risk",
    "delivery_deadline",
    "market_holidays",
    "workday_market",
    "workdays_left",
]

P = ParamSpec("P")
R = TypeVar("R")
#: What xlwings hands a function for a range read with ndim=2: rows of cells (or one cell's value).
Cells = object
#: The calling cell (an ``xlwings.Range``), or None when called from Python.
Caller = Any

CATEGORY = "Auto-cancel guard"

#: What a cell shows when a whole call cannot be answered (one message, not a traceback).
ERROR_PREFIX = "#ERR "


CELL, COLUMN, ROW = "cell", "column", "row"
_MOST_DAYS = 100_000  # working days WORKDAY_MARKET adds at most: more is a typo, not a deadline
MARKET_DOC = 'Market code such as "US", "GB", "TH" (default: the workbook\'s Settings, else US)'
TODAY_DOC = (
    "Count from this date; give TODAY() so the cell moves on each day "
    "(default: the market's today when the cell last calculated)"
)


class UdfInputError(AutocancelError):
    """An argument the function cannot use; the message is shown in the cell."""


# -- shape handling ------------------------------------------------------------------------------


def _column(value: Cells, name: str) -> tuple[list[object], str]:
    """(values in order, shape) for a cell, a column or a row from Excel.

    The shape is "cell", "column" or "row", and the answer is given back in the same shape.
    xlwings passes ``ndim=2`` arguments as lists of rows. A block of several rows and columns
    is refused rather than guessed at.
    """
    if not isinstance(value, (list, tuple)):
        return [value], CELL
    rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in value]
    if not rows:
        return [], COLUMN
    width = max(len(r) for r in rows)
    if len(rows) == 1:
        return rows[0], CELL if width == 1 else ROW
    if width > 1:
        raise UdfInputError(f"{name} must be one column, not {len(rows)} rows x {width} columns")
    return [r[0] if r else None for r in rows], COLUMN


def _scalar(value: Cells, name: str) -> object:
    """One cell's value; a range of more than one cell is refused."""
    values, shape = _column(value, name)
    if shape != CELL:
        raise UdfInputError(f"{name} must be one cell")
    return values[0] if values else None


def _broadcast(columns: dict[str, list[object]]) -> int:
    """The common row count of the column arguments (one-cell arguments repeat)."""
    lengths = {name: len(v) for name, v in columns.items() if len(v) != 1}
    sizes = set(lengths.values())
    if len(sizes) > 1:
        shown = ", ".join(f"{name} {n} rows" for name, n in lengths.items())
        raise UdfInputError(f"the columns differ in length: {shown}")
    return sizes.pop() if sizes else 1


def _stretched(columns: dict[str, list[object]]) -> tuple[dict[str, list[object]], int]:
    """The column arguments at their common length, one-cell arguments repeated down it."""
    n = _broadcast(columns)
    return {k: v * n if len(v) == 1 and n != 1 else v for k, v in columns.items()}, n


def _shape(values: list[object], shape: str) -> object:
    """One value for one cell; a column (or a row) of values to spill otherwise."""
    if not values:
        return ""
    if shape == CELL and len(values) == 1:
        return values[0]
    if shape == ROW:
        return [list(values)]
    return [[v] for v in values]


def _combined(*shapes: str) -> str:
    """The shape of the answer when several arguments are ranges: the first that is not a cell."""
    return next((s for s in shapes if s != CELL), CELL)


# -- the calling workbook -------------------------------------------------------------------------

Sheets = tuple[tuple[str, tuple[tuple[tuple[int, int], object], ...]], ...]


@functools.lru_cache(maxsize=32)
def _settings_from(sheets: Sheets) -> Settings:
    return read_settings(GridBook({name: Grid(dict(cells), name) for name, cells in sheets}))


def book_settings(caller: Caller) -> Settings | None:
    """The Settings (and Holidays days) of the workbook the calling cell is in.

    None when there is no caller (Python) or the workbook has no Settings sheet.

    The two sheets' values are read on every call (two small ranges) and ARE the cache key: any
    edited cell is another key, so an answer can never come from stale settings; only the
    parsing is saved.
    """
    if caller is None:
        return None
    book = caller.sheet.book
    found = {sheet.name.strip().lower(): sheet for sheet in book.sheets}
    if SETTINGS.lower() not in found:
        return None
    sheets = []
    for name in (SETTINGS, HOLIDAYS):
        sheet = found.get(name.lower())
        if sheet is not None:
            rng = sheet.used_range
            grid = Grid.from_block(rng.options(ndim=2).value or [], rng.row, rng.column, name)
            sheets.append((name, tuple(sorted(grid.values.items(), key=lambda kv: kv[0]))))
    return _settings_from(tuple(sheets))


def _settings(caller: Caller, market: Cells = None) -> Settings:
    """What a call counts with: the workbook's Settings (or the defaults), a given market winning."""
    base = book_settings(caller) or Settings()
    value = _scalar(market, "market")
    if is_blank(value):
        return base
    chosen = get_market(str(value))
    if chosen.code == base.market.code:
        return base
    return dataclasses.replace(base, market=chosen, extra_off=frozenset(), extra_working=frozenset())


def _dates(values: list[object], market: Market, name: str) -> tuple[npt.NDArray[np.datetime64], dict[int, str]]:
    """Parsed days (NaT for blank/bad) and per-row messages for the bad ones."""
    col = parse_dates(values, day_first=market.day_first)
    return col.days, {row: f"{name}: {why}" for row, why in col.problems.items()}


def _today(value: Cells, settings: Settings) -> dt.date:
    """The given day, else the workbook's Today, else the market's today."""
    cell = _scalar(value, "today")
    if is_blank(cell):
        return settings.effective_today
    try:
        day = parse_one(cell, day_first=settings.market.day_first)
    except ValueError as exc:
        raise UdfInputError(f"today: {exc}") from None
    return day or settings.effective_today


def _udf(func: Callable[P, R]) -> Callable[P, R | str]:
    """Turn any exception into one short message in the cell: Excel users never see a traceback."""

    @functools.wraps(func)
    def safe(*args: P.args, **kwargs: P.kwargs) -> R | str:
        try:
            return func(*args, **kwargs)
        except (UdfInputError, UnknownMarket, PolicyError, OutOfCalendar, ValueError) as exc:
            return f"{ERROR_PREFIX}{exc}"
        except Exception as exc:  # noqa: BLE001 - a cell must show something readable
            return f"{ERROR_PREFIX}{type(exc).__name__}: {exc}"

    return safe


def _rule(name: Cells, policy: Policy) -> Rule:
    """A rule by the name a cell gives; blank: the ship-by rule of the policy in use.

    The name is a rule of the policy in use ("ship-by", "delivery"; the workbook's, else the
    standard one), a preset's name for its ship-by rule ("us-official"), or "preset/rule"
    ("sea-tiktok-shipping/collection").
    """
    cell = _scalar(name, "rule")
    if is_blank(cell):
        return policy.ship_by or policy.rules[0]
    text = str(cell).strip()
    policy_name, _, rule_name = text.rpartition("/")
    if policy_name:
        named = PRESETS.get(policy_name.strip().lower())
        if named is None:
            raise UdfInputError(f"unknown policy {policy_name!r}: use one of {', '.join(PRESETS)}")
        return named.rule(rule_name)
    preset = PRESETS.get(text.lower())
    if preset is not None:
        return preset.ship_by or preset.rules[0]
    return policy.rule(text)


def _with_messages(days: npt.NDArray[np.datetime64], messages: dict[int, str]) -> list[object]:
    out: list[object] = [cell_value(d, datetimes=True) or "" for d in days]  # NaT shows as a blank
    for row, message in messages.items():
        out[row] = message
    return out


# -- the functions ---------------------------------------------------------------------------------


@xw.func(category=CATEGORY)
@xw.arg("order_time", ndim=2, doc="Order created time: an Excel date or the export's text, one cell or a column")
@xw.arg("market", doc=MARKET_DOC)
@xw.arg(
    "rule",
    doc='Rule: "ship-by" (default), "delivery", a policy name such as "us-official", '
    'or "policy/rule" such as "sea-tiktok-shipping/collection"',
)
@_udf
def cancel_deadline(order_time: Cells, market: Cells = None, rule: Cells = None, caller: Caller = None) -> object:
    """The date TikTok auto-cancels an order under a rule (default: the ship-by rule of the workbook's policy), on the market's working days, public holidays and the workbook's own days off."""  # noqa: E501 - Excel's function help is this one line
    st = _settings(caller, market)
    r = _rule(rule, st.applied_policy)
    values, shape = _column(order_time, "order_time")
    start, messages = _dates(values, st.market, "order_time")
    deadlines = rule_deadlines(r, start, st.calendar)
    return _shape(_with_messages(deadlines, messages), shape)


@xw.func(category=CATEGORY)
@xw.arg("estimated_delivery", ndim=2, doc="Estimated delivery date (EDD), one cell or a column")
@xw.arg("market", doc=MARKET_DOC)
@_udf
def delivery_deadline(estimated_delivery: Cells, market: Cells = None, caller: Caller = None) -> object:
    """The date TikTok auto-cancels an undelivered order: 30 calendar days after its estimated delivery date (the workbook policy's delivery rule)."""  # noqa: E501 - Excel's function help is this one line
    st = _settings(caller, market)
    values, shape = _column(estimated_delivery, "estimated_delivery")
    start, messages = _dates(values, st.market, "estimated_delivery")
    rule = st.applied_policy.delivery or STANDARD.delivery
    if rule is None:  # the standard policy always has one
        raise UdfInputError(f"policy {st.applied_policy.name!r} has no delivery rule")
    deadlines = rule_deadlines(rule, start, st.calendar)
    return _shape(_with_messages(deadlines, messages), shape)


@xw.func(category=CATEGORY)
@xw.arg("order_time", ndim=2, doc="Order created time, one cell or a column")
@xw.arg("status", ndim=2, doc="Order Status as exported (To ship, Shipped, Canceled...), same rows")
@xw.arg("substatus", ndim=2, doc="Order Substatus (Awaiting collection, In transit...), optional")
@xw.arg("estimated_delivery", ndim=2, doc="Estimated delivery date, optional (enables the delivery rule)")
@xw.arg("today", doc=TODAY_DOC)
@xw.arg("market", doc=MARKET_DOC)
@_udf
def cancel_risk(  # noqa: PLR0913, PLR0917 - Excel's arguments, in the order the function's help shows them
    order_time: Cells,
    status: Cells,
    substatus: Cells = None,
    estimated_delivery: Cells = None,
    today: Cells = None,
    market: Cells = None,
    caller: Caller = None,
) -> object:
    """Risk of auto-cancellation per order: Overdue, Due today, At risk, Check data, On track, Unpaid, Done or Cancelled (the workbook's policy and at-risk days)."""  # noqa: E501 - Excel's function help is this one line
    st = _settings(caller, market)
    st = dataclasses.replace(st, today=_today(today, st))
    times, shape = _column(order_time, "order_time")
    statuses, status_shape = _column(status, "status")
    shape = _combined(shape, status_shape)
    given = {"created": times, "status": statuses}
    if substatus is not None:
        given["substatus"] = _column(substatus, "substatus")[0]
    if estimated_delivery is not None:
        given["edd"] = _column(estimated_delivery, "estimated_delivery")[0]
    cols, n = _stretched(given)
    # One order per row: the ids are the row numbers.
    export = cell_export("CANCEL_RISK", {"order_id": [str(i + 1) for i in range(n)], **cols})
    orders, _, assessment = assess_orders(export, st)
    blank = [is_blank(t) and is_blank(s) for t, s in zip(cols["created"], cols["status"], strict=True)]
    risk = assessment.risk[orders.row_order]
    return _shape([("" if b else str(r)) for b, r in zip(blank, risk, strict=True)], shape)


@xw.func(category=CATEGORY)
@xw.arg("deadline", ndim=2, doc="Deadline date, one cell or a column")
@xw.arg("today", doc=TODAY_DOC)
@xw.arg("market", doc=MARKET_DOC)
@_udf
def workdays_left(deadline: Cells, today: Cells = None, market: Cells = None, caller: Caller = None) -> object:
    """Working days from today to the deadline (today not counted, the deadline counted); negative when it has passed."""  # noqa: E501 - Excel's function help is this one line
    st = _settings(caller, market)
    day = np.datetime64(_today(today, st), "D")
    values, shape = _column(deadline, "deadline")
    ends, messages = _dates(values, st.market, "deadline")
    left = st.calendar.working_days_between(np.full(ends.shape, day), ends)
    out: list[object] = ["" if np.isnan(v) else int(v) for v in left]
    for row, message in messages.items():
        out[row] = message
    return _shape(out, shape)


def _number(value: object) -> float:
    """A cell as a number: an Excel number or a number typed as text; NaN for anything else (TRUE too)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    return float("nan")


def _whole_days(values: list[object]) -> tuple[list[int | None], dict[int, str]]:
    out: list[int | None] = []
    messages: dict[int, str] = {}
    for i, v in enumerate(values):
        if is_blank(v):
            out.append(None)
            continue
        f = _number(v)
        if not np.isfinite(f) or not f.is_integer() or abs(f) > _MOST_DAYS:
            out.append(None)
            messages[i] = f"days: {v!r} is not a whole number of days"
        else:
            out.append(int(f))
    return out, messages


@xw.func(category=CATEGORY)
@xw.arg("start", ndim=2, doc="Start date, one cell or a column (the start day itself is not counted)")
@xw.arg("days", ndim=2, doc="Working days to add (negative goes back), one number or a column")
@xw.arg("market", doc=MARKET_DOC)
@_udf
def workday_market(start: Cells, days: Cells, market: Cells = None, caller: Caller = None) -> object:
    """Excel's WORKDAY with the market's weekend, public holidays and the workbook's own days off built in: the date that many working days after the start."""  # noqa: E501 - Excel's function help is this one line
    st = _settings(caller, market)
    starts, shape = _column(start, "start")
    counts, days_shape = _column(days, "days")
    shape = _combined(shape, days_shape)
    cols, _ = _stretched({"start": starts, "days": counts})
    begin, messages = _dates(cols["start"], st.market, "start")
    whole, bad_days = _whole_days(cols["days"])
    known = np.array([w is not None for w in whole], dtype=bool)
    begin = np.where(known, begin, np.datetime64("NaT"))
    result = st.calendar.workday(begin, np.array([w or 0 for w in whole], dtype=np.int64))
    return _shape(_with_messages(result, {**bad_days, **messages}), shape)


@xw.func(category=CATEGORY)
@xw.arg("order_ids", ndim=2, doc="Order ID column (one row per SKU line is fine: orders are counted once)")
@xw.arg("cancel_by", ndim=2, doc="Cancel By column (System, User, Seller; blank = not cancelled), same rows")
@xw.arg("cancel_reasons", ndim=2, doc='Cancel Reason column, optional: "Customer overdue to pay" is the buyer\'s fault')
@_udf
def cancel_rate(order_ids: Cells, cancel_by: Cells, cancel_reasons: Cells = None, caller: Caller = None) -> object:
    """Seller-responsible cancellation rate over distinct orders: cancelled by the seller, or by the system for a reason that is not the buyer's."""  # noqa: E501 - Excel's function help is this one line
    given = {"order_id": _column(order_ids, "order_ids")[0], "cancel_by": _column(cancel_by, "cancel_by")[0]}
    if cancel_reasons is not None:
        given["cancel_reason"] = _column(cancel_reasons, "cancel_reasons")[0]
    cols, n = _stretched(given)
    keep = [i for i in range(n) if not is_blank(cols["order_id"][i])]
    if not keep:
        return ""
    fields = {name: [values[i] for i in keep] for name, values in cols.items()}
    # The export's Cancel By is filled only on cancelled orders; that is the status here.
    fields["status"] = [CANCELLED if not is_blank(by) else "Completed" for by in fields["cancel_by"]]
    st = _settings(caller)
    orders, _, assessment = assess_orders(cell_export("CANCEL_RATE", fields), st)
    seller = seller_responsible(orders, assessment.risk, st.buyer_fault_reasons)
    return round(int(seller.sum()) / len(orders), 6)


@xw.func(category=CATEGORY)
@xw.arg("market", doc='Market code such as "US", "GB", "TH"')
@xw.arg("year", doc="Year (default: this year)")
@_udf
def market_holidays(market: Cells, year: Cells = None) -> object:
    """The market's public holidays and other days off in a year, spilled as two columns: date and name."""
    code = _scalar(market, "market")
    if is_blank(code):
        return ""
    m = get_market(str(code))
    y = Settings(market=m).effective_today.year if is_blank(_scalar(year, "year")) else _year(_scalar(year, "year"))
    days = calendar_for(m).non_working_days(y)
    if not days:
        return f"No public holidays for {m.code} in {y}"
    return [[dt.datetime(d.year, d.month, d.day), name] for d, name in days]


def _year(value: object) -> int:
    f = _number(value)
    if not np.isfinite(f) or not f.is_integer():
        raise UdfInputError(f"year: {value!r} is not a year")
    return int(f)


#: The worksheet functions, in the order the template documents them.
UDFS: Sequence[Callable[..., object]] = (
    cancel_deadline,
    delivery_deadline,
    cancel_risk,
    workdays_left,
    workday_market,
    cancel_rate,
    market_holidays,
)
