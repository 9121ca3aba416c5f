r"""The buttons: a thin xlwings adapter over the pipeline and the Orders block.

The macros (``addin/vba/*``) call four entry points::

    RunPython "import addin.excel; addin.excel.refresh()"
    RunPython "import addin.excel; addin.excel.sort_by_urgency()"
    RunPython "import addin.excel; addin.excel.load_export(""C:\\path\\orders.csv"")"
    RunPython "import addin.excel; addin.excel.load_pasted()"

- ``refresh(book=None)``: the export is what Orders holds (the seller may have pasted over it);
- ``sort_by_urgency(book=None)``: the same, the rows most urgent first;
- ``load_export(path, book=None)``: today's export file (chosen with ``GetOpenFilename``) replaces
  the Orders export whole, read by ``addin.io.export.read_export``;
- ``load_pasted(book=None)``: the same from the hidden ``Paste`` sheet where the VBA pasted the
  clipboard as values; the sheet is cleared afterwards.

Each hands what it reads to the same code as ``autocancel refresh`` / ``autocancel load``:
``read_settings`` (on the values of Settings and Holidays), :func:`addin.pipeline.run`, and the
Orders block (:mod:`addin.workbook.orders_block`: the seller's columns follow their Order ID +
SKU ID through the hidden ``Row key``).

Moving cells between Python and Excel is what a big shop waits for, so the button moves only
what changes:

- Orders is read as row 1, then the block of rows touching A1 (Excel's current region: the
  orders), then at most :data:`LOOKAHEAD` rows more while order rows continue. A note typed
  far below (Z100000) is never part of a read: cells below the last order row are the seller's
  (:func:`addin.workbook.orders_block.read_rows`), kept where they are, and moved only when
  today's orders grow over them.
- The new block is compared with what the sheet holds; only the columns that differ are written,
  each run of neighbouring columns in ONE assignment over the rows that differ (our columns on a
  new day; the export when a new one came; the seller's columns when their rows moved). A
  refresh that changes nothing writes nothing to Orders.
- Text goes in behind an apostrophe (Excel keeps IDs and buyer text as typed); one number-format
  call per run of columns with the same format; the Summary and Holidays one assignment each.

Screen updating and calculation are off while it works and are ALWAYS restored; progress shows in
Excel's status bar; warnings are one message box (``info``), a failure one message box
(``critical``), never a traceback. The tests drive it with a fake Book that records every call
(tests/test_excel.py, tests/test_excel_calls.py, tests/test_journeys.py).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .core.calendar import OutOfCalendar
from .errors import AutocancelError
from .io.export import ExportError, export_from_table, read_export
from .pipeline import Refresh, run
from .workbook import holidays_content, summary_content
from .workbook.grid import MAX_COL, MAX_ROW, Grid, GridBook
from .workbook.holidays_sheet import MAX_ROWS as HOLIDAY_ROWS
from .workbook.holidays_sheet import extra_rows_for_rewrite
from .workbook.layout import (
    HOLIDAYS,
    KEY_HEADER,
    ORDERS,
    ORDERS_TABLE,
    PASTE,
    SETTINGS,
    STYLES,
    SUMMARY,
    SheetContent,
    Style,
    is_blank,
)
from .workbook.orders_block import (
    Block,
    Formula,
    OrdersSheetError,
    Stray,
    build,
    is_order_row,
    place_strays,
    plan,
    read_rows,
    sheet_export,
    split_header,
)
from .workbook.orders_block import Grid as OrdersGrid
from .workbook.orders_sheet import (
    computed_columns,
    formula_columns,
    formula_warnings,
    our_formats,
)
from .workbook.refresh import data_years
from .workbook.settings_sheet import read_settings, settings_updates
from .workbook.values import cell_value

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    import xlwings as xw

    from .core.export import Export
    from .pipeline import Settings

TITLE = "Auto-cancel guard"
#: Excel refuses Range addresses longer than 255 characters; multi-area lists are split below it.
_MAX_ADDRESS = 250
#: Rows read below the orders' block, to find orders after a blank row and the seller's notes
#: near them; cells further down are never read unless today's orders reach them.
LOOKAHEAD = 1000
#: A date-time read back from Excel may differ from the one written by float rounding, never by this.
_SAME_TIME = dt.timedelta(milliseconds=1)


class RefreshError(AutocancelError):
    """Something the seller can fix; the message is shown as it is."""


# -- reading -----------------------------------------------------------------------------------


def _sheets(book: xw.Book) -> dict[str, xw.Sheet]:
    """The book's sheets by name as a seller types it (case and outer spaces ignored)."""
    return {s.name.strip().lower(): s for s in book.sheets}


