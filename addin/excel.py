"""The buttons: a thin xlwings adapter over the pipeline and the Orders block.

The macros (``addin/vba/*``) call three entry points::

    RunPython "import addin.excel; addin.excel.refresh()"
    RunPython "import addin.excel; addin.excel.load_export(""C:\\path\\orders.csv"")"
    RunPython "import addin.excel; addin.excel.load_pasted()"

- ``refresh(book=None)``: the export is what Orders holds (the seller may have pasted over it);
- ``load_export(path, book=None)``: today's export file (chosen with ``GetOpenFilename``) replaces
  the Orders export whole, read by ``addin.export.read_export``;
- ``load_pasted(book=None)``: the same from the hidden ``Paste`` sheet where the VBA pasted the
  clipboard as values; the sheet is cleared afterwards.

Each reads Orders in ONE bulk read (``used_range.options(ndim=2).value``) plus one ``.formula``
read (a ``--formulas`` workbook keeps its formulas), Settings and Holidays in one read each, and
hands them to the same code as ``autocancel refresh`` / ``autocancel load``: ``read_settings``
(on an in-memory copy of those sheets' values), :func:`addin.pipeline.run`, and the Orders block
(:mod:`addin.workbook.orders_block`: the seller's columns follow their Order ID + SKU ID through
the hidden ``Row key``). Orders is written back in ONE assignment (text behind an apostrophe, so
Excel keeps IDs and buyer text as typed), one number-format call per formatted column; the Summary
and Holidays one assignment each. Screen updating and calculation are off while it works and are
ALWAYS restored; progress shows in Excel's status bar; warnings are one message box (``info``),
a failure one message box (``critical``), never a traceback.

Everything that touches Excel goes through a few xlwings calls (``book.sheets``, ``used_range``,
``range(...).value``/``.formula``, ``options(ndim=2)``, ``clear_contents``, ``number_format``,
``column_width``, ``tables``, ``names.add``, ``app.status_bar``/``screen_updating``/
``calculation``/``alert``), so the tests drive it with a fake book that records them
(tests/test_excel.py, tests/test_journeys.py).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .core.calendar import OutOfCalendar
from .core.export import Export
from .errors import AutocancelError
from .io.export import ExportError, export_from_table, read_export
from .pipeline import Refresh, run
from .workbook import holidays_content, summary_content
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
    is_blank,
)
from .workbook.orders_block import (
    Block,
    Formula,
    OrdersSheetError,
    build,
    plan,
    sheet_export,
    split_header,
)
from .workbook.orders_sheet import (
    computed_columns,
    formula_columns,
    formula_warnings,
    our_formats,
)
from .workbook.refresh import data_years
from .workbook.settings_sheet import read_settings, settings_updates

TITLE = "Auto-cancel guard"
#: Excel refuses Range addresses longer than 255 characters; multi-area lists are split below it.
_MAX_ADDRESS = 250


class RefreshError(AutocancelError):
    """Something the seller can fix; the message is shown as it is."""


# -- reading -----------------------------------------------------------------------------------


def _sheet(book, name: str, required: bool = True):
    names = [s.name for s in book.sheets]
    for n in names:
        if n.strip().lower() == name.lower():
            return book.sheets[n]
    if required:
        raise RefreshError(f"this workbook has no {name!r} sheet (sheets: {', '.join(names)})")
    return None


def read_block(sheet) -> tuple[list[list], int, int]:
    """All values of the sheet's used range in ONE read: (rows, first row, first column), 1-based."""
    rng = sheet.used_range
    values = rng.options(ndim=2).value
    return [list(r) for r in (values or [])], rng.row, rng.column


def grid_from_block(values: list[list], row0: int, col0: int) -> tuple[list, list[list]]:
    """The used range's values as the sheet from A1: row 1 and the rows under it."""
    width = max((len(r) for r in values), default=0) + col0 - 1
    grid = [[None] * width for _ in range(row0 - 1)] + [[None] * (col0 - 1) + list(r) for r in values]
    if not grid:
        return [], []
    return grid[0], grid[1:]


