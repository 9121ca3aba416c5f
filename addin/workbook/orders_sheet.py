"""The Orders sheet: our computed columns, their formulas and colours, and the openpyxl engine.

- ``computed_columns(refresh)``: header, per-row values and style of our computed columns;
- ``formula_columns(refresh, ...)``: the ``--formulas`` variant of the two deadline columns,
  ``WORKDAY.INTL`` over the Holidays sheet (``NonWorkingDays``) and the market's weekend;
- ``orders_rules(...)``: the conditional-format rules (Risk colours on the whole row and on the
  Risk and Next auto-cancel cells, a colour scale on Days left) as :class:`RuleSpec` data;
- ``update_orders(book, ws, ...)``: the openpyxl engine of the Orders block
  (:mod:`.orders_block`: which columns are the export's, ours and the seller's, and the one
  update every engine applies): read the sheet's values, plan, build, write them back.
"""

from __future__ import annotations

import datetime as dt
import re
from copy import copy
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, TYPE_CHECKING, Protocol, cast

import numpy as np
from openpyxl.cell.cell import Cell
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from ..core.assess import COLUMNS, RISKS, rule_deadlines
from ..core.columns import distinct
from ..core.dates import parse_dates
from ..errors import WorkbookError
from ..io.export import export_from_table
from ..pipeline import Refresh, Settings, run
from . import writer
from .layout import KEY_HEADER, ORDERS_TABLE, RISK_COLOURS, STYLES, TableSpec, is_blank
from .orders_block import (
    NUMERIC_HEADERS,
    Block,
    Formula,
    Grid,
    OrdersSheetError,
    Stray,
    build,
    place_strays,
    plan,
    read_rows,
    row_keys,
    sheet_export,
    split_header,
)
from .values import cell_value

if TYPE_CHECKING:
    from collections.abc import Container, Iterator, Mapping, Sequence
    from contextlib import AbstractContextManager

    from openpyxl.cell.cell import MergedCell
    from openpyxl.formatting.rule import Rule
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.cell_range import MultiCellRange
    from openpyxl.worksheet.worksheet import Worksheet

    from ..core.export import Export

WIDTHS = {
    "Ship-by deadline": 16,
    "Delivery deadline": 16,
    "Next auto-cancel": 16,
    "Days left": 10,
    "Risk": 12,
    "Data issue": 44,
    "Dispatch by": 16,
    KEY_HEADER: 12,
}
STYLE = {
    "Ship-by deadline": "date",
    "Delivery deadline": "date",
    "Next auto-cancel": "date",
    "Days left": "days",
    "Risk": "center",
    "Data issue": None,
    "Dispatch by": "date",
    KEY_HEADER: None,
}
WIDTH_SAMPLE = 300  # rows whose values size the columns
UNSIZED_WIDTH = 13.0  # what openpyxl reads for a column nobody sized: the seller's column is then sized for them
PRINT_SCALE = 70  # percent: the Orders sheet prints many columns; 70% keeps it readable with more per page

__all__ = ["NUMERIC_HEADERS", "read_grid", "row_keys", "used_rows"]


@dataclass
class ComputedColumn:
    header: str
    values: list[object]  # one per export row: date, int, str or None
    style: str | None
    width: float


@dataclass
class RuleSpec:
    """One conditional-format rule: a formula rule (fill/font) or a three-colour scale."""

    sqref: str
    formula: str | None = None
    fill: str | None = None
    font: str | None = None
    bold: bool = False
    scale: list[tuple[str, float, str]] = field(default_factory=list)


def computed_columns(refresh: Refresh) -> list[ComputedColumn]:
    """Our six columns and the Row key, one value per export row (each order's answer on its rows)."""
    cols = []
    for h, values in zip(COLUMNS, refresh.row_values(), strict=False):
        shown = shown_values(values)
        style = STYLE.get(h, "date" if any(isinstance(v, dt.date) for v in shown[:1000]) else None)
        cols.append(ComputedColumn(h, shown, style, WIDTHS.get(h, 16)))
    cols.append(ComputedColumn(KEY_HEADER, list[object](row_keys(refresh.export)), None, WIDTHS[KEY_HEADER]))
    return cols


