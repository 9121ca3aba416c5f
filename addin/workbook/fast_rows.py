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
import zlib
from math import inf, isinf, isnan
from typing import IO, TYPE_CHECKING, Any, SupportsFloat, cast

from xlsxwriter.utility import xl_col_to_name

from .ahead import made_ahead

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from pathlib import Path
    from types import ModuleType

    import polars as pl

_deflate_module: ModuleType
try:  # ISA-L's deflate: same format, an order of magnitude faster than zlib (module docstring)
    from isal import isal_zlib

    _deflate_module = isal_zlib
    DEFLATE = ("isal", 1)
except ImportError:  # pragma: no cover - a machine without the wheel keeps zlib's default
    _deflate_module = zlib
    DEFLATE = ("zlib", 6)

XLS_STRMAX = 32767  # Excel's limit on a cell's text, in UTF-16 code units
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_ESCAPED_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_EPOCH = dt.datetime(1899, 12, 31)
_CACHE_MAX = 10_000  # entries per value cache: repeated values (dates, amounts, risks) hit it
ROWS_PER_CHUNK = 250
PROGRESS_EVERY = 10_000
#: Batches of rows built at once, each in a thread of its own (:func:`block_xml`).
BUILDERS = 2
_BMP_MAX = 0xFFFF  # the last code point in one UTF-16 unit; those above take a surrogate pair
_EXCEL_FAKE_LEAP_DAY = 59  # serial of 28 Feb 1900: Excel counts a 29 Feb 1900 after it
_SHORT_TEXT = 16000  # text shorter than this cannot reach XLS_STRMAX UTF-16 units (at most 2 each)


# -- one cell -----------------------------------------------------------------------------------
def utf16_truncate(text: str, max_len: int = XLS_STRMAX) -> str:
    """``text`` cut to ``max_len`` UTF-16 units, never inside a character above U+FFFF."""
    if len(text) <= max_len // 2 or len(text.encode("utf-16-le", "surrogatepass")) // 2 <= max_len:
        return text
    length = 0
    for index, char in enumerate(text):
        length += 2 if ord(char) > _BMP_MAX else 1
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
    if serial > _EXCEL_FAKE_LEAP_DAY:
        serial += 1
    return serial


def _number_tail(number: float, style: str) -> str:
    if isnan(number):
        return f'"{style} t="e"><f>#NUM!</f><v>#NUM!</v></c>'
    if isinf(number):
        return f'"{style} t="e"><f>{"1/0" if number == inf else "-1/0"}</f><v>#DIV/0!</v></c>'
    return f'"{style}><v>{number:.16G}</v></c>'


def cell_tail(value: object, style: str = "") -> str:
    """The rest of ``<c r="A1`` (from the quote) for one value, as ``xlsx_new._write`` has xlsxwriter write it.

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
    # Any other value is a number (int, float, numpy's, Decimal): float() takes it or says why not.
    return _number_tail(value if isinstance(value, int) else float(cast("SupportsFloat", value)), style)


def formula_tail(formula: str, style: str = "") -> str:
    """A formula cell with an empty cached value (``write_formula(..., value="")``)."""
    formula = formula.removeprefix("=")
    formula = formula.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'"{style}><f>{formula}</f><v></v></c>'


# -- the rows -----------------------------------------------------------------------------------
def _cached(cache: dict[object, str], value: object, style: str) -> str:
    try:
        tail = cache.get(value)
    except TypeError:  # unhashable: not cached
        return cell_tail(value, style)
    if tail is None:
        tail = cell_tail(value, style)
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
    if not style and len(v) < _SHORT_TEXT and v[0] != " " and v[-1] != " " and not _HARD.search(v):
        if "&" in v or "<" in v or ">" in v:
            v = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f"{_TEXT_OPEN}{v}{_TEXT_CLOSE}"
    return text_tail(v, style)


def rows_xml(  # noqa: C901, PLR0912, PLR0913 - the public signature; the per-cell dispatch is inlined (hot loop)
    rows: Iterable[Sequence[Any]],
    styles: Sequence[str],
    *,
    first_row: int = 2,
    total: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    rows_per_chunk: int = ROWS_PER_CHUNK,
) -> Iterator[str]:
    """``<row>`` elements for the Orders block's ``rows`` (sheet row ``first_row`` on), in chunks.

    Each column's cells have its style (``' s="N"'`` or ""); a chunk is ``rows_per_chunk`` rows.
    """
    from .orders_block import Formula

    pre = [f'<c r="{xl_col_to_name(c)}' for c in range(len(styles))]
    caches: list[dict[object, str]] = [{} for _ in styles]
    columns = list(zip(pre, styles, caches, strict=True))
    out: list[str] = []
    append = out.append
    done = 0
    for i, row in enumerate(rows):
        rs = str(first_row + i)
        append(f'<row r="{rs}">')
        for (p, style, cache), v in zip(columns, row, strict=False):  # a short row: its cells
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
                    tail = _cached(cache, v, style)
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


# -- the rows, column-wise ------------------------------------------------------------------------
def cell_of(value: object, style: str) -> str:
    """What :func:`rows_xml` writes after ``<c r="A1`` for one value ("" for no cell)."""
    if type(value) is str:
        return _text(value, style)
    if value is None:
        return f'"{style}/>' if style else ""
    from .orders_block import Formula

    if type(value) is Formula:
        return formula_tail(value, style)
    return cell_tail(value, style)


