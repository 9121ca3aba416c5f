"""Excel worksheet functions (xlwings UDFs): =CANCEL_DEADLINE(A2:A500) and friends.

Each function takes one cell or a whole column and answers one value per row, so one formula
spills down a column (Excel dynamic arrays) instead of one call per cell. Dates come in as
Excel dates, serial numbers or TikTok's export text (``09/15/2025 7:44:26 AM\\t``) and go out
as real dates; a blank input gives a blank, a bad one a short message in that row's cell.

The functions are thin: every answer comes from the core (``parse_dates``, ``rule_deadlines``,
``pipeline.run``, ``seller_responsible``), so a cell and ``autocancel check`` never disagree.

Called from a workbook of ours (one with a Settings sheet), an argument left out is the
workbook's: its market, policy, at-risk days, Today, buyer-fault reasons, status spellings and
the Holidays sheet's extra days off and working days, read with the same reader as a refresh
(:func:`book_settings`), so a cell and the Orders sheet agree. Given arguments win; another
market than the workbook's leaves the Holidays sheet's days out (they are that market's).
xlwings passes the calling cell as the reserved ``caller`` argument, which Excel never shows.
Calendars come from ``calendar_for``, which is cached: a market's calendar is built once per
Python process and reused by every later call.

On Windows the ``@xw.func`` / ``@xw.arg`` decorators register the functions with xlwings; on
Linux and macOS they are no-ops and these are plain Python functions (that is how the tests
call them). ``tools.template`` reads the same decorators to generate the VBA wrappers.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence

import numpy as np
import xlwings as xw

from .core.assess import CANCELLED_RISK, rule_deadlines
from .core.calendar import OutOfCalendar, calendar_for
from .core.dates import parse_dates, parse_one
from .core.export import Export
from .core.markets import Market, UnknownMarket, get_market
from .core.orders import CANCELLED, collect_orders
from .core.policies import PRESETS, STANDARD
from .core.rules import Policy, PolicyError, Rule
from .core.summary import seller_responsible
from .errors import AutocancelError
from .io.export import _as_id, _clean
from .pipeline import Settings, assess_orders
from .workbook.grid import Grid, GridBook
from .workbook.layout import HOLIDAYS, SETTINGS
from .workbook.settings_sheet import read_settings

CATEGORY = "Auto-cancel guard"

#: What a cell shows when a whole call cannot be answered (one message, not a traceback).
ERROR_PREFIX = "#ERR "


CELL, COLUMN, ROW = "cell", "column", "row"
MARKET_DOC = 'Market code such as "US", "GB", "TH" (default: the workbook\'s Settings, else US)'


class UdfInputError(AutocancelError):
    """An argument the function cannot use; the message is shown in the cell."""


# -- shape handling ------------------------------------------------------------------------------


def _is_blank(value: object) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, float) and np.isnan(value))
    )


def _column(value: object, name: str) -> tuple[list, str]:
    """(values in order, shape) for a cell, a column or a row from Excel; shape is "cell",
    "column" or "row" and the answer is given back in the same shape.

    xlwings passes ``ndim=2`` arguments as lists of rows. A block of several rows and columns
    is refused rather than guessed at.
    """
    if not isinstance(value, (list, tuple)):
        return [value], CELL
    rows = [r if isinstance(r, (list, tuple)) else [r] for r in value]
    if not rows:
        return [], COLUMN
    width = max(len(r) for r in rows)
    if len(rows) == 1:
        return list(rows[0]), CELL if width == 1 else ROW
    if width > 1:
        raise UdfInputError(f"{name} must be one column, not {len(rows)} rows x {width} columns")
    return [r[0] if r else None for r in rows], COLUMN


def _scalar(value: object, name: str) -> object:
    """One cell's value; a range of more than one cell is refused."""
    values, shape = _column(value, name)
    if shape != CELL:
        raise UdfInputError(f"{name} must be one cell")
    return values[0] if values else None


def _broadcast(columns: dict[str, list]) -> int:
    """The common row count of the column arguments (one-cell arguments repeat)."""
    lengths = {name: len(v) for name, v in columns.items() if len(v) != 1}
    sizes = set(lengths.values())
    if len(sizes) > 1:
        shown = ", ".join(f"{name} {n} rows" for name, n in lengths.items())
        raise UdfInputError(f"the columns differ in length: {shown}")
    return sizes.pop() if sizes else 1