def shown_values(values: np.ndarray) -> list[object]:
    """``cell_value(v, whole=True)`` of each value, each distinct value converted once.

    A column of a million rows holds a few hundred distinct days, risks or counts.
    """
    array = np.asarray(values)
    if array.dtype.kind in "Mmfiu":
        unique, codes = np.unique(array, return_inverse=True)
    else:
        seen, codes = distinct(array.tolist())
        unique = np.empty(len(seen), dtype=object)
        unique[:] = seen
    shown = np.empty(len(unique), dtype=object)
    shown[:] = [cell_value(v, whole=True) for v in unique]
    return cast("list[object]", shown[codes.reshape(-1)].tolist())


# -- formulas -----------------------------------------------------------------------------------
def date_formula(ref: str, *, day_first: bool) -> str:
    """A TikTok text time (MM/DD/YYYY h:mm:ss AM, or DD/MM/YYYY) or a real date cell, as a date."""
    p1 = f'FIND("/",{ref})'
    p2 = f'FIND("/",{ref},{p1}+1)'
    first = f"VALUE(LEFT({ref},{p1}-1))"
    middle = f"VALUE(MID({ref},{p1}+1,{p2}-{p1}-1))"
    year = f"VALUE(MID({ref},{p2}+1,4))"
    month, day = (middle, first) if day_first else (first, middle)
    return f"IF(ISNUMBER({ref}),INT({ref}),DATE({year},{month},{day}))"


def deadline_formula(ref: str, days: int, unit: str, *, day_first: bool) -> str:
    """One deadline cell's formula: blank for a blank start, calendar or working days after it."""
    start = date_formula(ref, day_first=day_first)
    body = f"WORKDAY.INTL({start},{days},Weekend,NonWorkingDays)" if unit == "working" else f"{start}+{days}"
    return f'=IF(TRIM({ref})="","",IFERROR({body},""))'


def formula_columns(refresh: Refresh, first_row: int, column_of: dict[str, int]) -> dict[str, list[str | None]]:
    """``--formulas``: the Ship-by and Delivery deadline columns as formulas, per export row.

    ``column_of`` maps an export field (created, paid, shipped, edd) to its 1-based sheet column.
    A rule whose start column is missing keeps its Python values (None here). Extra *working*
    days cannot be expressed in WORKDAY.INTL; those workbooks should not use formulas.
    """
    policy, export = refresh.settings.applied_policy, refresh.export
    out: dict[str, list[str | None]] = {}
    for header, rule in (("Ship-by deadline", policy.ship_by), ("Delivery deadline", policy.delivery)):
        if rule is None or rule.start not in column_of or rule.start not in export.columns:
            continue
        values = export.column(rule.start) or []
        order = parse_dates(values, day_first=refresh.settings.market.day_first).day_first
        day_first = refresh.settings.market.day_first if order is None else order
        letter = get_column_letter(column_of[rule.start])
        # Only where the plain rule is the order's answer: a pre-order, an FBT order or a SKU with a
        # handling time keeps the value its own rule gave.
        o = refresh.orders
        plain = rule_deadlines(rule, o.dates[rule.start], refresh.settings.calendar)
        given = refresh.assessment.ship_by if header == "Ship-by deadline" else refresh.assessment.delivery
        same = ((plain == given) | (np.isnat(plain) & np.isnat(given)))[o.row_order]
        out[header] = [
            deadline_formula(f"{letter}{first_row + i}", rule.days, rule.unit, day_first=day_first) if same[i] else None
            for i in range(len(export.rows))
        ]
    return out


def formula_warnings(refresh: Refresh, *, formulas: bool) -> list[str]:
    """The warning a seller gets when deadline formulas cannot count the extra working days."""
    if formulas and refresh.settings.extra_working:
        return [
            (
                "WORKDAY.INTL cannot count your extra working days: the deadline formulas ignore them "
                "(the values a refresh writes do not)"
            )
        ]
    return []


# -- conditional formatting ---------------------------------------------------------------------
ROW_TINTED = ("Overdue", "Due today", "At risk", "Check data")
_RISK_ALT = "|".join(re.escape(r) for r in RISKS)
_OUR_FORMULA = re.compile(rf'^\$[A-Z]{{1,3}}\d+="({_RISK_ALT})"$')