#: A TikTok time as ``orders_block.parse_time`` reads it, ASCII digits only (anything else is left
#: to that function): day or month, month or day, year, then hour, minute, second, AM/PM.
_TIME_PARTS = (
    r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})"
    r"(?:[ T]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?\s*([AaPp][Mm])?)?$"
)
#: The shape TikTok writes its times in, which :func:`_serials` cuts without a regex's groups.
_TIKTOK_TIME = r"^[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{1,2}:[0-9]{2}:[0-9]{2}( [AaPp][Mm])?$"
_LEAP_DAYS_TO_1899 = 1899 // 4 - 1899 // 100 + 1899 // 400
_FEBRUARY = 2
_FIRST_YEAR = 1901  # an earlier year is left to ``orders_block.parse_time`` (Excel's 1900 quirks)
_LAST_HOUR, _LAST_MINUTE, _LAST_SECOND = 23, 59, 59  # a 24-hour clock's largest parts
#: ``_printed``: polars' shortest float text is ``%.16G``'s for serials with at most this many
#: significant digits in [_SURE_FROM, _SURE_TO) (1927-05-18 to 2079-06-06): see its docstring.
_SURE_DIGITS, _SURE_FROM, _SURE_TO = 16, 10_000, 65_536
_HALF = 5  # a last digit that rounds neither way for sure (``_printed``)
#: :data:`_HARD`, or a space at either end (Python's and Rust's regex read the class alike).
_HARD_OR_SPACE_AT_AN_END = "^ | $|" + _HARD.pattern