def _sheet(book: xw.Book, name: str) -> xw.Sheet:
    sheet = _sheets(book).get(name.lower())
    if sheet is None:
        names = ", ".join(s.name for s in book.sheets)
        raise RefreshError(f"this workbook has no {name!r} sheet (sheets: {names})")
    return sheet


def _far_corner(sheet: xw.Sheet) -> tuple[int, int]:
    """Row and column of the used range's bottom-right cell (no values are read)."""
    used = sheet.used_range
    rows, cols = used.shape
    return used.row + rows - 1, used.column + cols - 1


def _values(sheet: xw.Sheet, first: tuple[int, int], last: tuple[int, int]) -> list[list[object]]:
    """One read of a rectangle, always as rows of values."""
    return [list(r) for r in (sheet.range(first, last).options(ndim=2).value or [])]


def read_block(
    sheet: xw.Sheet, max_row: int | None = None, max_col: int | None = None
) -> tuple[list[list[object]], int, int]:
    """The sheet's used range in ONE read: (rows, first row, first column), 1-based.

    Cut at ``max_row`` x ``max_col``, what the reader of that sheet looks at.
    """
    used = sheet.used_range
    last_row, last_col = _far_corner(sheet)
    last_row, last_col = min(last_row, max_row or last_row), min(last_col, max_col or last_col)
    if used.row > last_row or used.column > last_col:
        return [], used.row, used.column
    return _values(sheet, (used.row, used.column), (last_row, last_col)), used.row, used.column


def grid_from_block(values: list[list[object]], row0: int, col0: int) -> tuple[list[object], list[list[object]]]:
    """The used range's values as the sheet from A1: row 1 and the rows under it."""
    width = max((len(r) for r in values), default=0) + col0 - 1
    grid: list[list[object]] = [[None] * width for _ in range(row0 - 1)]
    grid += [[None] * (col0 - 1) + list(r) for r in values]
    if not grid:
        return [], []
    return grid[0], grid[1:]


@dataclass
class OrdersCells:
    """What the button read of the Orders sheet.

    Every cell of rows 1..``height`` x columns 1..``width`` (``rows``), the cells read later
    around them (``extra``), and the used range's far corner. The orders, the seller's cells
    below them and the header are in ``grid``.
    """

    rows: list[list[object]]
    width: int
    last_row: int
    last_col: int
    grid: OrdersGrid
    extra: dict[tuple[int, int], object] = field(default_factory=dict)

    @property
    def height(self) -> int:
        """Rows read from row 1."""
        return len(self.rows)

    def holds(self, height: int, width: int) -> list[list[object]]:
        """What the sheet holds in rows 1..``height`` x columns 1..``width`` (None: blank)."""
        out = [
            values[:width] + [None] * (width - len(values[:width]))
            for values in self.rows[:height] + [[]] * max(0, height - self.height)
        ]
        for (r, c), v in self.extra.items():
            if r <= height and c <= width:
                out[r - 1][c - 1] = v
        return out

    def cover(self, sheet: xw.Sheet, height: int, width: int) -> list[Stray]:
        """Read what a block of ``height`` x ``width`` covers and was not read yet.

        That is a longer or wider export than last time, plus :data:`LOOKAHEAD` rows under it
        where the seller's moved notes go; returns the seller's cells found there.
        """
        found: list[Stray] = []

        def take(first: tuple[int, int], last: tuple[int, int]) -> None:
            if first[0] > last[0] or first[1] > last[1]:
                return
            for r, values in enumerate(_values(sheet, first, last), start=first[0]):
                for c, v in enumerate(values, start=first[1]):
                    if not is_blank(v):
                        self.extra[r, c] = v
                        found.append(Stray(r, c, v))

        wide = min(max(width, self.width), self.last_col)
        if height > self.height:
            take((self.height + 1, 1), (min(height + LOOKAHEAD, self.last_row), wide))
        if width > self.width:
            take((1, self.width + 1), (min(self.height, height + LOOKAHEAD), min(width, self.last_col)))
        return found


