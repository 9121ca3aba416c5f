"""Read a TikTok Shop order export (CSV, XLSX, XLSM) as TikTok writes it.

Cells keep their values; only the tab TikTok puts after every time and long ID is stripped.
Headers are found whatever their case and spacing, under the names sellers meet in the wild.

A UTF-8 CSV (what TikTok writes) is read column-wise by polars, in Rust, into the same Export
the csv module's row-by-row reader makes (a property test compares the two); any file polars
cannot vouch for (another encoding, a CR line break, a quote it reads otherwise, a row wider
than the header, a cell Excel would cut) is read row by row as before. polars is imported only
when a CSV is read, never when Excel starts the add-in.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import sys
import tempfile
import zipfile
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

import numpy as np

from ..core.columns import Cells, Coded
from ..core.export import FIELDS, ID_FIELDS, MAX_CELL, MAX_COLUMNS, MAX_ROWS, REQUIRED, Export, header_key
from ..core.export import id_text as _as_id
from ..errors import AutocancelError

if TYPE_CHECKING:
    import numpy.typing as npt
    import polars as pl

#: One row's cells as the readers give them (text, numbers, dates, booleans, None).
Row = list[Any]
_T = TypeVar("_T")

_DATE_LIKE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|^\d{4,6}(\.\d*)?$")
#: A CSV cell longer than this (64 M characters) is not a cell but a broken quote: refused.
CSV_CELL_LIMIT = 1 << 26
#: Headers, and characters of each, a "no Order ID column" message shows of a file that is not an export.
_HEADERS_SHOWN, _HEADER_CHARS_SHOWN = 8, 40
#: Cell texts shorter than this (statuses, reasons, dates) are held once however often they repeat.
_SHARED_BELOW = 40
#: ``progress`` is told every 65,536 rows: when the row count's low 16 bits (this mask) are all zero.
_PROGRESS_EVERY_MASK = 0xFFFF
#: Rows polars hands over at a time: lists of a batch are built at once, the frame is dropped.
_BATCH_ROWS = 1 << 16
#: Bytes read at a time from a file (and the longest header line looked at for the delimiter).
_READ_CHUNK = 1 << 20
#: Bytes read at a time when looking for a lone CR (a count over big chunks is what is fast).
_CR_SCAN_CHUNK = 1 << 22
#: A CR not followed by a LF (one regex pass: three times faster than counting CRs and CRLFs).
_LONE_CR = re.compile(rb"\r(?!\n)")
#: A column has few distinct values (each one an Enum code) when at most one cell in 8 is a new one.
_FEW_DISTINCT = 8
_ALIASES = {header_key(name): field for field, names in FIELDS.items() for name in names}


class ExportError(AutocancelError):
    """The file cannot be used at all; the message names the file and what is wrong."""


class FileRows(Sequence[Row]):
    """The export's data rows, read again from the file each time they are walked.

    A 1,048,575-row export held as Python strings takes gigabytes; the rules need a dozen
    columns, which are kept, and the full rows only stream through once more when written.
    """

    def __init__(self, reopen: Callable[[], Iterator[Row]], count: int) -> None:
        self._reopen, self._count = reopen, count
        self._cached: list[Row] | None = None

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Row]:
        if self._cached is not None:
            return iter(self._cached)
        return islice(self._reopen(), self._count)

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        # random access (in-place workbook edits) holds the rows once
        if self._cached is None:
            self._cached = list(self)
        return self._cached[index]


def _clean(value: object) -> object:
    """TikTok's trailing tab removed; nothing else about a value changes."""
    return value.rstrip("\t") if isinstance(value, str) else value


def map_columns(headers: list[str], source: str, edd_column: str | None = None) -> dict[str, int]:
    """Field -> index for the headers, first match wins; a named EDD column takes precedence."""
    columns: dict[str, int] = {}
    for i, h in enumerate(headers):
        key = header_key(h)
        if edd_column and key == header_key(edd_column):
            columns["edd"] = i
        field = _ALIASES.get(key)
        if field and field not in columns:
            columns[field] = i
    if edd_column and "edd" not in columns:
        raise ExportError(f"{source}: no column {edd_column!r} for the estimated delivery date")
    missing = [FIELDS[f][0] for f in REQUIRED if f not in columns]
    if missing:
        shown_headers = ", ".join(h[:_HEADER_CHARS_SHOWN] for h in headers[:_HEADERS_SHOWN] if h)
        first = _one_line(shown_headers) + (", ..." if len(headers) > _HEADERS_SHOWN else "")
        raise ExportError(
            f"{source}: no {' / '.join(repr(m) for m in missing)} column - is this a TikTok Shop order export? "
            f"(first headers: {first or 'none'})"
        )
    return columns