class ColumnCells:
    """How one Orders column's cells are made for a batch of rows without a Python call per cell.

    Polars expressions write the cells they can, then :func:`cell_of` the few they cannot; a
    batch costs three polars queries whatever the number of columns (:func:`block_xml`).

    ``kind``: "text" (an export column written as it is, no style), "time" (TikTok times, that
    ``ExportColumn.convert`` turns into date-times), "value" (any other export column: each
    distinct value once through ``convert`` and :func:`cell_of`), "ours" (a computed column,
    ``values`` per export row, each distinct one through ``convert``) or "ours_text" (the Row key).
    """

    def __init__(  # noqa: PLR0913 - one column's whole description, by keyword
        self,
        kind: str,
        style: str,
        *,
        index: int = -1,
        convert: Callable[[Any], object] | None = None,
        day_first: bool = False,
        values: Sequence[object] | None = None,
    ) -> None:
        self.kind, self.style, self.index, self.convert, self.day_first = kind, style, index, convert, day_first
        self.values: Sequence[object] = values if values is not None else ()  # "ours", "ours_text" only
        self.key = f"__ours{id(self)}"  # the column it is added to a batch as ("ours", "ours_text")
        self._cache: dict[str, str] = {}  # value -> cell, across batches (amounts, statuses repeat)
        self._stages: dict[tuple[str, object], list[dict[str, pl.Expr]]] = {}  # by batch shape (tails)
        if kind == "ours":
            import numpy as np
            import polars as pl

            array = np.asarray(values)
            if array.dtype.kind in "Mmfiu":
                unique, codes = np.unique(array, return_inverse=True)
                distinct_values = unique.tolist() if array.dtype.kind in "fiu" else list(unique)
            else:
                from ..core.columns import distinct

                distinct_values, codes = distinct(array.tolist())
            convert = convert or (lambda v: v)
            self._codes = codes.astype("int32")  # each row's index into _tails (a million rows: 4 MB)
            self._tails = pl.Series([cell_of(convert(v), style) for v in distinct_values], dtype=pl.String)

    def added(self, start: int, stop: int) -> pl.Series | None:
        """The column this one adds to the batch of rows ``start:stop`` (named ``key``), if any."""
        import polars as pl

        if self.kind == "ours":
            return self._tails.gather(pl.Series(self._codes[start:stop])).alias(self.key)
        if self.kind == "ours_text":
            if isinstance(self.values, pl.Series):
                return self.values.slice(start, stop - start).alias(self.key)
            return pl.Series(self.key, self.values[start:stop], dtype=pl.String)
        return None

    def probe(self) -> pl.Expr | None:
        """What :meth:`tails` needs to know of the batch first: its distinct values, or its times' shape."""
        import polars as pl

        if self.kind == "value":
            return pl.nth(self.index).unique().implode()
        if self.kind == "time":
            return _tiktok_shaped(pl.nth(self.index).str.strip_chars())
        if self.kind in ("text", "ours_text") and not self.style:
            v = self._text_column()
            return pl.struct(plain=(_easy(v) & (v != "")).all(), special=v.str.contains("[&<>]").any())
        return None

    def _text_column(self) -> pl.Expr:
        import polars as pl

        return pl.col(self.key) if self.kind == "ours_text" else pl.nth(self.index)

    @staticmethod
    def plain(probed: Any) -> bool:  # noqa: ANN401 - what probe() gave, by kind
        """Every cell of the batch is easy text (:meth:`tails` gives only its escaped text)."""
        return isinstance(probed, dict) and bool(probed["plain"])

    def tails(self, name: str, probed: Any) -> list[dict[str, pl.Expr]]:  # noqa: ANN401 - what probe() gave, by kind
        """The expressions of the tails (what follows ``<c r="A1``, "" for no cell, null for Python to write).

        In stages (each a ``with_columns`` over the batch, the last a ``select``), so that a part is
        computed once, not once per use. A "time" column also selects its serials as
        ``name + "s"`` (:meth:`finish` prints those polars cannot).
        """
        import polars as pl

        if self.kind != "value":  # the same expressions for every batch of the same shape: built once
            shape = (name, tuple(probed.values()) if isinstance(probed, dict) else probed)
            if shape not in self._stages:
                self._stages[shape] = self._new_tails(name, probed)
            return self._stages[shape]
        unique = cast("list[str]", probed)
        # each cell's index among the batch's distinct values (an Enum's codes), then that value's tail
        codes = pl.nth(self.index).cast(pl.Enum(unique)).to_physical()
        return [{name: pl.lit(pl.Series(self._tails_of(unique), dtype=pl.String)).gather(codes)}]

    def _new_tails(self, name: str, probed: Any) -> list[dict[str, pl.Expr]]:  # noqa: ANN401 - what probe() gave, by kind
        import polars as pl

        if self.kind == "ours":
            return [{name: pl.col(self.key)}]
        if self.kind in ("text", "ours_text"):
            v, special = self._text_column(), not isinstance(probed, dict) or bool(probed["special"])
            return [
                {name: xml_escaped(v) if special else v}
                if self.plain(probed)
                else {name: _text_cells(v, self.style, special=special)}
            ]
        column = pl.nth(self.index)
        if self.kind == "time":
            stages = _serial_stages(column.str.strip_chars(), name, day_first=self.day_first, tiktok=bool(probed))
            serial, text = pl.col(name + "s"), pl.col(name + "p")
            blank = pl.lit(f'"{self.style}/>' if self.style else "")
            number = pl.concat_str(pl.lit(f'"{self.style}><v>'), pl.col(name + "q"), pl.lit("</v></c>"))
            printed = pl.when(column == "").then(blank).otherwise(number)
            return [
                *stages,
                {name + "p": _shortest(serial)},
                {name + "q": _printed(serial, text)},
                {name: printed, name + "s": serial},
            ]
        raise ValueError(f"no such kind of column: {self.kind!r}")

    def finish(self, tails: pl.DataFrame, name: str, frame: pl.DataFrame) -> pl.Series:
        """The batch's tails with those the expressions left null written by Python."""
        import polars as pl

        cells = tails[name]
        missing = cells.is_null().arg_true()
        if self.kind == "time":
            serials = tails[name + "s"].gather(missing)
            printed = serials.is_not_null().arg_true()
            if len(printed):  # a serial polars does not print as %.16G does
                texts = [f'"{self.style}><v>{x:.16G}</v></c>' for x in serials.gather(printed).to_list()]
                cells = cells.scatter(missing.gather(printed), pl.Series(texts, dtype=pl.String))
            missing = missing.gather(serials.is_null().arg_true())  # no serial: parse_time decides
            if len(missing):
                cells = cells.scatter(missing, self._by_value(frame.to_series(self.index).gather(missing)))
            return cells
        values = frame[self.key] if self.kind == "ours_text" else frame.to_series(self.index)
        return cells.scatter(missing, [_text(x, self.style) for x in values.gather(missing).to_list()])

    def _one(self, value: str) -> str:
        """One export cell as ``orders_block.build`` gives it and :func:`rows_xml` writes it."""
        if value == "":
            return cell_of(None, self.style)
        return cell_of(self.convert(value) if self.convert is not None else value, self.style)

    def _by_value(self, column: pl.Series) -> pl.Series:
        import polars as pl

        unique = column.unique().to_list()
        return column.replace_strict(unique, self._tails_of(unique), return_dtype=pl.String)

    def _tails_of(self, unique: list[str]) -> list[str]:
        """The tails of distinct export cells, each made once across batches (amounts, statuses repeat).

        Two batches are built at once (:func:`block_xml`): what one thread clears of the cache the
        other makes again, never reads missing.
        """
        cache = self._cache
        if len(cache) > _CACHE_MAX:
            cache.clear()
        tails = list(map(cache.get, unique))
        for i, (v, tail) in enumerate(zip(unique, tails, strict=True)):
            if tail is None:
                tails[i] = cache[v] = self._one(v)
        return cast("list[str]", tails)


