"""The xlsxwriter writer, for NEW workbooks only: the same content-as-data, written fast.

A refresh of an existing workbook must read it, so it goes through openpyxl (:mod:`.writer`);
a new workbook from an export has nothing to read and xlsxwriter writes it several times faster,
in constant_memory mode: rows stream to disk in order, so memory does not grow with the export.
Both writers consume the same builders (``summary_content``, ``settings_content``,
``holidays_content``, ``computed_columns``, ``orders_rules``), and a test checks that they
produce the same workbook.

The Orders data rows (six million cells for 100,000 rows) do not go through xlsxwriter's
per-cell API: xlsxwriter writes the package with the Orders header row, and
:mod:`.fast_rows` streams the rows' XML into it (the same bytes xlsxwriter writes, a test checks;
100,000 rows x 58 columns: the whole ``autocancel refresh`` in about 5 s instead of 25 s).
An export read column-wise (:class:`..io.export.CsvRows`) has its rows built column-wise too
(:func:`.fast_rows.block_xml`: polars makes each column's cells for a batch of rows, Python only
sees each distinct status, amount or date once), unless the deadlines are live formulas.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, SupportsFloat, cast, runtime_checkable

import xlsxwriter
from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name, xl_range
from xlsxwriter.worksheet import re_dynamic_function

from ..core.assess import COLUMNS
from .fast_rows import PROGRESS_EVERY, ColumnCells, block_xml, rows_xml, write_with_rows
from .holidays_sheet import holidays_content
from .layout import (
    HOLIDAYS,
    KEY_HEADER,
    ORDERS,
    ORDERS_TABLE,
    SETTINGS,
    STYLES,
    SUMMARY,
    ChartSpec,
    SheetContent,
    TableSpec,
)
from .orders_block import Block, Formula, build, layout, plan, row_keys
from .orders_sheet import (
    PRINT_SCALE,
    STYLE,
    WIDTHS,
    ComputedColumn,
    _table_ok,
    column_width,
    computed_columns,
    formula_columns,
    formula_warnings,
    orders_rules,
    our_formats,
)
from .settings_sheet import settings_content
from .summary_sheet import summary_content
from .values import cell_value

if TYPE_CHECKING:
    import polars as pl
    from xlsxwriter.chart import Chart
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

    from ..core.export import Export
    from ..pipeline import Refresh, Settings
    from .layout import Style
    from .orders_sheet import RuleSpec

_TABLE_STYLES = {
    "TableStyleLight1": "Table Style Light 1",
    "TableStyleLight8": "Table Style Light 8",
    "TableStyleLight9": "Table Style Light 9",
    "TableStyleLight12": "Table Style Light 12",
    "TableStyleMedium2": "Table Style Medium 2",
}
_CM_TO_PX = 96 / 2.54
Progress = Callable[[int, int], None]  # (rows written, rows in all)
_FONT_SIZE = 11  # Calibri 11, Excel's default, for a style without a size
_WIDTH = 16  # an Orders column's width in characters when WIDTHS has none for it
_SAMPLE_ROWS = 300  # rows looked at for the column widths and for live formulas
_HEADER_HEIGHT = 30  # the Orders header row's height in points (two lines of text)
_NO_GRIDLINES = 2  # hide_gridlines: neither on screen nor printed


@runtime_checkable
class _Framed(Protocol):
    """Export rows that come in DataFrames too (:class:`..io.export.CsvRows`): the column-wise path."""

    def frames(self, size: int = ..., skip: int = ...) -> Iterator[pl.DataFrame]: ...


def _font(st: Style) -> dict[str, object]:
    """The font properties xlsxwriter takes for ``st``."""
    props: dict[str, object] = {"font_name": st.font, "font_size": st.size or _FONT_SIZE}
    if st.bold:
        props["bold"] = True
    if st.italic:
        props["italic"] = True
    if st.color:
        props["font_color"] = "#" + st.color
    return props


class _Formats:
    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.cache: dict[str, Format] = {}

    def __call__(self, name: str | None) -> Format | None:
        if name is None:
            return None
        if name not in self.cache:
            st = STYLES[name]
            props = _font(st)
            if st.fill:
                props.update(pattern=1, bg_color="#" + st.fill)
            if st.num_format:
                props["num_format"] = st.num_format
            if st.align:
                props["align"] = st.align
            if st.valign:
                props["valign"] = {"center": "vcenter"}.get(st.valign, st.valign)
            if st.wrap:
                props["text_wrap"] = True
            if st.indent:
                props["indent"] = st.indent
            if st.border_bottom:
                props.update(bottom=2, bottom_color="#" + st.border_bottom)
            self.cache[name] = self.book.add_format(props)
        return self.cache[name]

    def number(self, num_format: str | None) -> Format | None:
        """A format that only shows numbers and dates a certain way (export columns)."""
        if num_format is None:
            return None
        key = "num:" + num_format
        if key not in self.cache:
            self.cache[key] = self.book.add_format(
                {"font_name": "Calibri", "font_size": _FONT_SIZE, "num_format": num_format}
            )
        return self.cache[key]


def _write(ws: Worksheet, row: int, col: int, value: object, fmt: Format | None) -> None:
    if value is None or value == "":
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value.replace(tzinfo=None), fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), fmt)
    else:
        # Any other value is a number (numpy's, Decimal): float() takes it or says why not.
        ws.write_number(row, col, float(cast("SupportsFloat", value)) if not isinstance(value, int) else value, fmt)


def _series(spec: ChartSpec, header: str, values: str) -> dict[str, object]:
    """A chart series over the sheet's cells: its name, the categories (days or weeks) and values."""
    return {"name": "=" + header, "categories": "=" + spec.categories, "values": "=" + values}


