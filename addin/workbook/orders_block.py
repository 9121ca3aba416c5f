"""The Orders sheet as one model, and its update, as a pure function over plain rows.

The sheet holds three kinds of columns:

- the export's: replaced whole by each new export (a loaded file, the Paste staging sheet, or
  what a refresh finds pasted on the sheet);
- ours: computed, replaced by each refresh (``addin.core.assess.COLUMNS`` plus the hidden ``Row key``
  that remembers which Order ID + SKU ID each row held at the last refresh);
- the seller's own (notes, an EDD, anything staff type): kept, and kept with their order by
  Order ID + SKU ID, whatever the row order and whatever sits between.

Every engine (openpyxl for workbooks on disk, xlsxwriter for new ones, xlwings for the button)
reads the sheet into plain rows, calls :func:`plan` then :func:`build`, and writes the
:class:`Block` it gets back. The layout below is written here, once:

    [Order ID][Product Name][Risk][Next auto-cancel][Days left]   <- frozen, read first
    [the rest of the export, in its own order]
    [Ship-by deadline][Delivery deadline][... the other computed columns ...][Data issue][Row key]
    [the seller's own columns]

Any earlier layout reads back (the template, older versions with our block right of the
export, an export pasted at A1 over our first columns): our headers are found by name; the
export's columns are the other ones left of our back block, the seller's the ones right of it.
A SEA export's description row (a translation of each header) is not kept: row 2 is an order.

Export cells a seller sorts and sums become real values, shown as the export wrote them
(:func:`export_cell`): times -> date-times, plain decimal amounts -> numbers with the same
decimals. IDs, phones, zipcodes and amounts with a currency prefix ("MYR 0.00") stay text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice, zip_longest
from operator import itemgetter
from typing import TYPE_CHECKING, Literal, Protocol, cast, overload

from openpyxl.utils import get_column_letter

from ..core.assess import COLUMNS, RISKS
from ..core.columns import is_blank
from ..core.dates import parse_dates
from ..core.export import FIELDS, MAX_COLUMNS, MAX_ROWS, Export, header_key
from ..errors import AutocancelError
from ..io.export import export_from_table
from .layout import ISO_DATE_FORMAT, KEY_HEADER
from .packed_rows import InOrder

if TYPE_CHECKING:
    from .packed_rows import PackedRows

#: A row as read from a sheet or an export: cell values from column A (or the export's first column).
Row = Sequence[object]
#: Row 1 of a sheet, as read: header texts, blanks where a column has none.
Header = Sequence[object]

#: Export fields moved to the very left, beside our first columns: what a seller reads an order by.
FRONT_FIELDS = ("order_id", "product_name")
#: Our columns a seller reads first, right after the front fields (frozen with them).
FRONT = ("Risk", "Next auto-cancel", "Days left")
#: Our other columns, after the export; new computed columns join them here.
BACK = (*(h for h in COLUMNS if h not in FRONT), KEY_HEADER)
OURS = FRONT + BACK
_OURS_KEYS = {header_key(h): h for h in OURS}
_BACK_KEYS = {header_key(h) for h in BACK}

#: Export fields holding TikTok times: written as date-times.
TIME_FIELDS = ("created", "paid", "rts", "shipped", "delivered", "cancelled", "edd")
#: Export columns written as numbers (plain decimals only: "MYR 0.00" stays text).
NUMERIC_HEADERS = {
    header_key(h)
    for h in (
        "Quantity",
        "Sku Quantity of return",
        "SKU Unit Original Price",
        "SKU Subtotal Before Discount",
        "SKU Platform Discount",
        "SKU Seller Discount",
        "SKU Subtotal After Discount",
        "Shipping Fee After Discount",
        "Original Shipping Fee",
        "Shipping Fee Seller Discount",
        "Co-Funded Shipping Fee Discount",
        "Shipping Fee Platform Discount",
        "Payment platform discount",
        "Retail Delivery Fee",
        "Taxes",
        "Order Amount",
        "Order Refund Amount",
        "Weight(kg)",
    )
}
_DECIMAL = re.compile(r"-?\d{1,12}(\.(\d{1,6}))?")
_TIME = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?")
_ISO_TIME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_EDD_KEYS = {header_key(h) for h in FIELDS["edd"]}
_CLOCK_HOURS = 12  # "3:58:07 PM": hours 1-12, 12 AM is midnight


class OrdersSheetError(AutocancelError):
    """The Orders sheet cannot be read as an export with our columns beside it."""


class Formula(str):
    """A cell formula ("=..."), as opposed to text that happens to start with "="."""

    __slots__ = ()


# -- reading a sheet ------------------------------------------------------------------------------
@dataclass
class SheetColumns:
    """Row 1 of an Orders sheet, 0-based columns by kind."""

    export: list[int]
    ours: dict[str, int]  # our header -> column (the first of each)
    seller: list[int]
    leftover: list[int] = field(default_factory=list)  # an earlier export's columns a paste did not reach

    @property
    def key(self) -> int | None:
        """The column of the hidden Row key, when the sheet has one (refreshed before)."""
        return self.ours.get(KEY_HEADER)


def split_header(header: Header) -> SheetColumns:
    """Which columns of row 1 are the export's, ours and the seller's (see the module docstring)."""
    width = 1 + max((i for i, h in enumerate(header) if not is_blank(h)), default=-1)
    keys = [header_key(h) if not is_blank(h) else "" for h in header[:width]]
    ours: dict[str, int] = {}
    for i, k in enumerate(keys):
        if k in _OURS_KEYS and _OURS_KEYS[k] not in ours:
            ours[_OURS_KEYS[k]] = i
    taken = set(ours.values())
    back = [i for h, i in ours.items() if header_key(h) in _BACK_KEYS]
    boundary = min(back) if back else (max(taken) + 1 if taken else width)
    export = [i for i in range(boundary) if i not in taken]
    leftover: list[int] = []
    if back:  # refreshed before: a header repeated in the export part is an earlier export's
        seen: set[str] = set()
        for n, i in enumerate(export):
            if keys[i] and keys[i] in seen:
                export, leftover = export[:n], export[n:]
                break
            seen.add(keys[i])
    seller = [i for i in range(boundary, width) if i not in taken]
    return SheetColumns(export, ours, seller, leftover)


class SheetTable(Sequence[Row]):
    """The export part of a sheet (header row first) for ``export_from_table``, picked from the rows as walked.

    Not a copy: a million rows picked and held would be gigabytes beside the rows themselves.
    ``cols`` has at least one export column.
    """

    def __init__(self, header: Header, rows: Sequence[Row], cols: SheetColumns) -> None:
        self._header, self._rows = header, rows
        self._get, self._need, self._many = itemgetter(*cols.export), max(cols.export) + 1, len(cols.export) > 1

    def _pick(self, row: Row) -> Row:
        need = self._need
        picked = self._get(row if len(row) >= need else [*row, *([None] * (need - len(row)))])
        return picked if self._many else (picked,)

    def __len__(self) -> int:
        return len(self._rows) + 1

    def __iter__(self) -> Iterator[Row]:
        yield self._pick(self._header)
        yield from map(self._pick, self._rows)

    @overload
    def __getitem__(self, i: int) -> Row: ...
    @overload
    def __getitem__(self, i: slice) -> list[Row]: ...
    def __getitem__(self, i: int | slice) -> Row | list[Row]:
        at = range(len(self))[i]  # a position from 0, or a slice's positions; IndexError outside
        if isinstance(at, range):
            return [self[j] for j in at]
        return self._pick(self._header if at == 0 else self._rows[at - 1])


def unreached(header: Header, rows: Sequence[Row]) -> int | None:
    """After an export pasted at A1 over our first columns: the first row the paste did not reach.

    Such rows still hold the previous layout (Risk, Next auto-cancel, Days left where the pasted
    export has its own columns), so they cannot be read as orders under the new header.
    """
    cols = split_header(list(header))
    if cols.key is None or any(h in cols.ours for h in FRONT):
        return None
    risks = set(RISKS)

    def old(r: Row, c: int) -> bool:
        return (
            len(r) > c + 2
            and r[c] in risks
            and (r[c + 1] is None or isinstance(r[c + 1], dt.date))
            and (r[c + 2] is None or isinstance(r[c + 2], (int, float)))
        )

    for c in (1, 2):  # Risk's place: after Order ID, or after Order ID and Product Name
        first = next((i for i, r in enumerate(rows) if old(r, c)), None)
        if first is not None and all(old(r, c) or all(is_blank(v) for v in r[: c + 3]) for r in rows[first:]):
            return first
    return None


#: Our columns and what a refresh writes in them: anything else there came from a paste.
_DATES = ("Ship-by deadline", "Delivery deadline", "Next auto-cancel")


def _ours_hold_only_ours(cols: SheetColumns, rows: Sequence[Row], sheet: str) -> None:
    """Refuse (nothing written) when a paste without its header row reached our columns.

    The refresh would overwrite what was pasted there.
    """
    risks = set(RISKS)
    checks: list[tuple[str, Callable[[object], bool]]] = [(h, lambda v: v in risks) for h in ("Risk",)]
    checks += [(h, lambda v: type(v) is not str) for h in (*_DATES, "Days left")]
    placed = [(h, cols.ours[h], ok) for h, ok in checks if h in cols.ours]
    bad: dict[str, tuple[int, object]] = {}  # our header -> (sheet row, value) of its first cell from a paste
    for r, row in enumerate(rows, start=2):  # one walk: a million rows may be unpacked for it
        for h, c, ok in placed:
            v = row[c] if c < len(row) else None
            if not is_blank(v) and not ok(v) and h not in bad:
                bad[h] = (r, v)
    for h, c, _ in placed:  # the first of our columns (in the order checked) that was reached
        if h in bad:
            r, v = bad[h]
            raise OrdersSheetError(
                f"{sheet}: cell {get_column_letter(c + 1)}{r} under {h!r} holds {str(v)[:40]!r}: "
                f"an export pasted without its header row (or wider than the last one) reached our columns. "
                f"Undo the paste (Ctrl+Z), then click Paste export or Load export, "
                f"or paste it with its header row at A1"
            )


def sheet_export(header: Header, rows: Sequence[Row], source: str, sheet: str, edd_column: str | None = None) -> Export:
    """The export a sheet holds, cleaned and mapped as ``read_export`` does a file.

    ``edd_column`` is passed on only when it is one of the export's headers: the seller's own
    EDD column, right of ours, is found by :func:`plan`. Rows a paste at A1 did not reach
    (:func:`unreached`) are not orders and are left out; :func:`plan` says so.
    """
    cols = split_header(list(header))
    cut = unreached(header, rows)
    if cut is not None:
        rows = rows[:cut]
    _ours_hold_only_ours(cols, rows, sheet)
    if not cols.export:
        raise OrdersSheetError(
            f"{sheet}: row 1 has no export headers - paste the TikTok Shop export at A1, or click Load export"
        )
    table = SheetTable(header, rows, cols)
    keys = {header_key(h) for h in table[0] if not is_blank(h)}
    edd = edd_column if edd_column and header_key(edd_column) in keys else None
    return export_from_table(source, cast("Sequence[list[object]]", table), sheet, edd)  # rows only read


def row_keys(export: Export) -> list[str]:
    """Each row's key: "Order ID | SKU ID", "#2", "#3" added to repeats, "" for rows without an Order ID."""
    ids: Sequence[object] = export.column("order_id") or [""] * len(export.rows)
    skus: Sequence[object] = export.column("sku_id") or [""] * len(export.rows)
    # Whole lists at a time (a million rows), then only the repeated keys one by one.
    oids = [c.strip() if type(c) is str else str(c or "").strip() for c in ids]
    keys = [
        f"{oid} | {sku.strip() if type(sku) is str else str(sku or '').strip()}" if oid else ""
        for oid, sku in zip(oids, skus, strict=True)
    ]
    repeated = {k for k, n in Counter(keys).items() if n > 1 and k}
    if repeated:
        seen: Counter[str] = Counter()
        for i in [i for i, k in enumerate(keys) if k in repeated]:
            base = keys[i]
            seen[base] += 1
            if seen[base] > 1:
                keys[i] = f"{base} #{seen[base]}"
    return keys