def _tiktok_shaped(t: pl.Expr) -> pl.Expr:
    """Every stripped text ``t`` is TikTok's own time shape or empty: :func:`_serial_stages` may cut at fixed places."""
    return (t.str.contains(_TIKTOK_TIME) | (t == "")).all()


def _serial_stages(t: pl.Expr, name: str, *, day_first: bool, tiktok: bool) -> list[dict[str, pl.Expr]]:
    """TikTok times' Excel serials (``name + "s"``), as :func:`excel_serial` computes them, operation for operation.

    ``t``: the stripped texts. Null where ``orders_block.parse_time`` must look: another form, a
    year before 1901, no real time. ``tiktok``: every text is TikTok's own shape
    ("11/20/2025 7:44:26 AM") or empty, cut at fixed places without a regex's groups. Stages as
    :meth:`ColumnCells.tails` gives them; the parts are columns ``name + "_a"``, ``name + "_b"``...
    """
    import polars as pl

    text = pl.col(name + "_t")
    if tiktok:
        n, pm = pl.col(name + "_n"), pl.col(name + "_pm")
        end = pl.col(name + "_end")  # after the seconds
        parts = {
            "a": text.str.slice(0, 2).cast(pl.Int32, strict=False),
            "b": text.str.slice(3, 2).cast(pl.Int32, strict=False),
            "year": text.str.slice(6, 4).cast(pl.Int32, strict=False),
            "hour": text.str.slice(11, end - 17).cast(pl.Int32, strict=False),
            "minute": text.str.slice(end - 5, 2).cast(pl.Int32, strict=False),
            "second": text.str.slice(end - 2, 2).cast(pl.Int32, strict=False),
            "ampm": pl.when(pm).then(text.str.slice(n - 2, 2).str.to_lowercase()),
        }
        first = [
            {name + "_t": t},
            {name + "_n": text.str.len_chars(), name + "_pm": text.str.ends_with("M") | text.str.ends_with("m")},
            {name + "_end": pl.when(pm).then(n - 3).otherwise(n)},
            {f"{name}_{k}": x for k, x in parts.items()},
        ]
    else:
        groups = pl.col(name + "_g")
        first = [
            {name + "_t": t},
            {name + "_g": text.str.extract_groups(_TIME_PARTS)},
            {f"{name}_{k}": groups.struct.field(g).cast(pl.Int32) for k, g in (("a", "1"), ("b", "2"), ("year", "3"))}
            | {
                f"{name}_{k}": groups.struct.field(g).cast(pl.Int32).fill_null(0)
                for k, g in zip(("hour", "minute", "second"), "456", strict=True)
            }
            | {name + "_ampm": groups.struct.field("7").str.to_lowercase()},
        ]
    a, b, year, hour, minute, second, ampm = (
        pl.col(f"{name}_{k}") for k in ("a", "b", "year", "hour", "minute", "second", "ampm")
    )
    day, month = (a, b) if day_first else (b, a)
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_days = (
        pl.when(month == _FEBRUARY)
        .then(pl.when(leap).then(29).otherwise(28))
        .when(month.is_in([4, 6, 9, 11]))
        .then(30)
        .otherwise(31)
    )
    ok = (
        a.is_not_null()
        & (year >= _FIRST_YEAR)
        & month.is_between(1, 12)
        & day.is_between(1, month_days)
        & pl.when(ampm.is_not_null()).then(hour.is_between(1, 12)).otherwise(hour <= _LAST_HOUR)
        & (minute <= _LAST_MINUTE)
        & (second <= _LAST_SECOND)
    ).fill_null(value=False)
    hour24 = pl.when(ampm == "pm").then(hour % 12 + 12).when(ampm == "am").then(hour % 12).otherwise(hour)
    # Days since 1899-12-31 by the calendar's arithmetic (an invalid date, null by ``ok``, never
    # reaches a date constructor): 365 a year, the leap days before ``year``, the months before.
    last = year - 1
    days = (year - 1900) * 365 + last // 4 - last // 100 + last // 400 - _LEAP_DAYS_TO_1899
    leap_day = pl.when((month > _FEBRUARY) & leap).then(1).otherwise(0)
    cumulative = (month * 367 - 362) // 12 - pl.when(month > _FEBRUARY).then(2).otherwise(0) + leap_day
    seconds = (hour24 * 3600 + minute * 60 + second).cast(pl.Float64)
    raw = pl.col(name + "_raw")
    return [
        *first,
        {name + "_raw": (days + cumulative + day).cast(pl.Float64) + seconds / 86400.0, name + "_ok": ok},
        {
            name + "s": pl.when(pl.col(name + "_ok")).then(
                pl.when(raw > _EXCEL_FAKE_LEAP_DAY).then(raw + 1.0).otherwise(raw)
            )
        },
    ]