def _chart(book: Workbook, spec: ChartSpec) -> Chart:
    chart = book.add_chart({"type": "column"})
    for header, values in spec.bars:
        chart.add_series(_series(spec, header, values) | {"fill": {"color": "#5B9BD5"}, "border": {"none": True}})
    if spec.lines:
        line = book.add_chart({"type": "line"})
        for header, values in spec.lines:
            line.add_series(
                _series(spec, header, values)
                | {
                    "y2_axis": True,
                    "smooth": False,
                    "marker": {"type": "none"},
                    "line": {"color": "#C00000", "width": 2.25},
                }
            )
        line.set_y2_axis(
            {"name": spec.y2_title, "major_gridlines": {"visible": False}, "min": 0}
            | ({"major_unit": spec.y2_major} if spec.y2_major else {})
        )
        if hasattr(line, "_write_c_smooth"):
            # xlsxwriter omits <c:smooth val="0"/>, and LibreOffice draws a missing one as a curve.
            # No option for it: xlsxwriter's own (private) writer of the element is replaced.
            line._write_c_smooth = lambda smooth: line._xml_empty_tag("c:smooth", [("val", "1" if smooth else "0")])  # noqa: SLF001
        chart.combine(line)
    chart.set_title({"name": spec.title, "name_font": {"size": 11, "bold": True, "color": "#1F3864"}})
    chart.set_y_axis(
        {"name": spec.y_title, "major_gridlines": {"visible": False}, "min": 0}
        | ({"major_unit": spec.y_major} if spec.y_major else {})
    )
    chart.set_x_axis({"num_format": "d mmm", "text_axis": True})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": round(spec.width_cm * _CM_TO_PX), "height": round(spec.height_cm * _CM_TO_PX)})
    return chart


def _add_table(  # noqa: PLR0913, PLR0917 - xlsxwriter's add_table(first_row, first_col, last_row, last_col, options)
    ws: Worksheet, first_row: int, first_col: int, last_row: int, last_col: int, options: dict[str, object]
) -> None:
    """``add_table`` on a constant_memory sheet, before any of its rows is written.

    xlsxwriter refuses tables in constant_memory mode only because a table writes its header
    cells itself; done before the sheet's first row, those cells wait in the row buffer, and the
    caller writes the header row again, in order, so the row is flushed in its turn.
    """
    saved = ws.constant_memory
    ws.constant_memory = False
    try:
        # xlsxwriter notes every cell of a table to refuse overlaps (6.5 million entries for a
        # 100,000-row export): declare header + one row, then widen the ranges it recorded.
        short = min(last_row, first_row + 1)
        count = len(ws.tables)
        ws.add_table(first_row, first_col, short, last_col, options)
        table = ws.tables[-1] if len(ws.tables) == count + 1 else None
        full = xl_range(first_row, first_col, last_row, last_col)
        if table is not None and table.get("range") == xl_range(first_row, first_col, short, last_col):
            table["range"] = table["a_range"] = full
            if table.get("autofilter"):
                table["autofilter"] = full
        elif short != last_row:  # not the structure we know: the plain (memory-hungry) way
            if table is not None:
                ws.tables.pop()
                declared = xl_range(first_row, first_col, short, last_col)
                ws.table_cells = {k: v for k, v in ws.table_cells.items() if v != declared}
            ws.add_table(first_row, first_col, last_row, last_col, options)
    finally:
        ws.constant_memory = saved