# -- cells below the orders ----------------------------------------------------------------------
@dataclass(frozen=True)
class Stray:
    """A seller's cell below the last order row (sheet row and 1-based column, as typed)."""

    row: int
    column: int
    value: object

    @property
    def ref(self) -> str:
        """The cell's address as Excel names it ("B7")."""
        return f"{get_column_letter(self.column)}{self.row}"


@dataclass
class Grid:
    """An Orders sheet as read: row 1, the rows 2 .. last order row, and the cells below them."""

    header: list[object]
    rows: Sequence[Row]  # sheet row i + 2; a row with no cell is an empty tuple
    strays: list[Stray] = field(default_factory=list)
    beyond: int = 0  # cells past Excel's last row or column (a damaged file): not read


#: Export cells that make a row an order: every TikTok row has at least an Order ID, a status and a time.
_ORDER_MIN_CELLS = 2


def is_order_row(values: Row, export_columns: Sequence[int], key: int | None) -> bool:
    """A row that can be an order: it carries our Row key, or two or more export cells.

    The Row key marks an order at the last refresh; every TikTok row has at least an Order ID, a
    status and a time. One lone value - a note typed in column A far below the orders - is the
    seller's, not an order.
    """
    if key is not None and key < len(values) and not is_blank(values[key]):
        return True
    filled = 0
    for i in export_columns:
        if i < len(values) and not is_blank(values[i]):
            filled += 1
            if filled == _ORDER_MIN_CELLS:
                return True
    return False


