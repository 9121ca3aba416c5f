"""The Refresh button: a thin xlwings adapter over the pipeline and the workbook layer.

The button's macro (``addin/vba/Refresh.bas``) calls::

    RunPython "import addin.excel; addin.excel.refresh()"

``refresh()`` reads the Orders sheet in ONE bulk read (``used_range.options(ndim=2).value``),
Settings and Holidays in one read each, and hands them to the same code as ``autocancel
refresh``: the workbook layer's ``read_settings`` (on an in-memory copy of those two sheets'
values) and :func:`addin.pipeline.run`. It writes back with one range assignment per block:
our computed columns (the workbook layer's ``computed_columns``: six columns and the hidden
``Row key``), the Summary (``summary_content``) and Holidays (``holidays_content``). Screen
updating and calculation are off while it works and are ALWAYS restored; progress shows in
Excel's status bar; a failure is one message box (``app.alert``), never a traceback.

Layout it keeps, the same as the workbook layer's: [export columns][our block][seller columns].
Rows are never moved: Excel's own rows stay where the seller pasted or sorted them.

Everything that touches Excel goes through a few xlwings calls (``book.sheets``, ``used_range``,
``range(...).value``, ``options(ndim=2)``, ``clear_contents``, ``number_format``, ``tables``,
``names.add``, ``app.status_bar``/``screen_updating``/``calculation``/``alert``), so the tests
drive it with a fake book that records them (tests/test_excel.py).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np

from .calendar import OutOfCalendar
from .errors import AutocancelError
from .export import (
    Export,
    ExportError,
    export_from_table,
)
from .markets import UnknownMarket
from .pipeline import Refresh, run
from .rules import PolicyError
from .workbook import holidays_content, summary_content
from .workbook.holidays_sheet import extra_rows_for_rewrite
from .workbook.layout import (
    HOLIDAYS,
    ORDERS,
    ORDERS_TABLE,
    SETTINGS,
    STYLES,
    SUMMARY,
    is_blank,
)
from .workbook.orders_sheet import computed_columns, split_headers
from .workbook.refresh import data_years
from .workbook.settings_sheet import WorkbookError, read_settings

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


def export_from_values(values: list[list], source: str, first_row: int = 1,
                       edd_column: str | None = None) -> tuple[Export, dict[str, int]]:
    """The export in a sheet's values, cleaned and mapped as ``read_export`` does a file (tabs
    stripped, IDs as text), and where our columns already are (header -> 0-based column)."""
    if not values or all(is_blank(v) for v in values[0]):
        raise RefreshError(f"{source}: row 1 is empty - paste the TikTok Shop export, header row included, at A1")
    input_cols, ours, _ = split_headers(values[0])
    if not input_cols:
        raise RefreshError(f"{source}: row 1 has no export headers - paste the TikTok Shop export at A1")
    table = [[row[i] if i < len(row) else None for i in input_cols] for row in values]
    return export_from_table(source, table, ORDERS, edd_column, first_row), ours


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


def computed_block(refresh: Refresh) -> tuple[list[str], list[list], dict[str, str]]:
    """Headers, rows (one per export row) and number format per header of our block."""
    columns = computed_columns(refresh)
    headers = [c.header for c in columns]
    rows = [[excel_value(c.values[i]) for c in columns] for i in range(len(refresh.export.rows))]
    formats = {c.header: STYLES[c.style].num_format for c in columns if c.style and STYLES[c.style].num_format}
    return headers, rows, formats


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


def write_orders(sheet, refresh: Refresh, ours: dict[str, int], n_header_cols: int, row0: int, col0: int,
                 old_rows: int) -> None:
    """Our block: headers (if not already there) and values, one assignment each; rows an earlier,
    longer export left below are cleared; the Orders table is sized to the data."""
    headers, rows, formats = computed_block(refresh)
    in_place = all(h in ours for h in headers) and \
        [ours[h] for h in headers] == list(range(ours[headers[0]], ours[headers[0]] + len(headers)))
    if in_place:
        first_col = col0 + ours[headers[0]]
    else:  # first refresh of a sheet without our block: right of everything in row 1
        first_col = col0 + n_header_cols
        sheet.range((row0, first_col)).value = [headers]
    first_data = refresh.export.first_row
    if rows:
        sheet.range((first_data, first_col)).value = rows
    last_col = first_col + len(headers) - 1
    last_new = first_data + len(rows) - 1
    last_old = row0 + old_rows - 1
    if last_old > last_new:
        sheet.range((max(last_new + 1, row0 + 1), first_col), (last_old, last_col)).clear_contents()
    for header, fmt in formats.items():
        c = first_col + headers.index(header)
        sheet.range((first_data, c), (max(last_new, first_data), c)).number_format = fmt
    table = _tables(sheet).get(ORDERS_TABLE)
    if table is not None:
        table.resize(sheet.range((row0, col0), (max(last_new, row0 + 1), max(last_col, col0 + n_header_cols - 1))))


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
        for attr, value in (("calculation", saved_calc), ("screen_updating", saved_screen),
                            ("status_bar", saved_bar if saved_bar else False)):
            try:
                setattr(app, attr, value)
            except Exception:  # noqa: BLE001, S110 - restore everything we can
                pass


def failure_message(exc: BaseException, wrote: bool) -> str:
    """The one message box: what is wrong (the seller's words for known errors), what changed."""
    known = (RefreshError, ExportError, PolicyError, UnknownMarket, OutOfCalendar, WorkbookError)
    text = str(exc) if isinstance(exc, known) else f"Unexpected error ({type(exc).__name__}: {exc})"
    after = ("Some sheets may be partly updated: fix the problem and click Refresh again."
             if wrote else "Nothing in the workbook was changed.")
    return f"Refresh failed.\n\n{text}\n\n{after}"


def refresh_book(book, progress: Callable[[str], None] = lambda m: None,
                 on_write: Callable[[], None] = lambda: None) -> Refresh:
    """Read, compute, write. Bad input raises before anything is written; ``on_write`` is
    called just before the first write (so a failure message can say whether sheets changed)."""
    started = time.perf_counter()
    progress("reading Settings and Holidays...")
    settings, values_book = read_settings_from(book)
    kept = extra_rows_for_rewrite(values_book)  # the seller's own days, with their notes
    progress("reading Orders...")
    orders_sheet = _sheet(book, ORDERS)
    values, row0, col0 = read_block(orders_sheet)
    source = f"{book.name}, sheet {ORDERS}"
    export, ours = export_from_values(values, source, row0, settings.edd_column)
    progress(f"checking {len(export.rows):,} rows...")
    result = run(export, settings)
    holidays_sheet = _sheet(book, HOLIDAYS, required=False)
    summary_sheet = _sheet(book, SUMMARY, required=False)
    holidays = holidays_content(result.settings, data_years(result), *(kept or (None, None)))
    summary = summary_content(result, source)
    on_write()
    progress("writing Orders...")
    n_header_cols = max((i + 1 for i, h in enumerate(values[0]) if not is_blank(h)), default=0)
    write_orders(orders_sheet, result, ours, n_header_cols, row0, col0, len(values))
    if summary_sheet is not None:
        progress("writing Summary...")
        write_content(book, summary_sheet, summary, formats=True)
    if holidays_sheet is not None:
        progress("writing Holidays...")
        write_content(book, holidays_sheet, holidays)
    s = result.summary
    progress(f"done: {s.orders:,} orders, {s.risk_counts['Overdue']:,} overdue "
             f"({time.perf_counter() - started:.1f} s)")
    return result


def refresh(book=None) -> None:
    """The Refresh button. ``book`` defaults to the workbook that called it (``xw.Book.caller()``)."""
    if book is None:
        import xlwings as xw

        book = xw.Book.caller()
    app = book.app
    state = {"wrote": False}
    with quiet_excel(app) as progress:
        try:
            refresh_book(book, progress, on_write=lambda: state.update(wrote=True))
        except Exception as exc:  # noqa: BLE001 - one message box, never a traceback
            app.alert(failure_message(exc, state["wrote"]), title=TITLE, buttons="ok", mode="critical")