def read_orders(sheet: xw.Sheet) -> OrdersCells:
    """The Orders sheet in a few bounded reads (see the module docstring)."""
    last_row, last_col = _far_corner(sheet)
    head = _values(sheet, (1, 1), (1, last_col))[0]
    width = 1 + max((i for i, h in enumerate(head) if not is_blank(h)), default=-1)
    rows: list[list[object]] = [head[:width]]
    if width:
        region = sheet.range((1, 1)).current_region
        end = min(region.row + region.shape[0] - 1, last_row)
        if end > 1:
            rows += _values(sheet, (2, 1), (end, width))
        cols = split_header(rows[0])
        while len(rows) < last_row:  # orders after a blank row; the seller's notes near them
            chunk = _values(sheet, (len(rows) + 1, 1), (min(len(rows) + LOOKAHEAD, last_row), width))
            rows += chunk
            if not any(is_order_row(r, cols.export, cols.key) for r in chunk):
                break
    grid = read_rows((n, r) for n, r in enumerate(rows, start=1) if n == 1 or any(not is_blank(v) for v in r))
    return OrdersCells(rows, width, last_row, last_col, grid)


def export_from_values(
    values: Sequence[Sequence[object]],
    source: str,
    edd_column: str | None = None,
    sheet: str = ORDERS,
) -> Export:
    """The export in a sheet's values (row 1 = its header row); our columns are left out.

    Cleaned and mapped as ``read_export`` does a file (tabs stripped, IDs as text).
    """
    if not values or all(is_blank(v) for v in values[0]):
        raise RefreshError(
            f"{source}: row 1 is empty - paste the TikTok Shop export, header row included, at A1, or click Load export"
        )
    try:
        return sheet_export(values[0], values[1:], source, sheet, edd_column)
    except OrdersSheetError as exc:
        raise RefreshError(str(exc)) from None


def read_settings_from(book: xw.Book) -> tuple[Settings, GridBook]:
    """(Settings, the sheets read): Settings and Holidays read with the layer's own reader.

    Each sheet is read in one read of the cells its reader looks at.
    """
    sheets = _sheets(book)
    grids = {}
    for name, max_row in ((SETTINGS, MAX_ROW), (HOLIDAYS, HOLIDAY_ROWS)):
        sheet = sheets.get(name.lower()) if name != SETTINGS else _sheet(book, SETTINGS)
        if sheet is not None:
            grids[name] = Grid.from_block(*read_block(sheet, max_row, MAX_COL), name)
    values_book = GridBook(grids)
    return read_settings(values_book), values_book


# -- writing -----------------------------------------------------------------------------------


def excel_value(v: object) -> object:
    """A value as xlwings writes it and reads it back: dates as date-times, blanks as None."""
    return cell_value(v, datetimes=True)


def _split_ref(ref: str) -> tuple[int, int]:
    letters = "".join(ch for ch in ref if ch.isalpha()).upper()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int("".join(ch for ch in ref if ch.isdigit())), col


def content_block(cells: Iterable[tuple[str, object, str | None]]) -> tuple[tuple[int, int], list[list[object]]]:
    """A workbook-layer cell list ``[(ref, value, style), ...]`` as one rectangle of values."""
    located = [(*_split_ref(ref), value) for ref, value, _ in cells]
    if not located:
        return (1, 1), [[None]]
    r0, c0 = min(r for r, _, _ in located), min(c for _, c, _ in located)
    r1, c1 = max(r for r, _, _ in located), max(c for _, c, _ in located)
    block: list[list[object]] = [[None] * (c1 - c0 + 1) for _ in range(r1 - r0 + 1)]
    for r, c, v in located:
        block[r - r0][c - c0] = excel_value(v)
    return (r0, c0), block


def _areas(refs: list[str]) -> Iterator[str]:
    """Cell references joined into multi-area addresses short enough for Excel."""
    chunk: list[str] = []
    for ref in refs:
        if chunk and len(",".join([*chunk, ref])) > _MAX_ADDRESS:
            yield ",".join(chunk)
            chunk = []
        chunk.append(ref)
    if chunk:
        yield ",".join(chunk)