def read_rows(used: Iterable[tuple[int, Row]], into: PackedRows[Row] | None = None, *, keep: bool = True) -> Grid:
    """The sheet from its USED rows only, never a dense rectangle up to the farthest cell.

    ``used``: (sheet row, values from column A), in row order; rows with no cell left out.
    ``into``: where the rows 2 .. last order row go (a new list by default: rows held packed, for a
    big sheet); ``keep`` False: they are not kept at all (only row 1 and the cells below the
    orders are wanted).

    The orders end at the last :func:`is_order_row`; blank rows between orders keep their place
    (an empty tuple each). Every cell below the last order row is a :class:`Stray`: the
    seller's, kept (see :func:`place_strays`) and never counted. Cells past Excel's limits
    (1,048,576 rows, 16,384 columns) cannot be in a workbook Excel wrote and are not read.
    """
    header: list[object] = []
    cols: SheetColumns | None = None
    rows: list[Row] | PackedRows[Row] = [] if into is None else into
    pending: list[tuple[int, Row]] = []  # rows after the last order row so far
    beyond = 0
    empty: tuple[()] = ()
    for number, cells in used:
        if number > MAX_ROWS:
            beyond += sum(not is_blank(v) for v in cells)
            continue
        values = cells
        if len(cells) > MAX_COLUMNS:
            beyond += sum(not is_blank(v) for v in cells[MAX_COLUMNS:])
            values = cells[:MAX_COLUMNS]
        if number == 1:
            header = list(values)
            while header and is_blank(header[-1]):
                header.pop()
            continue
        if cols is None:
            cols = split_header(header)
        pending.append((number, values))
        if is_order_row(values, cols.export, cols.key):
            if keep:
                for n, v in pending:
                    rows.extend([empty] * (n - 2 - len(rows)))
                    rows.append(v)
            pending = []
    strays = [Stray(n, c + 1, v) for n, values in pending for c, v in enumerate(values) if not is_blank(v)]
    return Grid(header, rows, strays, beyond)