def _table(ws: Worksheet, spec: TableSpec, headers: list[object], fmts: list[Format | None]) -> None:
    (r0, c0), (r1, c1) = (xl_cell_to_rowcol(x) for x in spec.ref.split(":"))
    columns = [
        {"header": str(h)} | ({"header_format": f} if f is not None else {}) for h, f in zip(headers, fmts, strict=True)
    ]
    _add_table(
        ws,
        r0,
        c0,
        max(r1, r0 + 1),
        c1,
        {
            "name": spec.name,
            "style": _TABLE_STYLES.get(spec.style, spec.style),
            "columns": columns,
            "banded_rows": spec.banded_rows,
            "autofilter": True,
        },
    )


def _print_and_view(ws: Worksheet, content: SheetContent) -> None:
    """How the sheet prints (:class:`.layout.PageSpec`) and shows (panes, tab colour, grid)."""
    if content.page:
        p = content.page
        if p.landscape:
            ws.set_landscape()
        if p.paper_size:
            ws.set_paper(p.paper_size)
        ws.fit_to_pages(p.fit_width, p.fit_height)
        ws.set_margins(p.margins_in, p.margins_in, p.margins_in, p.margins_in)
        ws.center_horizontally()
        if p.print_area:
            ws.print_area(p.print_area)
    if content.freeze:
        ws.freeze_panes(content.freeze)
    if content.tab_color:
        ws.set_tab_color("#" + content.tab_color)
    if not content.show_grid:
        ws.hide_gridlines(_NO_GRIDLINES)


def apply_content(book: Workbook, ws: Worksheet, content: SheetContent, fmt: _Formats) -> None:
    """The xlsxwriter twin of :func:`.writer.apply_content`; cells go out in row order."""
    by_ref = {ref: (value, style) for ref, value, style in content.cells}
    for spec in content.tables:  # first: the table writes its header row itself
        (r0, c0), (_, c1) = (xl_cell_to_rowcol(x) for x in spec.ref.split(":"))
        refs = [f"{xl_col_to_name(c)}{r0 + 1}" for c in range(c0, c1 + 1)]
        _table(
            ws, spec, [by_ref.get(r, ("", None))[0] for r in refs], [fmt(by_ref.get(r, (None, None))[1]) for r in refs]
        )
    for col, width in content.widths.items():
        c = xl_cell_to_rowcol(f"{col}1")[1]
        ws.set_column(c, c, width, None, {"hidden": col in content.hidden_columns})
    for row, height in content.heights.items():
        ws.set_row(row - 1, height)
    merged = {m.split(":")[0]: m for m in content.merges}
    for (row, col), ref in sorted((xl_cell_to_rowcol(ref), ref) for ref in by_ref):
        value, style = by_ref[ref]
        if ref in merged:
            ws.merge_range(merged[ref], "", fmt(style))
        _write(ws, row, col, value, fmt(style))
    for name, ref in content.names.items():
        book.define_name(name, f"='{ws.name}'!{ref}")
    for chart in content.charts:
        ws.insert_chart(chart.anchor, _chart(book, chart))
    for ref, allowed in content.validations:
        ws.data_validation(
            ref, {"validate": "list", "source": list(allowed), "error_type": "warning", "ignore_blank": True}
        )
    for ref, note in content.comments.items():
        ws.write_comment(ref, note, {"author": "Auto-cancel guard"})
    _print_and_view(ws, content)


