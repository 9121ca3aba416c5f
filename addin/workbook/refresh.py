"""New and refreshed workbooks: the entry points of the command and the template builder."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import io
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import openpyxl

from ..errors import WorkbookError
from ..io.export import read_export
from ..io.export import shown as printable
from ..pipeline import Refresh, Settings
from . import inplace, orders_block, writer
from .grid import Grid
from .holidays_sheet import extra_rows_for_rewrite, holidays_content
from .layout import (
    HOLIDAYS,
    ORDERS,
    SETTINGS,
    SHEETS,
    SUMMARY,
    Cell,
    PageSpec,
    SheetContent,
)
from .orders_block import OrdersSheetError, plan, read_rows, sheet_export
from .orders_sheet import Rest, update_orders, used_rows
from .safe import check_not_open, save_atomically
from .settings_sheet import (
    find_setting_cells,
    read_settings,
    settings_content,
    settings_updates,
)
from .summary_sheet import WIDTHS, summary_content

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell as SheetCell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from ..core.export import Export

Overrides = Mapping[str, object] | Callable[[Settings], Settings] | None


@dataclass
class Refreshed:
    """What a workbook refresh did."""

    refresh: Refresh
    output: Path
    backup: Path | None = None
    warnings: list[str] = field(default_factory=list)


def data_years(refresh: Refresh) -> range:
    """The years the Holidays sheet lists: from the first order to the last deadline (at most 6)."""
    today = refresh.summary.today
    days = [
        refresh.orders.dates["created"],
        refresh.assessment.ship_by,
        refresh.assessment.delivery,
        refresh.assessment.next_deadline,
    ]
    valid = np.concatenate([d[~np.isnat(d)] for d in days]) if days else np.empty(0, "datetime64[D]")
    years = [today.year, (today + dt.timedelta(days=45)).year]  # deadlines soon cross into the next year
    if valid.size:
        years += [valid.min().astype(object).year, valid.max().astype(object).year]
    first, last = min(years), max(years)
    first = max(first, last - 5)
    return range(first, last + 1)


def placeholder_summary() -> SheetContent:
    """The Summary of a workbook not refreshed yet (the template)."""
    cells: list[Cell] = [
        ("B1", "Auto-cancel guard: orders TikTok Shop will cancel, and your cancellation rate", "title"),
        ("B2", "Not refreshed yet.", "subtitle"),
        ("B4", "How to use this workbook", "section"),
        ("C4", None, "section"),
        ("D4", None, "section"),
        ("B5", "1. In Seller Center, Orders > Export: download the orders.", "text"),
        ("B6", "2. Paste the export into the Orders sheet at A1 (its header row included).", "text"),
        ("B7", "3. Check the Settings sheet (market, policy, at-risk days) and your days off on Holidays.", "text"),
        ("B8", "4. Click Refresh, or run: autocancel refresh this-workbook.xlsm", "text"),
    ]
    return SheetContent(
        cells=cells,
        widths=dict(WIDTHS),
        show_grid=False,
        tab_color="1F3864",
        heights={1: 30},
        page=PageSpec(print_area="A1:M20"),
    )


def _sheet(book: Workbook, title: str) -> tuple[Worksheet, bool]:
    """Our sheet, created in SHEETS order when missing."""
    if title in book.sheetnames:
        return book[title], False
    index = 0
    for name in SHEETS[: SHEETS.index(title)]:
        if name in book.sheetnames:
            index = book.sheetnames.index(name) + 1
    return book.create_sheet(title, index), True


def new_workbook_sheets(book: Workbook, settings: Settings | None = None, headers: list[str] | None = None) -> None:
    """Add the empty Summary, Orders (with ``headers`` in row 1), Settings and Holidays sheets.

    For ``python -m tools.template`` and for a new refreshed workbook. Existing sheets of those
    names are left alone; an untouched default "Sheet" of a new openpyxl Workbook is removed.
    """
    settings = settings or Settings()
    default = book.worksheets[0] if len(book.worksheets) == 1 else None
    if default is not None and default.title not in SHEETS and default.max_row == 1 and default["A1"].value is None:
        book.remove(default)
    ws, created = _sheet(book, SUMMARY)
    if created:
        writer.apply_content(book, ws, placeholder_summary())
    ws, created = _sheet(book, ORDERS)
    if created:
        for c, h in enumerate(headers or [], start=1):
            cell = cast("SheetCell", ws.cell(1, c))  # a sheet just created has no merged cells
            writer.set_value(cell, h)
            writer.style_cell(cell, "input_head")
        writer.freeze(ws, "B2")
        ws.sheet_properties.tabColor = "C00000"
    ws, created = _sheet(book, SETTINGS)
    if created:
        writer.apply_content(book, ws, settings_content(settings))
    ws, created = _sheet(book, HOLIDAYS)
    if created:
        year = settings.effective_today.year
        writer.apply_content(book, ws, holidays_content(settings, range(year, year + 1)))
    _select(book, SUMMARY)


def _select(book: Workbook, title: str) -> None:
    for ws in book.worksheets:
        ws.sheet_view.tabSelected = ws.title == title
    book.active = book.sheetnames.index(title)


def _apply_overrides(settings: Settings, overrides: Overrides) -> Settings:
    if overrides is None:
        return settings
    if callable(overrides):
        return overrides(settings)
    # Any: the command's options by field name, their values as the command parsed them (typed there)
    changes: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
    unknown = set(changes) - {f.name for f in fields(settings)}
    if unknown:
        raise WorkbookError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    return replace(settings, **changes)


def _update_settings_sheet(book: Workbook, settings: Settings) -> None:
    """Our writes to an existing Settings sheet, and its defined names.

    The cells written are those that now differ from what the refresh used (options of the
    command, "custom" rules, the weekend).
    """
    ws, created = _sheet(book, SETTINGS)
    content = settings_content(settings)
    if created:
        writer.apply_content(book, ws, content)
        return
    rows = find_setting_cells(ws)
    from .settings_sheet import SETTING_ROWS

    for label, name, _, _ in SETTING_ROWS:
        if label in rows:
            writer.define_name(book, name, SETTINGS, f"$B${rows[label]}")
    for ref, value in settings_updates(ws, settings):
        writer.set_value(ws[ref], value)


def refresh_book(  # noqa: PLR0913 - the workbook, its settings and source; the rest keyword-only
    book: Workbook,
    settings: Settings,
    source: str,
    *,
    formulas: bool | None = None,
    input_name: str | None = None,
    refreshed_at: dt.datetime | None = None,
    refresh: Refresh | None = None,
    export: Export | None = None,
    by_urgency: bool = False,
    grid: orders_block.Grid | None = None,
    rest: Rest | None = None,
) -> tuple[Refresh, list[str]]:
    """Refresh an openpyxl workbook in memory: Orders columns and rules, Summary, Holidays, names.

    ``settings`` are used as given (read them with :func:`read_settings` first). ``export`` (a
    loaded file) replaces the Orders sheet's export whole; ``by_urgency`` sorts the Orders rows most
    urgent first (the seller's columns with their orders). Sheets other than ours are not touched.
    ``grid`` and ``rest``: the Orders cells read, and its rows left to be streamed (:mod:`.inplace`).
    """
    if ORDERS not in book.sheetnames:
        raise WorkbookError(f"{source}: no {ORDERS} sheet - paste the TikTok Shop export into a sheet named Orders")
    extra = extra_rows_for_rewrite(book)  # before anything changes: a bad date stops here
    refresh, warnings = update_orders(
        book,
        book[ORDERS],
        settings,
        source,
        formulas=formulas,
        refresh=refresh,
        export=export,
        by_urgency=by_urgency,
        grid=grid,
        rest=rest,
    )
    warnings = [*refresh.warnings, *warnings]
    _update_settings_sheet(book, refresh.settings)
    years = data_years(refresh)
    ws = writer.replace_sheet(book, HOLIDAYS, _sheet_index(book, HOLIDAYS))
    off, working = extra if extra is not None else (None, None)
    writer.apply_content(book, ws, holidays_content(refresh.settings, years, off, working))
    ws = writer.replace_sheet(book, SUMMARY, _sheet_index(book, SUMMARY))
    writer.apply_content(book, ws, summary_content(refresh, input_name, refreshed_at))
    _select(book, SUMMARY)
    return refresh, warnings


def _sheet_index(book: Workbook, title: str) -> int:
    if title in book.sheetnames:
        return book.sheetnames.index(title)
    index = 0
    for name in SHEETS[: SHEETS.index(title)]:
        if name in book.sheetnames:
            index = book.sheetnames.index(name) + 1
    return index


def write_refreshed(  # noqa: PLR0913 - the refresh and where it goes; the options keyword-only
    refresh: Refresh,
    output: Path,
    *,
    formulas: bool = False,
    refreshed_at: dt.datetime | None = None,
    engine: str = "xlsxwriter",
    progress: Callable[[int, int], None] | None = None,
) -> Refreshed:
    """A NEW workbook from an export's refresh: Summary, Orders (Table + computed columns), Settings, Holidays.

    Written atomically; an existing ``output`` is kept as ``name.bak.xlsx``. Refuses when
    ``output`` is the input export or is open in Excel. ``engine`` "xlsxwriter" (fast, the
    default) or "openpyxl" (the refresh path) write the same workbook. ``progress(done_rows,
    total_rows)``, xlsxwriter engine only: called every 10,000 Orders rows written and at the end.
    """
    output = Path(output)
    if output.suffix.lower() != ".xlsx":
        raise WorkbookError(f"{output}: a new workbook is written as .xlsx")
    if Path(refresh.export.source).resolve() == output.resolve():
        raise WorkbookError(f"{output}: is the input file; choose another output with -o")
    stored = replace(refresh.settings, today=None)  # --today is for this run only
    input_name = printable(Path(refresh.export.source).name)
    warnings: list[str] = []
    if engine == "xlsxwriter":
        from .xlsx_new import write_new

        def save(tmp: Path) -> None:
            warnings.extend(
                write_new(
                    refresh,
                    tmp,
                    stored,
                    formulas=formulas,
                    years=data_years(refresh),
                    input_name=input_name,
                    refreshed_at=refreshed_at,
                    progress=progress,
                )
            )
    elif engine == "openpyxl":
        book = openpyxl.Workbook()
        new_workbook_sheets(book, stored, None)
        _, warnings = refresh_book(
            book,
            refresh.settings,
            refresh.export.source,
            formulas=formulas,
            input_name=input_name,
            refreshed_at=refreshed_at,
            refresh=refresh,
        )

        def save(tmp: Path) -> None:
            book.save(tmp)
    else:
        raise ValueError(f"engine must be xlsxwriter or openpyxl, not {engine!r}")
    backup = save_atomically(save, output)
    return Refreshed(refresh, output, backup, warnings)


def _no_doctype(path: Path) -> None:
    """Refuse a part with a DOCTYPE before openpyxl parses it: Excel never writes one.

    Entity declarations (a "billion laughs") must not depend on which XML library happens to be installed.
    """
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    with z.open(info) as part:
                        if b"<!doctype" in part.read(4096).lower():
                            raise WorkbookError(
                                f"{path}: cannot be opened as an Excel workbook (a DOCTYPE in "
                                f"{info.filename}: Excel never writes one)"
                            )
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return  # openpyxl's own message names what is wrong with the package


def _load(path: Path, package: bytes | None = None) -> openpyxl.Workbook:
    """``path`` opened by openpyxl (or ``package``, the copy of it :mod:`.inplace` made)."""
    _no_doctype(path)
    try:
        source = path if package is None else io.BytesIO(package)
        return openpyxl.load_workbook(source, keep_vba=path.suffix.lower() == ".xlsm", keep_links=True)
    except Exception as exc:  # noqa: BLE001 - zipfile.BadZipFile, KeyError, XML errors: a damaged file
        cause, sheet = exc.__cause__ or exc, _sheet_being_read(exc)
        what = f"the {sheet} sheet is damaged" if sheet else "cannot be opened as an Excel workbook"
        detail = " ".join(f"{type(cause).__name__}: {cause}".split())  # one line, whatever openpyxl wrote
        raise WorkbookError(f"{path}: {what} ({detail})") from None


def _sheet_being_read(exc: BaseException) -> str | None:
    """The sheet openpyxl was reading when it failed (its reader wraps the error and drops the name)."""
    tb = (exc.__cause__ or exc).__traceback__
    name = None
    while tb is not None:
        sheet = tb.tb_frame.f_locals.get("sheet") if tb.tb_frame.f_code.co_name == "read_worksheets" else None
        name = getattr(sheet, "name", None) or name
        tb = tb.tb_next
    return name


@contextlib.contextmanager
def collector_paused() -> Iterator[Callable[[], None]]:
    """Python's cycle collector paused while a workbook's rows are in memory; yields a way to resume it early.

    A 100,000-row Orders sheet read for the splice is millions of lists and strings, none in a
    cycle; each full collection walks them all, and building them triggers many: 3 to 4 s of a
    20 s refresh. The openpyxl way (cells and their sheet refer to each other) resumes it.
    """
    was = gc.isenabled()
    gc.disable()

    def resume() -> None:
        if was:
            gc.enable()

    try:
        yield resume
    finally:
        resume()


def refresh_workbook(  # noqa: PLR0913 - the workbook; the options of ``autocancel refresh``/``load`` keyword-only
    path: Path,
    *,
    output: Path | None = None,
    overrides: Overrides = None,
    formulas: bool | None = None,
    refreshed_at: dt.datetime | None = None,
    export_path: Path | None = None,
    sheet: str | None = None,
    by_urgency: bool = False,
    engine: str = "splice",
) -> Refreshed:
    """Refresh a workbook made by us or from the template, in place (or to ``output``).

    Settings are read from its Settings and Holidays sheets, then ``overrides`` (a mapping of
    Settings fields, or a function Settings -> Settings) apply for this run only. ``formulas``
    None keeps the workbook's current kind of deadline columns. Macros of an .xlsm are kept.
    ``export_path`` (``autocancel load``): today's export (``sheet`` of it, for a workbook)
    replaces the Orders sheet's export whole; the seller's columns stay with their orders.
    ``by_urgency``: the Orders rows sorted most urgent first. ``engine`` "splice" (the default:
    the Orders rows streamed into the package, :mod:`.inplace`; a sheet it cannot read goes the
    other way) or "openpyxl" (the whole workbook through openpyxl) write the same workbook.
    """
    path = Path(path)
    if not path.is_file():
        raise WorkbookError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        raise WorkbookError(f"{path}: only .xlsx and .xlsm workbooks can be refreshed in place")
    output = Path(output) if output else path
    if output.suffix.lower() != suffix:
        raise WorkbookError(f"{output}: must be {suffix} like {path.name} (macros and file type must match)")
    check_not_open(path)
    check_not_open(output)
    with collector_paused() as resume:
        splice: inplace.Splice | None = None
        if engine == "splice":
            _no_doctype(path)
            with contextlib.suppress(inplace.NotSpliced):  # a sheet it does not read: the openpyxl way, slower
                splice = inplace.open_orders(path)
        elif engine != "openpyxl":
            raise ValueError(f"engine must be splice or openpyxl, not {engine!r}")
        if splice is None:
            resume()
        book = _load(path, splice.reduced if splice else None)
        settings = _apply_overrides(read_settings(book, path=path), overrides)
        export = None
        if export_path is not None:
            export = read_export(export_path, sheet)
        input_name = Path(export_path).name if export_path is not None else f"{printable(path.name)}, sheet {ORDERS}"
        rest = Rest() if splice else None
        refresh, warnings = refresh_book(
            book,
            settings,
            str(path),
            formulas=formulas,
            input_name=input_name,
            refreshed_at=refreshed_at,
            export=export,
            by_urgency=by_urgency,
            grid=splice.grid(book[ORDERS]) if splice and ORDERS in book.sheetnames else None,
            rest=rest,
        )
        if splice is None or rest is None:
            backup = save_atomically(book.save, output)
        else:
            backup = save_atomically(lambda tmp: inplace.write(book, rest, tmp), output)
    return Refreshed(refresh, output, backup, warnings)


def is_our_workbook(path: Path) -> bool:
    """True for an .xlsx/.xlsm with our Settings sheet (a template-made or refreshed workbook)."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return False
    labels = _settings_labels(path)
    if labels is None:
        try:
            book = openpyxl.load_workbook(path, read_only=True)
        except Exception:  # noqa: BLE001 - not a workbook we can read: treat it as an export
            return False
        try:
            if SETTINGS not in book.sheetnames:
                return False
            labels = find_setting_cells(Grid.of(book[SETTINGS], SETTINGS, str(path)))  # damaged: one line
        finally:
            book.close()
    return "Market" in labels and "Policy" in labels


def _settings_labels(path: Path) -> dict[str, int] | None:
    """The Settings labels as calamine reads them; None when only openpyxl can say.

    openpyxl reads a workbook's whole shared strings before any sheet: 4.5 s for 100,000 orders
    saved by Excel. calamine parses them in Rust; the sheet is first measured, and the shared
    strings bounded, as for an export (:mod:`..io.xlsx_cells`).
    """
    from python_calamine import CalamineWorkbook

    from ..io.xlsx_cells import Book, needs_cell_reader

    try:
        book = Book(str(path), str(path))
        try:
            part = book.sheets.get(SETTINGS)
            if part is None:
                return {}
            if needs_cell_reader(book, part):
                return None
            book.bound_shared_strings()  # calamine reads them whole
        finally:
            book.close()
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SETTINGS).to_python(skip_empty_area=False)
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        return None  # damaged, or not a workbook: openpyxl names what is wrong, or it is an export
    cells = {(r, c): v for r, row in enumerate(rows, start=1) for c, v in enumerate(row, start=1) if v != ""}
    return find_setting_cells(Grid(cells, SETTINGS))


def workbook_export(path: Path, settings: Settings) -> Export:
    """The export a workbook of ours holds on Orders, read as ``refresh`` reads it, for ``autocancel check``.

    Our columns are left out, the seller's EDD column is found by name wherever it sits; the
    seller's cells below the last order row are not orders (:func:`.orders_block.read_rows`).
    """
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if ORDERS not in book.sheetnames:
            raise WorkbookError(f"{path}: no {ORDERS} sheet")
        grid = read_rows(used_rows(book[ORDERS]))  # the used cells only: a far note is no rectangle
    finally:
        book.close()
    header, rows = grid.header, grid.rows
    try:
        export = sheet_export(header, rows, str(path), ORDERS, settings.edd_column)
        return plan(header, rows, export, in_place=True, edd_column=settings.edd_column).assessed
    except OrdersSheetError as exc:
        raise WorkbookError(str(exc)) from None


def workbook_settings(path: Path) -> Settings:
    """The Settings (and Holidays lists) a workbook of ours carries, for ``autocancel check``."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return read_settings(book, path=path)
    finally:
        book.close()