def place_strays(
    strays: Sequence[Stray], old_header: Header, new_header: Header, last_row: int, sheet: str = "Orders"
) -> tuple[list[tuple[Stray, int, int]], list[str]]:
    """Where each cell below the orders goes after a refresh, and one line each to say so.

    Each placed cell is (stray, sheet row, 1-based column). The seller's choice: a note stays in
    the row it was typed in and under the header it was typed under (a note under "My note" stays
    under "My note", one in column A under "Order ID", wherever the refresh puts those columns);
    one under no header, a header today's sheet no longer has, or one of our computed columns goes
    as far right of the new block as it was of the old one (at least one column right of it):
    never under our columns. It is never pulled beside an order nor counted as one. Only when today's orders
    grow over it (rows 1..``last_row``) is its row of notes moved, whole, to the first free row
    under the orders and every other note, and a line names its old and new cell.
    """
    if not strays:
        return [], []
    new_at: dict[str, int] = {}
    for c, h in enumerate(new_header, start=1):
        if not is_blank(h) and header_key(h) not in _OURS_KEYS:  # ours: never a seller's cell
            new_at.setdefault(header_key(h), c)
    old_width, new_width = len(old_header), len(new_header)

    def column(s: Stray) -> int:
        h = old_header[s.column - 1] if s.column <= old_width else None
        if not is_blank(h) and header_key(h) in new_at:
            return new_at[header_key(h)]
        return min(new_width + max(1, s.column - old_width), MAX_COLUMNS)

    kept_rows = {s.row for s in strays if s.row > last_row}
    target: dict[int, int] = {}
    free = max([last_row, *kept_rows]) + 2  # one blank row: not read as an order next time
    for row in sorted({s.row for s in strays} - kept_rows):
        if free > MAX_ROWS:  # the last rows are taken: the first free rows under the orders
            free = next(r for r in range(last_row + 2, MAX_ROWS + 1) if r not in kept_rows and r not in target.values())
        target[row] = free
        free += 1
    placed = [(s, target.get(s.row, s.row), column(s)) for s in strays]
    first = strays[0]
    lines = [
        (
            f"{sheet}: {len(strays):,} cell(s) of yours below the orders (the first: {first.ref}, "
            f"{str(first.value)[:30]!r}) are not order rows: kept, not counted"
        )
    ]
    moved = [(s, r, c) for s, r, c in placed if (r, c) != (s.row, s.column)]
    if moved:
        s, r, c = moved[0]
        lines.append(
            f"{sheet}: {len(moved):,} of those cell(s) moved with their column, or below today's orders "
            f"(rows 2-{last_row}) where these reach them: {s.ref} is now {get_column_letter(c)}{r}"
        )
    return placed, lines


# -- export cells ---------------------------------------------------------------------------------
def time_format(sample: str, *, day_first: bool) -> str:
    """The Excel number format that shows a date-time as ``sample`` (a TikTok time) was written."""
    if m := _ISO_TIME.fullmatch(sample.strip()):
        return "yyyy-mm-dd" + (" hh:mm" + (":ss" if m[6] else "") if m[4] else "")
    m = _TIME.fullmatch(sample.strip())
    if m is None:
        return "yyyy-mm-dd hh:mm:ss"
    sep = sample.strip()[len(m[1])]
    date = sep.join(("dd", "mm", "yyyy") if day_first else ("mm", "dd", "yyyy"))
    if not m[4]:
        return date
    secs = ":ss" if m[6] else ""
    return f"{date} h:mm{secs} AM/PM" if m[7] else f"{date} hh:mm{secs}"


def parse_time(value: object, *, day_first: bool) -> dt.datetime | None:
    """A TikTok text time ("12/01/2025 3:58:07 PM", "01/12/2025 15:58:07", "2025-12-01") as a date-time.

    None when the text is not one (it then stays text and the rules flag it).
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if m := _TIME.fullmatch(text):
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            day, month = (a, b) if day_first else (b, a)
            hour, minute, sec = int(m[4] or 0), int(m[5] or 0), int(m[6] or 0)
            if m[7]:
                if not 1 <= hour <= _CLOCK_HOURS:
                    return None
                hour = hour % _CLOCK_HOURS + (_CLOCK_HOURS if m[7].lower() == "pm" else 0)
            return dt.datetime(year, month, day, hour, minute, sec)
        if m := _ISO_TIME.fullmatch(text):
            return dt.datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0), int(m[6] or 0))
    except ValueError:
        return None
    return None


def _time_converter(*, day_first: bool) -> Callable[[object], object]:
    """One time column's converter: a TikTok text time as a date-time, anything else as it was."""
    return lambda v: parse_time(v, day_first=day_first) or v


def amount_value(value: object) -> object:
    """A plain decimal amount as a number ("26.60" -> 26.6, "7" -> 7); anything else as it was."""
    if isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        number = float(value)
        return int(number) if number.is_integer() and "." not in value else number
    return value


def amount_format(values: Sequence[object]) -> str | None:
    """The format "0.00" when the column's amounts were written with two decimals (the export's look)."""
    for v in values:
        if isinstance(v, str) and (m := _DECIMAL.fullmatch(v.strip())):
            return f"0.{'0' * len(m[2])}" if m[2] else None
    return None


@dataclass
class ExportColumn:
    """How one export column is written: a converter per cell and the column's number format."""

    convert: Callable[[object], object] | None
    num_format: str | None
    #: A column of TikTok times: the order its dates are read in (the column-wise writer parses them itself).
    day_first: bool | None = None


