"""The Orders sheet's data rows as worksheet XML, streamed into the workbook xlsxwriter wrote.

xlsxwriter spends about 3 µs per cell (argument checks, a cell tuple, a row buffer, generic XML
helpers); a 100,000-row export has 6 million cells. Here xlsxwriter writes everything else
(styles, the Table, conditional formats, widths, panes, the other sheets, and the Orders header
row), and :func:`write_with_rows` copies its package into the output, the Orders worksheet with
its data rows added inside ``<sheetData>`` from a tight loop. The cells are the XML xlsxwriter
itself writes in constant_memory mode (a test compares the two byte for byte):

- text as inline strings (``t="inlineStr"``), never a formula: control characters as ``_xHHHH_``
  (a literal ``_xHHHH_`` as ``_x005F_xHHHH_``), ``& < >`` escaped, ``xml:space="preserve"`` for
  leading or trailing white space, cut to Excel's 32,767 UTF-16 units;
- numbers as ``<v>`` (``%.16G``), dates as Excel serial numbers with their column's style,
  booleans as ``t="b"``, NaN/inf as the error cells ``nan_inf_to_errors`` writes;
- empty cells left out unless their column has a style (a styled blank, as ``write_blank``).

One deliberate difference: xlsxwriter writes a string that starts with ``<r>`` and ends with
``</r>`` as raw rich-text XML; text from an export is always escaped here.

Memory stays flat: rows are turned into XML in chunks and compressed by a second thread
(the deflater releases the GIL) while the next chunk is built, through a small bounded queue.
The Orders sheet is deflated with ISA-L at level 1 (:data:`DEFLATE`): on 277 MB of Orders XML
(100,000 rows) 0.36 s of CPU for 41.7 MB against zlib level 6's 4.1 s for 34.5 MB (zlib-ng
level 6: 2.8 s, 34.0 MB; level 1: 0.64 s, 53.2 MB) - the file is a fifth larger, the deflate
eleven times faster, and at a million rows the deflate was the slowest stage.
"""

from __future__ import annotations

import datetime as dt
import queue
import re
import sys
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from math import inf, isinf, isnan
from pathlib import Path

from xlsxwriter.utility import xl_col_to_name

try:  # ISA-L's deflate: same format, an order of magnitude faster than zlib (module docstring)
    from isal import isal_zlib as _deflate_module

    DEFLATE = ("isal", 1)
except ImportError:  # pragma: no cover - a machine without the wheel keeps zlib's default
    import zlib as _deflate_module

    DEFLATE = ("zlib", 6)

XLS_STRMAX = 32767  # Excel's limit on a cell's text, in UTF-16 code units
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_ESCAPED_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_EPOCH = dt.datetime(1899, 12, 31)
_CACHE_MAX = 10_000  # entries per value cache: repeated values (dates, amounts, risks) hit it
ROWS_PER_CHUNK = 250
PROGRESS_EVERY = 10_000


# -- one cell -----------------------------------------------------------------------------------
def utf16_truncate(text: str, max_len: int = XLS_STRMAX) -> str:
    """``text`` cut to ``max_len`` UTF-16 units, never inside a character above U+FFFF."""
    if len(text) <= max_len // 2 or len(text.encode("utf-16-le", "surrogatepass")) // 2 <= max_len:
        return text
    length = 0
    for index, char in enumerate(text):
        length += 2 if ord(char) > 0xFFFF else 1
        if length > max_len:
            return text[:index]
    return text


def escape_control(text: str) -> str:
    """Control characters other than tab and newline as ``_xHHHH_`` (Excel's own escape)."""
    text = _ESCAPED_ESCAPE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")


def text_tail(text: str, style: str = "") -> str:
    """The rest of a ``<c r="A1`` element (from the quote) holding ``text`` as an inline string."""
    text = escape_control(utf16_truncate(text))
    preserve = ' xml:space="preserve"' if text and (text[0].isspace() or text[-1].isspace()) else ""
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'"{style} t="inlineStr"><is><t{preserve}>{text}</t></is></c>'


def excel_serial(value: dt.datetime) -> float:
    """A naive datetime as an Excel (1900 system) serial number, exactly as xlsxwriter computes it."""
    delta = value - _EPOCH
    serial = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / (60 * 60 * 24)
    if value.isocalendar() == (1900, 1, 1):
        serial -= 1
    if serial > 59:  # Excel's 29 Feb 1900
        serial += 1
    return serial