def _shortest(serial: pl.Expr) -> pl.Expr:
    """The shortest text that reads back as ``serial``, as polars prints it, without its ".0"."""
    import polars as pl

    return serial.cast(pl.String).str.strip_suffix(".0")


def _printed(serial: pl.Expr, text: pl.Expr) -> pl.Expr:
    """``serial`` (Float64) as xlsxwriter prints it, ``%.16G``, from ``text``, its :func:`_shortest`; null for Python.

    For 10,000 <= serial < 65,536 (1927-05-18 to 2079-06-06): a shortest text of at most 16
    significant digits is the 16-digit rounding too (half a float's spacing there is under half
    of the 16th digit's). One of 17 digits (about a quarter of times) is the exact value rounded
    to 17 digits, so its 17th digit says how to round to 16, unless it is a 5 (the exact value
    may then lie on either side of the half): those, and serials out of the range, are printed
    by Python.
    """
    import polars as pl

    in_range = (serial >= _SURE_FROM) & (serial < _SURE_TO)  # five digits before the point
    length = text.str.len_bytes()
    seventeen = text.str.replace(".", "", literal=True).cast(pl.Int64, strict=False)
    last = seventeen % 10
    sixteen = (seventeen // 10 + (last > _HALF).cast(pl.Int64)).cast(pl.String)
    rounded = pl.concat_str(sixteen.str.slice(0, 5), pl.lit("."), sixteen.str.slice(5))
    rounded = rounded.str.strip_chars_end("0").str.strip_chars_end(".")
    return (
        pl.when(in_range & (length <= _SURE_DIGITS + 1))
        .then(text)
        .when(in_range & (length == _SURE_DIGITS + 2) & (last != _HALF))
        .then(rounded)
    )


def time_serials(column: pl.Series, *, day_first: bool) -> pl.Series:
    """TikTok times' Excel serials (Float64) of a column of texts, null where ``orders_block.parse_time`` must look.

    The same stages as a new workbook's time columns (:func:`_serial_stages`), for the in-place writer.
    """
    import polars as pl

    frame = pl.DataFrame({"x": column}).lazy()
    t = pl.col("x").str.strip_chars()
    tiktok = bool(frame.select(_tiktok_shaped(t)).collect().item())
    for stage in _serial_stages(t, "x", day_first=day_first, tiktok=tiktok):
        frame = frame.with_columns(**stage)
    return frame.select(pl.col("xs")).collect().to_series()


def printed_serials(serial: pl.Series, style: str) -> pl.Series:
    """Number cells' tails (``"s"><v>...</v></c>``) for ``serial`` (Float64, null for none) printed as ``%.16G``.

    polars prints those :func:`_printed` is sure of, Python the others.
    """
    import polars as pl

    s = pl.col("s")
    text = pl.DataFrame({"s": serial}).select(_printed(s, _shortest(s))).to_series()
    rest = (serial.is_not_null() & text.is_null()).arg_true()
    if len(rest):
        text = text.scatter(rest, pl.Series([f"{x:.16G}" for x in serial.gather(rest).to_list()], dtype=pl.String))
    return pl.select(pl.concat_str(pl.lit(f'"{style}><v>'), pl.lit(text), pl.lit("</v></c>"))).to_series()


def _easy(v: pl.Expr) -> pl.Expr:
    """Text :func:`_text` writes with no more than escaping ``& < >`` (see :data:`_HARD`)."""
    return (v.str.len_bytes() < _SHORT_TEXT) & ~v.str.contains(_HARD_OR_SPACE_AT_AN_END)


def xml_escaped(v: pl.Expr) -> pl.Expr:
    """``& < >`` as XML writes them."""
    return (
        v.str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
    )


def _text_cells(v: pl.Expr, style: str, *, special: bool = True) -> pl.Expr:
    """Text cells as escaped inline strings (``special``: some may hold ``& < >``).

    Null for those that need :func:`_text`: control characters, ``_x``, white space at an end,
    very long text, any styled text.
    """
    import polars as pl

    blank = pl.lit(f'"{style}/>' if style else "")
    if style:
        return pl.when(v == "").then(blank).otherwise(pl.lit(None, dtype=pl.String))
    escaped = xml_escaped(v) if special else v
    return (
        pl.when(v == "")
        .then(blank)
        .when(_easy(v))
        .then(pl.concat_str(pl.lit(_TEXT_OPEN), escaped, pl.lit(_TEXT_CLOSE)))
    )


def _no_cell(name: str) -> pl.Expr:
    """Whether some row of the batch has no cell in this column (its tail "", or null: Python writes it)."""
    import polars as pl

    return (pl.col(name) == "").fill_null(value=True).any().alias(name + "_empty")


def block_xml(
    frames: Iterable[pl.DataFrame],
    columns: Sequence[ColumnCells],
    *,
    first_row: int = 2,
    total: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[bytes]:
    """The ``<row>`` elements :func:`rows_xml` writes, the same bytes, built column-wise by polars.

    ``frames`` are the export's rows in batches (DataFrames, one String column per export
    column), ``columns`` the Orders block's columns left to right. Each batch takes three
    queries (:class:`_BatchXml`). :data:`BUILDERS` batches are built at once, each in a thread
    (polars lets the GIL go while a query runs, Python builds the next one's meanwhile), and
    given back in order.
    """
    maker = _BatchXml(columns, first_row)

    def batches() -> Iterator[tuple[pl.DataFrame, int]]:
        """Each batch of rows, and how many rows came before it."""
        before = 0
        for batch_rows in frames:
            if len(batch_rows):
                yield batch_rows, before
                before += len(batch_rows)

    def built(batch: tuple[pl.DataFrame, int]) -> tuple[bytes, int, int]:
        """The batch's XML, and the rows before it and up to its end (the rows themselves let go)."""
        batch_rows, before = batch
        return maker.xml(batch_rows, before), before, before + len(batch_rows)

    done = 0
    for xml, before, done in made_ahead(built, batches(), BUILDERS):
        yield xml
        if progress is not None and done // PROGRESS_EVERY > before // PROGRESS_EVERY and done < (total or 0):
            progress(done, total if total is not None else done)
    if progress is not None:
        progress(done, total if total is not None else done)


class _BatchXml:
    """Batches of rows as XML, three polars queries each; one object builds every batch, from any thread.

    The queries: what the columns need to know of the batch (distinct values, the times' shape),
    every column's cells, and the rows; in between Python writes the few cells polars cannot.
    """

    def __init__(self, columns: Sequence[ColumnCells], first_row: int) -> None:
        import polars as pl

        self.columns, self.first_row = columns, first_row
        self.pre = [f'<c r="{xl_col_to_name(c)}' for c in range(len(columns))]
        self.names = [f"t{c}" for c in range(len(columns))]
        self.probes = {n: x for n, col in zip(self.names, columns, strict=True) if (x := col.probe()) is not None}
        self.counting = [*(pl.col(n).null_count().alias(n) for n in self.names), *(_no_cell(n) for n in self.names)]

    def xml(self, batch_rows: pl.DataFrame, done: int) -> bytes:
        """The ``<row>`` elements of ``batch_rows``: the export's rows from ``done`` on."""
        import polars as pl

        columns, names, m = self.columns, self.names, len(batch_rows)
        added = (col.added(done, done + m) for col in columns)
        frame = batch_rows.with_columns(s for s in added if s is not None)
        probed = frame.lazy().select(**self.probes).collect().row(0, named=True) if self.probes else {}
        stages = [col.tails(n, probed.get(n)) for n, col in zip(names, columns, strict=True)]
        plain = [col.plain(probed.get(n)) for n, col in zip(names, columns, strict=True)]
        query = frame.lazy()
        for depth in range(max(map(len, stages)) - 1):  # every column's last stage is its select
            query = query.with_columns(**{k: x for s in stages if len(s) - 1 > depth for k, x in s[depth].items()})
        tails = query.select(**{k: x for s in stages for k, x in s[-1].items()}).collect()
        counts = tails.select(self.counting)
        nulls, empty = counts.row(0)[: len(names)], counts.row(0)[len(names) :]
        fixed = [col.finish(tails, n, frame) for n, col, k in zip(names, columns, nulls, strict=True) if k]
        first = self.first_row + done
        number = pl.int_range(first, first + m, eager=True).cast(pl.String).alias("n")
        cells: list[pl.Expr] = []
        for p, n, some_empty, text in zip(self.pre, names, empty, plain, strict=True):  # a column's cells
            if text:  # escaped text in every row: its cell's pieces go straight into the row
                cells += [pl.lit(p), pl.col("n"), pl.lit(_TEXT_OPEN), pl.col(n), pl.lit(_TEXT_CLOSE)]
            elif some_empty:
                cells.append(pl.when(pl.col(n) != "").then(pl.concat_str(pl.lit(p), "n", n)))
            else:  # each row has its cell: the pieces go straight into the row
                cells += [pl.lit(p), pl.col("n"), pl.col(n)]
        row = pl.concat_str(pl.lit('<row r="'), "n", pl.lit('">'), *cells, pl.lit("</row>"), ignore_nulls=True)
        rows = tails.lazy().with_columns(number, *fixed).select(row.cast(pl.Binary)).collect()
        return b"".join(rows.to_series().to_list())  # (polars' own str.join and a cast: twice as long)


# -- the package --------------------------------------------------------------------------------


class _Compressor:
    """Writes byte chunks to an open zip entry from a second thread (the deflater releases the GIL).

    One chunk waits while one is deflated: the deflate is several times faster than building
    a chunk, so a deeper queue only holds more of them (20 MB each) in memory.
    """

    def __init__(self, sink: IO[bytes], depth: int = 1) -> None:
        self.sink = sink
        self.error: BaseException | None = None
        self.queue: queue.Queue[bytes | None] = queue.Queue(depth)
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
    package: str | Path | IO[bytes],
    output: Path,
    sheet_entry: str,
    make_rows: Callable[[], Iterator[str | bytes]],
    *,
    expected_rows: int = 0,
) -> None:
    """Copy the xlsx ``package`` (a path or file object) to ``output``, rows added to ``sheet_entry``.

    The XML chunks of ``make_rows()`` are appended to the ``<sheetData>`` of ``sheet_entry``.

    ZIP64 is used when the worksheet may pass 2 GiB (estimated from its first chunk); should an
    estimate fall short, the package is written again with ZIP64 (``make_rows`` is called again).
    """
    try:
        _write_package(package, output, sheet_entry, make_rows, expected_rows, zip64=None)
    except _NeedsZip64Error:
        _write_package(package, output, sheet_entry, make_rows, expected_rows, zip64=True)


class _NeedsZip64Error(Exception):
    """The worksheet outgrew a zip entry without ZIP64: :func:`write_with_rows` writes it again with it."""


def _write_package(  # noqa: PLR0913 - write_with_rows's five arguments, plus whether to use ZIP64
    package: str | Path | IO[bytes],
    output: Path,
    sheet_entry: str,
    make_rows: Callable[[], Iterator[str | bytes]],
    expected_rows: int,
    *,
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
            first = _bytes(next(chunks, ""))
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
                        deflater = _deflate_module.compressobj(DEFLATE[1], _deflate_module.DEFLATED, -15)
                        sink._compressor = deflater  # noqa: SLF001 - zipfile has no public way to choose the deflater
                    pipe = _Compressor(sink)
                    try:
                        pipe.write(head)
                        pipe.write(first)
                        del first
                        for chunk in chunks:
                            pipe.write(_bytes(chunk))
                        pipe.write(tail)
                    finally:
                        pipe.close()
            except RuntimeError as exc:  # zipfile: "File size too large, try using force_zip64"
                if not zip64 and "force_zip64" in str(exc):
                    raise _NeedsZip64Error from exc
                raise
            finally:
                sys.setswitchinterval(switch)


def _bytes(chunk: str | bytes) -> bytes:
    return chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(info.filename, info.date_time)
    new.compress_type = info.compress_type
    new.external_attr = info.external_attr
    new.create_system = info.create_system
    return new


__all__ = [
    "BUILDERS",
    "WHITESPACE",
    "ColumnCells",
    "block_xml",
    "cell_of",
    "cell_tail",
    "excel_serial",
    "formula_tail",
    "printed_serials",
    "rows_xml",
    "text_tail",
    "time_serials",
    "write_with_rows",
    "xml_escaped",
]