def export_columns(export: Export, *, day_first: bool, old_formats: dict[str, str] | None = None) -> list[ExportColumn]:
    """Per export column: times as date-times, amounts as numbers, the rest as it is."""
    old_formats = old_formats or {}
    field_of = {i: f for f, i in export.columns.items() if f in TIME_FIELDS}
    sample = list(islice(export.rows, 500))
    out: list[ExportColumn] = []
    for i, h in enumerate(export.headers):
        values = [r[i] if i < len(r) else None for r in sample]
        if i in field_of:
            order = parse_dates(export.column(field_of[i]) or [], day_first=day_first).day_first
            first = order if order is not None else day_first
            text = next((v for v in values if isinstance(v, str) and parse_time(v, day_first=first)), None)
            fmt = (
                time_format(text, day_first=first)
                if text
                else old_formats.get(h)
                or time_format("01/01/2025 1:00:00 AM" if not first else "01/01/2025 13:00:00", day_first=first)
            )
            out.append(ExportColumn(_time_converter(day_first=first), fmt, first))
        elif header_key(h) in NUMERIC_HEADERS:
            out.append(ExportColumn(amount_value, amount_format(values) or old_formats.get(h)))
        else:
            out.append(ExportColumn(None, None))
    return out


# -- the update -----------------------------------------------------------------------------------
@dataclass
class Plan:
    """What the new export does to the sheet, before our columns are computed."""

    export: Export  # the new export as read
    assessed: Export  # what the rules read: the export, plus the seller's EDD column when it is theirs
    seller_headers: list[object]
    seller_rows: list[list[object]]  # the seller's values, one list per new export row
    moved: int  # rows of the seller's values now on another row
    dropped: list[tuple[str, list[object]]]  # (Row key, values) of orders no longer in the export
    warnings: list[str] = field(default_factory=list)


class _Appended(Sequence[list[object]]):
    """Rows with one more value at the end (the seller's EDD column), without copying them."""

    def __init__(self, rows: Sequence[Row], extra: Sequence[object]) -> None:
        self.rows, self.extra = rows, extra

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[list[object]]:
        return ([*r, e] for r, e in zip(self.rows, self.extra, strict=True))

    @overload
    def __getitem__(self, i: int) -> list[object]: ...
    @overload
    def __getitem__(self, i: slice) -> _Appended: ...
    def __getitem__(self, i: int | slice) -> list[object] | _Appended:
        if isinstance(i, slice):
            return _Appended(self.rows[i], self.extra[i])
        return [*self.rows[i], self.extra[i]]


def plan(  # noqa: PLR0913 - one entry for every engine; the options are keyword-only, each with its default
    header: Header,
    rows: Sequence[Row],
    export: Export,
    *,
    in_place: bool,
    edd_column: str | None = None,
    sheet: str = "Orders",
) -> Plan:
    """The new export against the old sheet (``header`` = row 1, ``rows`` = rows 2 on, as read).

    ``in_place``: ``export`` is what the sheet itself holds (a refresh after a paste), so old rows
    a shorter paste did not reach can be told from the Row key; otherwise (a loaded export)
    every old row is replaced. The seller's values follow their (Order ID, SKU ID); rows never
    keyed (a sheet not refreshed yet) keep their row. ``edd_column``: the EDD's header, in the
    export or among the seller's columns (the aliases of ``FIELDS["edd"]`` are looked for too).
    """
    cols = split_header(list(header))
    if not in_place:  # an EDD the seller typed inside the old export block is theirs, not the export's
        new = {header_key(h) for h in export.headers}
        wanted = {header_key(edd_column)} if edd_column else _EDD_KEYS
        theirs = [
            i
            for i in cols.export
            if not is_blank(header[i]) and header_key(header[i]) in wanted and header_key(header[i]) not in new
        ]
        if theirs:
            cols = SheetColumns(
                [i for i in cols.export if i not in theirs], cols.ours, theirs + cols.seller, cols.leftover
            )
    warnings: list[str] = []
    if cols.leftover and any(not is_blank(r[i]) for r in rows for i in cols.leftover if i < len(r)):
        warnings.append(
            f"{sheet}: {len(cols.leftover)} column(s) after the pasted export repeat its headers and were "
            f"left from the previous export: they were removed (use Load export or Paste export to "
            f"replace the export whole)"
        )
    seller_headers = [header[i] for i in cols.seller]
    cut = unreached(header, rows) if in_place else None
    if cut is not None:
        warnings.append(
            f"{sheet}: rows {cut + 2}-{len(rows) + 1} ({len(rows) - cut} rows) were left from the previous "
            f"export below the rows you pasted at A1: they were left out, not counted. Next time click "
            f"Paste export or Load export (or delete the old rows before pasting)"
        )
    offset = export.first_row - 2 if in_place else 0  # a description row under the header
    old_keys = [
        str(r[cols.key]).strip() if cols.key is not None and cols.key < len(r) and not is_blank(r[cols.key]) else ""
        for r in rows
    ]
    # only a sheet with the seller's columns or keys of its own needs them (a million keys: a second)
    new_keys = row_keys(export) if cols.seller or any(old_keys) else [""] * len(export.rows)

    seller_rows, moved, dropped = _seller_rows(cols, rows, old_keys, new_keys, offset)
    if in_place and any(old_keys):
        warnings += _unreached(old_keys, new_keys, offset, sheet)
    if dropped:
        warnings.append(
            f"{len(dropped)} row(s) of your own columns belonged to orders no longer in the export and "
            f"were dropped (the first: {dropped[0][0]}; a workbook refreshed by the command keeps them "
            f"in its .bak copy)"
        )
    assessed = _with_edd(export, seller_headers, seller_rows, edd_column, sheet)
    return Plan(export, assessed, seller_headers, seller_rows, moved, dropped, warnings)