def export_from_values(
    values: list[list], source: str, first_row: int = 1, edd_column: str | None = None, sheet: str = ORDERS
) -> Export:
    """The export in a sheet's values (row 1 = its header row), cleaned and mapped as
    ``read_export`` does a file (tabs stripped, IDs as text); our columns are left out."""
    if not values or all(is_blank(v) for v in values[0]):
        raise RefreshError(
            f"{source}: row 1 is empty - paste the TikTok Shop export, header row included, at A1, or click Load export"
        )
    try:
        return sheet_export(values[0], values[1:], source, sheet, edd_column)
    except OrdersSheetError as exc:
        raise RefreshError(str(exc)) from None


def _values_book(blocks: dict[str, tuple[list[list], int, int]]):
    """An in-memory openpyxl workbook holding values read from Excel (no file is written).

    The workbook layer's readers (``read_settings``) take an openpyxl book; this lets the
    button read Settings and Holidays with exactly the code the command uses, cell names included.
    """
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, (values, row0, col0) in blocks.items():
        ws = book.create_sheet(name)
        for r, row in enumerate(values):
            for c, v in enumerate(row):
                if v is not None:
                    ws.cell(row0 + r, col0 + c, v)
    return book


def read_settings_from(book):
    """(Settings, values book): the Settings and Holidays sheets read with the layer's own reader."""
    blocks = {}
    for name in (SETTINGS, HOLIDAYS):
        sheet = _sheet(book, name, required=name == SETTINGS)
        if sheet is not None:
            blocks[name] = read_block(sheet)
    values_book = _values_book(blocks)
    return read_settings(values_book), values_book


# -- writing -----------------------------------------------------------------------------------


def excel_value(v: object) -> object:
    """A value as xlwings writes it: datetime for dates, None for blanks, plain Python types."""
    if isinstance(v, np.datetime64):
        if np.isnat(v):
            return None
        d = v.astype("datetime64[D]").astype(object)
        return dt.datetime(d.year, d.month, d.day)
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return dt.datetime(v.year, v.month, v.day)
    if isinstance(v, (float, np.floating)):
        return None if np.isnan(v) else float(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.str_):
        return str(v)
    return None if isinstance(v, str) and v == "" else v


def _split_ref(ref: str) -> tuple[int, int]:
    letters = "".join(ch for ch in ref if ch.isalpha()).upper()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int("".join(ch for ch in ref if ch.isdigit())), col


def content_block(cells) -> tuple[tuple[int, int], list[list]]:
    """A workbook-layer cell list ``[(ref, value, style), ...]`` as one rectangle of values."""
    located = [(*_split_ref(ref), value) for ref, value, _ in cells]
    if not located:
        return (1, 1), [[None]]
    r0, c0 = min(r for r, _, _ in located), min(c for _, c, _ in located)
    r1, c1 = max(r for r, _, _ in located), max(c for _, c, _ in located)
    block = [[None] * (c1 - c0 + 1) for _ in range(r1 - r0 + 1)]
    for r, c, v in located:
        block[r - r0][c - c0] = excel_value(v)
    return (r0, c0), block


def _areas(refs: list[str]) -> Iterator[str]:
    """Cell references joined into multi-area addresses short enough for Excel."""
    chunk: list[str] = []
    for ref in refs:
        if chunk and len(",".join(chunk + [ref])) > _MAX_ADDRESS:
            yield ",".join(chunk)
            chunk = []
        chunk.append(ref)
    if chunk:
        yield ",".join(chunk)


