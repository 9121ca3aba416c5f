"""The refreshed workbook, one layer for the ``autocancel refresh`` command and the Excel button.

Content is data, writers are thin. The builders return plain values that any writer applies
(openpyxl here in :mod:`.writer`; the xlwings adapter ``addin.excel`` can use the same data):

- ``summary_content(refresh, input_name=None, refreshed_at=None) -> SheetContent``: the Summary
  dashboard, every cell as ``(A1 ref, value, style name)`` plus widths, chart and page setup;
- ``settings_content(settings) -> SheetContent`` and ``settings_rows(settings)``: the Settings
  sheet; ``read_settings(book, base=None) -> Settings`` reads it (and Holidays' lists) back;
- ``holidays_content(settings, years, extra_off=None, extra_working=None)`` and
  ``holiday_rows(settings, years) -> [(date, name, market)]``: the Holidays sheet;
- ``computed_columns(refresh) -> [ComputedColumn(header, values, style, width)]``: our six
  columns and the hidden ``Row key``, one value per export row;
- ``formula_columns(refresh, first_row, column_of)``: the ``--formulas`` deadline columns;
- ``orders_rules(first_row, last_row, last_col, risk_col, next_col, days_col) -> [RuleSpec]``:
  conditional formatting; ``STYLES`` / ``RISK_COLOURS``: every style by name.

Entry points:

- ``write_refreshed(refresh, output, *, formulas=False, refreshed_at=None, engine="xlsxwriter",
  progress=None) -> Refreshed``: a new workbook from an export (CSV/XLSX): Summary, Orders (Excel
  Table + computed columns), Settings, Holidays. xlsxwriter writes all but the Orders rows, which
  stream in as sheet XML (:mod:`.xlsx_new`, :mod:`.fast_rows`: 100,000 rows in about 5 s and
  150 MB); ``engine="openpyxl"`` writes the same workbook the refresh path's way (a test compares
  the two);
- ``refresh_workbook(path, *, output=None, overrides=None, formulas=None, refreshed_at=None)
  -> Refreshed``: (openpyxl, ``keep_vba`` for .xlsm) refresh a
  template-made or refreshed .xlsx/.xlsm in place (or to ``output``): settings read back from the
  workbook (``overrides`` win for the run), computed columns and our formatting rules replaced
  (never stacked), the seller's own columns kept on their rows by (Order ID, SKU ID), other
  sheets and macros kept; atomic write, ``name.bak.xlsx`` backup, refusal when open in Excel;
- ``refresh_book(book, settings, source, ...)``: the same on an openpyxl workbook in memory;
- ``new_workbook_sheets(book, settings=None, headers=None)``: empty Summary/Orders/Settings/
  Holidays sheets, for the template builder;
- ``is_our_workbook(path)``: has our Settings sheet (refresh it) or not (it is an export).

``Refreshed`` carries the ``refresh`` (pipeline result), the ``output`` path, the ``backup``
written (or None) and ``warnings`` for the seller (e.g. values of their own columns whose orders
left the export). Layout of Orders after a refresh: [export][our 6 columns + hidden Row key]
[the seller's own columns]; ``--formulas`` deadlines are ``WORKDAY.INTL(start, days, Weekend,
NonWorkingDays)`` over defined names of the Settings and Holidays sheets.

Errors a seller can fix raise :class:`WorkbookError` (a ``ValueError``) naming the file, sheet
or cell; nothing is written then.
"""

from ..errors import WorkbookError
from .holidays_sheet import holiday_rows, holidays_content, read_extra_days
from .layout import (
    HOLIDAYS,
    KEY_HEADER,
    ORDERS,
    ORDERS_TABLE,
    RISK_COLOURS,
    SETTINGS,
    SHEETS,
    STYLES,
    SUMMARY,
    ChartSpec,
    PageSpec,
    SheetContent,
    Style,
    TableSpec,
)
from .orders_sheet import (
    ComputedColumn,
    RuleSpec,
    computed_columns,
    formula_columns,
    orders_rules,
    row_keys,
)
from .refresh import (
    Refreshed,
    is_our_workbook,
    new_workbook_sheets,
    refresh_book,
    refresh_workbook,
    workbook_settings,
    write_refreshed,
)
from .safe import backup_path, lock_file, save_atomically
from .settings_sheet import (
    read_settings,
    rule_rows,
    settings_content,
    settings_rows,
)
from .summary_sheet import summary_content

__all__ = [
    "HOLIDAYS",
    "KEY_HEADER",
    "ORDERS",
    "ORDERS_TABLE",
    "RISK_COLOURS",
    "SETTINGS",
    "SHEETS",
    "STYLES",
    "SUMMARY",
    "ChartSpec",
    "ComputedColumn",
    "PageSpec",
    "Refreshed",
    "RuleSpec",
    "SheetContent",
    "Style",
    "TableSpec",
    "WorkbookError",
    "backup_path",
    "computed_columns",
    "formula_columns",
    "holiday_rows",
    "holidays_content",
    "is_our_workbook",
    "lock_file",
    "new_workbook_sheets",
    "orders_rules",
    "read_extra_days",
    "read_settings",
    "refresh_book",
    "refresh_workbook",
    "row_keys",
    "rule_rows",
    "save_atomically",
    "settings_content",
    "settings_rows",
    "summary_content",
    "workbook_settings",
    "write_refreshed",
]
