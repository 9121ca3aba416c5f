"""From export rows to orders: statuses in any language, dates parsed, SKU rows grouped by Order ID.

An export has one row per SKU line; rates and deadlines are per order, so the rows of an order
are folded into one (the same way whatever their order), and the answers spread back onto
every row of it. A row without an Order ID is never an order: it is flagged on its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .columns import distinct_text
from .dates import parse_dates
from .export import FIELDS, Export
from .rules import EVENTS, Milestone
from .statuses import CANCELLED, CANONICAL, UNPAID, Canonical, lookup

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = ["CANCELLED", "CANCEL_BY", "DATE_FIELDS", "UNPAID", "Orders", "collect_orders", "first_per_order"]

#: A time in these columns proves the milestone, whatever the status says.
_PROVEN_BY = {"rts": Milestone.AWAITING_COLLECTION, "shipped": Milestone.IN_TRANSIT, "delivered": Milestone.DELIVERED}
#: What a row whose status we cannot read is, from its own times (Cancelled Time first: it comes last).
_TOLD_BY = (
    ("cancelled", "Cancelled"),
    ("delivered", "Delivered"),
    ("shipped", "In transit"),
    ("rts", "Awaiting collection"),
)
CANCEL_BY = {"seller": "Seller", "system": "System", "user": "Buyer", "buyer": "Buyer", "customer": "Buyer"}
DATE_FIELDS = ("created", "paid", "rts", "shipped", "delivered", "edd")  # "created" also sets the window
_UNTOLD = -1
_INDEX = {c.name: i for i, c in enumerate(CANONICAL)}
#: Status groups in the order an order moves; two of them on one order's rows is a conflict.
_GROUPS = tuple(dict.fromkeys(c.status for c in CANONICAL if c.status != CANCELLED))
_GROUP_OF = np.array([_GROUPS.index(c.status) if c.status != CANCELLED else -1 for c in CANONICAL], dtype=np.int64)


IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
DayArray = npt.NDArray[np.datetime64]


@dataclass
class Orders:
    """One entry per distinct Order ID and per row without one (first-seen order); rows map to them."""

    ids: list[str]
    row_order: IntArray  # row -> order index
    status: list[str]  # canonical status; the raw text when not recognised; "" for a row without an Order ID
    recognised: BoolArray  # the order's state can be told from its statuses and times
    reached: IntArray  # Milestone value reached: the least far of the order's live rows
    dates: dict[str, DayArray]  # field -> datetime64[D] per order (NaT blank or unreadable)
    unreadable: dict[str, BoolArray]  # field -> per order: a cell was there but not a date
    cancel_by: list[str]
    cancel_reason: list[str]
    issues: dict[int, list[str]]  # order index -> what is wrong with its cells (most have nothing)
    countable: BoolArray  # a real order (it has an Order ID), to count in the rate
    fields: frozenset[str] = frozenset()  # the fields the export has a column for ("paid": a Paid Time)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class _Rows:
    """What each row says before the rows are folded into orders."""

    statuses: list[str]  # distinct status texts
    status_code: IntArray  # row -> index into statuses
    by_status: IntArray  # row -> index into CANONICAL told by its status (_UNTOLD if none)
    state: IntArray  # row -> index into CANONICAL told by its status, else its substatus, else its times
    reached: IntArray  # row -> Milestone its status, substatus and times prove
    told_by: IntArray  # row -> index into _TOLD_BY when its state was read from its times


def collect_orders(
    export: Export,
    *,
    day_first: bool,
    events: frozenset[str] = frozenset(EVENTS),
    own_statuses: Mapping[str, str] | None = None,
) -> Orders:
    """Group the export's SKU rows into orders and read what the rules need from them.

    ``events`` are the clock-starting events the policy uses; other event columns are not read,
    except the times that prove how far an order got. ``own_statuses`` are the seller's spellings
    (``statuses.parse_seller_statuses``), looked up before TikTok's.
    """
    n_rows = len(export.rows)
    ids, row_order, countable = _group(export.column("order_id"), n_rows)
    n = len(ids)
    rows = np.arange(n_rows, dtype=np.int64)
    first_row = np.full(n, n_rows, dtype=np.int64)
    np.minimum.at(first_row, row_order, rows)
    issues: dict[int, list[str]] = defaultdict(list)
    for o in np.flatnonzero(~countable).tolist():
        issues[o].append(
            f"{_cell(export, 'order_id', int(first_row[o]))}: empty, so this row is not counted as an order"
        )

    said = _row_statuses(export, n_rows, own_statuses)
    wanted = [f for f in DATE_FIELDS if f in events or f in _PROVEN_BY]
    dates, unreadable, row_days, problems = _read_dates(export, wanted, row_order, n, day_first=day_first)
    for o, message in problems:
        issues[o].append(message)
    for field, milestone in _PROVEN_BY.items():
        if field in row_days:
            said.reached = np.where(~np.isnat(row_days[field]), np.maximum(said.reached, milestone), said.reached)
    _read_from_times(export, said, row_days, day_first=day_first)
    for o, row in _first_rows_with_unknown(said.by_status, said.status_code, row_order, countable):
        raw, k = said.statuses[said.status_code[row]], said.told_by[row]
        what = f"{raw!r} is not a status we know" if raw else "empty"
        if k != _UNTOLD:
            what += f"; read as {_TOLD_BY[k][1]} from its {_header(export, _TOLD_BY[k][0])}"
        issues[o].append(f"{_cell(export, 'status', row)}: {what}")

    state = said.state
    cancelled_row = state == _INDEX["Cancelled"]
    untold_row = state == _UNTOLD
    unpaid_row = state == _INDEX["Unpaid"]
    live_row = ~(cancelled_row | untold_row | unpaid_row)
    live, unpaid, untold = (_any_per_order(m, row_order, n) for m in (live_row, unpaid_row, untold_row))

    # The deciding row: the live row that got least far (a pending shipment is what matters),
    # the first such row on a tie; without one, the order's first row.
    stride = n_rows + 1
    key = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(key, row_order[live_row], said.reached[live_row] * stride + rows[live_row])
    rep = np.where(live, key % stride, first_row)
    reached = np.zeros(n, dtype=np.int64)
    np.maximum.at(reached, row_order, said.reached)
    reached[live] = key[live] // stride

    first_untold = np.full(n, n_rows, dtype=np.int64)
    np.minimum.at(first_untold, row_order[untold_row], rows[untold_row])
    rep_group = _GROUP_OF[state[rep]]
    raw_untold = (
        np.array(said.statuses, dtype=object)[said.status_code[np.minimum(first_untold, max(n_rows - 1, 0))]]
        if n_rows
        else np.empty(0, dtype=object)
    )
    status: list[str] = np.select(
        [~countable, live, untold, unpaid],
        [np.array(""), np.array(_GROUPS, dtype=object)[rep_group], raw_untold, np.array(UNPAID)],
        np.array(CANCELLED),
    ).tolist()
    # An unreadable row cannot lower a pending step that is already the lowest one (paid, not shipped).
    recognised = countable & (~untold | (live & (reached <= Milestone.PAID)))
    for o, message in _conflicts(state, live_row | unpaid_row, row_order, status, export):
        issues[o].append(message)

    by, by_code = distinct_text(export.column("cancel_by"), n_rows)
    by = [CANCEL_BY.get(b.lower(), b) for b in by]
    reasons, reason_code = distinct_text(export.column("cancel_reason"), n_rows)
    return Orders(
        ids=ids,
        row_order=row_order,
        status=status,
        recognised=recognised,
        reached=reached,
        dates=dates,
        unreadable=unreadable,
        cancel_by=np.array(by, dtype=object)[by_code[rep]].tolist(),
        cancel_reason=np.array(reasons, dtype=object)[reason_code[rep]].tolist(),
        issues=issues,
        countable=countable,
        fields=frozenset(export.columns),
    )


def _row_statuses(export: Export, n_rows: int, own_statuses: Mapping[str, str] | None) -> _Rows:
    """What each row's status, else its substatus, says it is (as an index into CANONICAL)."""
    statuses, status_code = distinct_text(export.column("status"), n_rows)
    substatuses, sub_code = distinct_text(export.column("substatus"), n_rows)
    status_known = [lookup(s, own_statuses) if s else None for s in statuses]
    sub_known = [lookup(s, own_statuses) if s else None for s in substatuses]
    by_status, by_sub = _indices(status_known)[status_code], _indices(sub_known)[sub_code]
    return _Rows(
        statuses,
        status_code,
        by_status,
        np.where(by_status != _UNTOLD, by_status, by_sub),
        np.maximum(_milestones(status_known)[status_code], _milestones(sub_known)[sub_code]),
        np.full(n_rows, _UNTOLD, dtype=np.int64),
    )