def _apply_style(rng: xw.Range, st: Style, *, formats: bool) -> None:
    if st.num_format:
        rng.number_format = st.num_format
    if formats:
        if st.fill:
            rng.color = "#" + st.fill
        if st.bold:
            rng.font.bold = True
        if st.italic:
            rng.font.italic = True
        if st.size:
            rng.font.size = st.size
        if st.color:
            rng.font.color = "#" + st.color


def write_content(book: xw.Book, sheet: xw.Sheet, content: SheetContent, *, formats: bool = False) -> None:
    """A workbook-layer SheetContent: old values cleared, new ones in ONE assignment.

    Then the styles (one call per style and attribute over all its cells), the defined names and
    the sizes of the tables already there. ``formats=True`` clears old formats too (our own sheets).
    """
    if formats:
        sheet.used_range.clear()
    else:
        sheet.used_range.clear_contents()
    (r0, c0), block = content_block(content.cells)
    sheet.range((r0, c0)).value = block
    _write_styles(sheet, content, formats=formats)
    for name, ref in content.names.items():
        with suppress(Exception):  # a name Excel refuses must not stop the refresh
            book.names.add(name, f"='{sheet.name}'!{ref}")
    existing = _tables(sheet)
    for spec in content.tables:
        if spec.name in existing:
            existing[spec.name].resize(sheet.range(spec.ref))


def _write_styles(sheet: xw.Sheet, content: SheetContent, *, formats: bool) -> None:
    """The content's styles, one call per style and attribute over all its cells.

    With ``formats`` also fills, fonts, column widths and row heights.
    """
    by_style: dict[str, list[str]] = defaultdict(list)
    for ref, _, style in content.cells:
        if style in STYLES:
            by_style[style].append(ref)
    for style, refs in by_style.items():
        for address in _areas(refs):
            try:
                _apply_style(sheet.range(address), STYLES[style], formats=formats)
            except Exception:  # noqa: BLE001 - multi-area ranges can fail (Excel for Mac): one by one
                for ref in address.split(","):
                    _apply_style(sheet.range(ref), STYLES[style], formats=formats)
    if formats:
        for col, width in content.widths.items():
            sheet.range(f"{col}1").column_width = width
        for row, height in content.heights.items():
            sheet.range(f"A{row}").row_height = height


def _tables(sheet: xw.Sheet) -> dict[str, xw.main.Table]:
    try:
        return {t.name: t for t in sheet.tables}
    except Exception:  # noqa: BLE001 - ListObjects unavailable (e.g. some Mac versions)
        return {}


def cell_for_excel(v: object) -> object:
    """A block value as ``Range.value`` must receive it.

    Text goes behind an apostrophe, so Excel keeps it as typed (an 18-digit ID, "00123",
    "=HYPERLINK(...)" from a buyer); a :class:`Formula` as a formula; dates and numbers as they are.
    """
    if isinstance(v, Formula):
        return str(v)
    if isinstance(v, str):
        return "'" + v if v else None
    return excel_value(v)


def same_cell(old: object, new: object) -> bool:
    """True when a cell that reads back ``old`` already shows ``new`` (an :func:`excel_value`).

    A formula is always written: Excel gives back its result, not its text.
    """
    if isinstance(new, Formula):
        return False
    if new is None:
        return old is None or old == ""
    if isinstance(new, dt.datetime) and isinstance(old, dt.datetime):
        return abs(new - old) < _SAME_TIME
    if isinstance(new, bool) or isinstance(old, bool):
        return type(new) is type(old) and new == old
    if isinstance(new, int | float) and isinstance(old, int | float):
        return float(new) == float(old)
    return type(new) is type(old) and new == old


@dataclass(frozen=True)
class Run:
    """Neighbouring columns that changed, written in one assignment over the rows that changed."""

    first_col: int
    last_col: int
    first_row: int
    last_row: int