def _seller_rows(
    cols: SheetColumns, rows: Sequence[Row], old_keys: list[str], new_keys: list[str], offset: int
) -> tuple[list[list[object]], int, list[tuple[str, list[object]]]]:
    """The seller's values per new export row, how many now sit on another row, those whose order is gone.

    They follow their Row key; rows never keyed (a sheet not refreshed yet) keep their row.
    """
    if not cols.seller:  # a new workbook: nothing to carry, nothing moved or dropped (the list is only read)
        return [[]] * len(new_keys), 0, []

    def seller_of(r: Row) -> list[object]:
        return [r[i] if i < len(r) else None for i in cols.seller]

    moved = 0
    seller_rows: list[list[object]] = []
    dropped: list[tuple[str, list[object]]] = []
    if any(old_keys):
        saved: dict[str, tuple[int, list[object]]] = {}
        for i, (k, r) in enumerate(zip(old_keys, rows, strict=True)):
            if k:
                saved.setdefault(k, (i, seller_of(r)))
        for i, k in enumerate(new_keys):
            old = saved.pop(k, None) if k else None
            seller_rows.append(old[1] if old else [None] * len(cols.seller))
            if old and old[0] != i + offset and any(not is_blank(v) for v in old[1]):
                moved += 1
        dropped = [(k, v) for k, (_, v) in saved.items() if any(not is_blank(x) for x in v)]
    else:
        seller_rows = [
            seller_of(rows[i + offset]) if i + offset < len(rows) else [None] * len(cols.seller)
            for i in range(len(new_keys))
        ]
        dropped = [
            (f"row {i + 2}", seller_of(r))
            for i, r in enumerate(rows)
            if not 0 <= i - offset < len(new_keys) and i >= offset and any(not is_blank(v) for v in seller_of(r))
        ]
    return seller_rows, moved, dropped


def _unreached(old_keys: list[str], new_keys: list[str], offset: int, sheet: str) -> list[str]:
    """One line when old rows below the ones a paste replaced are unchanged since the last refresh."""
    same = [bool(k) and i + offset < len(old_keys) and old_keys[i + offset] == k for i, k in enumerate(new_keys)]
    changed = [i for i, s in enumerate(same) if not s and new_keys[i]]
    if not changed:
        return []
    last = changed[-1]
    tail = [i for i in range(last + 1, len(new_keys)) if same[i]]
    if not tail or len(changed) * 2 < last + 1:  # a few edited rows, not a paste
        return []
    first_row, last_row = tail[0] + 2 + offset, tail[-1] + 2 + offset
    return [
        (
            f"{sheet}: rows {first_row}-{last_row} ({len(tail)} rows) are the same orders as at the last refresh, "
            f"below rows a paste replaced: if you pasted a shorter export they are left from the previous one and are "
            f"counted as today's. Fix: click Load export or Paste export (or delete rows {first_row}-{last_row}), "
            f"then Refresh"
        )
    ]


def _with_edd(
    export: Export, seller_headers: list[object], seller_rows: list[list[object]], edd_column: str | None, sheet: str
) -> Export:
    """The export the rules read: its own EDD column, or the seller's (found by name)."""
    keys = [header_key(h) for h in export.headers]
    wanted = {header_key(edd_column)} if edd_column else _EDD_KEYS
    if edd_column and header_key(edd_column) in keys:
        i = keys.index(header_key(edd_column))
        if export.columns.get("edd") == i:
            return export
        return replace(export, columns={**export.columns, "edd": i}, fields=_EddFields(export.fields))
    if "edd" in export.columns and not edd_column:
        return export
    j = next((j for j, h in enumerate(seller_headers) if not is_blank(h) and header_key(h) in wanted), None)
    if j is None:
        if edd_column:
            raise OrdersSheetError(
                f"{export.source}: no column {edd_column!r} for the estimated delivery date "
                f"(neither in the export nor among your own columns on {sheet})"
            )
        return export
    values = [r[j] for r in seller_rows]
    return replace(
        export,
        headers=[*export.headers, str(seller_headers[j])],
        rows=_Appended(export.rows, values),
        columns={**export.columns, "edd": len(export.headers)},
        fields=_EddFields(export.fields, values),
    )