def _looks_like_description(row: Row, columns: dict[str, int]) -> bool:
    """The sentence per column SEA exports put under the header, in any language.

    Its Order ID cell is words (not digits) and its Created Time cell is words (not a date or a number).
    """

    def cell(field: str) -> object:
        i = columns[field]
        return row[i] if i < len(row) else ""

    order_id, created = str(_clean(cell("order_id"))).strip(), _clean(cell("created"))
    return (
        bool(order_id)
        and not (order_id.isascii() and order_id.isdigit())
        and isinstance(created, str)
        and bool(created.strip())
        and not _DATE_LIKE.search(created)
    )


def shown(path: str | Path) -> str:
    r"""A file name as a one-line message can print it.

    Bytes that are not UTF-8 become U+FFFD, a line break or other control character its escape (``\n``).
    """
    name = os.fsencode(str(path)).decode("utf-8", "replace")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


def read_export(
    path: str | Path,
    sheet: str | None = None,
    edd_column: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Export:
    """Read an order export or a workbook sheet; ExportError names the file when it can't.

    One pass keeps the columns the rules need; the full rows are read again only when written.
    Blank rows are skipped wherever they are (``Export.sheet_row`` gives each row's own number).
    ``progress`` is told the number of rows read so far, every 65,536 rows.
    """
    path = Path(path)
    where = shown(path)
    try:
        is_file = path.is_file()
    except OSError as exc:  # a name too long for the file system
        raise ExportError(f"{where}: cannot be read ({exc.strerror or exc})") from None
    if not is_file:
        raise ExportError(f"{where}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        by_columns = _guarded(where, lambda: _csv_by_columns(path, where, edd_column, progress))
        if by_columns is not None:
            return by_columns
        reopen, sheet_name, long_cells = _guarded(where, lambda: _csv_rows(path, where)), None, True
    elif suffix in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"):
        (reopen, sheet_name), long_cells = _guarded(where, lambda: _book_rows(path, sheet, where)), False
    else:
        raise ExportError(f"{where}: not a CSV or Excel file (expected .csv, .xlsx or .xlsm)")
    return _guarded(
        where, lambda: _scan(path, reopen, sheet_name, edd_column, progress, where=where, long_cells=long_cells)
    )


def export_from_table(  # noqa: PLR0913 - the public signature; the last two options keyword-only
    source: str,
    table: Sequence[Row],
    sheet: str | None = None,
    edd_column: str | None = None,
    *,
    header_row: int = 1,
    skip_blank_rows: bool = False,
) -> Export:
    """An export from cells already in memory (a workbook's Orders sheet, Excel's used range).

    ``table`` starts with the header row, which is sheet row ``header_row``, and is walked again
    each time the rows are (it may pick them from a bigger sheet as walked); the cells are cleaned
    and mapped exactly as ``read_export`` does a file's. Blank rows at the bottom are dropped;
    those between orders are kept (row i stays sheet row header_row + 1 + i, which the in-place
    writers rely on) unless ``skip_blank_rows``, when ``Export.sheet_rows`` maps them.
    """
    return _scan(
        Path(source),
        lambda: enumerate(table, start=header_row),
        sheet,
        edd_column,
        where=shown(source),
        skip_blank=skip_blank_rows,
    )


def _guarded(where: str, read: Callable[[], _T]) -> _T:
    try:
        return read()
    except ExportError:
        raise
    except PermissionError as exc:
        raise ExportError(
            f"{where}: cannot be read ({exc.strerror}) - is it open in another program? "
            f"Close it there, or copy it, and run again"
        ) from None
    except MemoryError:
        raise ExportError(f"{where}: too big to read in this computer's memory") from None
    except (OSError, UnicodeError, csv.Error, ValueError, zipfile.BadZipFile) as exc:
        raise ExportError(f"{where}: cannot be read ({_one_line(getattr(exc, 'strerror', None) or exc)})") from None
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - calamine's own types, and a Rust panic is a BaseException
        raise ExportError(f"{where}: cannot be read as a workbook ({type(exc).__name__}: {_one_line(exc)})") from None


def _one_line(text: object) -> str:
    """A library's message (or a buyer's header) on one line, as every message must be."""
    return " ".join(str(text).split())


def _is_blank_row(row: Sequence[object]) -> bool:
    # A loop, not all() over a generator: most rows end at their first cell, the Order ID, and
    # this runs for every row of a million-row export.
    for v in row:  # noqa: SIM110 - see above
        if v is not None and not (isinstance(v, str) and (not v or v.isspace())):
            return False
    return True


def _body(rows: Iterator[tuple[int, Row]], *, skip_blank: bool) -> Iterator[tuple[int, Row]]:
    """The data rows after the header; blank and comma-only rows left out when ``skip_blank``."""
    if not skip_blank:
        yield from rows
        return
    for number, row in rows:
        if not _is_blank_row(row):
            yield number, row


class _Notes:
    """Warnings of one kind, the first few in full and the rest counted."""

    SHOWN = 5

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.more = 0

    def add(self, line: str) -> None:
        if len(self.lines) < self.SHOWN:
            self.lines.append(line)
        else:
            self.more += 1

    def out(self, what: str) -> list[str]:
        return self.lines + ([f"... and {self.more:,} more {what}"] if self.more else [])


class _RowNotes:
    """What a row holds that the workbook will not carry whole: cells Excel cuts, cells without a header."""

    def __init__(self, where: str, headers: list[str], *, long_cells: bool) -> None:
        self.where, self.headers, self.width, self.long_cells = where, headers, len(headers), long_cells
        self.cut, self.beyond = _Notes(), _Notes()

    def check(self, row: Row, number: int) -> None:
        where, width = self.where, self.width
        if self.long_cells and max(map(len, row), default=0) > MAX_CELL:
            for c, v in enumerate(row[:width]):
                if len(v) > MAX_CELL:
                    self.cut.add(
                        f"{where}: {_one_line(self.headers[c]) or _letters(c)}, row {number}: {len(v):,} characters; "
                        f"Excel keeps {MAX_CELL:,}, the last {len(v) - MAX_CELL:,} will be cut in the workbook"
                    )
        if len(row) > width and not _is_blank_row(row[width:]):
            extra = sum(not _is_blank_row((v,)) for v in row[width:])
            self.beyond.add(
                f"{where}, row {number}: {extra:,} cell(s) right of the last header "
                f"(column {_letters(width - 1)}) are not copied - give them a header to keep them"
            )

    def out(self) -> list[str]:
        return self.cut.out(f"cells over {MAX_CELL:,} characters") + self.beyond.out(
            "rows with cells right of the header"
        )


def _headers(header: Row, where: str) -> tuple[list[str], list[str]]:
    """The header row's names, cleaned, up to Excel's last column; and the warning when it goes further."""
    warnings: list[str] = []
    if len(header) > MAX_COLUMNS:
        warnings.append(
            f"{where}: {len(header):,} columns in the header; Excel stops at column XFD "
            f"({MAX_COLUMNS:,}), the {len(header) - MAX_COLUMNS:,} after it are left out"
        )
        header = header[:MAX_COLUMNS]
    return [str(_clean(h) if h is not None else "").strip() for h in header], warnings


def _keep(row: Row, appenders: list[tuple[Callable[[object], None], int, bool]], seen: dict[object, object]) -> None:
    """The row's values of the mapped fields appended, each short text held once (``seen``)."""
    row_width = len(row)
    for append, i, is_id in appenders:
        value = _clean(row[i]) if i < row_width else ""
        if is_id:
            value = _as_id(value)
        append(seen.setdefault(value, value) if type(value) is str and len(value) < _SHARED_BELOW else value)


def _scan(  # noqa: PLR0913 - what the file and table readers tell it; the options keyword-only
    path: Path,
    reopen: Callable[[], Iterator[tuple[int, Row]]],
    sheet_name: str | None,
    edd_column: str | None,
    progress: Callable[[int], None] | None = None,
    *,
    where: str,
    skip_blank: bool = True,
    long_cells: bool = False,
) -> Export:
    rows = reopen()
    first = next(rows, None)
    if first is None:
        raise ExportError(f"{where}: the file is empty")
    header_no, header = first
    where = where + (f", sheet {sheet_name!r}" if sheet_name else "")
    headers, warnings = _headers(header, where)
    width = len(headers)
    columns = map_columns(headers, where, edd_column)
    wanted = list(columns.items())
    fields: dict[str, list[object]] = {name: [] for name, _ in wanted}
    appenders = [(fields[name].append, i, name in ID_FIELDS) for name, i in wanted]
    seen: dict[object, object] = {}  # one object per repeated value: statuses, reasons, dates
    numbers = array("q")
    description: int | None = None
    last_filled = 0
    notes = _RowNotes(where, headers, long_cells=long_cells)
    for number, row in rows:
        if skip_blank and _is_blank_row(row):
            continue
        if not numbers and description is None and _looks_like_description(row, columns):
            description = number
            continue
        if number > MAX_ROWS:
            raise ExportError(
                f"{where}: more than Excel's {MAX_ROWS:,} rows - split the export into shorter periods in Seller Center"
            )
        _keep(row, appenders, seen)
        numbers.append(number)
        if not skip_blank and not _is_blank_row(row):
            last_filled = len(numbers)
        notes.check(row, number)
        if progress and not len(numbers) & _PROGRESS_EVERY_MASK:
            progress(len(numbers))
    count = len(numbers) if skip_blank else last_filled
    for values in fields.values():
        del values[count:]  # (kept positions) blank rows at the bottom are not orders
    warnings += notes.out()
    skip = {header_no} | ({description} if description is not None else set())
    ids = [i for name, i in wanted if name in ID_FIELDS]
    sheet_rows = np.frombuffer(numbers, dtype=np.int64)[:count].copy()
    first_row = int(sheet_rows[0]) if count else header_no + 1 + (description is not None)
    consecutive = count == 0 or int(sheet_rows[-1]) - first_row == count - 1
    return Export(
        str(path),
        headers,
        FileRows(lambda: _data(reopen, skip, skip_blank=skip_blank, width=width, id_columns=ids), count),
        columns,
        first_row,
        sheet_name,
        description is not None,
        fields,
        None if consecutive else sheet_rows,
        warnings,
    )


def _letters(index: int) -> str:
    from .xlsx_cells import column_letters

    return column_letters(index)


def _data(
    reopen: Callable[[], Iterator[tuple[int, Row]]],
    skip: set[int],
    *,
    skip_blank: bool,
    width: int,
    id_columns: list[int],
) -> Iterator[Row]:
    """Rows as the seller sees them: TikTok's tabs stripped, long IDs as text, none wider than the header."""
    for number, cells in _body(reopen(), skip_blank=skip_blank):
        if number in skip:
            continue
        kept = cells[:width] if len(cells) > width else cells
        row = [v.rstrip("\t") if isinstance(v, str) else v for v in kept]  # _clean, inlined: every cell
        for i in id_columns:
            if i < len(row):
                row[i] = _as_id(row[i])
        yield row


#: Fewest two-byte pairs whose zero bytes can tell UTF-16 without a BOM, and the bytes looked at.
_UTF16_SAMPLE_PAIRS, _UTF16_SAMPLE_BYTES = 2, 4096
#: UTF-16 text of Latin letters has a zero byte in most pairs on one side (over 30%), almost none
#: (under 5%) on the other; which side tells little from big endian.
_ZEROS_MANY, _ZEROS_FEW = 0.3, 0.05


def _csv_encoding(path: Path, where: str) -> str:
    """The CSV's encoding, decided from the whole file.

    A BOM, UTF-16 (Excel's "Unicode Text"), UTF-8, else Windows-1252 (what Excel's plain "CSV"
    writes on a Western Windows).
    """
    with path.open("rb") as f:
        head = f.read(_UTF16_SAMPLE_BYTES)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        pairs = len(head) // 2
        if pairs >= _UTF16_SAMPLE_PAIRS:
            even, odd = head[0 : pairs * 2 : 2].count(0), head[1 : pairs * 2 : 2].count(0)
            if odd > _ZEROS_MANY * pairs and even < _ZEROS_FEW * pairs:
                return "utf-16-le"
            if even > _ZEROS_MANY * pairs and odd < _ZEROS_FEW * pairs:
                return "utf-16-be"
        for encoding in ("utf-8", "cp1252"):
            f.seek(0)
            decoder, offset = codecs.getincrementaldecoder(encoding)(), 0
            try:
                while chunk := f.read(_READ_CHUNK):
                    decoder.decode(chunk)
                    offset += len(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                failed = (offset + exc.start, exc.object[exc.start : exc.start + 1])
            else:
                return encoding
    raise ExportError(
        f"{where}: not text in UTF-8, UTF-16 or Windows-1252 (byte 0x{failed[1].hex().upper()} at "
        f'offset {failed[0]:,}) - save it from Excel as "CSV UTF-8"'
    )


def _csv_dialect(path: Path, where: str) -> tuple[str, str]:
    """The CSV's encoding and delimiter."""
    encoding = _csv_encoding(path, where)
    with path.open(encoding=encoding, newline="") as f:
        header_line = f.readline(_READ_CHUNK)
    # From the header line only: TikTok puts a tab after every time and ID in the rows below.
    return encoding, max((",", ";", "\t"), key=header_line.count)


def _csv_rows(path: Path, where: str) -> Callable[[], Iterator[tuple[int, Row]]]:
    """A way to walk the CSV's rows (record number, cells), in the file's own encoding and delimiter."""
    encoding, delimiter = _csv_dialect(path, where)
    if csv.field_size_limit() < CSV_CELL_LIMIT:
        csv.field_size_limit(CSV_CELL_LIMIT)

    def rows() -> Iterator[tuple[int, Row]]:
        number = 0
        with path.open(encoding=encoding, newline="") as f:
            reader = csv.reader(f, delimiter=delimiter)
            try:
                for number, row in enumerate(reader, start=1):
                    yield number, row
            except csv.Error as exc:
                raise ExportError(f"{where}, row {number + 1}: cannot be read ({exc})") from None
            except UnicodeDecodeError:
                raise ExportError(
                    f"{where}, row {number + 1}: not {encoding.upper()} text like the rows above - "
                    f'save it from Excel as "CSV UTF-8"'
                ) from None

    return rows


#: Every character ``str.isspace`` takes for white space: Rust's ``\\s`` and the four separators (a test checks).
_BLANK_CELL = r"^[\s\x1c-\x1f]*$"
_ROW_NUMBER = "__record"  # the CSV record number polars adds (the header is record 1)


def _scan_csv(path: Path, delimiter: str) -> pl.LazyFrame:
    """The CSV as polars reads it the csv module's way: every cell text, "" kept as "", each row numbered."""
    import polars as pl

    return pl.scan_csv(
        path,
        separator=delimiter,
        has_header=False,
        infer_schema=False,
        empty_string_is_null=False,
        quote_char='"',
        row_index_name=_ROW_NUMBER,
        row_index_offset=1,
    )


_forked_after_polars = False


def _note_fork() -> None:
    global _forked_after_polars  # noqa: PLW0603 - process state, set once in a forked child
    _forked_after_polars = _forked_after_polars or "polars" in sys.modules


os.register_at_fork(after_in_child=_note_fork)


def polars_usable() -> bool:
    """False in a child forked after polars was loaded, which then reads and writes row by row.

    polars' thread pool does not survive a fork: the child would wait on it forever.
    """
    return not _forked_after_polars


def _ends_with_newline(path: Path) -> bool:
    """True when the last row ends with a line break, as every writer's does.

    Without one, polars reads a quote left open or a cell too many in that row otherwise than the csv module.
    """
    with path.open("rb") as f:
        f.seek(0, os.SEEK_END)
        if not f.tell():
            return False
        f.seek(-1, os.SEEK_END)
        return f.read(1) == b"\n"


def _lone_cr(path: Path) -> bool:
    """Does the file break a line with a CR alone (old Mac files)? polars would read it as text."""
    carry = False
    with path.open("rb") as f:
        while chunk := f.read(_CR_SCAN_CHUNK):
            if carry and not chunk.startswith(b"\n"):
                return True
            carry = chunk.endswith(b"\r")  # its LF, if any, starts the next chunk
            if b"\r" in chunk and _LONE_CR.search(chunk, 0, len(chunk) - carry):  # (a file of LF lines: memchr only)
                return True
    return carry


#: Rows per Arrow file of a stored CSV (:class:`_Stored`): what one batch of the writer takes.
_PART_ROWS = 8192


class _Stored:
    """A query's rows kept in a temporary folder, as Arrow files (LZ4) of at most 8,192 rows each.

    The CSV is read once: the reader takes the columns the rules need from these files, the
    writer every column, a file at a time, in bounded memory (polars' own batch iterator runs
    the query ahead of its reader and holds every batch: a million rows, a gigabyte). The
    folder goes when the object does (or at exit).
    """

    def __init__(self, query: pl.LazyFrame) -> None:
        import polars as pl

        # (Windows refuses to delete a file polars still maps: left to the temp folder's own cleaning)
        self._folder = tempfile.TemporaryDirectory(prefix="autocancel-", ignore_cleanup_errors=True)
        query.sink_ipc(pl.PartitionBy(self._folder.name, max_rows_per_file=_PART_ROWS), compression="lz4")
        # polars names the files by number, in the rows' order, zero-padded
        self.files = sorted(Path(self._folder.name).iterdir(), key=lambda f: (len(f.name), f.name))

    def frames(self, columns: list[str] | None = None) -> Iterator[pl.DataFrame]:
        """The rows, a file at a time (``columns`` only, when given)."""
        import polars as pl

        for file in self.files:
            yield pl.read_ipc(file, columns=columns)


def _rebatched(frames: Iterator[pl.DataFrame], size: int, skip: int) -> Iterator[pl.DataFrame]:
    """The rows of ``frames`` from ``skip`` on, in DataFrames of ``size`` rows (the last shorter)."""
    import polars as pl

    buffer: pl.DataFrame | None = None
    for whole in frames:
        frame = whole
        if skip:
            cut = min(skip, len(frame))
            frame, skip = frame.slice(cut), skip - cut
        buffer = frame if buffer is None or not len(buffer) else pl.concat([buffer, frame], rechunk=False)
        while len(buffer) >= size:
            yield buffer.slice(0, size)
            buffer = buffer.slice(size)
    if buffer is not None and len(buffer):
        yield buffer


class CsvRows(FileRows):
    """A CSV export's data rows, read once by polars (in Rust) and kept in Arrow files (:class:`_Stored`).

    Held whole, a 1,048,575-row export of 58 columns takes over a gigabyte even in Arrow
    buffers; the rules read the columns they need once, and the writer streams the rest by
    :meth:`frames`, column-wise, in batches. Cells as ``read_export`` gives them: TikTok's
    trailing tab stripped, "" where a row is shorter than the header.
    """

    def __init__(self, stored: _Stored, names: list[str], numbers: np.ndarray, skip: int) -> None:
        def walk() -> Iterator[Row]:
            """The rows a stored file at a time: a sample of the first 300 reads one file, not 65,536 rows.

            A function of its own, not a bound method: that would make the rows refer to
            themselves, and keep the stored files on disk until a full collection.
            """
            frames = _rebatched(stored.frames(names), _PART_ROWS, skip)
            return (list(row) for frame in frames for row in frame.iter_rows())

        super().__init__(walk, len(numbers))
        self._stored, self._names, self._skip = stored, names, skip

    def frames(self, size: int = _BATCH_ROWS, skip: int = 0) -> Iterator[pl.DataFrame]:
        """The rows from ``skip`` on as DataFrames of ``size`` rows (the last shorter), a String column per header."""
        return _rebatched(self._stored.frames(self._names), size, self._skip + skip)


class _StoredColumn(Cells[object]):
    """A many-valued field of a stored CSV: its cells read from the stored files when first walked.

    They are kept while this object lives, and one is made per ask (:class:`_StoredFields`).

    Its date parts (:class:`~addin.core.dates.DateParts`) are cut by polars, in Rust: a million
    times hold a few hundred days, and Python never sees the times.
    """

    def __init__(self, read: Callable[[], pl.Series], count: int) -> None:
        self._read, self._count = read, count
        self._cells: list[object] | None = None

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> object: ...

    @overload
    def __getitem__(self, index: slice) -> list[object]: ...

    def __getitem__(self, index: int | slice) -> object:
        if isinstance(index, slice) and self._cells is None:  # a look at the first rows: only those made
            return self._read()[index].to_list()
        return self._walked()[index]

    def __iter__(self) -> Iterator[object]:
        return iter(self._walked())

    def _walked(self) -> list[object]:
        if self._cells is None:
            self._cells = self._read().to_list()
        return self._cells

    def distinct(self) -> tuple[list[object], npt.NDArray[np.int64]]:
        """Found by polars: a million order IDs in a third of the time of a dict."""
        unique, codes = _first_seen(self._read())
        return unique.to_list(), codes.astype(np.int64)

    def date_parts(self) -> Coded[object]:
        """Each cell's text before its first space, as :func:`~addin.core.dates.parse_dates` cuts it."""
        return _coded(self._read().str.splitn(" ", 2).struct.field("field_0"))


def _first_seen(column: pl.Series) -> tuple[pl.Series, npt.NDArray[np.unsignedinteger]]:
    """A String column's distinct values in first-seen order, and each cell's index among them."""
    unique = column.unique(maintain_order=True)
    index = unique.to_frame("v").with_row_index("i")
    found = column.to_frame("v").join(index, on="v", how="left", maintain_order="left", nulls_equal=True)
    return unique, found["i"].to_numpy()


def _coded(column: pl.Series) -> Coded[object]:
    """A String column as its distinct values (one str object each) and a code per cell.

    The codes take the fewest bytes that hold them: a held status field is 1 MB at a million rows, not 8.
    """
    unique, codes = _first_seen(column)
    return Coded(unique.to_list(), codes.astype(np.min_scalar_type(max(len(unique) - 1, 0))))


class _StoredFields(Mapping[str, Sequence[object]]):
    """The mapped fields of a stored CSV (:class:`_Stored`), as columns the core reads without a list.

    A field with few distinct values (statuses, countries, reasons) is held as its distinct values
    and a code per row (:class:`~addin.core.columns.Coded`: a million rows, 1 MB, not an 8 MB
    list). One with many (order IDs, times, package IDs: at a million rows about 50 MB each as
    Python text) is a :class:`_StoredColumn`, read again from the stored files each time it is
    asked for. Either way a list is only made when walked, so that what the rules have finished
    with does not stay in memory while the workbook is written. Each is asked for two or three
    times a refresh.
    """

    def __init__(self, stored: _Stored, columns: dict[str, int], *, skip: int, count: int) -> None:
        self._stored, self._columns, self._skip, self._count = stored, columns, skip, count
        #: A held field's distinct values and each row's code among them.
        self._held: dict[int, Coded[object]] = {}
        for i in sorted(set(columns.values())):
            column = self._column(i)
            # the estimate is a tenth of the exact count's time on a field of a million distinct IDs
            if cast("int", column.approx_n_unique()) * _FEW_DISTINCT <= len(column):
                self._held[i] = _coded(column)

    def _column(self, i: int) -> pl.Series:
        import polars as pl

        return pl.scan_ipc(self._stored.files).select(pl.col(str(i))).slice(self._skip).collect().to_series()

    def __getitem__(self, name: str) -> Sequence[object]:
        """The field, made when asked for: let go of by the reader once done with it."""
        i = self._columns[name]
        if i in self._held:
            return self._held[i]  # its cells are the same str objects each time
        return _StoredColumn(lambda: self._column(i), self._count)

    def __contains__(self, name: object) -> bool:  # Mapping's own would read the field to answer
        return name in self._columns

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


def _csv_by_columns(  # noqa: C901 - the reader's checks, each one line
    path: Path, where: str, edd_column: str | None, progress: Callable[[int], None] | None
) -> Export | None:
    """A UTF-8 CSV read column-wise by polars: the same Export as the row-by-row reader, faster.

    None when only that reader can say what the file holds: another encoding, a CR
    line break, no line break at the end, a header past column XFD, a row wider than the header, a cell of more bytes
    than Excel keeps characters,
    a quote polars reads otherwise than the csv module (it then refuses the file), an empty file,
    a file name polars cannot open (bytes that are not UTF-8).
    """
    if not polars_usable() or (
        not str(path).isascii() and os.fsencode(path) != str(path).encode("utf-8", "surrogatepass")
    ):
        return None
    encoding, delimiter = _csv_dialect(path, where)
    if encoding not in ("utf-8", "utf-8-sig") or not _ends_with_newline(path) or _lone_cr(path):
        return None
    import polars as pl

    try:
        scan = _scan_csv(path, delimiter)
        first = scan.head(1).collect()
        names = [n for n in first.columns if n != _ROW_NUMBER]
        if not len(first) or len(names) > MAX_COLUMNS:
            return None
        headers = [str(_clean(h) if h is not None else "").strip() for h in first.row(0)[1:]]
        columns = map_columns(headers, where, edd_column)
        used = sorted(set(columns.values()))
        number = pl.col(_ROW_NUMBER)
        cells = [pl.col(n).fill_null("") for n in names]
        # A row is blank when its cells joined are: one match a row, not one a cell (a million rows: a second).
        # Bytes are counted, not characters: a cell within Excel's characters but over as many bytes
        # (10,923 Thai or Chinese characters) leaves the file to the row reader, which gives the same export.
        query = scan.filter((number > 1) & ~pl.concat_str(cells).str.contains(_BLANK_CELL)).select(
            number,
            pl.max_horizontal(c.str.len_bytes() for c in cells).alias("__longest"),
            *(c.str.strip_chars_end("\t").alias(str(i)) for i, c in enumerate(cells)),
        )
        stored = _Stored(query)
        kept = pl.scan_ipc(stored.files)
        # polars types a column's max as any Python literal; a length column's is an int (None when empty)
        if (cast("int | None", kept.select(pl.col("__longest").max()).collect().item()) or 0) > MAX_CELL:
            return None
        numbers = kept.select(number.cast(pl.Int64)).collect().to_series().to_numpy()
        first_values = kept.select(pl.col(str(i)) for i in used).head(1).collect()
        description = None
        if len(numbers):
            row: Row = [""] * len(headers)
            for i in used:
                row[i] = first_values[str(i)][0]
            if _looks_like_description(row, columns):
                description = int(numbers[0])
                numbers = numbers[1:]
        fields = _StoredFields(stored, columns, skip=int(description is not None), count=len(numbers))
    except pl.exceptions.PolarsError:
        return None
    if len(numbers) and int(numbers[-1]) > MAX_ROWS:
        raise ExportError(
            f"{where}: more than Excel's {MAX_ROWS:,} rows - split the export into shorter periods in Seller Center"
        )
    if progress:
        progress(len(numbers))
    count = len(numbers)
    first_row = int(numbers[0]) if count else 2 + (description is not None)
    consecutive = count == 0 or int(numbers[-1]) - first_row == count - 1
    return Export(
        str(path),
        headers,
        CsvRows(stored, [str(i) for i in range(len(names))], numbers, int(description is not None)),
        columns,
        first_row,
        None,
        description is not None,
        fields,
        None if consecutive else numbers,
        [],
    )


def _book_rows(path: Path, sheet: str | None, where: str) -> tuple[Callable[[], Iterator[tuple[int, Row]]], str]:
    """A way to walk a sheet's rows (by default "Orders" if there is one, else the first)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from .xlsx_cells import Book, cell_rows, needs_cell_reader

        book = Book(str(path), where)
        try:
            names = list(book.sheets)
            chosen = _pick_sheet(names, sheet, where)
            part = book.sheets[chosen]
            by_cell = needs_cell_reader(book, part)
            book.bound_shared_strings()  # calamine reads them whole
        finally:
            book.close()
        if by_cell:

            def cells() -> Iterator[tuple[int, Row]]:
                opened = Book(str(path), where)
                try:
                    yield from cell_rows(opened, part)
                finally:
                    opened.close()

            return cells, chosen
    elif suffix in (".xlsb", ".ods"):
        from .xlsx_cells import MAX_PART_BYTES

        with zipfile.ZipFile(path) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_PART_BYTES:
                raise ExportError(f"{where}: inflates to over {MAX_PART_BYTES >> 30} GiB - not a usable export")
    from python_calamine import CalamineWorkbook

    if suffix not in (".xlsx", ".xlsm"):  # an xlsx's sheet is picked above; opening costs a parse
        chosen = _pick_sheet(CalamineWorkbook.from_path(str(path)).sheet_names, sheet, where)

    def rows() -> Iterator[tuple[int, Row]]:
        book = CalamineWorkbook.from_path(str(path))
        yield from enumerate(book.get_sheet_by_name(chosen).iter_rows(), start=1)

    return rows, chosen


def _pick_sheet(names: list[str], sheet: str | None, where: str) -> str:
    if sheet is None:
        sheet = next((n for n in names if n.strip().lower() == "orders"), names[0] if names else None)
    if sheet not in names:
        raise ExportError(f"{where}: no sheet {sheet!r} (sheets: {', '.join(names)})")
    return sheet