def _read_dates(
    export: Export, fields: Iterable[str], row_order: IntArray, n: int, *, day_first: bool
) -> tuple[dict[str, DayArray], dict[str, BoolArray], dict[str, DayArray], list[tuple[int, str]]]:
    """Each order's dates in those fields, which orders had an unreadable one, each row's days, and messages.

    The messages are (order, text) for every unreadable cell. A field the export lacks is NaT throughout.
    """
    dates: dict[str, DayArray] = {}
    unreadable: dict[str, BoolArray] = {}
    row_days: dict[str, DayArray] = {}
    problems: list[tuple[int, str]] = []
    for field in fields:
        values = export.column(field)
        dates[field] = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        unreadable[field] = np.zeros(n, dtype=bool)
        if values is None:
            continue
        col = parse_dates(values, day_first=day_first)
        row_days[field] = col.days
        dates[field] = first_per_order(col.days, row_order, n)
        for row, why in col.problems.items():
            unreadable[field][row_order[row]] = True
            problems.append((int(row_order[row]), f"{_cell(export, field, row)}: {why}"))
    return dates, unreadable, row_days, problems


def _read_from_times(export: Export, said: _Rows, row_days: dict[str, DayArray], *, day_first: bool) -> None:
    """A row neither status tells is read from its own times (its unknown text is reported either way)."""
    if not (said.state == _UNTOLD).any():
        return
    if "cancelled" in export.columns:
        row_days["cancelled"] = parse_dates(export.column("cancelled") or [], day_first=day_first).days
    for k in reversed(range(len(_TOLD_BY))):  # the first of _TOLD_BY that has a time wins
        days = row_days.get(_TOLD_BY[k][0])
        if days is not None:
            said.told_by = np.where((said.state == _UNTOLD) & ~np.isnat(days), k, said.told_by)
    told = said.told_by != _UNTOLD
    said.state = np.where(
        told, np.array([_INDEX[name] for _, name in _TOLD_BY])[np.maximum(said.told_by, 0)], said.state
    )