class _EddFields(Mapping[str, Sequence[object]]):
    """An export's fields with the EDD's replaced (or left out: read from its column), the others read when asked for.

    A stored CSV's many-valued fields are read again each time (:class:`.io.export._StoredFields`):
    copied into a dict they would all be held through the refresh.
    """

    def __init__(self, fields: Mapping[str, Sequence[object]], edd: list[object] | None = None) -> None:
        self._fields, self._edd = fields, edd

    def __getitem__(self, name: str) -> Sequence[object]:
        if name != "edd":
            return self._fields[name]
        if self._edd is None:
            raise KeyError(name)
        return self._edd

    def __contains__(self, name: object) -> bool:
        return name in self._fields if name != "edd" else self._edd is not None

    def __iter__(self) -> Iterator[str]:
        yield from (k for k in self._fields if k != "edd")
        if self._edd is not None:
            yield "edd"

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass
class Block:
    """The new Orders sheet: row 1 and the rows under it, plain values, and how to show them."""

    header: list[object]  # the export's and our headers are text; a seller's is what row 1 holds
    kinds: list[str]  # per column: "export", "ours" or "seller"
    formats: list[str | None]  # number format per column
    ours: dict[str, int]  # our header -> 0-based column
    export_at: dict[str, int]  # export field -> 0-based column
    frozen: int  # columns frozen at the left
    n_rows: int
    #: The data rows column by column, in batches of at most ``size`` rows: one list per column.
    make_columns: Callable[[int, bool], Iterator[list[list[object]]]]
    moved: int = 0
    dropped: list[tuple[str, list[object]]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: How each export column's cells are written (by export column index), for a column-wise writer.
    export_cells: list[ExportColumn] = field(default_factory=list)
    #: Where each column of the new sheet comes from (:data:`Column`).
    sources: list[Column] = field(default_factory=list)

    def rows(self) -> Iterator[list[object]]:
        """The data rows (sheet rows 2 on), produced as they are walked; times as date-times.

        In small batches of :meth:`columns`: a sample of the first rows costs no more than it reads.
        """
        for columns in self.make_columns(_ROWS_PER_ROW_BATCH, True):  # noqa: FBT003 - date-times
            yield from map(list, zip(*columns, strict=True))

    def columns(self, size: int = 0, *, times: bool = True) -> Iterator[list[list[object]]]:
        """The data rows column by column, in batches of ``size`` rows (default :data:`ROWS_PER_BATCH`).

        ``times`` False: the export's time columns as the export holds them (a writer that reads
        TikTok times itself, :attr:`export_cells`), not as date-times.
        """
        return self.make_columns(size or ROWS_PER_BATCH, times)

    def export_column(self, column: int) -> ExportColumn | None:
        """How an export column of the new sheet (0-based) is written; None for ours and the seller's."""
        kind, index = self.sources[column]
        return self.export_cells[index] if kind == "export" and isinstance(index, int) else None


#: A column of the new sheet: ("export", index in the export), ("ours", header) or ("seller", index).
Column = tuple[Literal["export"], int] | tuple[Literal["ours"], str] | tuple[Literal["seller"], int]


def layout(export: Export) -> list[Column]:
    """The columns of the new sheet in order: ("export", index), ("ours", header), ("seller", index)."""
    front = [export.columns[f] for f in FRONT_FIELDS if f in export.columns]
    rest = [i for i in range(len(export.headers)) if i not in front]
    return (
        [("export", i) for i in front]
        + [("ours", h) for h in FRONT]
        + [("export", i) for i in rest]
        + [("ours", h) for h in BACK]
    )


def _seller_format(rows: list[list[object]], j: int) -> str | None:
    """A date format for a seller's column of dates (an engine may keep the seller's own instead)."""
    first = next((r[j] for r in rows if not is_blank(r[j])), None)
    return ISO_DATE_FORMAT if isinstance(first, dt.date) else None


def urgency_order(risks: Sequence[object], deadlines: Sequence[object]) -> list[int]:
    """Row indices most urgent first.

    By Risk (the order of ``RISKS``), then the earliest next auto-cancel, then the export's own order.
    """
    rank: dict[object, int] = {r: i for i, r in enumerate(RISKS)}
    far = dt.date.max

    def key(i: int) -> tuple[int, dt.date, int]:
        d = deadlines[i]
        return rank.get(risks[i], len(rank)), d if isinstance(d, dt.date) else far, i

    return sorted(range(len(risks)), key=key)


class Computed(Protocol):
    """One of our computed columns as an engine hands it over."""

    @property
    def header(self) -> str:
        """Our column's header."""

    @property
    def values(self) -> Sequence[object]:
        """One value per export row."""


#: How the row loop fills one column: (kind, column, converter, our values, our formulas, a time column).
#: Kind 0: an export cell (its column in the export row, converted when there is a converter); 1: ours
#: (its per-row formula when there is one, else its value); 2: a seller's cell (its column in their row).
_Step = tuple[int, int, Callable[[object], object] | None, Sequence[object] | None, Sequence[str | None] | None, bool]
_CACHE_LIMIT = 10_000  # distinct amounts or times remembered per column (they repeat down a column)
ROWS_PER_BATCH = 8192  # rows per batch of :meth:`Block.columns`
_ROWS_PER_ROW_BATCH = 512  # :meth:`Block.rows`: a sample of the first rows costs no more than it reads
#: Rows from which the rows sorted most urgent first are put in order held packed (:class:`.packed_rows.InOrder`),
#: not looked up one by one: the export's rows read again from their source would all be held for that.
IN_ORDER_FROM = 200_000


def _steps(
    order: list[Column],
    conv: list[ExportColumn],
    values: dict[str, Sequence[object]],
    live: Mapping[str, Sequence[str | None]],
) -> list[_Step]:
    """The row loop's plan, one step per column of the new sheet."""
    steps: list[_Step] = []
    for col in order:
        if col[0] == "export":
            steps.append((0, col[1], conv[col[1]].convert, None, None, conv[col[1]].day_first is not None))
        elif col[0] == "ours":
            steps.append((1, -1, None, values.get(col[1]), live.get(col[1]), False))
        else:
            steps.append((2, col[1], None, None, None, False))
    return steps


def _converted(v: object, convert: Callable[[object], object], cache: dict[object, object]) -> object:
    """An export cell converted, once per distinct value of its column."""
    try:
        return cache[v]
    except KeyError:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        w = cache[v] = convert(v)
        return w
    except TypeError:  # unhashable
        return convert(v)


def _column(  # noqa: PLR0913 - one step of the plan over one batch of rows
    step: _Step,
    table: Sequence[Sequence[object]],
    *,
    at: Sequence[int],
    done: int,
    caches: dict[int, dict[object, object]],
    seller_rows: Sequence[Sequence[object]],
    times: bool,
) -> list[object]:
    """One column of the new sheet for a batch of export rows (``at``; the batch starts at row ``done``).

    ``table``: the batch's export cells column by column (a column past a row's end is None there).
    """
    kind, a, convert, ours_values, ours_live, is_time = step
    if kind == 0:
        cells: list[object] = list(table[a]) if a < len(table) else [None] * len(at)
        if "" in cells:
            cells = [None if v == "" else v for v in cells]
        if convert is None or (is_time and not times):
            return cells
        cache = caches[a]
        try:
            done_cells = list(map(cache.get, cells))  # most cells: a value converted before
        except TypeError:  # an unhashable cell
            done_cells = [None] * len(cells)
        return [
            w if w is not None or v is None else _converted(v, convert, cache)
            for v, w in zip(cells, done_cells, strict=True)
        ]
    if kind == 1:
        values: list[object] = [None] * len(at) if ours_values is None else [ours_values[i] for i in at]
        if ours_live is not None:  # a formula names its own row: by place
            for k in range(len(at)):
                formula = ours_live[done + k]
                if formula is not None:
                    values[k] = Formula(formula)
        return values
    return [seller_rows[i][a] for i in at]


def build(  # noqa: PLR0913 - one entry for every engine; the options are keyword-only, each with its default
    p: Plan,
    computed: Sequence[Computed],
    *,
    day_first: bool,
    formulas: Callable[[dict[str, int]], Mapping[str, Sequence[str | None]]] | None = None,
    old_formats: dict[str, str] | None = None,
    our_formats: dict[str, str | None] | None = None,
    by_urgency: bool = False,
) -> Block:
    """The new sheet from the plan and our computed columns (``.header`` and ``.values`` each).

    ``formulas(export_at)`` may return header -> per-row formula text (or None) for our columns,
    given the 0-based column of each export field in the new sheet. ``by_urgency``: rows sorted
    most urgent first (:func:`urgency_order`), each with its seller's values.
    """
    export = p.export
    n_in = len(export.headers)
    order: list[Column] = [*layout(export), *(("seller", j) for j in range(len(p.seller_headers)))]
    header: list[object] = [
        export.headers[c[1]] if c[0] == "export" else c[1] if c[0] == "ours" else p.seller_headers[c[1]] for c in order
    ]
    ours = {c[1]: n for n, c in enumerate(order) if c[0] == "ours"}
    export_pos = {c[1]: n for n, c in enumerate(order) if c[0] == "export"}
    export_at = {f: export_pos[i] for f, i in export.columns.items() if i < n_in}
    conv = export_columns(export, day_first=day_first, old_formats=old_formats)
    values = {c.header: c.values for c in computed}
    live = formulas(export_at) if formulas else {}
    our_formats = our_formats or {}
    formats = [
        conv[c[1]].num_format
        if c[0] == "export"
        else our_formats.get(c[1])
        if c[0] == "ours"
        else _seller_format(p.seller_rows, c[1])
        for c in order
    ]
    steps = _steps(order, conv, values, live)
    order_of = urgency_order(values.get("Risk", []), values.get("Next auto-cancel", [])) if by_urgency else None

    in_order = (
        InOrder(lambda: enumerate(export.rows), order_of) if order_of and len(order_of) >= IN_ORDER_FROM else None
    )

    def source() -> Iterator[tuple[int, Row]]:
        if order_of is None:
            return enumerate(export.rows)
        if in_order is not None:
            return iter(in_order)
        return ((i, export.rows[i]) for i in order_of)

    def make_columns(size: int, times: bool) -> Iterator[list[list[object]]]:  # noqa: FBT001 - Block.columns's
        caches: dict[int, dict[object, object]] = {c[1]: {} for c in order if c[0] == "export"}
        walked, done = source(), 0
        while batch := list(islice(walked, size)):
            at = [i for i, _ in batch]
            table = list(zip_longest(*(row for _, row in batch)))
            yield [
                _column(step, table, at=at, done=done, caches=caches, seller_rows=p.seller_rows, times=times)
                for step in steps
            ]
            done += len(batch)

    return Block(
        header,
        [k for k, _ in order],
        formats,
        ours,
        export_at,
        len(FRONT) + sum(1 for f in FRONT_FIELDS if f in export.columns),
        len(export.rows),
        make_columns,
        p.moved,
        p.dropped,
        list(p.warnings),
        conv,
        order,
    )


__all__ = [
    "BACK",
    "FRONT",
    "OURS",
    "Block",
    "Formula",
    "Grid",
    "Plan",
    "SheetColumns",
    "Stray",
    "build",
    "export_columns",
    "layout",
    "parse_time",
    "place_strays",
    "plan",
    "read_rows",
    "row_keys",
    "sheet_export",
    "split_header",
    "time_format",
]