def changed_runs(old: list[list[object]], new: list[list[object]]) -> list[Run]:
    """The runs of neighbouring columns whose cells differ between two grids of the same shape.

    Grids are rows of values, row 1 being sheet row 1. A column that reads back the same is
    compared in one go; only a changed one is walked cell by cell, to find the rows that changed.
    """
    spans: dict[int, tuple[int, int]] = {}  # 1-based column -> first and last changed row
    for c, (was, now) in enumerate(zip(zip(*old, strict=True), zip(*new, strict=True), strict=True), start=1):
        if was == now and not any(isinstance(v, Formula) for v in now):
            continue
        differ = [r for r, (a, b) in enumerate(zip(was, now, strict=True), start=1) if a != b and not same_cell(a, b)]
        if differ:
            spans[c] = (differ[0], differ[-1])
    runs: list[Run] = []
    for c in sorted(spans):
        first, last = spans[c]
        if runs and runs[-1].last_col == c - 1:
            prev = runs.pop()
            runs.append(Run(prev.first_col, c, min(prev.first_row, first), max(prev.last_row, last)))
        else:
            runs.append(Run(c, c, first, last))
    return runs


def write_orders(sheet: xw.Sheet, block: Block, cells: OrdersCells, sheet_name: str = ORDERS) -> list[str]:
    """The xlwings engine of the Orders block; returns the lines about the seller's cells below the orders.

    Only the runs of columns that differ from what the sheet holds are written (one assignment
    each, see :func:`changed_runs`), one number-format call per run of same-format columns
    written, the Row key hidden when it moved, the seller's cells below the orders moved only
    when the orders grow over them, and the Orders table sized to the block.
    """
    height, width = block.n_rows + 1, len(block.header)
    found = cells.cover(sheet, height, width)
    strays = [*cells.grid.strays, *found]
    placed, lines = place_strays(strays, cells.grid.header, block.header, height, sheet_name)
    moved = [(s, r, c) for s, r, c in placed if (r, c) != (s.row, s.column)]
    span_rows = max(height, 1 + len(cells.grid.rows))
    span_cols = max(width, cells.width)
    pad = [None] * (span_cols - width)
    new = [[excel_value(v) for v in block.header] + pad]
    new += [[excel_value(v) for v in row] + pad for row in block.rows()]
    new += [[None] * span_cols for _ in range(span_rows - height)]
    for s, r, c in placed:  # the seller's cells that land inside the compared rectangle
        if r <= span_rows and c <= span_cols:
            new[r - 1][c - 1] = s.value
    runs = changed_runs(cells.holds(span_rows, span_cols), new)
    for rect in runs:
        sheet.range((rect.first_row, rect.first_col)).value = [
            [cell_for_excel(v) for v in new[r - 1][rect.first_col - 1 : rect.last_col]]
            for r in range(rect.first_row, rect.last_row + 1)
        ]
        _formats(sheet, block, rect, height)
    _hide_key(sheet, block, runs, split_header(cells.grid.header).key)
    outside = [(s, r, c) for s, r, c in moved if max(s.row, r) > span_rows or max(s.column, c) > span_cols]
    for s, _, _ in outside:  # the seller's cells outside the compared rectangle: each moved by itself
        if s.row > span_rows or s.column > span_cols:
            sheet.range((s.row, s.column)).clear_contents()
    for s, r, c in outside:
        if r > span_rows or c > span_cols:
            sheet.range((r, c)).value = cell_for_excel(s.value)
    table = _tables(sheet).get(ORDERS_TABLE)
    if table is not None:
        table.resize(sheet.range((1, 1), (max(height, 2), width)))
    return lines


def _hide_key(sheet: xw.Sheet, block: Block, runs: list[Run], old_key: int | None) -> None:
    """The Row key hidden when its column was written anew, the column it hid before shown."""
    key = block.ours[KEY_HEADER] + 1
    if any(rect.first_row == 1 and rect.first_col <= key <= rect.last_col for rect in runs):
        sheet.range((1, key)).column_width = 0  # hidden: Excel's width 0
        if old_key is not None and old_key + 1 != key:  # the column it hid now shows other cells
            sheet.range((1, old_key + 1), (block.n_rows + 1, old_key + 1)).columns.autofit()


def _formats(sheet: xw.Sheet, block: Block, run: Run, height: int) -> None:
    """The number formats of the block's columns in a written run, over its written data rows.

    One call per stretch of neighbouring columns with the same format.
    """
    first_row, last_row = max(run.first_row, 2), min(run.last_row, height)
    if first_row > last_row:
        return
    c = run.first_col
    while c <= min(run.last_col, len(block.formats)):
        fmt = block.formats[c - 1]
        end = c
        while end + 1 <= min(run.last_col, len(block.formats)) and block.formats[end] == fmt:
            end += 1
        if fmt:
            sheet.range((first_row, c), (last_row, end)).number_format = fmt
        c = end + 1