def _group(values: Sequence[object] | None, n_rows: int) -> tuple[list[str], IntArray, BoolArray]:
    """Orders in first-seen order, each row's order, and which orders have an ID.

    Every row without an Order ID is an order of its own: blank IDs are not one pseudo-order.
    """
    ids, code = distinct_text(values, n_rows)
    if "" not in ids:
        return ids, code, np.ones(len(ids), dtype=bool)
    blank_rows = np.flatnonzero(code == ids.index(""))
    key = code.copy()
    key[blank_rows] = len(ids) + np.arange(blank_rows.size)
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    by_first = np.argsort(first, kind="stable")
    rank = np.empty_like(by_first)
    rank[by_first] = np.arange(by_first.size)
    labels = [ids[k] if k < len(ids) else "" for k in uniq[by_first].tolist()]
    return labels, rank[inverse.ravel()], np.array([bool(x) for x in labels], dtype=bool)


def _indices(known: list[Canonical | None]) -> IntArray:
    return np.array([_INDEX[c.name] if c else _UNTOLD for c in known], dtype=np.int64)


def _milestones(known: list[Canonical | None]) -> IntArray:
    """The milestone each distinct status or substatus text proves."""
    return np.array([c.milestone if c else Milestone.PLACED for c in known], dtype=np.int64)


def _any_per_order(mask: BoolArray, row_order: IntArray, n: int) -> BoolArray:
    out = np.zeros(n, dtype=bool)
    out[row_order[mask]] = True
    return out


def _first_rows_with_unknown(
    by_status: IntArray, status_code: IntArray, row_order: IntArray, countable: BoolArray
) -> list[tuple[int, int]]:
    """(order, first row) for each distinct unknown status text on each order's rows."""
    unknown = np.flatnonzero((by_status == _UNTOLD) & countable[row_order])
    if not unknown.size:
        return []
    pairs = row_order[unknown] * (int(status_code.max()) + 1) + status_code[unknown]
    _, first = np.unique(pairs, return_index=True)
    return sorted((int(row_order[unknown[i]]), int(unknown[i])) for i in first)


def _conflicts(
    state: IntArray, considered: BoolArray, row_order: IntArray, status: list[str], export: Export
) -> list[tuple[int, str]]:
    """(order, message) naming the statuses an order's rows disagree on, and what it was counted as."""
    rows = np.flatnonzero(considered)
    group = _GROUP_OF[state[rows]]
    n = len(status)
    low, high = np.full(n, len(_GROUPS)), np.full(n, -1)
    np.minimum.at(low, row_order[rows], group)
    np.maximum.at(high, row_order[rows], group)
    conflicted = np.flatnonzero(high > low)
    if not conflicted.size:
        return []
    keep = np.isin(row_order[rows], conflicted)
    rows, group = rows[keep], group[keep]
    seen: dict[int, dict[int, int]] = defaultdict(dict)  # order -> group -> first row
    for row, g in zip(rows.tolist(), group.tolist(), strict=True):
        seen[int(row_order[row])].setdefault(g, row)
    header = _header(export, "status")
    out = []
    for o, firsts in seen.items():
        said = ", ".join(f"{_GROUPS[g]} (row {export.sheet_row(r)})" for g, r in sorted(firsts.items()))
        out.append((o, f"{header}: this order's rows disagree - {said}; counted as {status[o]}"))
    return out


def first_per_order(days: DayArray, row_order: IntArray, n: int) -> DayArray:
    """Each order's earliest date over its rows (the rows of an order share their times)."""
    as_int = days.astype(np.int64)
    missing = np.isnat(days)
    big = np.iinfo(np.int64).max
    out = np.full(n, big, dtype=np.int64)
    np.minimum.at(out, row_order[~missing], as_int[~missing])
    result = out.astype("datetime64[D]")
    result[out == big] = np.datetime64("NaT")
    return result


def _header(export: Export, field: str) -> str:
    return export.headers[export.columns[field]] if field in export.columns else FIELDS[field][0]


def _cell(export: Export, field: str, row: int) -> str:
    """A cell reference such as "Created Time, row 17" that the seller can find in the sheet."""
    return f"{_header(export, field)}, row {export.sheet_row(row)}"