def _streamable(ws: Worksheet, live: dict[str, list[str | None]]) -> bool:
    """True when :mod:`.fast_rows` writes what xlsxwriter would.

    It relies on two private methods (style numbers, formula rewriting), and writes formulas only
    as xlsxwriter would not rewrite them.
    """
    if not (hasattr(ws, "_prepare_formula") and hasattr(xlsxwriter.format.Format, "_get_xf_index")):
        return False
    for texts in live.values():
        sample = next((t for t in texts if t is not None), None)
        if sample is None:
            continue
        if (
            re_dynamic_function.search(sample)
            or sample.startswith("{")
            or ws._prepare_formula(sample) != sample.removeprefix("=")  # noqa: SLF001 - the rewrite xlsxwriter would do (hasattr above)
        ):
            return False
    return True


def _xf_index(f: Format) -> int:
    """The style number xlsxwriter gives ``f`` (private: :func:`_streamable` checks it is there)."""
    index: int = f._get_xf_index()  # noqa: SLF001 - no public way to number a style before writing a cell
    return index


def _table_or_filter(ws: Worksheet, headers: list[object], head_fmts: list[Format | None], last_row: int) -> list[str]:
    """The Orders Excel Table down to ``last_row``, or a filter (and why) when row 1 cannot head a Table."""
    last_col = len(headers) - 1
    if _table_ok(headers):
        _add_table(
            ws,
            0,
            0,
            last_row,
            last_col,
            {
                "name": ORDERS_TABLE,
                "style": "Table Style Light 1",
                "autofilter": True,
                "columns": [{"header": str(h), "header_format": f} for h, f in zip(headers, head_fmts, strict=True)],
            },
        )
        return []
    ws.autofilter(0, 0, last_row, last_col)
    return ["row 1 has empty or repeated headers: the Orders sheet got a filter, not an Excel Table"]


def _stream_styles(ws: Worksheet, head_fmts: list[Format | None], col_fmts: list[Format | None], n: int) -> list[str]:
    """Each Orders column's style attribute (``' s="N"'`` or "") for :mod:`.fast_rows`."""
    if n:
        # Style numbers in the order xlsxwriter gives them when it writes rows 1 and 2 (the
        # header's, then row 2's left to right), so styles.xml is the same; and the sheet's
        # <dimension> covers the rows written later.
        for f in head_fmts + col_fmts:
            if f is not None:
                _xf_index(f)
        ws.dim_rowmax = max(ws.dim_rowmax or 0, n)
    return ["" if f is None or not n else f' s="{_xf_index(f)}"' for f in col_fmts]


def _write_rows(ws: Worksheet, block: Block, col_fmts: list[Format | None], progress: Progress | None) -> None:
    """Every Orders data cell through xlsxwriter's own API (``stream=False``, or formulas it rewrites)."""
    n = block.n_rows
    for i, row in enumerate(block.rows()):
        r = i + 1
        for c, value in enumerate(row):
            if isinstance(value, Formula):
                ws.write_formula(r, c, str(value), col_fmts[c], "")
            else:
                _write(ws, r, c, value, col_fmts[c])
        if progress is not None and r % PROGRESS_EVERY == 0:
            progress(r, n)
    if progress is not None:
        progress(n, n)


def _rule_options(book: Workbook, spec: RuleSpec) -> dict[str, object]:
    """The ``conditional_format`` options xlsxwriter takes for one rule (a colour scale or a formula rule)."""
    if spec.scale:
        (t1, v1, c1), (t2, v2, c2), (t3, v3, c3) = spec.scale
        return {
            "type": "3_color_scale",
            "min_type": t1,
            "min_value": v1,
            "min_color": "#" + c1,
            "mid_type": t2,
            "mid_value": v2,
            "mid_color": "#" + c2,
            "max_type": t3,
            "max_value": v3,
            "max_color": "#" + c3,
        }
    props: dict[str, object] = {}
    if spec.fill:
        props["bg_color"] = "#" + spec.fill
    if spec.font:
        props["font_color"] = "#" + spec.font
    if spec.bold:
        props["bold"] = True
    # A rule without a scale is a formula rule (``orders_rules`` gives each one its formula).
    return {"type": "formula", "criteria": "=" + cast("str", spec.formula), "format": book.add_format(props)}