def orders_rules(  # noqa: PLR0913 - the block's rows and the letters of its columns the rules colour, by name
    first_row: int, last_row: int, last_col: str, *, risk_col: str, next_col: str, days_col: str
) -> list[RuleSpec]:
    """Our rules, highest priority first: Risk cells, the Days left scale, then the row tints."""
    rows = f"{first_row}:{last_row}" if last_row >= first_row else f"{first_row}:{first_row}"
    a, b = rows.split(":")
    rules: list[RuleSpec] = []
    for risk in RISKS:
        p = RISK_COLOURS[risk]
        rules.append(
            RuleSpec(
                f"{risk_col}{a}:{risk_col}{b} {next_col}{a}:{next_col}{b}",
                f'${risk_col}{a}="{risk}"',
                p.fill,
                p.font,
                bold=risk in ROW_TINTED,
            )
        )
    rules.append(
        RuleSpec(
            f"{days_col}{a}:{days_col}{b}", scale=[("num", -1, "F8696B"), ("num", 2, "FFEB84"), ("num", 7, "63BE7B")]
        )
    )
    rules.extend(
        RuleSpec(f"A{a}:{last_col}{b}", f'${risk_col}{a}="{risk}"', RISK_COLOURS[risk].row_fill) for risk in ROW_TINTED
    )
    return rules


def is_our_rule(rule: Rule, sqref: str | MultiCellRange, days_letter: str | None) -> bool:
    """True for a conditional-format rule an earlier refresh wrote (so it is replaced, not stacked)."""
    if rule.type == "expression" and rule.formula and len(rule.formula) == 1:
        return bool(_OUR_FORMULA.match(rule.formula[0].lstrip("=")))
    if rule.type == "colorScale":
        cols = {re.sub(r"\d", "", part) for rng in str(sqref).split() for part in rng.split(":")}
        return days_letter is not None and cols == {days_letter}
    return False


def apply_rules(ws: Worksheet, rules: list[RuleSpec], previous_days_letters: set[str]) -> None:
    """Replace the rules we own on the sheet with ``rules``; the seller's own rules stay."""
    kept = ConditionalFormattingList()
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            if not any(is_our_rule(rule, cf.sqref, d) for d in previous_days_letters | {None}):
                kept.add(str(cf.sqref), rule)
    ws.conditional_formatting = ConditionalFormattingList()
    for spec in rules:
        if spec.scale:
            writer.add_color_scale(ws, spec.sqref, spec.scale)
        elif spec.formula is not None:
            writer.add_formula_rule(ws, spec.sqref, spec.formula, fill=spec.fill, font=spec.font, bold=spec.bold)
    theirs = sorted(((str(cf.sqref), rule) for cf in kept for rule in cf.rules), key=lambda x: x[1].priority or 0)
    for sqref, rule in theirs:  # after ours, renumbered in their order: no two rules share a priority
        rule.priority = 0  # falsy: add() gives the next number
        ws.conditional_formatting.add(sqref, rule)


# -- the sheet (openpyxl engine) -----------------------------------------------------------------
def our_formats(columns: list[ComputedColumn]) -> dict[str, str | None]:
    """Number format of each of our columns."""
    return {c.header: STYLES[c.style].num_format if c.style else None for c in columns}


def used_rows(ws: Worksheet | ReadOnlyWorksheet) -> Iterator[tuple[int, list[object]]]:
    """(sheet row, values from column A to its last used cell) of each row holding a value, in order.

    Only the cells the sheet stores are visited: ``ws._cells`` of a loaded sheet, the parsed XML
    rows of a read-only one. ``iter_rows`` up to ``max_row``/``max_column`` would walk (and, on a
    loaded sheet, create) every cell of the rectangle up to the farthest one: a note typed at
    A1048576 made that 1,048,576 rows x the block's width. Formulas come as :class:`Formula`.
    """
    cells: Iterator[tuple[int, int, object, str]]
    if isinstance(ws, ReadOnlyWorksheet):
        cells = _read_only_cells(ws)
    else:
        cells = ((r, c, cell.value, cell.data_type) for (r, c), cell in sorted(_stored_cells(ws).items()))
    number, values = 0, list[object]()
    for r, c, v, kind in cells:
        if v is None:
            continue
        if r != number:
            if values:
                yield number, values
            number, values = r, []
        values.extend([None] * (c - 1 - len(values)))
        values.append(Formula(v) if kind == "f" and isinstance(v, str) else v)
    if values:
        yield number, values