def write_content(book, sheet, content, formats: bool = False) -> None:
    """A workbook-layer SheetContent: old values cleared, new ones in ONE assignment, then the
    styles (one call per style and attribute over all its cells), the defined names and the
    sizes of the tables already there. ``formats=True`` clears old formats too (our own sheets)."""
    if formats:
        sheet.used_range.clear()
    else:
        sheet.used_range.clear_contents()
    (r0, c0), block = content_block(content.cells)
    sheet.range((r0, c0)).value = block
    by_style: dict[str, list[str]] = defaultdict(list)
    for ref, _, style in content.cells:
        if style in STYLES:
            by_style[style].append(ref)
    for style, refs in by_style.items():
        st = STYLES[style]

        def apply(rng, st=st) -> None:
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

        for address in _areas(refs):
            try:
                apply(sheet.range(address))
            except Exception:  # noqa: BLE001 - multi-area ranges can fail (Excel for Mac): one by one
                for ref in address.split(","):
                    apply(sheet.range(ref))
    if formats:
        for col, width in content.widths.items():
            sheet.range(f"{col}1").column_width = width
        for row, height in content.heights.items():
            sheet.range(f"A{row}").row_height = height
    for name, ref in content.names.items():
        try:
            book.names.add(name, f"='{sheet.name}'!{ref}")
        except Exception:  # noqa: BLE001, S110 - a name Excel refuses must not stop the refresh
            pass
    existing = _tables(sheet)
    for spec in content.tables:
        if spec.name in existing:
            existing[spec.name].resize(sheet.range(spec.ref))


def _tables(sheet) -> dict:
    try:
        return {t.name: t for t in sheet.tables}
    except Exception:  # noqa: BLE001 - ListObjects unavailable (e.g. some Mac versions)
        return {}


def cell_for_excel(v: object) -> object:
    """A block value as ``Range.value`` must receive it: text behind an apostrophe, so Excel keeps
    it as typed (an 18-digit ID, "00123", "=HYPERLINK(...)" from a buyer); a :class:`Formula` as
    a formula; dates and numbers as they are."""
    if isinstance(v, Formula):
        return str(v)
    if isinstance(v, str):
        return "'" + v if v else None
    return excel_value(v)


def write_orders(sheet, block: Block, old_width: int, old_height: int) -> None:
    """The xlwings engine of the Orders block: the old cells cleared, row 1 and every row in ONE
    assignment, one number-format call per formatted column, the Row key hidden, the Orders
    table sized to the block (its name kept)."""
    rows = [[cell_for_excel(v) for v in row] for row in block.rows()]
    width, height = len(block.header), len(rows) + 1
    if old_width and old_height:
        sheet.range((1, 1), (max(old_height, height), max(old_width, width))).clear_contents()
    sheet.range((1, 1)).value = [[cell_for_excel(h) for h in block.header]] + rows
    last = max(height, 2)
    for c, fmt in enumerate(block.formats, start=1):
        if fmt:
            sheet.range((2, c), (last, c)).number_format = fmt
    sheet.range((1, block.ours[KEY_HEADER] + 1)).column_width = 0  # hidden: Excel's width 0
    table = _tables(sheet).get(ORDERS_TABLE)
    if table is not None:
        table.resize(sheet.range((1, 1), (last, width)))


# -- the button ----------------------------------------------------------------------------------


@contextmanager
def quiet_excel(app) -> Iterator[Callable[[str], None]]:
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
            ("status_bar", saved_bar if saved_bar else False),
        ):
            try:
                setattr(app, attr, value)
            except Exception:  # noqa: BLE001, S110 - restore everything we can
                pass


def failure_message(exc: BaseException, wrote: bool, what: str = "Refresh") -> str:
    """The one message box: what is wrong (the seller's words for known errors), what changed."""
    known = (AutocancelError, OutOfCalendar)
    text = str(exc) if isinstance(exc, known) else f"Unexpected error ({type(exc).__name__}: {exc})"
    after = (
        f"Some sheets may be partly updated: fix the problem and click {what} again."
        if wrote
        else "Nothing in the workbook was changed."
    )
    return f"{what} failed.\n\n{text}\n\n{after}"


def _formulas_in(sheet, header: list) -> bool:
    """True when the deadline columns hold formulas (a ``--formulas`` workbook): one read."""
    col = split_header(header).ours.get("Ship-by deadline")
    if col is None:
        return False
    formula = sheet.range((2, col + 1)).formula
    return isinstance(formula, str) and formula.startswith("=")