def _orders(  # noqa: PLR0913 - the sheet, the refresh, the formats, then the choices by keyword
    book: Workbook,
    ws: Worksheet,
    refresh: Refresh,
    fmt: _Formats,
    *,
    formulas: bool,
    stream: bool = True,
    progress: Progress | None = None,
) -> tuple[list[str], Callable[[], Iterator[str | bytes]] | None]:
    """The Orders sheet: the Orders block (:mod:`.orders_block`) of a new export, no seller columns.

    ``stream``: xlsxwriter writes the header row only and the data rows are returned as a
    callable making their XML (:mod:`.fast_rows`), for :func:`write_new` to put into the
    package after ``book.close()``; otherwise (or when formulas need xlsxwriter's rewriting)
    xlsxwriter writes every cell and None is returned.
    """
    export = refresh.export
    rows = export.rows
    framed = (
        rows if stream and not formulas and isinstance(rows, _Framed) and all(h in STYLE for h in COLUMNS) else None
    )
    columns = _computed_arrays(refresh) if framed is not None else computed_columns(refresh)
    block = build(
        plan([], [], export, in_place=False),
        columns,
        day_first=refresh.settings.market.day_first,
        our_formats=our_formats(columns),
        formulas=(lambda at: formula_columns(refresh, 2, {f: c + 1 for f, c in at.items()})) if formulas else None,
    )
    all_headers = block.header
    n, last_col = block.n_rows, len(all_headers) - 1
    warnings: list[str] = list(block.warnings)
    sample = list(islice(block.rows(), _SAMPLE_ROWS))
    live = {h: [next((str(r[c]) for r in sample if isinstance(r[c], Formula)), None)] for h, c in block.ours.items()}
    warnings += formula_warnings(refresh, formulas=any(v[0] for v in live.values()))
    style_of: dict[object, str | None] = {c.header: c.style for c in columns}
    head_fmts = [
        fmt("key_head" if h == KEY_HEADER else "computed_head" if k == "ours" else "input_head")
        for h, k in zip(all_headers, block.kinds, strict=True)
    ]
    col_fmts = [
        fmt(style_of.get(h)) if k == "ours" else fmt.number(f)
        for h, k, f in zip(all_headers, block.kinds, block.formats, strict=True)
    ]
    warnings += _table_or_filter(ws, all_headers, head_fmts, max(n, 1))
    for c, (h, k) in enumerate(zip(all_headers, block.kinds, strict=True)):
        width = WIDTHS.get(str(h), _WIDTH) if k == "ours" else column_width(h, [r[c] for r in sample], block.formats[c])
        ws.set_column(c, c, width, None, {"hidden": h == KEY_HEADER})
    ws.set_row(0, _HEADER_HEIGHT)
    for c, (h, f) in enumerate(zip(all_headers, head_fmts, strict=True)):
        _write(ws, 0, c, h, f)
    rows_later: Callable[[], Iterator[str | bytes]] | None = None
    if stream and _streamable(ws, live):
        styles = _stream_styles(ws, head_fmts, col_fmts, n)
        if framed is not None:
            cells = _column_cells(block, export, columns, styles)

            def column_rows() -> Iterator[bytes]:
                return block_xml(framed.frames(_ROWS_PER_FRAME), cells, total=n, progress=progress)

            rows_later = column_rows
        else:

            def block_rows() -> Iterator[str]:
                return rows_xml(block.rows(), styles, total=n, progress=progress)

            rows_later = block_rows
    else:
        _write_rows(ws, block, col_fmts, progress)
    letter = {h: xl_col_to_name(c) for h, c in block.ours.items()}
    for spec in orders_rules(
        2,
        max(n + 1, 2),
        xl_col_to_name(last_col),
        risk_col=letter["Risk"],
        next_col=letter["Next auto-cancel"],
        days_col=letter["Days left"],
    ):
        options = _rule_options(book, spec)
        if " " in spec.sqref:
            options["multi_range"] = spec.sqref
        ws.conditional_format(spec.sqref.split()[0], options)
    ws.freeze_panes(1, block.frozen)
    ws.set_tab_color("#C00000")
    ws.set_landscape()
    ws.set_print_scale(PRINT_SCALE)
    ws.repeat_rows(0)
    ws.repeat_columns(0, block.frozen - 1)
    return warnings, rows_later