def _number_tail(number, style: str) -> str:
    if isnan(number):
        return f'"{style} t="e"><f>#NUM!</f><v>#NUM!</v></c>'
    if isinf(number):
        return f'"{style} t="e"><f>{"1/0" if number == inf else "-1/0"}</f><v>#DIV/0!</v></c>'
    return f'"{style}><v>{number:.16G}</v></c>'


def cell_tail(value, style: str = "") -> str:
    """The rest of ``<c r="A1`` (from the quote) for one value, as ``xlsx_new._write`` has
    xlsxwriter write it.

    ``style`` is ``' s="N"'`` or ""; "" is returned for a cell not written at all.
    """
    if value is None or (isinstance(value, str) and value == ""):
        return f'"{style}/>' if style else ""
    if isinstance(value, str):
        return text_tail(value, style)
    if isinstance(value, bool):
        return f'"{style} t="b"><v>{1 if value else 0}</v></c>'
    if isinstance(value, dt.datetime):
        return _number_tail(excel_serial(value.replace(tzinfo=None)), style)
    if isinstance(value, dt.date):
        return _number_tail(excel_serial(dt.datetime(value.year, value.month, value.day)), style)
    return _number_tail(value if isinstance(value, int) else float(value), style)


def formula_tail(formula: str, style: str = "") -> str:
    """A formula cell with an empty cached value (``write_formula(..., value="")``)."""
    formula = formula.removeprefix("=")
    formula = formula.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'"{style}><f>{formula}</f><v></v></c>'


# -- the rows -----------------------------------------------------------------------------------
def _cached(cache: dict, value, make: Callable) -> str:
    try:
        tail = cache.get(value)
    except TypeError:  # unhashable: not cached
        return make(value)
    if tail is None:
        tail = make(value)
        if type(value) is not bool:  # True == 1 in a dict
            if len(cache) >= _CACHE_MAX:
                cache.clear()
            cache[value] = tail
    return tail


#: Every character ``str.isspace`` and the regex ``\\s`` take for white space, but the space
#: (a test checks the list against this Python's Unicode tables).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: Text that needs the careful path: control characters (escaped as _xHHHH_), a literal "_x",
#: Unicode non-characters, and white space other than the space (it may need xml:space).
_HARD = re.compile("[\x01-\x08\x0b-\x1f\ufffe\uffff" + WHITESPACE + "]|_x")
_TEXT_OPEN, _TEXT_CLOSE = '" t="inlineStr"><is><t>', "</t></is></c>"


def _text(v: str, style: str) -> str:
    """The rest of ``<c r="A1`` for a text cell ("" for an empty one without a style)."""
    if not v:
        return f'"{style}/>' if style else ""
    if not style and len(v) < 16000 and v[0] != " " and v[-1] != " " and not _HARD.search(v):
        if "&" in v or "<" in v or ">" in v:
            v = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f"{_TEXT_OPEN}{v}{_TEXT_CLOSE}"
    return text_tail(v, style)


def rows_xml(
    rows: Iterable[Sequence],
    styles: Sequence[str],
    *,
    first_row: int = 2,
    total: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    rows_per_chunk: int = ROWS_PER_CHUNK,
) -> Iterator[str]:
    """``<row>`` elements for the Orders block's ``rows`` (sheet row ``first_row`` on), each
    column's cells with its style (``' s="N"'`` or ""), in chunks of ``rows_per_chunk`` rows."""
    from .orders_block import Formula

    pre = [f'<c r="{xl_col_to_name(c)}' for c in range(len(styles))]
    caches: list[dict] = [{} for _ in styles]
    columns = list(zip(pre, styles, caches))
    out: list[str] = []
    append = out.append
    done = 0
    for i, row in enumerate(rows):
        rs = str(first_row + i)
        append(f'<row r="{rs}">')
        for (p, style, cache), v in zip(columns, row):
            t = type(v)
            if t is str:
                tail = cache.get(v)
                if tail is None:
                    tail = _text(v, style)
                    if len(cache) >= _CACHE_MAX:
                        cache.clear()
                    cache[v] = tail
                if tail:
                    append(f"{p}{rs}{tail}")
            elif v is None:
                if style:
                    append(f'{p}{rs}"{style}/>')
            elif t is Formula:
                append(f"{p}{rs}{formula_tail(v, style)}")
            elif t is float and v == 0:  # -0.0 == 0 in a dict, not in the XML
                append(f"{p}{rs}{cell_tail(v, style)}")
            else:
                try:
                    tail = cache[v]
                except (KeyError, TypeError):
                    tail = _cached(cache, v, lambda x, s=style: cell_tail(x, s))
                append(f"{p}{rs}{tail}")
        append("</row>")
        done += 1
        if done % rows_per_chunk == 0:
            yield "".join(out)
            out.clear()
            if progress is not None and done % PROGRESS_EVERY < rows_per_chunk:
                progress(done, total if total is not None else done)
    if out:
        yield "".join(out)
    if progress is not None:
        progress(done, total if total is not None else done)