def _stretch(values: list, n: int) -> list:
    return values * n if len(values) == 1 and n != 1 else values


def _shape(values: list, shape: str) -> object:
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


@functools.lru_cache(maxsize=32)
def _settings_from(sheets: tuple[tuple[str, tuple], ...]) -> Settings:
    return read_settings(GridBook({name: Grid(dict(cells), name) for name, cells in sheets}))


def book_settings(caller) -> Settings | None:
    """The Settings (and Holidays days) of the workbook the calling cell is in; None when there
    is no caller (Python) or the workbook has no Settings sheet.

    The two sheets' values are read on every call (two small ranges) and ARE the cache key: any
    edited cell is another key, so an answer can never come from stale settings; only the
    parsing is saved."""
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


def _settings(caller, market: object = None) -> Settings:
    """What a call counts with: the workbook's Settings (or the defaults), a given market winning."""
    base = book_settings(caller) or Settings()
    value = _scalar(market, "market")
    if _is_blank(value):
        return base
    chosen = get_market(str(value))
    if chosen.code == base.market.code:
        return base
    return Settings(**{**base.__dict__, "market": chosen, "extra_off": frozenset(), "extra_working": frozenset()})


def _as_datetime(day: np.datetime64) -> dt.datetime | str:
    """A numpy day as the datetime Excel stores as a date; NaT as a blank."""
    if np.isnat(day):
        return ""
    d = day.astype(object)
    return dt.datetime(d.year, d.month, d.day)


def _dates(values: list, market: Market, name: str) -> tuple[np.ndarray, dict[int, str]]:
    """Parsed days (NaT for blank/bad) and per-row messages for the bad ones."""
    col = parse_dates(values, market.day_first)
    return col.days, {row: f"{name}: {why}" for row, why in col.problems.items()}


def _today(value: object, settings: Settings) -> dt.date:
    """The given day, else the workbook's Today, else the market's today."""
    value = _scalar(value, "today")
    if _is_blank(value):
        return settings.effective_today
    try:
        day = parse_one(value, settings.market.day_first)
    except ValueError as exc:
        raise UdfInputError(f"today: {exc}") from None
    return day or settings.effective_today