def write_settings(sheet: xw.Sheet, updates: list[tuple[str, object]]) -> None:
    """The Settings cells a refresh writes back: neighbouring cells of a row in one assignment."""
    located = sorted((*_split_ref(ref), value) for ref, value in updates)
    i = 0
    while i < len(located):
        row, col, _ = located[i]
        j = i + 1
        while j < len(located) and located[j][0] == row and located[j][1] == located[j - 1][1] + 1:
            j += 1
        sheet.range((row, col)).value = [[excel_value(v) for _, _, v in located[i:j]]]
        i = j


# -- the button ----------------------------------------------------------------------------------


@contextmanager
def quiet_excel(app: xw.App) -> Iterator[Callable[[str], None]]:
    """Screen updating and calculation off while the block runs, ALWAYS restored afterwards.

    Yields ``progress(message)``, which shows the message in Excel's status bar.
    """
    saved_screen, saved_calc, saved_bar = app.screen_updating, app.calculation, app.status_bar
    try:
        app.screen_updating = False
        app.calculation = "manual"

        def progress(message: str) -> None:
            app.status_bar = f"{TITLE}: {message}"

        yield progress
    finally:
        for attr, value in (
            ("calculation", saved_calc),
            ("screen_updating", saved_screen),
            ("status_bar", saved_bar or False),
        ):
            with suppress(Exception):  # restore everything we can
                setattr(app, attr, value)


def failure_message(exc: BaseException, *, wrote: bool, what: str = "Refresh") -> str:
    """The one message box: what is wrong (the seller's words for known errors), what changed."""
    known = (AutocancelError, OutOfCalendar)
    text = str(exc) if isinstance(exc, known) else f"Unexpected error ({type(exc).__name__}: {exc})"
    after = (
        f"Some sheets may be partly updated: fix the problem and click {what} again."
        if wrote
        else "Nothing in the workbook was changed."
    )
    return f"{what} failed.\n\n{text}\n\n{after}"


def _formulas_in(sheet: xw.Sheet, header: Sequence[object]) -> bool:
    """True when the deadline columns hold formulas (a ``--formulas`` workbook): one read."""
    col = split_header(header).ours.get("Ship-by deadline")
    if col is None:
        return False
    formula = sheet.range((2, col + 1)).formula
    return isinstance(formula, str) and formula.startswith("=")


def refresh_book(
    book: xw.Book,
    progress: Callable[[str], None] = lambda _: None,
    on_write: Callable[[], None] = lambda: None,
    export: Export | None = None,
    *,
    by_urgency: bool = False,
) -> tuple[Refresh, list[str]]:
    """Read, compute, write; returns the refresh and warnings for the seller.

    ``export`` (a loaded file or the Paste sheet) replaces the Orders export whole; without it the
    export is what Orders holds. Bad input raises before anything is written; ``on_write`` is
    called just before the first write (so a failure message can say whether sheets changed).
    """
    started = time.perf_counter()
    progress("reading Settings and Holidays...")
    settings, values_book = read_settings_from(book)
    kept = extra_rows_for_rewrite(values_book)  # the seller's own days, with their notes
    progress("reading Orders...")
    orders_sheet = _sheet(book, ORDERS)
    cells = read_orders(orders_sheet)
    header, rows = cells.grid.header, cells.grid.rows
    source = f"{book.name}, sheet {ORDERS}"
    in_place = export is None
    if export is None:
        export = export_from_values([header, *rows], source, edd_column=settings.edd_column)
    formulas = _formulas_in(orders_sheet, header)
    try:
        p = plan(header, rows, export, in_place=in_place, edd_column=settings.edd_column, sheet=ORDERS)
    except OrdersSheetError as exc:
        raise RefreshError(str(exc)) from None
    progress(f"checking {len(export.rows):,} rows...")
    result = run(p.assessed, settings)
    computed = computed_columns(result)
    block = build(
        p,
        computed,
        day_first=settings.market.day_first,
        our_formats=our_formats(computed),
        by_urgency=by_urgency,
        formulas=(lambda at: formula_columns(result, 2, {f: c + 1 for f, c in at.items()})) if formulas else None,
    )
    warnings = [*result.warnings, *block.warnings, *formula_warnings(result, formulas=formulas)]
    sheets = _sheets(book)
    holidays_sheet, summary_sheet = sheets.get(HOLIDAYS.lower()), sheets.get(SUMMARY.lower())
    holidays = holidays_content(result.settings, data_years(result), *(kept or (None, None)))
    summary = summary_content(result, source if in_place else Path(export.source).name)
    # What this refresh used, written back as the command does (a changed rule reads "custom").
    updates = settings_updates(values_book[SETTINGS], result.settings)
    on_write()
    progress("writing Orders...")
    warnings += write_orders(orders_sheet, block, cells)
    if summary_sheet is not None:
        progress("writing Summary...")
        write_content(book, summary_sheet, summary, formats=True)
    if holidays_sheet is not None:
        progress("writing Holidays...")
        write_content(book, holidays_sheet, holidays)
    write_settings(_sheet(book, SETTINGS), updates)
    s = result.summary
    progress(
        f"done: {s.orders:,} orders, {s.risk_counts['Overdue']:,} overdue "
        f"({time.perf_counter() - started:.1f} s)" + (f" - {warnings[0]}" if warnings else "")
    )
    return result, warnings


