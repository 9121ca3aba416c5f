"""In-place refresh of a big workbook: the Orders rows stream into the package, never through openpyxl.

openpyxl loading, updating and saving a workbook of 100,000 orders took 217 s and 3.2 GB, almost
all of it spent on the Orders cells as objects. The splice keeps openpyxl for everything small and
takes the Orders rows around it:

1. :func:`open_orders` walks the Orders sheet XML once (:class:`Cutter`: the rectangle calamine
   would build, the formula cells), has python-calamine (a Rust reader) read the cells a group
   of rows at a time (:func:`calamine_rows`: calamine builds a whole rectangle in memory, 2 GB
   for a million orders), and copies the package with the Orders sheet cut down to row 1, row 2
   (its number formats), the seller's cells below the orders and any row with a formula outside
   our columns (openpyxl reads those: calamine gives only a formula's last value); the rows of a
   big sheet are held packed (:class:`.packed_rows.PackedRows`), so a million orders fit in 2 GB;
2. the caller loads that small copy with openpyxl and refreshes it exactly as the openpyxl path
   does (``update_orders`` with :attr:`Splice.grid`, the whole sheet's cells, and a
   :class:`.orders_sheet.Rest`): Settings, Holidays, Summary, the Table, the rules, the names,
   the styles the new cells need, the macros and buttons (openpyxl copies those byte for byte);
3. :func:`write` saves openpyxl's small workbook and streams the Orders data rows into its
   sheet XML, each cell with the style index openpyxl gave its column
   (:class:`.orders_sheet.ColumnStyles`), a batch of rows at a time, built column by column
   (:class:`ColumnXml`: polars writes the text and time cells, Python each distinct other value
   once; a Python call per cell over 6 million cells was a third of the refresh).

Why this split: the same code writes every part but the Orders rows, so both paths agree cell
for cell by construction, and the rows, the only big part, are written once as text. A
sheet this does not understand raises :class:`NotSpliced` and the caller takes the openpyxl path.
One difference: a row height or hidden flag on an order row (2 .. last order) is not carried
(the openpyxl way keeps it on the row number, whichever order now sits there).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import heapq
import io
import re
import zipfile
from array import array
from collections import deque
from dataclasses import dataclass, field
from math import isfinite
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ..core.export import MAX_COLUMNS, MAX_ROWS
from ..errors import AutocancelError
from ..io.xlsx_cells import CELL_BUDGET, SHARED_STRINGS, Book, column_index, column_letters
from .ahead import made_ahead
from .fast_rows import (
    BUILDERS,
    WHITESPACE,
    cell_tail,
    formula_tail,
    printed_serials,
    text_tail,
    time_serials,
    write_with_rows,
    xml_escaped,
)
from .layout import ORDERS
from .orders_block import Block, ExportColumn, Formula, Grid, read_rows, split_header
from .orders_sheet import ColumnStyles, Rest, used_rows
from .packed_rows import PackedRows

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    import polars as pl
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet
    from python_calamine import CalamineSheet

#: Rows with a formula outside our columns are read by openpyxl; past this many, the whole sheet is.
MAX_FORMULA_ROWS = 5_000
ROWS_PER_BATCH = 4096  # rows turned into XML at a time
CACHE_MAX = 10_000  # cell XML remembered per column: repeated values (dates, amounts, risks) hit it
PLAIN_MAX = 16_000  # text longer than this goes the careful way (it may need cutting to Excel's limit)
EXCEL_TEXT_MAX = 32_767  # characters in a cell, as :func:`.writer.set_value` cuts
EXACT_INT = 2**53  # floats up to here are exact integers
_ROW_NUMBER = re.compile(rb'<row[^>]*?\sr="(\d+)"')
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})\d+"[^>]*>(?:<v>[^<]*</v>)?<f[ >/]')
_LAST_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"')
#: Rows at the end of the sheet whose XML the cut keeps at hand (the seller's cells below the orders).
TAIL_ROWS = 2_000
#: Groups calamine parses at once, each in a thread of its own, while the rows of the one before are taken in.
PARSERS = 2
#: Sheet XML calamine reads at a time (about 5,000 orders): it builds each group's rectangle, not the sheet's.
GROUP_BYTES = 16 << 20
#: Shared strings from which a group's string cells are written as inline strings (about 300,000
#: orders saved by Excel): below it, the shared strings go with every group (:class:`SharedStrings`).
INLINE_FROM_BYTES = 64 << 20
#: Other sheets up to this size have their shared-string cells renumbered for the small copy (:func:`_pruned`).
PRUNED_SHEET_BYTES = 16 << 20
#: A smaller sheet is read in smaller groups (a few in flight at once), down to this many bytes each.
GROUP_BYTES_LEAST = 1 << 20
#: Sheet XML from which the rows are held packed (about 180,000 orders): below it, plain lists are faster.
PACKED_FROM_BYTES = 512 << 20
#: The parts calamine opens a workbook with (the sheet it reads is added): the rest it never reads.
_WORKBOOK_PARTS = re.compile(r"\[Content_Types\]\.xml|_rels/\.rels|xl/_rels/workbook\.xml\.rels|xl/[^/]+\.xml")
_DIMENSION_TAG = re.compile(rb"<dimension [^>]*/>")
#: A shared-string cell as Excel and LibreOffice write it: its start (reference, style) and the string's index.
_SHARED_CELL = re.compile(rb'(<c r="[A-Z]{1,3}\d{1,7}"(?: s="\d{1,6}")?) t="s"><v>(\d{1,9})</v></c>')
#: One shared string: its XML inside ``<si>`` (none for ``<si/>``).
_STRING_ITEM = re.compile(rb"<si>(.*?)</si>|<si/>", re.DOTALL)
_INLINE_OPEN, _INLINE_CLOSE = b' t="inlineStr"><is>', b"</is></c>"
_DIMENSION = re.compile(r'<dimension ref="[A-Z]{1,3}\d+(?::([A-Z]{1,3})(\d+))?"\s*/>')
_XML_ROW = re.compile(r'<row r="(\d+)"')
#: Text written with care (:func:`.fast_rows.text_tail`): XML's special characters, control
#: characters, Unicode non-characters, white space other than the space, a literal "_x".
_CAREFUL = re.compile("[\x00-\x1f&<>\ufffe\uffff" + WHITESPACE + "]|_x")
#: The same for polars (Rust's regex), but XML's three characters: polars escapes those itself.
_CAREFUL_RUST = "[\x00-\x1f\ufffe\uffff" + WHITESPACE + "]|_x"
#: Excel's day 0 (1899-12-31, as :func:`.fast_rows.excel_serial` counts) in microseconds from 1970.
_EPOCH_US = -2_209_075_200 * 1_000_000
_EXCEL_FAKE_LEAP_DAY = 59  # serial of 28 Feb 1900: Excel counts a 29 Feb 1900 after it
_FIRST_YEAR = 1901  # earlier date-times go the careful way (Excel's 1900 quirks)
#: A mark for a formula in one of our columns: only "was it a formula" is read from those.
OUR_FORMULA = Formula("=")
Rows = list[tuple[int, list[Any]]] | PackedRows[tuple[int, list[Any]]]


class NotSpliced(Exception):  # noqa: N818 - a decision, not an error: the caller takes the openpyxl path
    """The workbook goes the openpyxl way (the reason is the message)."""


@dataclass
class Splice:
    """The Orders sheet of a workbook being refreshed in place, read for the splice."""

    source: Path
    reduced: bytes  # the package with the Orders sheet cut to the rows openpyxl reads
    rows: Rows  # every used row calamine read: (sheet row, values from column A)
    kept: set[int] = field(default_factory=set)  # rows openpyxl reads from ``reduced`` instead

    def grid(self, ws: Worksheet) -> Grid:
        """The whole sheet as :func:`.orders_block.read_rows` reads it.

        Calamine's rows, and openpyxl's (``ws``, loaded from :attr:`reduced`) for those kept there.
        The rows are handed over (not kept here too): they go when the refresh is done with them,
        before the new rows are written.
        """
        rows, self.rows = self.rows, []
        ours = ((n, v) for n, v in rows if n not in self.kept)
        theirs = ((n, v) for n, v in used_rows(ws) if n in self.kept)
        into = PackedRows[Any]() if isinstance(rows, PackedRows) else None  # a big sheet stays packed
        return read_rows(heapq.merge(ours, theirs, key=lambda x: x[0]), into)


def open_orders(path: Path) -> Splice:
    """Read the Orders sheet of ``path`` for the splice; :class:`NotSpliced` when it cannot be."""
    try:
        book = Book(str(path), str(path))
    except Exception as exc:  # noqa: BLE001 - a damaged package: the openpyxl way names what is wrong
        raise NotSpliced(f"not read by the cell reader: {exc}") from None
    try:
        part = book.sheets.get(ORDERS)
        if part is None or part not in book.zip.namelist():
            raise NotSpliced(f"no {ORDERS} sheet")
        if book.date1904:  # the rows are written as 1900-system serials
            raise NotSpliced("a workbook of the 1904 date system")
        cutter = Cutter()
        rows: Rows = PackedRows() if book.zip.getinfo(part).file_size > PACKED_FROM_BYTES else []
        strings = SharedStrings.of(book)
        edges = read_rows(_kept(calamine_rows(book, part, cutter, strings), cutter, rows), keep=False)
        ours = {column_letters(i) for i in split_header(edges.header).ours.values()}
        cut = cutter.cut({s.row for s in edges.strays}, ours)
        reduced = _package(book, part, cut.xml, strings)
    except AutocancelError as exc:  # a part past the reader's bounds (a zip bomb?)
        raise NotSpliced(str(exc)) from None
    finally:
        book.close()
    return Splice(Path(path), reduced, rows, cut.kept)


def _kept(rows: Iterator[tuple[int, list[Any]]], cutter: Cutter, into: Rows) -> Iterator[tuple[int, list[Any]]]:
    """``rows`` as read, each also kept in ``into`` with a mark on each formula in our columns.

    Only "was it a formula" is read from our columns (it decides the kind of deadline columns);
    which of them are ours is known from row 1.
    """
    ours: set[int] = set()
    for n, values in rows:
        if n == 1:
            ours = set(split_header(values).ours.values())
        marks = [c for c in map(column_index, cutter.formulas.get(n, ())) if c in ours and c < len(values)]
        kept = values
        if marks:
            kept = list(values)
            for c in marks:
                kept[c] = OUR_FORMULA
        into.append((n, kept))
        yield n, values


def _cell(v: object) -> object:
    """A calamine value other than text as openpyxl reads the same cell (the openpyxl path's reader)."""
    if isinstance(v, float):
        return int(v) if v.is_integer() and abs(v) < EXACT_INT else v
    if isinstance(v, (int, dt.datetime)):  # bool is an int
        return v
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day)
    raise NotSpliced(f"a {type(v).__name__} cell on {ORDERS}")