def _stored_cells(ws: Worksheet) -> dict[tuple[int, int], Cell | MergedCell]:
    """The cells a loaded sheet stores, by (row, column): openpyxl keeps them in a private dict.

    Its public ways in (``iter_rows``, ``ws.cell``) create every cell they visit.
    """
    return ws._cells  # noqa: SLF001 - the only way to visit stored cells without creating the rest


class _ReadOnlySource(Protocol):
    """What :func:`_read_only_cells` uses of a read-only sheet that openpyxl's stubs leave out."""

    _shared_strings: Sequence[str]

    def _get_source(self) -> AbstractContextManager[IO[bytes]]: ...


class _BookFormats(Protocol):
    """The number formats a loaded workbook reads dates by (private in openpyxl, not in its stubs)."""

    _date_formats: Container[int]
    _timedelta_formats: Container[int]


class _Styled(Protocol):
    """A cell's whole look as openpyxl stores it (private, not in its stubs)."""

    _style: StyleArray


def _read_only_cells(ws: ReadOnlyWorksheet) -> Iterator[tuple[int, int, object, str]]:
    """A read-only sheet's stored cells, from openpyxl's own parser.

    Its ``iter_rows`` fills the rows and columns missing from the XML; the parser needs the
    sheet's source and the book's formats, which openpyxl keeps private.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    book, source = ws.parent, cast("_ReadOnlySource", ws)
    formats = cast("_BookFormats", book)
    with source._get_source() as src:  # noqa: SLF001 - see the docstring
        parser = WorkSheetParser(
            src,
            source._shared_strings,  # noqa: SLF001 - see the docstring
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=formats._date_formats,  # noqa: SLF001 - see the docstring
            timedelta_formats=formats._timedelta_formats,  # noqa: SLF001 - see the docstring
        )
        for _, row in parser.parse():
            for cell in row:
                yield cell["row"], cell["column"], cell["value"], cell["data_type"]


def read_grid(ws: Worksheet) -> tuple[Grid, dict[str, str]]:
    """The sheet's used cells as a :class:`Grid`, and the number format of each header's first data cell.

    The grid: row 1, the order rows, the seller's cells below them.
    """
    grid = read_rows(used_rows(ws))
    return grid, first_row_formats(ws, grid.header)


def first_row_formats(ws: Worksheet, header: list[object]) -> dict[str, str]:
    """Header -> number format of its first data cell (row 2), where it is not General."""
    cells = getattr(ws, "_cells", {})
    formats: dict[str, str] = {}
    for c, h in enumerate(header, start=1):
        cell = cells.get((2, c))
        if cell is not None and not is_blank(h) and cell.number_format != "General":
            formats[str(h)] = cell.number_format
    return formats


def write_strays(
    ws: Worksheet,
    strays: list[Stray],
    old_header: list[object],
    block: Block,
    originals: Mapping[tuple[int, int], Cell | MergedCell | None],
) -> list[str]:
    """The seller's cells below the orders written back (:func:`.orders_block.place_strays`).

    Each keeps its own look (``originals``: (row, column) -> the cell as it was).
    """
    placed, lines = place_strays(strays, old_header, block.header, block.n_rows + 1, ws.title)
    for stray, row, column in placed:
        cell = _new_cell(ws, row, column)
        if isinstance(stray.value, Formula):
            writer.set_formula(cell, str(stray.value))
        else:
            writer.set_value(cell, stray.value)  # text stays text
        old = originals.get((stray.row, stray.column))
        if old is not None:
            cast("_Styled", cell)._style = copy(cast("_Styled", old)._style)  # noqa: SLF001 - a cell's whole look
            cell.hyperlink = old.hyperlink
            cell.comment = old.comment
    return lines


def _new_cell(ws: Worksheet, row: int, column: int) -> Cell:
    """A cell of a sheet :func:`write_block` cleared: a plain :class:`Cell` (openpyxl makes merged ones on load)."""
    return cast("Cell", ws.cell(row, column))


def _table_ok(headers: list[object]) -> bool:
    names = [str(h).strip().lower() for h in headers if h is not None]
    return len(names) == len(headers) and all(names) and len(set(names)) == len(names)


def update_orders(  # noqa: PLR0913 - the sheet, its settings and source; the rest keyword-only
    book: Workbook,
    ws: Worksheet,
    settings: Settings,
    source: str,
    *,
    formulas: bool | None = None,
    refresh: Refresh | None = None,
    export: Export | None = None,
    by_urgency: bool = False,
    grid: Grid | None = None,
    rest: Rest | None = None,
) -> tuple[Refresh, list[str]]:
    """Apply the Orders block to an openpyxl sheet; returns the refresh and warnings for the seller.

    ``export`` (a loaded file) replaces the sheet's export whole; without it the export is what
    the sheet holds (a refresh after a paste). ``refresh`` given: a new workbook, already computed.
    ``by_urgency``: rows most urgent first, the seller's values with their orders. ``grid``: the
    sheet's cells read by a faster reader (``ws`` then holds row 1, row 2 and the cells below the
    orders); ``rest``: the data rows are left to the caller to stream (:mod:`.inplace`).
    """
    if grid is None:
        grid, old_formats = read_grid(ws)
    else:
        old_formats = first_row_formats(ws, grid.header)
    header, rows = grid.header, grid.rows
    cells = _stored_cells(ws)
    originals = {(x.row, x.column): cells.get((x.row, x.column)) for x in grid.strays}
    in_place = export is None and refresh is None
    if refresh is not None:
        export = refresh.export
    elif export is None:
        export = sheet_export(header, rows, source, ws.title, settings.edd_column)
    old_cols = split_header(header)
    if formulas is None:  # keep what the workbook had
        col = old_cols.ours.get("Ship-by deadline")
        formulas = col is not None and any(isinstance(r[col], Formula) for r in rows[:5] if col < len(r))
    seller_widths = {str(header[c]): ws.column_dimensions[get_column_letter(c + 1)].width for c in old_cols.seller}
    seller_formats = {str(header[c]): old_formats.get(str(header[c])) for c in old_cols.seller}
    old_days = {get_column_letter(old_cols.ours["Days left"] + 1)} if "Days left" in old_cols.ours else set()
    try:
        p = plan(header, rows, export, in_place=in_place, edd_column=settings.edd_column, sheet=ws.title)
    except OrdersSheetError as exc:
        raise WorkbookError(str(exc)) from None
    if refresh is None:
        refresh = run(p.assessed, settings)
    computed = computed_columns(refresh)
    block = build(
        p,
        computed,
        day_first=settings.market.day_first,
        old_formats=old_formats,
        our_formats=our_formats(computed),
        by_urgency=by_urgency,
        formulas=(lambda at: formula_columns(refresh, 2, {f: c + 1 for f, c in at.items()})) if formulas else None,
    )
    warnings = list(block.warnings)
    if not block.n_rows:
        warnings.append(
            f"the {ws.title} sheet has no order rows under its headers - paste the export at A1, or click Load export"
        )
    live = formulas and any(isinstance(v, Formula) for r in islice(block.rows(), 1) for v in r)
    if live:
        book.calculation.fullCalcOnLoad = True  # Excel computes them on open
    warnings += formula_warnings(refresh, formulas=bool(live))
    warnings += write_block(
        book,
        ws,
        block,
        {c.header: c.style for c in computed},
        seller_formats=seller_formats,
        seller_widths=seller_widths,
        old_days=old_days,
        rest=rest,
    )
    warnings += write_strays(ws, grid.strays, header, block, originals)
    if grid.beyond:
        warnings.append(
            f"{ws.title}: {grid.beyond:,} cell(s) past Excel's last row (1,048,576) or column (XFD) "
            f"were not read: Excel cannot show them"
        )
    return refresh, warnings


def template_orders(book: Workbook, ws: Worksheet, headers: list[str], widths: dict[str, float] | None = None) -> None:
    """An Orders sheet with no orders yet, in the block's layout (for ``workbook_template.xlsm``).

    Row 1, our styles on row 2, the Table, the colours over whole columns, frozen panes.

    ``widths``: export header -> width, sized for what staff will paste.
    """
    export = export_from_table("template", [list(headers)])
    columns = [ComputedColumn(h, [], STYLE.get(h), WIDTHS.get(h, 16)) for h in (*COLUMNS, KEY_HEADER)]
    block = build(plan([], [], export, in_place=False), columns, day_first=False, our_formats=our_formats(columns))
    write_block(
        book,
        ws,
        block,
        {c.header: c.style for c in columns},
        seller_formats={},
        seller_widths={},
        old_days=set(),
        rule_rows=1048576,
    )
    for c, (h, k) in enumerate(zip(block.header, block.kinds, strict=True), start=1):
        letter = get_column_letter(c)
        if k == "export" and widths and isinstance(h, str) and h in widths:
            ws.column_dimensions[letter].width = widths[h]
        style = STYLE.get(h) if k == "ours" and isinstance(h, str) else None
        if style:
            writer.style_cell(ws.cell(2, c), style)


def write_block(  # noqa: PLR0913 - the sheet, the block and our styles; what an engine keeps, keyword-only
    book: Workbook,
    ws: Worksheet,
    block: Block,
    our_styles: Mapping[str, str | None],
    *,
    seller_formats: Mapping[str, str | None],
    seller_widths: Mapping[str, float | None],
    old_days: set[str],
    rule_rows: int | None = None,
    rest: Rest | None = None,
) -> list[str]:
    """The openpyxl engine: the sheet's cells replaced by the block's, then the Table, rules and view.

    Returns warnings for the seller. ``rule_rows``: colour that many rows (default: the block's).
    ``rest``: only row 1 is written; the data rows' block and cell styles are handed over in it.
    """
    _stored_cells(ws).clear()
    for key in list(ws.column_dimensions):
        del ws.column_dimensions[key]
    styles = [
        our_styles.get(h) if k == "ours" and isinstance(h, str) else None
        for h, k in zip(block.header, block.kinds, strict=True)
    ]
    formats = [
        seller_formats.get(str(h)) or f if k == "seller" else f
        for h, k, f in zip(block.header, block.kinds, block.formats, strict=True)
    ]
    _write_header(ws, block)
    sample: list[list[object]] = [[] for _ in block.header]
    for r, row in enumerate(block.rows(), start=2):
        if rest is not None and r > WIDTH_SAMPLE + 1:
            break
        for c, v in enumerate(row):
            if rest is None and (v is not None or styles[c]):
                put_cell(_new_cell(ws, r, c + 1), v, styles[c], formats[c])
            if v is not None and r <= WIDTH_SAMPLE + 1:
                sample[c].append(v)
    if rest is not None:
        rest.block = block
        rest.styles = [column_styles(ws, s, f) for s, f in zip(styles, formats, strict=True)]
    _set_widths(ws, block, sample, formats, seller_widths)
    ws.column_dimensions[get_column_letter(block.ours[KEY_HEADER] + 1)].hidden = True
    ws.row_dimensions[1].height = 30

    last_row = max(block.n_rows + 1, 2)
    named = [c for c, h in enumerate(block.header) if not is_blank(h)]
    last_col = get_column_letter(max(named) + 1)
    warnings = _write_table(book, ws, block.header, f"A1:{last_col}{last_row}")
    letter = {h: get_column_letter(c + 1) for h, c in block.ours.items()}
    rules = orders_rules(
        2,
        rule_rows or last_row,
        last_col,
        risk_col=letter["Risk"],
        next_col=letter["Next auto-cancel"],
        days_col=letter["Days left"],
    )
    apply_rules(ws, rules, old_days | {letter["Days left"]})
    writer.freeze(ws, f"{get_column_letter(block.frozen + 1)}2")
    ws.sheet_properties.tabColor = "C00000"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.scale = PRINT_SCALE
    ws.print_title_rows = "1:1"
    ws.print_title_cols = f"A:{get_column_letter(block.frozen)}"
    return warnings


def _set_widths(
    ws: Worksheet,
    block: Block,
    sample: list[list[object]],
    formats: list[str | None],
    seller_widths: Mapping[str, float | None],
) -> None:
    """Column widths: ours fixed, the seller's as they set them, the others sized by ``sample``."""
    for c, (h, k) in enumerate(zip(block.header, block.kinds, strict=True)):
        seller_width = seller_widths.get(str(h)) if k == "seller" else None
        width: float
        if k == "ours" and isinstance(h, str):
            width = WIDTHS.get(h, 16)
        elif seller_width is not None and seller_width != UNSIZED_WIDTH:
            width = seller_width
        else:
            width = column_width(h, sample[c], formats[c])
        ws.column_dimensions[get_column_letter(c + 1)].width = width


def _write_header(ws: Worksheet, block: Block) -> None:
    """Row 1: the block's headers, each in the look of its kind (the seller's wrap at the top)."""
    heads = {"ours": "computed_head", "export": "input_head"}
    for c, (h, k) in enumerate(zip(block.header, block.kinds, strict=True), start=1):
        cell = _new_cell(ws, 1, c)
        writer.set_value(cell, h)
        writer.style_cell(cell, "key_head" if h == KEY_HEADER else heads.get(k))
        if k == "seller":
            cell.alignment = Alignment(vertical="top", wrap_text=True)


def _write_table(book: Workbook, ws: Worksheet, header: list[object], ref: str) -> list[str]:
    """The Orders Excel Table over ``ref`` (earlier tables and filters of the sheet removed), or a filter.

    Excel refuses a Table with an empty or repeated header: those get a filter and a warning.
    """
    writer.remove_table(book, ORDERS_TABLE)
    for tname in list(ws.tables):  # an earlier table over the export (any name)
        del ws.tables[tname]
    ws.auto_filter.ref = None
    if not _table_ok(header):
        ws.auto_filter.ref = ref
        return ["row 1 has empty or repeated headers: the Orders sheet got a filter, not an Excel Table"]
    writer.add_table(book, ws, TableSpec(ORDERS_TABLE, ref, "TableStyleLight1"))
    table = ws.tables[ORDERS_TABLE]
    table._initialise_columns()  # noqa: SLF001 - named here: openpyxl's save would make every cell of the range
    for column, h in zip(table.tableColumns, header, strict=False):
        column.name = str(h)
    return []


def put_cell(cell: Cell, v: object, style: str | None, num_format: str | None) -> None:
    """One cell of the block: its value (a formula, or text kept as text) and its column's look."""
    if v is not None:
        if isinstance(v, Formula):
            writer.set_formula(cell, str(v))
        else:
            writer.set_value(cell, v)
    if style:
        writer.style_cell(cell, style)
    if num_format and v is not None:
        cell.number_format = num_format


@dataclass
class ColumnStyles:
    """The cell style index (``s=``) :func:`put_cell` gives a column's cells, by kind of value."""

    blank: int | None  # an empty cell: None when it is not written at all
    value: int  # text, numbers, formulas
    date: int  # a date or date-time (openpyxl gives one a date format when the column has none)


def column_styles(ws: Worksheet, style: str | None, num_format: str | None) -> ColumnStyles:
    """What :func:`put_cell` makes of each kind of value in a column, read off cells not on the sheet."""

    def index(v: object) -> int:
        cell = Cell(ws, row=1, column=1)  # not on the sheet: only its style is read
        put_cell(cell, v, style, num_format)
        return cell.style_id if cell.has_style else 0

    return ColumnStyles(index(None) if style else None, index("x"), index(dt.datetime(2000, 1, 1)))


@dataclass
class Rest:
    """The data rows :func:`write_block` leaves to a streaming writer, and their cell styles."""

    block: Block | None = None
    styles: list[ColumnStyles] = field(default_factory=list)


def column_width(header: object, values: Sequence[object], num_format: str | None = None) -> float:
    """Column width from the header and the first values (as shown), within 9..42 characters."""
    shown = (
        len(num_format.replace("AM/PM", "AM"))
        if num_format and any(isinstance(v, (dt.date, int, float)) for v in values)
        else 0
    )
    longest = max([shown] + [len(str(v)) for v in values if isinstance(v, str) and v != ""])
    head = min(len(str(header or "")), 18) + 3  # long headers wrap onto two lines
    return float(min(max(head, longest + 2, 9), 42))
