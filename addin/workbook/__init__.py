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

Entry points (openpyxl):

- ``write_refreshed(refresh, output, *, formulas=False) -> Refreshed``: a new workbook from an
  export (CSV/XLSX): Summary, Orders (Excel Table + computed columns), Settings, Holidays;
- ``refresh_workbook(path, *, output=None, overrides=None, formulas=None) -> Refreshed``: refresh a
  template-made or refreshed .xlsx/.xlsm in place (or to ``output``): settings read back from the
  workbook (``overrides`` win for the run), computed columns and our formatting rules replaced
  (never stacked), the seller's own columns kept on their rows by (Order ID, SKU ID), other
  sheets and macros kept; atomic write, ``name.bak.xlsx`` backup, refusal when open in Excel;
- ``refresh_book(book, settings, source, ...)``: the same on an openpyxl workbook in memory;
- ``new_workbook_sheets(book, settings=None, headers=None)``: empty Summary/Orders/Settings/
  Holidays sheets, for the template builder;
- ``is_our_workbook(path)``: has our Settings sheet (refresh it) or not (it is an export).

Errors a seller can fix raise :class:`WorkbookError` (a ``ValueError``) naming the file, sheet
or cell; nothing is written then.
"""

from .holidays_sheet import holiday_rows, holidays_content, read_extra_days
from .layout import (HOLIDAYS, KEY_HEADER, ORDERS, ORDERS_TABLE, RISK_COLOURS, SETTINGS, SHEETS, STYLES, SUMMARY,
                     ChartSpec, PageSpec, SheetContent, Style, TableSpec)
from .orders_sheet import ComputedColumn, RuleSpec, computed_columns, formula_columns, orders_rules, row_keys
from .refresh import (Refreshed, is_our_workbook, new_workbook_sheets, refresh_book, refresh_workbook,
                      write_refreshed)
from .safe import backup_path, lock_file, save_atomically
from .settings_sheet import WorkbookError, read_settings, rule_rows, settings_content, settings_rows
from .summary_sheet import summary_content

__all__ = [
    "WorkbookError", "write_refreshed", "refresh_workbook", "refresh_book", "new_workbook_sheets",
    "is_our_workbook", "read_settings", "read_extra_days", "settings_rows", "rule_rows", "settings_content",
    "holiday_rows", "holidays_content", "summary_content", "computed_columns", "formula_columns",
    "orders_rules", "row_keys", "ComputedColumn", "RuleSpec", "Refreshed", "SheetContent", "Style", "STYLES",
    "RISK_COLOURS", "ChartSpec", "PageSpec", "TableSpec", "save_atomically", "backup_path", "lock_file",
    "ORDERS", "SUMMARY", "SETTINGS", "HOLIDAYS", "SHEETS", "KEY_HEADER", "ORDERS_TABLE",
]
