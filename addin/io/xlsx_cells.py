"""The used cells of an .xlsx/.xlsm sheet, read within Excel's limits and a bounded memory.

python-calamine builds a dense rectangle from A1 to the last used cell: one stray value at
XFD1048576 asks for 549 GB and aborts the process. So the sheet's XML is first streamed once (a
regular-expression pass, no tree) to learn how many rows it has and how far out its cells go; a
sheet whose rectangle is about as full as its cells goes to calamine (fast), any other is read
here cell by cell with expat (only the used cells, never a rectangle).

Every part is inflated through a bound: past ``MAX_PART_BYTES``, or more than ``MAX_RATIO``
times its compressed size, the file is refused as a zip bomb (the ratio is Apache POI's
``ZipSecureFile`` default, 0.01, the reference among spreadsheet readers).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from typing import TYPE_CHECKING, Protocol
from xml.parsers import expat

from defusedxml import ElementTree

from ..core.export import MAX_COLUMNS, MAX_ROWS
from .export import ExportError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import ModuleType

_inflater: ModuleType | None
try:  # ISA-L's inflate: the same bytes (zipfile checks each part's CRC), twice as fast as zlib's
    from isal import isal_zlib

    _inflater = isal_zlib
except ImportError:  # pragma: no cover - a machine without the wheel keeps zipfile's own
    _inflater = None

MAX_PART_BYTES = 4 << 30  # one part of the workbook, uncompressed
SHARED_STRINGS = "xl/sharedStrings.xml"  # the part a workbook's cells name their text by number in
MAX_RATIO = 100
RATIO_GRACE = 1 << 20  # small parts (styles of repeated tags) may compress better than that
#: A rectangle calamine may build whatever the cells: 16 M cells of 32 bytes.
CELL_BUDGET = 16_000_000
_CHUNK = 1 << 20
#: Bytes enough for a sheet's opening tag, one ``<row ...>`` tag, or a tag cut at a chunk's end.
_TAG_SPAN = 4096
#: Columns A:BZ, the width assumed when no cell lies beyond them (``_ODD_CELL`` finds those from CA on).
_NEAR_WIDTH = 78
#: Fewest bytes a cell takes in the XML: ``<c r="A1"/>``.
_MIN_CELL_BYTES = 16
#: How much bigger than its cells a rectangle may be before the cell reader is the safer one.
_SPARSE_FACTOR = 2
#: Bytes handed to expat at a time: small feeds, so the rows done so far stay few.
_FEED = 1 << 16
#: expat's ``isfinal`` for the last (empty) feed: the document ends here.
_LAST_FEED = True
#: One past Excel's last date serial (2958465 is 9999-12-31): larger numbers are not dates.
_PAST_LAST_SERIAL = 2958466
#: Excel keeps times to the millisecond.
_MS_PER_DAY = 86_400_000

#: Cells a dense rectangle would not fit: written without a reference or with a malformed one
#: (calamine places those itself), or from column CA (79) on. One scan, literal prefix, rare matches.
_ODD_CELL = re.compile(rb'<c(?:>|/>| (?!r=")| r="(?![A-Z]{1,3}[1-9]\d{0,6}")| r="([A-Z]{3}|[C-Z][A-Z])\d)')
#: Every row; the group is empty for a row whose number is not its first attribute.
_ROWS = re.compile(rb'<row(?:( r=")|[ >/])')
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
_DEEP_REFS: dict[int, re.Pattern[bytes]] = {}


def _deep_ref(digits: int) -> re.Pattern[bytes]:
    """Cell references whose row has more than ``digits`` digits: below every row counted so far."""
    if digits not in _DEEP_REFS:
        _DEEP_REFS[digits] = re.compile(rb' r="[A-Z]{1,3}(\d{%d,})"' % (digits + 1))
    return _DEEP_REFS[digits]


_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})")
_EPOCH_1900, _EPOCH_1904 = dt.datetime(1899, 12, 30), dt.datetime(1904, 1, 1)
_DATE_FORMAT_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_NOT_FORMAT_CODE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def column_index(letters: str) -> int:
    """0-based column of "A", "XFD"..."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def column_letters(index: int) -> str:
    """The letters of a 0-based column: "A" for 0, "XFD" for 16,383."""
    out = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        out = chr(65 + r) + out
    return out


