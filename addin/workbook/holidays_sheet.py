"""The Holidays sheet: the non-working days a refresh used, and the seller's own days.

Left: every non-working day that is not a plain weekend, for the years in the data (date, name,
market), rewritten by each refresh; its dates are the defined name ``NonWorkingDays`` that the
``--formulas`` deadlines pass to ``WORKDAY.INTL``. Right: two lists the seller edits and a refresh
reads back: extra non-working days (a warehouse closure, Chinese New Year for a cross-border
seller) and extra working days (a Saturday the warehouse opens).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl.utils import get_column_letter

from ..core.calendar import weekend_text
from .grid import Book, Grid, cell_date
from .layout import HOLIDAYS, Cell, PageSpec, SheetContent, TableSpec, is_blank

if TYPE_CHECKING:
    import datetime as dt

    from ..pipeline import Settings

#: One row of the seller's lists as read: (date cell's value, note, cell named for messages).
ExtraRow = tuple[object, object, str]

TITLE_OFF = "Extra non-working days (yours)"
TITLE_WORKING = "Extra working days (yours)"
TITLE_USED = "Non-working days used"
HEAD_ROW = 5
FIRST_ROW = HEAD_ROW + 1
USED_COLS, OFF_COLS, WORKING_COLS = ("A", "B", "C"), ("E", "F"), ("H", "I")


def holiday_rows(settings: Settings, years: range) -> list[tuple[dt.date, str, str]]:
    """(date, name, market code) of every non-working day but plain weekends, in those years."""
    days = settings.calendar.non_working_days(years.start, years.stop - 1)
    return [(d, name, settings.market.code) for d, name in days]


def holidays_content(
    settings: Settings,
    years: range,
    extra_off: list[tuple[object, object]] | None = None,
    extra_working: list[tuple[object, object]] | None = None,
) -> SheetContent:
    """The whole sheet; ``extra_off``/``extra_working`` are the seller's (date, note) rows to keep."""
    if extra_off is None:
        extra_off = [(d, "") for d in sorted(settings.extra_off)]
    if extra_working is None:
        extra_working = [(d, "") for d in sorted(settings.extra_working)]
    m = settings.market
    c = SheetContent(
        widths={"A": 16, "B": 44, "C": 9, "D": 3, "E": 16, "F": 30, "G": 3, "H": 16, "I": 30},
        tab_color="7F7F7F",
        show_grid=False,
        freeze=f"A{FIRST_ROW}",
        page=PageSpec(fit_height=0),
    )
    years_text = f"{years.start}" if len(years) == 1 else f"{years.start}-{years.stop - 1}"
    cells: list[Cell] = [
        ("A1", "Holidays and working days", "title"),
        (
            "A2",
            (
                f"{m.name} ({m.code}), {years_text}. Weekend: {weekend_text(m.weekend)}. Each refresh rewrites the "
                "list on the left; the two yellow lists are yours and are read back."
            ),
            "subtitle",
        ),
        ("A4", TITLE_USED, "section"),
        ("B4", None, "section"),
        ("C4", None, "section"),
        ("E4", TITLE_OFF, "section"),
        ("F4", None, "section"),
        ("H4", TITLE_WORKING, "section"),
        ("I4", None, "section"),
    ]
    for cols, heads in (
        (USED_COLS, ("Date", "Name", "Market")),
        (OFF_COLS, ("Date", "Note")),
        (WORKING_COLS, ("Date", "Note")),
    ):
        cells += [(f"{k}{HEAD_ROW}", h, "head") for k, h in zip(cols, heads, strict=True)]
    used = holiday_rows(settings, years)
    for i, (day, name, code) in enumerate(used):
        r = FIRST_ROW + i
        cells += [(f"A{r}", day, "iso_date"), (f"B{r}", name, None), (f"C{r}", code, None)]
    for cols, rows, table in ((OFF_COLS, extra_off, "ExtraDaysOff"), (WORKING_COLS, extra_working, "ExtraWorkingDays")):
        n = max(len(rows), 1)
        for i in range(max(n, 12)):  # a few yellow rows to type into
            typed, note = rows[i] if i < len(rows) else (None, None)
            cells += [
                (f"{cols[0]}{FIRST_ROW + i}", typed, "editable_date"),
                (f"{cols[1]}{FIRST_ROW + i}", note, "editable"),
            ]
        c.tables.append(TableSpec(table, f"{cols[0]}{HEAD_ROW}:{cols[1]}{HEAD_ROW + max(n, 12)}", "TableStyleLight12"))
    last_used = FIRST_ROW + max(len(used), 1) - 1
    c.tables.insert(0, TableSpec("HolidaysUsed", f"A{HEAD_ROW}:C{last_used}", "TableStyleLight8"))
    c.names["NonWorkingDays"] = f"$A${FIRST_ROW}:$A${last_used}"
    c.cells = cells
    return c


#: How far down the seller's lists are read (a few dozen days a year, for a few years).
MAX_ROWS = 5000


def _grid(book: Book, source: str | None) -> Grid | None:
    return Grid.of(book[HOLIDAYS], HOLIDAYS, source, MAX_ROWS) if HOLIDAYS in book.sheetnames else None


def _find_title(grid: Grid, title: str) -> tuple[int, int] | None:
    for row in range(1, min(grid.max_row, 12) + 1):
        for col in range(1, 31):
            v = grid.get(row, col)
            if isinstance(v, str) and v.strip().lower() == title.lower():
                return row, col
    return None


def read_extra_rows(book: Book, title: str, source: str | None = None, grid: Grid | None = None) -> list[ExtraRow]:
    """(date value, note, cell ref) of the non-blank rows of one of the seller's lists."""
    grid = grid or _grid(book, source)
    if grid is None:
        return []
    at = _find_title(grid, title)
    if at is None:
        return []
    row0, col = at[0] + 2, at[1]
    prefix = f"{source}: " if source else ""
    out: list[ExtraRow] = []
    for row in range(row0, grid.max_row + 1):
        day, note = grid.get(row, col), grid.get(row, col + 1)
        if is_blank(day):
            continue
        out.append((day, note, f"{prefix}{HOLIDAYS}!{get_column_letter(col)}{row}"))
    return out


def _both(book: Book, source: str | None) -> tuple[list[ExtraRow], list[ExtraRow]]:
    grid = _grid(book, source)
    return (
        read_extra_rows(book, TITLE_OFF, source, grid) if grid else [],
        read_extra_rows(book, TITLE_WORKING, source, grid) if grid else [],
    )


def read_extra_days(book: Book, source: str | None = None) -> tuple[list[dt.date], list[dt.date]]:
    """The seller's extra non-working and extra working days from the Holidays sheet."""
    off, working = _both(book, source)
    return [cell_date(v, where) for v, _, where in off], [cell_date(v, where) for v, _, where in working]


def extra_rows_for_rewrite(
    book: Book, source: str | None = None
) -> tuple[list[tuple[object, object]], list[tuple[object, object]]] | None:
    """The seller's two lists as (date, note) rows, to write back when the sheet is rebuilt."""
    if HOLIDAYS not in book.sheetnames:
        return None
    off, working = _both(book, source)
    return [(cell_date(v, w), n) for v, n, w in off], [(cell_date(v, w), n) for v, n, w in working]