def _udf(func: Callable) -> Callable:
    """Turn any exception into one short message in the cell: Excel users never see a traceback."""

    @functools.wraps(func)
    def safe(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (UdfInputError, UnknownMarket, PolicyError, OutOfCalendar, ValueError) as exc:
            return f"{ERROR_PREFIX}{exc}"
        except Exception as exc:  # noqa: BLE001 - a cell must show something readable
            return f"{ERROR_PREFIX}{type(exc).__name__}: {exc}"

    return safe


def _rule(name: object, policy: Policy) -> Rule:
    """A rule of the policy in use ("ship-by", "delivery"; the workbook's, else the standard one),
    a preset's ship-by rule by the preset's name ("us-official"), or a preset's rule as
    "preset/rule" ("sea-tiktok-shipping/collection"). Blank: the policy's ship-by rule."""
    name = _scalar(name, "rule")
    if _is_blank(name):
        return policy.ship_by or policy.rules[0]
    text = str(name).strip()
    policy_name, _, rule_name = text.rpartition("/")
    if policy_name:
        policy = PRESETS.get(policy_name.strip().lower())
        if policy is None:
            raise UdfInputError(f"unknown policy {policy_name!r}: use one of {', '.join(PRESETS)}")
        return policy.rule(rule_name)
    preset = PRESETS.get(text.lower())
    if preset is not None:
        return preset.ship_by or preset.rules[0]
    return policy.rule(text)


def _with_messages(days: np.ndarray, messages: dict[int, str]) -> list:
    out = [_as_datetime(d) for d in days]
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
def cancel_deadline(order_time, market=None, rule=None, caller=None):
    """The date TikTok auto-cancels an order under a rule (default: the ship-by rule of the workbook's policy), on the market's working days, public holidays and the workbook's own days off."""
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
def delivery_deadline(estimated_delivery, market=None, caller=None):
    """The date TikTok auto-cancels an undelivered order: 30 calendar days after its estimated delivery date (the workbook policy's delivery rule)."""
    st = _settings(caller, market)
    values, shape = _column(estimated_delivery, "estimated_delivery")
    start, messages = _dates(values, st.market, "estimated_delivery")
    deadlines = rule_deadlines(st.applied_policy.delivery or STANDARD.delivery, start, st.calendar)
    return _shape(_with_messages(deadlines, messages), shape)


#: Column order of the small export CANCEL_RISK builds from its arguments.
_RISK_HEADERS = ("Order ID", "Order Status", "Order Substatus", "Created Time", "Estimated Delivery Date")


@xw.func(category=CATEGORY)
@xw.arg("order_time", ndim=2, doc="Order created time, one cell or a column")
@xw.arg("status", ndim=2, doc="Order Status as exported (To ship, Shipped, Canceled...), same rows")
@xw.arg("substatus", ndim=2, doc="Order Substatus (Awaiting collection, In transit...), optional")
@xw.arg("estimated_delivery", ndim=2, doc="Estimated delivery date, optional (enables the delivery rule)")
@xw.arg(
    "today",
    doc="Count from this date; give TODAY() so the cell moves on each day "
    "(default: the market's today when the cell last calculated)",
)
@xw.arg("market", doc=MARKET_DOC)
@_udf
def cancel_risk(order_time, status, substatus=None, estimated_delivery=None, today=None, market=None, caller=None):
    """Risk of auto-cancellation per order: Overdue, Due today, At risk, Check data, On track, Unpaid, Done or Cancelled (the workbook's policy and at-risk days)."""
    st = _settings(caller, market)
    st = Settings(**{**st.__dict__, "today": _today(today, st)})
    times, shape = _column(order_time, "order_time")
    statuses, status_shape = _column(status, "status")
    shape = _combined(shape, status_shape)
    cols = {"order_time": times, "status": statuses}
    if substatus is not None:
        cols["substatus"] = _column(substatus, "substatus")[0]
    if estimated_delivery is not None:
        cols["estimated_delivery"] = _column(estimated_delivery, "estimated_delivery")[0]
    n = _broadcast(cols)
    cols = {k: _stretch(v, n) for k, v in cols.items()}
    blank = [all(_is_blank(cols[k][i]) for k in ("order_time", "status")) for i in range(n)]
    rows = [
        [
            str(i + 1),
            cols["status"][i],
            cols.get("substatus", [None] * n)[i],
            cols["order_time"][i],
            cols.get("estimated_delivery", [None] * n)[i],
        ]
        for i in range(n)
    ]
    columns = {"order_id": 0, "status": 1, "created": 3}
    if "substatus" in cols:
        columns["substatus"] = 2
    if "estimated_delivery" in cols:
        columns["edd"] = 4
    export = Export("CANCEL_RISK", list(_RISK_HEADERS), rows, columns, first_row=1)
    orders, _, assessment = assess_orders(export, st)  # one order per row: the ids are the row numbers
    risk = [("" if b else str(r)) for b, r in zip(blank, assessment.risk[orders.row_order])]
    return _shape(risk, shape)


@xw.func(category=CATEGORY)
@xw.arg("deadline", ndim=2, doc="Deadline date, one cell or a column")
@xw.arg(
    "today",
    doc="Count from this date; give TODAY() so the cell moves on each day "
    "(default: the market's today when the cell last calculated)",
)
@xw.arg("market", doc=MARKET_DOC)
@_udf
def workdays_left(deadline, today=None, market=None, caller=None):
    """Working days from today to the deadline (today not counted, the deadline counted); negative when it has passed."""
    st = _settings(caller, market)
    day = np.datetime64(_today(today, st), "D")
    values, shape = _column(deadline, "deadline")
    ends, messages = _dates(values, st.market, "deadline")
    left = st.calendar.working_days_between(np.full(ends.shape, day), ends)
    out: list = ["" if np.isnan(v) else int(v) for v in left]
    for row, message in messages.items():
        out[row] = message
    return _shape(out, shape)


def _whole_days(values: list) -> tuple[list[int | None], dict[int, str]]:
    out: list[int | None] = []
    messages: dict[int, str] = {}
    for i, v in enumerate(values):
        if _is_blank(v):
            out.append(None)
            continue
        try:
            f = float(str(v).strip()) if isinstance(v, str) else float(v)
        except (TypeError, ValueError):
            f = float("nan")
        if isinstance(v, bool) or not np.isfinite(f) or not f.is_integer() or abs(f) > 100_000:
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
def workday_market(start, days, market=None, caller=None):
    """Excel's WORKDAY with the market's weekend, public holidays and the workbook's own days off built in: the date that many working days after the start."""
    st = _settings(caller, market)
    starts, shape = _column(start, "start")
    counts, days_shape = _column(days, "days")
    n = _broadcast({"start": starts, "days": counts})
    shape = _combined(shape, days_shape)
    starts, counts = _stretch(starts, n), _stretch(counts, n)
    begin, messages = _dates(starts, st.market, "start")
    whole, bad_days = _whole_days(counts)
    known = np.array([w is not None for w in whole], dtype=bool)
    begin = np.where(known, begin, np.datetime64("NaT"))
    result = st.calendar.workday(begin, np.array([w or 0 for w in whole], dtype=np.int64))
    return _shape(_with_messages(result, {**bad_days, **messages}), shape)


@xw.func(category=CATEGORY)
@xw.arg("order_ids", ndim=2, doc="Order ID column (one row per SKU line is fine: orders are counted once)")
@xw.arg("cancel_by", ndim=2, doc="Cancel By column (System, User, Seller; blank = not cancelled), same rows")
@xw.arg("cancel_reasons", ndim=2, doc='Cancel Reason column, optional: "Customer overdue to pay" is the buyer\'s fault')
@_udf
def cancel_rate(order_ids, cancel_by, cancel_reasons=None, caller=None):
    """Seller-responsible cancellation rate over distinct orders: cancelled by the seller, or by the system for a reason that is not the buyer's."""
    ids = _column(order_ids, "order_ids")[0]
    cols = {"order_ids": ids, "cancel_by": _column(cancel_by, "cancel_by")[0]}
    if cancel_reasons is not None:
        cols["cancel_reasons"] = _column(cancel_reasons, "cancel_reasons")[0]
    n = _broadcast(cols)
    cols = {k: _stretch(v, n) for k, v in cols.items()}
    keep = [i for i in range(n) if not _is_blank(cols["order_ids"][i])]
    if not keep:
        return ""
    reasons = cols.get("cancel_reasons", [None] * n)
    # The export's Cancel By is filled only on cancelled orders; that is the status here.
    rows = [
        [
            str(_as_id(_clean(cols["order_ids"][i]))).strip(),
            CANCELLED if not _is_blank(cols["cancel_by"][i]) else "Completed",
            cols["cancel_by"][i],
            reasons[i],
        ]
        for i in keep
    ]
    export = Export(
        "CANCEL_RATE",
        ["Order ID", "Order Status", "Cancel By", "Cancel Reason"],
        rows,
        {"order_id": 0, "status": 1, "cancel_by": 2, "cancel_reason": 3},
        first_row=1,
    )
    orders = collect_orders(export, False)
    risk = np.where(np.array(orders.status, dtype=object) == CANCELLED, CANCELLED_RISK, "")
    seller = seller_responsible(orders, risk, _settings(caller).buyer_fault_reasons)
    return round(int(seller.sum()) / len(orders), 6)


@xw.func(category=CATEGORY)
@xw.arg("market", doc='Market code such as "US", "GB", "TH"')
@xw.arg("year", doc="Year (default: this year)")
@_udf
def market_holidays(market, year=None):
    """The market's public holidays and other days off in a year, spilled as two columns: date and name."""
    if _is_blank(_scalar(market, "market")):
        return ""
    m = get_market(str(_scalar(market, "market")))
    year = _scalar(year, "year")
    if _is_blank(year):
        y = m.today().year
    else:
        try:
            f = float(year)
        except (TypeError, ValueError):
            raise UdfInputError(f"year: {year!r} is not a year") from None
        if not f.is_integer():
            raise UdfInputError(f"year: {year!r} is not a year")
        y = int(f)
    days = calendar_for(m).non_working_days(y)
    if not days:
        return f"No public holidays for {m.code} in {y}"
    return [[dt.datetime(d.year, d.month, d.day), name] for d, name in days]


#: The worksheet functions, in the order the template documents them.
UDFS: Sequence[Callable] = (
    cancel_deadline,
    delivery_deadline,
    cancel_risk,
    workdays_left,
    workday_market,
    cancel_rate,
    market_holidays,
)