class Book:
    """An open .xlsx/.xlsm: its sheets by name and a bounded way to read each part."""

    def __init__(self, path: str, where: str) -> None:
        self.where = where
        self.zip = zipfile.ZipFile(path)
        for info in self.zip.infolist():
            if info.file_size > MAX_PART_BYTES:
                raise ExportError(
                    f"{where}: part {info.filename} says it holds {info.file_size:,} bytes "
                    f"uncompressed, over the {MAX_PART_BYTES >> 30} GiB we read - not a usable export"
                )
        workbook = ElementTree.fromstring(self.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(self.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels if r.tag.endswith("Relationship")}
        self.sheets: dict[str, str] = {}
        self.date1904 = False
        for el in workbook.iter():
            tag = el.tag.rpartition("}")[2]
            if tag == "workbookPr":
                self.date1904 = el.get("date1904", "0").lower() in ("1", "true")
            elif tag == "sheet":
                rid = next((v for k, v in el.attrib.items() if k.rpartition("}")[2] == "id"), None)
                target = targets.get(rid, "")
                part = target.lstrip("/") if target.startswith("/") else "xl/" + target
                self.sheets[el.get("name", "")] = re.sub(r"[^/]+/\.\./", "", part)

    def close(self) -> None:
        """Release the file (Windows keeps an open file locked)."""
        self.zip.close()

    def chunks(self, part: str) -> Iterator[bytes]:
        """The part's bytes, inflated a megabyte at a time; ExportError past the bounds."""
        info = self.zip.getinfo(part)
        total = 0
        with self.zip.open(info) as f:
            if info.compress_type == zipfile.ZIP_DEFLATED and _inflater is not None and hasattr(f, "_decompressor"):
                f._decompressor = _inflater.decompressobj(-15)  # noqa: SLF001 - zipfile has no public way to choose it
            while chunk := f.read(_CHUNK):
                total += len(chunk)
                if total > MAX_PART_BYTES or (total > RATIO_GRACE and total > MAX_RATIO * max(info.compress_size, 1)):
                    raise ExportError(
                        f"{self.where}: part {part} inflates to over {total:,} bytes from "
                        f"{info.compress_size:,} (a zip bomb?) - not a usable export"
                    )
                yield chunk

    def bound_shared_strings(self) -> None:
        """ExportError when the shared strings inflate past the bounds: before a reader that reads them whole."""
        if SHARED_STRINGS in self.zip.namelist():
            for _ in self.chunks(SHARED_STRINGS):
                pass

    def read(self, part: str) -> bytes:
        """The whole part, within the bounds of ``chunks``; ExportError when the workbook lacks it."""
        try:
            return b"".join(self.chunks(part))
        except KeyError:
            raise ExportError(f"{self.where}: no {part} inside - not an Excel workbook") from None


def needs_cell_reader(book: Book, part: str) -> bool:
    """True when calamine's dense rectangle for the sheet would dwarf its cells (or break Excel's limits).

    Refuses a sheet of more than Excel's 1,048,576 rows before anything is read.
    """
    rows = last_row = 0
    far, unplaced, first = -1, False, True
    carry = b""
    for chunk in book.chunks(part):
        if first and b"<worksheet" not in chunk[:_TAG_SPAN]:
            return True  # a namespace prefix (<x:c ...>): only the cell reader reads those
        first = False
        data = carry + chunk
        cut = data.rfind(b">") + 1
        data, carry = data[:cut], data[cut:][-_TAG_SPAN:]
        found = _ROWS.findall(data)
        rows += len(found)
        unplaced = unplaced or b"" in found
        last = data.rfind(b"<row ")
        if last >= 0 and (m := _ROW_NUMBER.search(data, last, last + _TAG_SPAN)):
            last_row = max(last_row, int(m[1]))
        deep = _deep_ref(len(str(max(rows, last_row)))).findall(data)  # a cell placed below its row
        if deep:
            last_row = max(last_row, *map(int, deep))
        for letters in set(_ODD_CELL.findall(data)):
            if letters:
                far = max(far, column_index(letters.decode()))
            else:
                unplaced = True
        if rows > MAX_ROWS or last_row > MAX_ROWS:
            raise ExportError(f"{book.where}: more than Excel's {MAX_ROWS:,} rows - not a usable export")
    if unplaced or far >= MAX_COLUMNS:
        return True
    height, width = max(rows, last_row), (far + 1 if far >= 0 else _NEAR_WIDTH)
    if height * width <= CELL_BUDGET:
        return False
    cells = book.zip.getinfo(part).file_size // _MIN_CELL_BYTES  # at most this many cells
    # a big rectangle only a few cells fill
    return last_row > _SPARSE_FACTOR * rows or height * width > _SPARSE_FACTOR * cells


def _is_date_format(code: str) -> bool:
    bare = _NOT_FORMAT_CODE.sub("", code).lower()
    return bare != "general" and any(ch in bare for ch in "dmyhs")


def date_styles(book: Book) -> set[int]:
    """Indexes of the cell styles that show a number as a date or time."""
    if "xl/styles.xml" not in book.zip.namelist():
        return set()
    root = ElementTree.fromstring(book.read("xl/styles.xml"))
    custom = {
        int(el.get("numFmtId", -1)): el.get("formatCode", "")
        for el in root.iter()
        if el.tag.endswith("}numFmt") or el.tag == "numFmt"
    }
    xfs = next((el for el in root.iter() if el.tag.rpartition("}")[2] == "cellXfs"), None)
    out = set()
    for i, xf in enumerate(xfs if xfs is not None else []):
        fmt = int(xf.get("numFmtId", 0) or 0)
        if fmt in _DATE_FORMAT_IDS or (fmt in custom and _is_date_format(custom[fmt])):
            out.add(i)
    return out


class _Handler(Protocol):
    """What expat calls back with: an element's start and end, and the text between."""

    def start(self, name: str, attrs: dict[str, str], /) -> None: ...

    def end(self, name: str, /) -> None: ...

    def text(self, data: str, /) -> None: ...


def _parser(where: str, handler: _Handler) -> expat.XMLParserType:
    p = expat.ParserCreate()
    p.buffer_text = True

    def no_dtd(*_args: object) -> None:  # entities are how XML bombs grow; no export declares any
        raise ExportError(f"{where}: a DOCTYPE inside the workbook - not a usable export")

    p.StartDoctypeDeclHandler = no_dtd
    p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = handler.start, handler.end, handler.text
    return p


class _SharedStrings:
    """The strings of sharedStrings.xml, each ``<si>`` one string."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.buf: list[str] = []
        self.in_text = False
        self.rph = 0

    def start(self, name: str, _attrs: dict[str, str]) -> None:
        name = name.rpartition(":")[2]
        if name == "si":
            self.buf.clear()
        elif name == "rPh":
            self.rph += 1
        elif name == "t" and not self.rph:
            self.in_text = True

    def end(self, name: str) -> None:
        name = name.rpartition(":")[2]
        if name == "si":
            self.out.append("".join(self.buf))
        elif name == "rPh":
            self.rph -= 1
        elif name == "t":
            self.in_text = False

    def text(self, data: str) -> None:
        if self.in_text:
            self.buf.append(data)


def shared_strings(book: Book) -> list[str]:
    """The workbook's shared strings (rich text runs joined, phonetic guides left out)."""
    part = SHARED_STRINGS
    if part not in book.zip.namelist():
        return []
    handler = _SharedStrings()
    p = _parser(book.where, handler)
    for chunk in book.chunks(part):
        p.Parse(chunk)
    p.Parse(b"", _LAST_FEED)
    return handler.out


class _Cells:
    """The rows of one sheet's XML, each put in ``done`` once its end tag is read."""

    def __init__(self, book: Book) -> None:
        self.where = book.where
        self.strings, self.dates = shared_strings(book), date_styles(book)
        self.epoch = _EPOCH_1904 if book.date1904 else _EPOCH_1900
        self.done: list[tuple[int, list[object]]] = []
        self.row: dict[int, object] = {}
        self.row_number, self.col, self.type, self.style = 0, -1, "n", 0
        self.text_tag: str | None = None
        self.rph = 0
        self.buf: list[str] = []

    def value(self) -> object:
        raw, t = "".join(self.buf), self.type
        if t == "s":
            i = int(raw) if raw.strip().isdigit() else -1
            return self.strings[i] if 0 <= i < len(self.strings) else ""
        if t in ("inlineStr", "str", "e"):
            return raw
        if t == "b":
            return raw.strip() in ("1", "true")
        if not raw.strip():
            return ""
        return self.when(raw) if t == "d" else self.number(raw)

    @staticmethod
    def when(raw: str) -> object:
        try:
            return dt.datetime.fromisoformat(raw.strip())
        except ValueError:
            return raw

    def number(self, raw: str) -> object:
        try:
            number = float(raw)
        except ValueError:
            return raw
        if self.style in self.dates and 0 <= number < _PAST_LAST_SERIAL:
            when = self.epoch + dt.timedelta(milliseconds=round(number * _MS_PER_DAY))
            if number < 1:
                return when.time()
            return when.date() if number.is_integer() else when
        return number

    def start(self, name: str, attrs: dict[str, str]) -> None:
        name = name.rpartition(":")[2]
        if name == "row":
            r = attrs.get("r")
            self.row_number = int(r) if r and r.isdigit() else self.row_number + 1
            self.col = -1
            if self.row_number > MAX_ROWS:
                raise ExportError(f"{self.where}: a row past Excel's last row {MAX_ROWS:,}")
            self.row.clear()
        elif name == "c":
            self.start_cell(attrs)
        elif name == "rPh":
            self.rph += 1
        elif (name == "v" or (name == "t" and self.type == "inlineStr")) and not self.rph:
            self.text_tag = name

    def start_cell(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r", "")
        m = _REF.fullmatch(ref)
        self.col = column_index(m[1]) if m else self.col + 1
        if self.col >= MAX_COLUMNS:
            raise ExportError(f"{self.where}: cell {ref or self.col + 1} is past Excel's last column XFD")
        self.type = attrs.get("t", "n")
        s = attrs.get("s", "0")
        self.style = int(s) if s.isdigit() else 0
        self.buf.clear()
        self.text_tag = None

    def end(self, name: str) -> None:
        name = name.rpartition(":")[2]
        if name == "c":
            v = self.value()
            if v != "":
                self.row[self.col] = v
        elif name == "row":
            if self.row:
                cells: list[object] = [""] * (max(self.row) + 1)
                for c, v in self.row.items():
                    cells[c] = v
                self.done.append((self.row_number, cells))
        elif name == "rPh":
            self.rph -= 1
        elif name == self.text_tag:
            self.text_tag = None

    def text(self, data: str) -> None:
        if self.text_tag:
            self.buf.append(data)


def cell_rows(book: Book, part: str) -> Iterator[tuple[int, list[object]]]:
    """(sheet row number, values) for each row with cells, values as calamine gives them."""
    cells = _Cells(book)
    p = _parser(book.where, cells)
    for chunk in book.chunks(part):
        for i in range(0, len(chunk), _FEED):
            p.Parse(chunk[i : i + _FEED])
            yield from cells.done
            cells.done.clear()
    p.Parse(b"", _LAST_FEED)
    yield from cells.done