#: Rows per batch of the column-wise writer: about 20 MB of XML each (a million rows: 128 batches).
_ROWS_PER_FRAME = 8192


def _computed_arrays(refresh: Refresh) -> list[ComputedColumn]:
    """Our columns as ``computed_columns`` gives them, values left as the engine's arrays.

    The column-wise writer reads each distinct value once; the Row key is a polars String Series.
    """
    columns = [
        ComputedColumn(h, cast("list[object]", values), STYLE[h], WIDTHS.get(h, _WIDTH))
        for h, values in zip(COLUMNS, refresh.row_values(), strict=True)
    ]
    import polars as pl

    # Text, only read: held in Arrow buffers (a million keys: 40 MB, not 100 MB of Python strings)
    keys = cast("list[object]", pl.Series(row_keys(refresh.export), dtype=pl.String))
    return [*columns, ComputedColumn(KEY_HEADER, keys, None, WIDTHS[KEY_HEADER])]


def _column_cells(block: Block, export: Export, columns: list[ComputedColumn], styles: list[str]) -> list[ColumnCells]:
    """How :func:`.fast_rows.block_xml` makes each Orders column's cells (a new workbook: no seller columns)."""
    ours = {c.header: c for c in columns}
    cells = []
    for (_, x), style in zip(layout(export), styles, strict=True):
        if isinstance(x, str) and x == KEY_HEADER:  # ("ours", header): ours; ("export", index) below
            cells.append(ColumnCells("ours_text", style, values=ours[x].values))
        elif isinstance(x, str):
            cells.append(ColumnCells("ours", style, convert=partial(cell_value, whole=True), values=ours[x].values))
        else:
            conv = block.export_cells[x]
            if conv.day_first is not None:
                cells.append(ColumnCells("time", style, index=x, convert=conv.convert, day_first=conv.day_first))
            elif conv.convert is None and not style:
                cells.append(ColumnCells("text", style, index=x))
            else:
                cells.append(ColumnCells("value", style, index=x, convert=conv.convert))
    return cells


def write_new(  # noqa: PLR0913 - the public entry: all but the workbook's three are keyword-only
    refresh: Refresh,
    path: Path,
    stored: Settings,
    *,
    formulas: bool,
    years: range,
    input_name: str | None,
    refreshed_at: dt.datetime | None,
    fast: bool = True,
    progress: Progress | None = None,
) -> list[str]:
    """Write a whole new refreshed workbook to ``path``; returns warnings for the seller.

    ``fast`` (the default): xlsxwriter writes the package with the Orders header only, into
    memory (a few hundred KB), then :func:`.fast_rows.write_with_rows` copies it to ``path``
    with the Orders data rows streamed in; ``fast=False`` has xlsxwriter write every cell (the
    reference the tests compare with, about 3 times slower). ``progress(done_rows, total_rows)``
    is called every 10,000 Orders rows and at the end.
    """
    package = io.BytesIO() if fast else str(path)
    book = xlsxwriter.Workbook(
        package,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "nan_inf_to_errors": True,
            "tmpdir": str(Path(path).parent),
        },
    )
    fmt = _Formats(book)
    rows_later = None
    try:
        summary = book.add_worksheet(SUMMARY)
        orders = book.add_worksheet(ORDERS)
        settings = book.add_worksheet(SETTINGS)
        holidays = book.add_worksheet(HOLIDAYS)
        apply_content(book, summary, summary_content(refresh, input_name, refreshed_at), fmt)
        warnings, rows_later = _orders(book, orders, refresh, fmt, formulas=formulas, stream=fast, progress=progress)
        s = settings_content(stored)
        apply_content(book, settings, s, fmt)
        apply_content(book, holidays, holidays_content(refresh.settings, years), fmt)
        summary.activate()
    finally:
        book.close()
    if isinstance(package, io.BytesIO):
        if rows_later is None:
            Path(path).write_bytes(package.getvalue())
        else:
            write_with_rows(
                package,
                Path(path),
                f"xl/worksheets/sheet{orders.index + 1}.xml",
                rows_later,
                expected_rows=len(refresh.export.rows),
            )
    return warnings


__all__ = ["apply_content", "write_new"]