def refresh_book(
    book,
    progress: Callable[[str], None] = lambda m: None,
    on_write: Callable[[], None] = lambda: None,
    export: Export | None = None,
    by_urgency: bool = False,
) -> tuple[Refresh, list[str]]:
    """Read, compute, write; returns the refresh and warnings for the seller. ``export`` (a loaded
    file or the Paste sheet) replaces the Orders export whole; without it the export is what
    Orders holds. Bad input raises before anything is written; ``on_write`` is called just before
    the first write (so a failure message can say whether sheets changed)."""
    started = time.perf_counter()
    progress("reading Settings and Holidays...")
    settings, values_book = read_settings_from(book)
    kept = extra_rows_for_rewrite(values_book)  # the seller's own days, with their notes
    progress("reading Orders...")
    orders_sheet = _sheet(book, ORDERS)
    values, row0, col0 = read_block(orders_sheet)
    header, rows = grid_from_block(values, row0, col0)
    source = f"{book.name}, sheet {ORDERS}"
    in_place = export is None
    if in_place:
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
    warnings = [*result.warnings, *block.warnings, *formula_warnings(result, formulas)]
    holidays_sheet = _sheet(book, HOLIDAYS, required=False)
    summary_sheet = _sheet(book, SUMMARY, required=False)
    holidays = holidays_content(result.settings, data_years(result), *(kept or (None, None)))
    summary = summary_content(result, source if in_place else Path(export.source).name)
    # What this refresh used, written back as the command does (a changed rule reads "custom").
    updates = settings_updates(values_book[SETTINGS], result.settings)
    on_write()
    progress("writing Orders...")
    write_orders(orders_sheet, block, len(header), len(rows) + 1 if header else 0)
    if summary_sheet is not None:
        progress("writing Summary...")
        write_content(book, summary_sheet, summary, formats=True)
    if holidays_sheet is not None:
        progress("writing Holidays...")
        write_content(book, holidays_sheet, holidays)
    settings_sheet = _sheet(book, SETTINGS)
    for ref, value in updates:
        settings_sheet.range(ref).value = excel_value(value)
    s = result.summary
    progress(
        f"done: {s.orders:,} orders, {s.risk_counts['Overdue']:,} overdue "
        f"({time.perf_counter() - started:.1f} s)" + (f" - {warnings[0]}" if warnings else "")
    )
    return result, warnings


def _button(
    book,
    what: str,
    export_of: Callable[[object], Export | None] | None = None,
    after: Callable[[object], None] = lambda b: None,
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
            app.alert(failure_message(exc, state["wrote"], what), title=TITLE, buttons="ok", mode="critical")
            return []
    if warnings:
        app.alert("\n\n".join(warnings), title=TITLE, buttons="ok", mode="info")
    return warnings


def refresh(book=None) -> list[str]:
    """The Refresh button. ``book`` defaults to the workbook that called it (``xw.Book.caller()``)."""
    return _button(book, "Refresh")


def sort_by_urgency(book=None) -> list[str]:
    """Refresh, with the Orders rows sorted most urgent first (the seller's columns with them)."""
    return _button(book, "Sort by urgency", by_urgency=True)


def load_export(path: str, book=None) -> list[str]:
    """The Load export... button: ``path`` (chosen in VBA with ``GetOpenFilename``) replaces the
    Orders export whole, read by the fast reader; the seller's columns stay with their orders."""

    def export_of(_book) -> Export:
        return read_export(path)

    return _button(book, "Load export", export_of)


def load_pasted(book=None) -> list[str]:
    """The Paste export button: the VBA pasted the clipboard as values on the hidden ``Paste``
    sheet; that becomes the new export exactly as :func:`load_export` does, then it is cleared."""

    def export_of(b) -> Export:
        sheet = _sheet(b, PASTE)
        values, row0, col0 = read_block(sheet)
        header, rows = grid_from_block(values, row0, col0)
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