# -- the package --------------------------------------------------------------------------------


class _Compressor:
    """Writes byte chunks to an open zip entry from a second thread (the deflater releases the GIL)."""

    def __init__(self, sink, depth: int = 3) -> None:
        self.sink, self.error = sink, None
        self.queue: queue.Queue = queue.Queue(depth)
        self.thread = threading.Thread(target=self._run, name="xlsx-deflate", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            chunk = self.queue.get()
            if chunk is None:
                return
            if self.error is None:
                try:
                    self.sink.write(chunk)
                except BaseException as exc:  # noqa: BLE001 - handed to the producing thread
                    self.error = exc

    def write(self, chunk: bytes) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(chunk)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


def write_with_rows(
    package, output: Path, sheet_entry: str, make_rows: Callable[[], Iterator[str]], *, expected_rows: int = 0
) -> None:
    """Copy the xlsx ``package`` (a path or file object) to ``output``, the XML chunks of
    ``make_rows()`` appended to the ``<sheetData>`` of ``sheet_entry``.

    ZIP64 is used when the worksheet may pass 2 GiB (estimated from its first chunk); should an
    estimate fall short, the package is written again with ZIP64 (``make_rows`` is called again).
    """
    try:
        _write_package(package, output, sheet_entry, make_rows, expected_rows, zip64=None)
    except _NeedsZip64:
        _write_package(package, output, sheet_entry, make_rows, expected_rows, zip64=True)


class _NeedsZip64(Exception):
    pass


def _write_package(
    package,
    output: Path,
    sheet_entry: str,
    make_rows: Callable[[], Iterator[str]],
    expected_rows: int,
    zip64: bool | None,
) -> None:
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        if sheet_entry not in names:
            raise ValueError(f"{sheet_entry} is not in the workbook xlsxwriter wrote")
        for info in src.infolist():
            if info.filename != sheet_entry:
                dst.writestr(_copy_info(info), src.read(info))
                continue
            xml = src.read(info).decode("utf-8")
            cut = xml.find("</sheetData>")
            if cut < 0:
                raise ValueError(f"{sheet_entry}: no <sheetData> rows to add to")
            head, tail = xml[:cut].encode("utf-8"), xml[cut:].encode("utf-8")
            chunks = make_rows()
            first = next(chunks, "").encode("utf-8")
            if zip64 is None:
                per_row = len(first) / max(1, min(expected_rows, ROWS_PER_CHUNK))
                zip64 = len(head) + len(tail) + per_row * expected_rows * 1.25 > zipfile.ZIP64_LIMIT * 0.75
            switch = sys.getswitchinterval()
            # The deflating thread takes the GIL back several times per chunk; at the default
            # 5 ms interval it then waits on the row-building thread and becomes the bottleneck.
            sys.setswitchinterval(min(switch, 0.0001))
            try:
                with dst.open(_copy_info(info), "w", force_zip64=zip64) as sink:
                    if hasattr(sink, "_compressor"):  # zipfile's own deflater, swapped for DEFLATE's
                        sink._compressor = _deflate_module.compressobj(DEFLATE[1], _deflate_module.DEFLATED, -15)
                    pipe = _Compressor(sink)
                    try:
                        pipe.write(head)
                        pipe.write(first)
                        del first
                        for chunk in chunks:
                            pipe.write(chunk.encode("utf-8"))
                        pipe.write(tail)
                    finally:
                        pipe.close()
            except RuntimeError as exc:  # zipfile: "File size too large, try using force_zip64"
                if not zip64 and "force_zip64" in str(exc):
                    raise _NeedsZip64() from exc
                raise
            finally:
                sys.setswitchinterval(switch)


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(info.filename, info.date_time)
    new.compress_type = info.compress_type
    new.external_attr = info.external_attr
    new.create_system = info.create_system
    return new


__all__ = ["cell_tail", "excel_serial", "rows_xml", "text_tail", "write_with_rows"]
