"""The openpyxl writer: applies content-as-data (:mod:`.layout`) to a worksheet, nothing more.

Every text cell is written as a string cell (``data_type = "s"``), so a buyer message such as
``=HYPERLINK(...)`` stays text; characters XML cannot hold are dropped.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import TYPE_CHECKING

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.comments import Comment
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formatting.rule import ColorScaleRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation, DataValidationList
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.views import Selection
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import WorkbookError
from .layout import BRAND, STYLES, ChartSpec, PageSpec, SheetContent, Style, TableSpec

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.chart.series import Series as ChartSeries
    from openpyxl.workbook.workbook import Workbook


@cache
def _parts(name: str) -> dict[str, object]:
    """The openpyxl objects of one named style, made once and shared by every cell that has it."""
    st: Style = STYLES[name]
    parts: dict[str, object] = {}
    if st.bold or st.italic or st.size or st.color:
        parts["font"] = Font(
            name=st.font, bold=st.bold, italic=st.italic, size=st.size or 11, color=st.color and "FF" + st.color
        )
    if st.fill:
        parts["fill"] = PatternFill("solid", start_color="FF" + st.fill, end_color="FF" + st.fill)
    if st.num_format:
        parts["number_format"] = st.num_format
    if st.align or st.valign or st.wrap or st.indent:
        parts["alignment"] = Alignment(
            horizontal=st.align, vertical=st.valign, wrap_text=st.wrap or None, indent=st.indent
        )
    if st.border_bottom:
        parts["border"] = Border(bottom=Side(style="medium", color="FF" + st.border_bottom))
    return parts


def style_cell(cell: Cell | MergedCell, style: str | None) -> None:
    """Give a cell the named style (None: leave it as it is)."""
    if style:
        for attr, value in _parts(style).items():
            setattr(cell, attr, value)


def set_value(cell: Cell, value: object) -> None:
    """Write a value keeping its kind: text stays text (never a formula), dates are dates."""
    if value is None:
        cell.value = None
    elif isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = None
        # openpyxl's value setter makes "=..." a formula: a buyer's text is stored as text instead
        cell._value = text[:32767]  # type: ignore[attr-defined]  # noqa: SLF001
        cell.data_type = "s"
    elif isinstance(value, dt.datetime):
        cell.value = value
    elif isinstance(value, dt.date):
        cell.value = dt.datetime(value.year, value.month, value.day)
    else:
        cell.value = value  # type: ignore[assignment]  # numbers of any kind; openpyxl refuses what it cannot store


def freeze(ws: Worksheet, top_left: str | None) -> None:
    """Freeze the panes above and left of ``top_left`` (None: none), however often it is called.

    openpyxl's ``freeze_panes`` setter adds two ``<selection>`` elements each time; the schema
    allows four and Excel "repairs" a sheet with more. The view starts from one selection here.
    """
    ws.sheet_view.selection = [Selection()]
    ws.sheet_view.pane = None
    ws.freeze_panes = top_left


def set_formula(cell: Cell, formula: str) -> None:
    """A formula cell, "=" added when the text has none."""
    cell.value = formula if formula.startswith("=") else "=" + formula


def define_name(book: Workbook, name: str, sheet: str, ref: str) -> None:
    """Workbook-level name -> 'sheet'!ref, replacing an earlier one of that name (never two)."""
    if name in book.defined_names:
        del book.defined_names[name]
    book.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!{ref}")


def remove_table(book: Workbook, name: str) -> None:
    """Every table of that name (any case) on any sheet: a table name is unique in a workbook."""
    for ws in book.worksheets:
        for tname in list(ws.tables):
            if tname.lower() == name.lower():
                del ws.tables[tname]


def add_table(book: Workbook, ws: Worksheet, spec: TableSpec) -> None:
    """The Excel Table of the spec on the sheet, replacing one of that name anywhere in the book."""
    remove_table(book, spec.name)
    table = Table(displayName=spec.name, ref=spec.ref)
    table.tableStyleInfo = TableStyleInfo(
        name=spec.style,
        showRowStripes=spec.banded_rows,
        showColumnStripes=False,
        showFirstColumn=False,
        showLastColumn=False,
    )
    ws.add_table(table)


def chart_title(text: str, size: int = 1100) -> Title:
    """A chart title in the dashboard's navy, 11 pt (openpyxl's default is 18 pt)."""
    props = CharacterProperties(sz=size, b=True, solidFill=BRAND)
    para = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def add_chart(ws: Worksheet, spec: ChartSpec) -> None:
    """A column chart with optional lines on a second axis, as the spec says."""

    def series(header: str, values: str) -> ChartSeries:
        s: ChartSeries = Series(Reference(range_string=values))
        s.tx = SeriesLabel(strRef=StrRef(f=header))
        return s

    bar = BarChart()
    bar.type = "col"
    bar.grouping = "clustered"
    bar.title = chart_title(spec.title)
    bar.style = 10
    for header, values in spec.bars:
        bar.series.append(series(header, values))
    bar.set_categories(Reference(range_string=spec.categories))
    bar.y_axis.title = spec.y_title
    bar.y_axis.scaling.min = 0
    if spec.y_major:
        bar.y_axis.majorUnit = spec.y_major
    bar.y_axis.majorGridlines = None
    bar.x_axis.delete = False
    bar.y_axis.delete = False
    bar.x_axis.number_format = "d mmm"
    bar.legend.position = "b"
    if spec.bars:
        bar.series[0].graphicalProperties.solidFill = "5B9BD5"
        bar.series[0].graphicalProperties.line.noFill = True
    if spec.lines:
        line = LineChart()
        for header, values in spec.lines:
            line.series.append(series(header, values))
        line.y_axis.axId = 200
        line.y_axis.title = spec.y2_title
        line.y_axis.scaling.min = 0
        if spec.y2_major:
            line.y_axis.majorUnit = spec.y2_major
        line.y_axis.crosses = "max"
        line.y_axis.delete = False
        line.y_axis.majorGridlines = None
        s = line.series[0]
        s.graphicalProperties.line.solidFill = "C00000"
        s.graphicalProperties.line.width = 28575
        s.smooth = False
        bar += line
    bar.width, bar.height = spec.width_cm, spec.height_cm  # type: ignore[assignment]  # cm; the stubs say int
    ws.add_chart(bar, spec.anchor)


def page_setup(ws: Worksheet, page: PageSpec) -> None:
    """Orientation, fit-to-page, margins and print area of the sheet."""
    ws.page_setup.orientation = "landscape" if page.landscape else "portrait"
    if page.paper_size:
        ws.page_setup.paperSize = page.paper_size
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = page.fit_width
    ws.page_setup.fitToHeight = page.fit_height
    m = page.margins_in
    ws.page_margins.left = ws.page_margins.right = m
    ws.page_margins.top = ws.page_margins.bottom = m
    ws.page_margins.header = ws.page_margins.footer = m / 2
    ws.print_options.horizontalCentered = True
    if page.print_area:
        ws.print_area = page.print_area


def cf_fill(colour: str) -> PatternFill:
    """A solid fill a conditional format can use (Excel reads its bgColor)."""
    return PatternFill(fill_type="solid", start_color="FF" + colour, end_color="FF" + colour, bgColor="FF" + colour)


def add_formula_rule(  # noqa: PLR0913 - the rule's three looks are keyword-only
    ws: Worksheet, sqref: str, formula: str, *, fill: str | None = None, font: str | None = None, bold: bool = False
) -> None:
    """A conditional format: cells of ``sqref`` where ``formula`` is true get the fill and font."""
    ws.conditional_formatting.add(
        sqref,
        FormulaRule(  # type: ignore[no-untyped-call]  # the stubs leave openpyxl's rule factories untyped
            formula=[formula],
            fill=cf_fill(fill) if fill else None,
            font=Font(color="FF" + font, bold=bold or None) if font else None,
        ),
    )


def add_color_scale(ws: Worksheet, sqref: str, points: list[tuple[str, float, str]]) -> None:
    """A three-colour scale over ``sqref``: (type, value, colour) at the low, middle and high point."""
    (t1, v1, c1), (t2, v2, c2), (t3, v3, c3) = points
    ws.conditional_formatting.add(
        sqref,
        ColorScaleRule(  # type: ignore[no-untyped-call]  # the stubs leave openpyxl's rule factories untyped
            start_type=t1,
            start_value=v1,
            start_color="FF" + c1,
            mid_type=t2,
            mid_value=v2,
            mid_color="FF" + c2,
            end_type=t3,
            end_value=v3,
            end_color="FF" + c3,
        ),
    )


def apply_content(book: Workbook, ws: Worksheet, content: SheetContent) -> None:
    """Write a whole sheet from its content (the sheet should be empty or ours to overwrite)."""
    for ref, value, style in content.cells:
        cell = ws[ref]
        set_value(cell, value)
        style_cell(cell, style)
    for col, width in content.widths.items():
        ws.column_dimensions[col].width = width
    for row, height in content.heights.items():
        ws.row_dimensions[row].height = height
    for ref in content.merges:
        ws.merge_cells(ref)
    for name, ref in content.names.items():
        define_name(book, name, ws.title, ref)
    for table in content.tables:
        add_table(book, ws, table)
    for chart in content.charts:
        add_chart(ws, chart)
    for ref, allowed in content.validations:
        add_choices(ws, ref, allowed)
    for ref, note in content.comments.items():
        ws[ref].comment = Comment(note, "Auto-cancel guard")
    sheet_view(ws, content)


def add_choices(ws: Worksheet, ref: str, allowed: list[str]) -> None:
    """A drop-down of ``allowed`` on ``ref``; other text is warned about, not refused."""
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(allowed) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
    )
    dv.add(ref)
    ws.add_data_validation(dv)


def sheet_view(ws: Worksheet, content: SheetContent) -> None:
    """Hidden columns, page setup, frozen panes, tab colour and gridlines, as the content says."""
    for col in content.hidden_columns:
        ws.column_dimensions[col].hidden = True
    if content.page:
        page_setup(ws, content.page)
    if content.freeze:
        freeze(ws, content.freeze)
    if content.tab_color:
        ws.sheet_properties.tabColor = content.tab_color
    ws.sheet_view.showGridLines = content.show_grid


def replace_sheet(book: Workbook, title: str, index: int | None = None) -> Worksheet:
    """Our sheet ``title`` emptied in place (created at ``index`` when missing).

    Cleared, not deleted: the sheet keeps its code name (VBA modules are tied to it), its
    legacy drawing (the template's Refresh button) and its position.
    """
    if title not in book.sheetnames:
        new: Worksheet = book.create_sheet(title, index)
        return new
    ws = book[title]
    if not isinstance(ws, Worksheet):
        raise WorkbookError(f"{title}: is a chart sheet, not a sheet of cells - rename or delete it")
    # openpyxl has no public way to empty a sheet in place (a new sheet would lose the above)
    ws._cells.clear()  # noqa: SLF001
    ws.merged_cells = MultiCellRange()
    ws._charts, ws._images = [], []  # type: ignore[attr-defined]  # noqa: SLF001
    ws.conditional_formatting = ConditionalFormattingList()
    ws.data_validations = DataValidationList()
    for name in list(ws.tables):
        del ws.tables[name]
    for key in list(ws.column_dimensions):
        del ws.column_dimensions[key]
    for row in list(ws.row_dimensions):
        del ws.row_dimensions[row]
    freeze(ws, None)
    ws.auto_filter.ref = None
    return ws