def calamine_rows(
    book: Book, part: str, cutter: Cutter, strings: SharedStrings | None
) -> Iterator[tuple[int, list[Any]]]:
    """Every row of the sheet ``part`` holding a value: (sheet row, values from column A to its last value).

    calamine reads the rows a group at a time (:meth:`Cutter.groups`), each group a workbook of its
    own with only that sheet in it, so it never builds the whole sheet's rectangle; it parses the
    next groups in threads (:func:`.ahead.made_ahead`) while this one's rows are taken in. From
    :data:`INLINE_FROM_BYTES` of ``strings`` (the workbook's shared strings) on, a group's
    shared-string cells are written as inline strings, so that they are not parsed again for each
    group; below it they go with every group: calamine parses them in its own thread, and writing
    them in goes at Python's pace (about 2 s at 100,000 rows, against 20 MB parsed 17 times in
    parallel).
    """
    names = book.zip.namelist()
    shared = [(n, book.read(n)) for n in names if _WORKBOOK_PARTS.fullmatch(n) and n not in (part, SHARED_STRINGS)]
    inlines = strings is not None and len(strings.xml) >= INLINE_FROM_BYTES

    def package(group: bytes) -> list[tuple[str, bytes]]:
        """The group as a workbook of its own (its sheet's head known once the first group is cut)."""
        rows = strings.inlined(group) if strings is not None and inlines else None
        sst = [(SHARED_STRINGS, strings.xml)] if strings is not None and rows is None else []
        head = _DIMENSION_TAG.sub(b"", cutter.head, count=1)
        return [*shared, *sst, (part, head + (group if rows is None else rows) + b"</sheetData></worksheet>")]

    size = min(GROUP_BYTES, max(GROUP_BYTES_LEAST, book.zip.getinfo(part).file_size // (4 * PARSERS)))
    for sheet in made_ahead(_parsed, map(package, cutter.groups(book.chunks(part), size)), PARSERS):
        yield from _rows_of(sheet)


class SharedStrings:
    """A workbook's shared strings, to write a group's string cells as inline strings.

    Each ``<si>`` item goes into its cells as the same XML in ``<is>`` (the same content: text,
    runs, phonetic guides), so calamine reads the same text, without the shared strings part: a
    million orders saved by Excel hold hundreds of MB of them, parsed again for every group
    otherwise. A group written in a way not matched here keeps the part. The same items serve to
    cut the small copy's shared strings (:func:`_pruned`).
    """

    def __init__(self, xml: bytes) -> None:
        self.xml, self.starts, self.ends = xml, array("q"), array("q")  # where each item's XML is in ``xml``
        for m in _STRING_ITEM.finditer(xml):
            start, end = m.span(1) if m[1] is not None else (m.end(), m.end())
            self.starts.append(start)
            self.ends.append(end)
        self.count = len(self.starts) if xml.count(b"<si") == len(self.starts) else -1  # -1: not all matched

    @classmethod
    def of(cls, book: Book) -> SharedStrings | None:
        """The workbook's shared strings, read once; None when it has none."""
        return cls(book.read(SHARED_STRINGS)) if SHARED_STRINGS in book.zip.namelist() else None

    def inlined(self, group: bytes) -> bytes | None:
        """``group`` (rows of sheet XML) with each shared-string cell an inline string; None if one is not matched."""
        pieces = _SHARED_CELL.split(group)  # text, then (the cell's start, its string's index, text) per cell
        cells = (len(pieces) - 1) // 3
        if self.count < 0 or group.count(b't="s"') != cells:
            return None
        indices = list(map(int, pieces[2::3]))
        if indices and max(indices) >= self.count:
            return None
        xml, starts, ends = self.xml, self.starts, self.ends
        pieces[1::3] = [
            cell + _INLINE_OPEN + xml[starts[i] : ends[i]] + _INLINE_CLOSE
            for cell, i in zip(pieces[1::3], indices, strict=True)
        ]
        pieces[2::3] = [b""] * cells
        return b"".join(pieces)


def _parsed(parts: list[tuple[str, bytes]]) -> CalamineSheet:
    """The Orders sheet of a package of ``parts`` (name, bytes), parsed by calamine (in Rust: the GIL let go)."""
    from python_calamine import CalamineWorkbook

    with _calamine_errors():
        return CalamineWorkbook.from_filelike(io.BytesIO(_zipped(parts))).get_sheet_by_name(ORDERS)


def _rows_of(sheet: CalamineSheet) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a group calamine parsed, as Python values (which takes the GIL: done while the next is parsed)."""
    with _calamine_errors():
        start, rows = sheet.start, sheet.to_python(skip_empty_area=True)
    if start is not None:
        yield from _values(rows, start)


@contextlib.contextmanager
def _calamine_errors() -> Iterator[None]:
    """Errors of calamine's own, and a Rust panic, as :class:`NotSpliced`: openpyxl then says what is wrong."""
    try:
        yield
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError, GeneratorExit)):
            raise
        raise NotSpliced(f"calamine: {exc}") from None