def _button(
    book: xw.Book | None,
    what: str,
    export_of: Callable[[xw.Book], Export | None] | None = None,
    after: Callable[[xw.Book], None] = lambda _: None,
    *,
    by_urgency: bool = False,
) -> list[str]:
    """One button: Excel quiet while it works, one message box for warnings or a failure."""
    if book is None:
        import xlwings as xw

        book = xw.Book.caller()
    app = book.app
    state = {"wrote": False}
    warnings: list[str] = []
    with quiet_excel(app) as progress:
        try:
            export = export_of(book) if export_of else None
            _, warnings = refresh_book(
                book, progress, on_write=lambda: state.update(wrote=True), export=export, by_urgency=by_urgency
            )
            after(book)
        except Exception as exc:  # noqa: BLE001 - one message box, never a traceback
            app.alert(failure_message(exc, wrote=state["wrote"], what=what), title=TITLE, buttons="ok", mode="critical")
            return []
    if warnings:
        app.alert("\n\n".join(warnings), title=TITLE, buttons="ok", mode="info")
    return warnings


def refresh(book: xw.Book | None = None) -> list[str]:
    """The Refresh button. ``book`` defaults to the workbook that called it (``xw.Book.caller()``)."""
    return _button(book, "Refresh")


def sort_by_urgency(book: xw.Book | None = None) -> list[str]:
    """The Sort by urgency button: a refresh, the Orders rows most urgent first.

    The seller's own columns move with their orders.
    """
    return _button(book, "Sort by urgency", by_urgency=True)


def load_export(path: str, book: xw.Book | None = None) -> list[str]:
    """The Load export... button: the export file at ``path`` replaces the Orders export whole.

    ``path`` is chosen in VBA with ``GetOpenFilename`` and read by the fast reader; the seller's
    columns stay with their orders.
    """

    def export_of(_book: xw.Book) -> Export:
        return read_export(path)

    return _button(book, "Load export", export_of)


def load_pasted(book: xw.Book | None = None) -> list[str]:
    """The Paste export button: what the VBA pasted on the hidden ``Paste`` sheet is the new export.

    The clipboard was pasted there as values; it becomes the export exactly as in
    :func:`load_export`, then the sheet is cleared.
    """

    def export_of(b: xw.Book) -> Export:
        header, rows = grid_from_block(*read_block(_sheet(b, PASTE)))
        if not header or all(is_blank(v) for v in header):
            raise RefreshError(
                f"nothing was pasted on the {PASTE} sheet - copy the whole export, header row "
                f"included, then click Paste export"
            )
        try:
            return export_from_table(f"{b.name}, pasted export", [header, *rows], PASTE)
        except ExportError as exc:
            raise RefreshError(str(exc)) from None

    return _button(book, "Paste export", export_of, lambda b: _sheet(b, PASTE).used_range.clear_contents())


__all__ = [
    "LOOKAHEAD",
    "OrdersCells",
    "RefreshError",
    "Run",
    "changed_runs",
    "load_export",
    "load_pasted",
    "read_orders",
    "refresh",
    "refresh_book",
    "sort_by_urgency",
]