def _zipped(parts: list[tuple[str, bytes]]) -> bytes:
    """A package of ``parts`` (name, bytes), stored (calamine reads it at once)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, data in parts:
            z.writestr(name, data)
    return buf.getvalue()


def _values(rows: list[list[Any]], start: tuple[int, int]) -> Iterator[tuple[int, list[Any]]]:
    """The rows calamine read, from ``start`` (0-based row and column of the first cell), as openpyxl reads them."""
    text, pad = {str}, [None] * start[1]
    for n, row in enumerate(rows, start=start[0] + 1):
        values: list[object]
        if set(map(type, row)) == text:  # a pasted export: text only
            values = [v or None for v in row]
        else:
            values = [(v or None) if type(v) is str else v if type(v) is dt.datetime else _cell(v) for v in row]
        while values and values[-1] is None:
            values.pop()
        if values:
            yield n, [*pad, *values] if pad else values


@dataclass
class Cut:
    """The Orders sheet XML cut down for openpyxl."""

    xml: bytes
    kept: set[int]  # rows in ``xml``: 1, 2, the seller's cells below the orders, their formulas


@dataclass
class Area:
    """Rows and cells seen, and the rectangle calamine builds for them (from the ``first`` row)."""

    first: int = 0  # 0: from the first row seen
    last: int = 0
    width: int = 0
    rows: int = 0
    cells: int = 0

    def add(self, n: int, width: int) -> None:
        """Row ``n``, ``width`` columns wide (from A to its last cell)."""
        self.first = self.first or n
        self.last, self.width, self.rows = max(self.last, n), max(self.width, width), self.rows + 1

    def check(self) -> None:
        """:class:`NotSpliced` when the rectangle would dwarf the cells (as :func:`.xlsx_cells.needs_cell_reader`)."""
        height = self.last - self.first + 1 if self.rows else 0
        area = height * self.width
        if self.last > MAX_ROWS or self.width > MAX_COLUMNS:
            raise NotSpliced(f"cells past Excel's limits on {ORDERS}")
        if area > CELL_BUDGET and (height > 2 * self.rows or area > 2 * self.cells):
            raise NotSpliced("cells far from the orders (calamine would build their whole rectangle)")


class Cutter:
    """One streamed pass over the sheet XML, handing its rows to calamine a group at a time.

    It measures the rectangle calamine would build, of the sheet and of each group (refused when
    it would dwarf the cells), notes every formula cell, and keeps the XML of the rows the small
    copy may need: 1 and 2, the last :data:`TAIL_ROWS` (the seller's cells below the orders are
    among them), and up to :data:`MAX_FORMULA_ROWS` rows with formulas.
    """

    def __init__(self) -> None:
        self.head, self.tail = b"", b""
        self.rows: dict[int, bytes] = {}
        self.last: deque[tuple[int, bytes]] = deque(maxlen=TAIL_ROWS)
        self.formulas: dict[int, list[str]] = {}  # sheet row -> the letters of its formula cells
        self.sheet, self.group = Area(first=1), Area()

    def groups(self, chunks: Iterable[bytes], size: int = GROUP_BYTES) -> Iterator[bytes]:
        """The sheet's rows, whole, about ``size`` bytes of XML at a time.

        :class:`NotSpliced` for a shape calamine or this cut cannot take; the last group comes once the
        whole sheet is measured.
        """
        buffer, state, group, held = b"", "head", list[bytes](), 0
        for chunk in chunks:
            buffer += chunk
            if state == "head":
                buffer, state = self._head(buffer)
            if state != "rows":
                continue
            end = buffer.find(b"</sheetData>", max(0, len(buffer) - len(chunk) - len(b"</sheetData>")))
            if end >= 0:
                rows, buffer, state = buffer[:end], buffer[end:], "tail"
            elif (last := buffer.rfind(b"<row")) > 0:
                rows, buffer = buffer[:last], buffer[last:]
            else:
                continue
            self._rows(rows)
            group.append(rows)
            held += len(rows)
            if held >= size:
                yield self._group(group)
                group, held = [], 0
        if state != "tail":
            raise NotSpliced("no sheetData in the Orders sheet")
        self.tail = buffer
        self.sheet.check()
        if group:
            yield self._group(group)

    def _group(self, pieces: list[bytes]) -> bytes:
        """The rows of ``pieces`` as one group, once its rectangle is known to be reasonable."""
        self.group.check()
        self.group = Area()
        return b"".join(pieces)

    def _head(self, buffer: bytes) -> tuple[bytes, str]:
        """(what follows, next state) once ``<sheetData>`` is in ``buffer``."""
        if b"<sheetData/>" in buffer or b"<sheetData />" in buffer:
            return buffer, "tail"
        at = buffer.find(b"<sheetData>")
        if at < 0:
            return buffer, "head"
        if b"<worksheet" not in buffer[:at]:
            raise NotSpliced("a sheet XML with namespace prefixes")
        self.head = buffer[: at + len(b"<sheetData>")]
        return buffer[at + len(b"<sheetData>") :], "rows"

    def _rows(self, data: bytes) -> None:
        """Whole rows of the sheet XML: the tags found by numpy over the whole piece, each row looked at once."""
        import numpy as np

        first = data.find(b"<row")
        if data[: first if first >= 0 else len(data)].strip():
            raise NotSpliced("cells outside rows in the Orders sheet")
        if first < 0:
            return
        a = np.frombuffer(data + b"\0" * 6, dtype=np.uint8)  # room to look 5 bytes past any "<"
        at = np.flatnonzero(a[: len(data)] == ord("<"))
        after = a[at + 1]
        tags = at[after == ord("c")]  # "<c ...", and "<col"-like names (not cells) ruled out below
        cells = tags[a[tags + 2] == ord(" ")]
        if (a[tags + 2] == ord(">")).any() or not (
            (a[cells + 3] == ord("r")) & (a[cells + 4] == ord("=")) & (a[cells + 5] == ord('"'))
        ).all():
            raise NotSpliced("a cell without its reference in the Orders sheet")
        self.sheet.cells += len(cells)
        self.group.cells += len(cells)
        starts = at[(after == ord("r")) & (a[at + 2] == ord("o")) & (a[at + 3] == ord("w"))]
        ends = [*starts[1:].tolist(), len(data)]
        lasts = (np.searchsorted(cells, ends) - 1).tolist()  # each row's last cell (or an earlier row's)
        formulas = at[after == ord("f")]
        formulas = formulas[np.isin(a[formulas + 2], np.frombuffer(b" >/", dtype=np.uint8))]  # "<f ", "<f>", "<f/"
        with_formulas = set((np.searchsorted(starts, formulas, side="right") - 1).tolist())
        for i, (start, end, last) in enumerate(zip(starts.tolist(), ends, lasts, strict=True)):
            m = _ROW_NUMBER.match(data, start)
            if m is None:
                raise NotSpliced("a row without its number in the Orders sheet")
            n = int(m[1])
            self._measure(n, data, int(cells[last]) if last >= 0 and cells[last] > start else -1)
            row = data[start:end]
            if i in with_formulas:
                letters = [x.decode() for x in _FORMULA_CELL.findall(row)]
                if row.count(b"<f") != len(letters):
                    raise NotSpliced("a formula cell written in a way not read here")
                self.formulas[n] = letters
                if len(self.rows) <= MAX_FORMULA_ROWS:
                    self.rows[n] = row
            if n <= 2:  # noqa: PLR2004 - row 1, and row 2 with the number formats
                self.rows[n] = row
            self.last.append((n, row))

    def _measure(self, n: int, data: bytes, last: int) -> None:
        """Count row ``n``, and how far right its last cell is (at ``last`` in ``data``; -1: none)."""
        if n <= self.sheet.last:  # calamine sorts a group's rows, not the groups: openpyxl sorts them all
            raise NotSpliced("rows out of order in the Orders sheet")
        width = 0
        if last >= 0 and (ref := _LAST_CELL.match(data, last)):
            if int(ref[2]) != n:
                raise NotSpliced("a cell outside its row in the Orders sheet")
            width = column_index(ref[1].decode()) + 1
        self.sheet.add(n, width)
        self.group.add(n, width)

    def cut(self, strays: set[int], ours: set[str]) -> Cut:
        """The sheet with the rows the small copy needs.

        Rows 1 and 2, ``strays`` (the seller's cells below the orders) and the rows with formulas
        outside ``ours`` (our columns' letters).
        """
        theirs = {n for n, letters in self.formulas.items() if any(x not in ours for x in letters)}
        if len(theirs) > MAX_FORMULA_ROWS:
            raise NotSpliced(f"over {MAX_FORMULA_ROWS:,} rows with formulas of yours")
        known = {**dict(self.last), **self.rows}
        need = sorted({1, 2} | strays | theirs)
        missing = [n for n in need if n not in known and (n > 2 or n in strays)]  # noqa: PLR2004 - rows 1-2
        if missing:
            raise NotSpliced(f"row {missing[0]} is too far below the orders for the cut")
        body = b"".join(known[n] for n in need if n in known)
        return Cut(self.head + body + self.tail, set(need))


def _package(book: Book, part: str, xml: bytes, strings: SharedStrings | None) -> bytes:
    """The package with ``part`` replaced by ``xml``, every other part as it is but the shared strings.

    Each part is read within the cell reader's bounds and streamed into the copy.
    """
    replaced = {part: xml, **(_pruned(book, part, xml, strings) if strings is not None else {})}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as dst:
        for name in book.zip.namelist():
            with dst.open(name, "w") as out:
                if name in replaced:
                    out.write(replaced[name])
                else:
                    for chunk in book.chunks(name):
                        out.write(chunk)
    return buf.getvalue()


def _pruned(book: Book, orders: str, cut: bytes, strings: SharedStrings) -> dict[str, bytes]:
    """The shared strings cut to those the small copy's cells use, and its sheets renumbered to them.

    openpyxl reads a workbook's whole shared strings before any sheet (4.5 s for 100,000 orders
    saved by Excel), and the copy's Orders sheet holds a few rows. Nothing is cut ({}) when a
    sheet is big or has a string cell written in a way not matched here.
    """
    names = book.zip.namelist()
    parts = [p for p in dict.fromkeys(book.sheets.values()) if p in names]
    if any(book.zip.getinfo(p).file_size > PRUNED_SHEET_BYTES for p in parts if p != orders):
        return {}
    sheets = {p: cut if p == orders else book.read(p) for p in parts}
    used: set[int] = set()
    for sheet in sheets.values():
        found = _SHARED_CELL.findall(sheet)
        if len(found) != sheet.count(b't="s"'):
            return {}
        used.update(int(i) for _, i in found)
    if strings.count <= 0 or (used and max(used) >= strings.count):
        return {}
    kept = sorted(used)
    new = {old: str(j).encode() for j, old in enumerate(kept)}
    xml, starts, ends = strings.xml, strings.starts, strings.ends
    out = {
        p: _SHARED_CELL.sub(lambda m: m[1] + b' t="s"><v>' + new[int(m[2])] + b"</v></c>", x) for p, x in sheets.items()
    }
    items = b"".join(b"<si>" + xml[starts[i] : ends[i]] + b"</si>" for i in kept)
    out[SHARED_STRINGS] = xml[: xml.find(b"<si")] + items + b"</sst>"
    return out


# -- writing ----------------------------------------------------------------------------------------
class ColumnXml:
    """One Orders column's cells for a batch of rows, as openpyxl's engine writes them.

    Each cell has the style openpyxl gives its kind of value in its column, and its value as the
    openpyxl path writes it (text cleaned of what XML cannot hold, as :func:`.writer.set_value`).
    A batch of plain text or of date-times is made by polars (:meth:`texts`, :meth:`serials`),
    any other one distinct value at a time (:meth:`tails`); polars leaves the rare cells it
    cannot be sure of (control characters, a year before 1901) to :meth:`finish`.
    """

    def __init__(self, column: int, styles: ColumnStyles, export: ExportColumn | None = None) -> None:
        self.pre = f'<c r="{column_letters(column)}'
        self.value = f' s="{styles.value}"' if styles.value else ""
        self.date = f' s="{styles.date}"' if styles.date else ""
        self.blank = None if styles.blank is None else '"' + (f' s="{styles.blank}"' if styles.blank else "") + "/>"
        self.cache: dict[object, str] = {}
        #: A column of TikTok times, given as the export holds them (``Block.columns(times=False)``).
        self.times = export if export is not None and export.day_first is not None else None

    @staticmethod
    def kind(values: list[object]) -> str:
        """How a batch of the column's values is made: "text", "time" (date-times) or "mixed"."""
        kinds = set(map(type, values)) - {type(None)}
        return "text" if kinds <= {str} else "time" if kinds <= {dt.datetime} else "mixed"

    def tails(self, values: list[object]) -> pl.Series:
        """What follows ``<c r="A2`` for each value (null: no cell), one distinct value at a time."""
        import polars as pl

        if self.times is not None or not _CACHED.issuperset(set(map(type, values)) - {type(None)}):
            return pl.Series([self._one(v) for v in values], dtype=pl.String)
        cache = self.cache
        cache[None] = self.blank or ""  # "": no cell (never a cell's tail)
        tails = list(map(cache.get, values))  # the common case: every value seen before
        if None in tails:
            tails = [self._one(v) if t is None else t for v, t in zip(values, tails, strict=True)]
        made = pl.Series(tails, dtype=pl.String)
        return made if self.blank is not None else made.replace("", None)

    def _one(self, v: object) -> str | None:
        if v is not None and self.times is not None and self.times.convert is not None:
            v = self.times.convert(v)  # a time as the export holds it: as a date-time, as ``Block.rows`` gives it
        return self._made(v)

    def _made(self, v: object) -> str | None:
        if v is None:
            return self.blank
        if type(v) not in _CACHED:
            return _tail(v, self.value, self.date)
        tail = self.cache.get(v)
        if tail is None:
            if len(self.cache) >= CACHE_MAX:
                self.cache.clear()
            tail = self.cache[v] = _tail(v, self.value, self.date)
        return tail

    def texts(self, text: pl.Series, v: pl.Expr) -> pl.Expr:
        """Text cells of ``text`` (``v`` in the batch), null for the careful way.

        Plain text goes straight in, XML's three characters escaped; each step is left out when no
        cell of the batch needs it.
        """
        import polars as pl

        plain = (v != "") & ~v.str.starts_with(" ") & ~v.str.ends_with(" ") & ~v.str.contains(_CAREFUL_RUST)
        if (cast("int | None", text.str.len_bytes().max()) or 0) >= PLAIN_MAX:  # bytes: at least as many as characters
            plain &= v.str.len_chars() < PLAIN_MAX
        escaped = xml_escaped(v) if text.str.contains("[&<>]").any() else v
        cell = pl.concat_str(pl.lit(f'"{self.value} t="inlineStr"><is><t>'), escaped, pl.lit("</t></is></c>"))
        return pl.when(v.is_null()).then(pl.lit(self.blank, dtype=pl.String)).when(plain).then(cell)

    @staticmethod
    def serials(t: pl.Expr) -> pl.Expr:
        """Date-times as Excel serials, as :func:`.fast_rows.excel_serial` computes them, operation for operation.

        Null before 1901 (Excel's 1900 quirks: the careful way).
        """
        import polars as pl

        day = 86_400_000_000  # microseconds
        since = t.dt.epoch("us") - _EPOCH_US
        days, rest = since // day, since % day
        serial = days.cast(pl.Float64) + ((rest // 1_000_000).cast(pl.Float64) + (rest % 1_000_000) / 1e6) / 86400
        serial = pl.when(serial > _EXCEL_FAKE_LEAP_DAY).then(serial + 1.0).otherwise(serial)
        return pl.when(t.dt.year() >= _FIRST_YEAR).then(serial)

    def numbers(self, serial: pl.Series, given: pl.Series) -> pl.Series:
        """Number cells in the column's date style for ``serial`` (:meth:`serials`), blanks where nothing was given."""
        import polars as pl

        printed = printed_serials(serial, self.date)
        return pl.select(
            pl.when(pl.lit(given).is_null()).then(pl.lit(self.blank, dtype=pl.String)).otherwise(printed)
        ).to_series()

    def finish(self, tails: pl.Series, given: pl.Series, values: list[object]) -> pl.Series:
        """``tails`` with the cells polars left null (a value was given) made one at a time."""
        if tails.null_count() == (given.null_count() if self.blank is None else 0):
            return tails
        missing = (given.is_not_null() & tails.is_null()).arg_true()
        return tails.scatter(missing, [self._one(values[i]) for i in missing.to_list()])


def block_xml(block: Block, styles: Sequence[ColumnStyles], first_row: int = 2) -> Iterator[bytes]:
    """``<row>`` elements for the block's rows, a batch of rows at a time, built column by column.

    :data:`.fast_rows.BUILDERS` batches are built at once, each in a thread, while the next
    batch's values are taken from the block; they are given back in order.
    """
    columns = [ColumnXml(c, st, block.export_column(c)) for c, st in enumerate(styles)]

    def batches() -> Iterator[tuple[list[list[object]], int]]:
        done = 0
        for values in block.columns(ROWS_PER_BATCH, times=False):
            yield values, first_row + done
            done += len(values[0])

    yield from made_ahead(lambda batch: _batch_xml(columns, *batch), batches(), BUILDERS)


def _batch_xml(columns: Sequence[ColumnXml], values: list[list[object]], first_row: int) -> bytes:
    """The ``<row>`` elements of one batch (``values``: column by column) from sheet row ``first_row``."""
    import polars as pl

    m = len(values[0])
    given: dict[str, pl.Series] = {}
    exprs: dict[str, pl.Expr] = {}
    tails: dict[str, pl.Series] = {}
    for c, (col, v) in enumerate(zip(columns, values, strict=True)):
        kind = col.kind(v)
        if kind == "text" and col.times is not None:  # TikTok times: read by polars
            text = pl.Series(v, dtype=pl.String)
            serials = time_serials(text, day_first=bool(col.times.day_first))
            tails[f"t{c}"] = col.finish(col.numbers(serials, text), text, v)
        elif kind == "text":
            given[f"t{c}"] = pl.Series(v, dtype=pl.String)
            exprs[f"t{c}"] = col.texts(given[f"t{c}"], pl.col(f"t{c}"))
        elif kind == "time":
            given[f"t{c}"] = pl.Series(v, dtype=pl.Datetime("us"))
            exprs[f"t{c}"] = col.serials(pl.col(f"t{c}"))
        else:
            tails[f"t{c}"] = col.tails(v)
    made = pl.DataFrame(given).select(**exprs) if exprs else pl.DataFrame()
    for name, x in given.items():
        col = columns[int(name[1:])]
        made_x = made[name] if x.dtype == pl.String else col.numbers(made[name], x)
        tails[name] = col.finish(made_x, x, values[int(name[1:])])
    frame = pl.DataFrame(
        {
            "n": pl.int_range(first_row, first_row + m, eager=True).cast(pl.String),
            **{f"t{c}": tails[f"t{c}"] for c in range(len(columns))},
        }
    )
    cells = [pl.concat_str(pl.lit(col.pre), "n", f"t{c}") for c, col in enumerate(columns)]  # null: no cell
    row = pl.concat_str(pl.lit('<row r="'), "n", pl.lit('">'), *cells, pl.lit("</row>"), ignore_nulls=True)
    return cast("bytes", frame.select(row.str.join("").cast(pl.Binary)).item())


#: Values whose cell XML is remembered per column (1 and 1.0 share an entry: the same number
#: either way); a bool (True == 1) and a formula (equal to its text) are not.
_CACHED = frozenset({str, int, float, dt.datetime, dt.date})


def _text(v: str, value: str) -> str:
    """A text cell: plain text straight in, the rest the careful way (cleaned as ``set_value`` does)."""
    if v and len(v) < PLAIN_MAX and v[0] != " " and v[-1] != " " and not _CAREFUL.search(v):
        return f'"{value} t="inlineStr"><is><t>{v}</t></is></c>'
    return text_tail(ILLEGAL_CHARACTERS_RE.sub("", v)[:EXCEL_TEXT_MAX], value)


def _tail(v: object, value: str, date: str) -> str:
    """The rest of ``<c r="A2`` for one value; ``value`` / ``date``: the column's style attribute."""
    if isinstance(v, Formula):
        return formula_tail(str(v), value)
    if isinstance(v, str):
        return _text(v, value)
    if isinstance(v, dt.date):
        return cell_tail(v, date)
    if isinstance(v, (dt.time, dt.timedelta)):  # from a row openpyxl read: a fraction of a day
        seconds = (
            v.total_seconds()
            if isinstance(v, dt.timedelta)
            else v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
        )
        return cell_tail(seconds / 86400, date)
    if type(v) is float and isfinite(v) and v != 0:
        return f'"{value}><v>{v!r}</v></c>'  # every digit, as openpyxl writes a float
    return cell_tail(v, value)


def write(book: Workbook, rest: Rest, output: Path) -> None:
    """Save ``book`` (the small copy, refreshed) to ``output``, the Orders data rows streamed in.

    The rows of ``rest`` go into the sheet openpyxl wrote, before the seller's cells below the orders.
    """
    block = rest.block
    if block is None:
        raise ValueError("the Orders block was not built")
    small = io.BytesIO()
    book.save(small)
    part = book[ORDERS].path.lstrip("/")  # where openpyxl wrote the sheet
    with zipfile.ZipFile(small) as z:
        xml = z.read(part).decode("utf-8")
    last_row = block.n_rows + 1
    open_at = xml.find("<sheetData>") + len("<sheetData>")
    close_at = xml.find("</sheetData>")
    if open_at < len("<sheetData>") or close_at < 0:
        raise ValueError(f"openpyxl wrote no <sheetData> for {ORDERS}")
    head, body, tail = xml[:open_at], xml[open_at:close_at], xml[close_at:]
    rows = [(int(m[1]), m.start()) for m in _XML_ROW.finditer(body)]
    header_end = next((at for n, at in rows if n > 1), len(body))
    below = next((at for n, at in rows if n > last_row), len(body))  # rows 2..last_row held no cell
    strays = body[below:]

    def dimension(m: re.Match[str]) -> str:
        width = max(len(block.header), column_index(m[1]) + 1 if m[1] else 1)
        height = max(last_row, int(m[2]) if m[2] else 1)
        return f'<dimension ref="A1:{column_letters(width - 1)}{height}"/>'

    head = _DIMENSION.sub(dimension, head, count=1)
    shell_xml = (head + body[:header_end] + tail).encode("utf-8")
    package = io.BytesIO()
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(package, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info, shell_xml if info.filename == part else src.read(info))
    package.seek(0)

    def chunks() -> Iterator[str | bytes]:
        yield from block_xml(block, rest.styles)
        if strays:
            yield strays

    write_with_rows(package, output, part, chunks, expected_rows=block.n_rows)
