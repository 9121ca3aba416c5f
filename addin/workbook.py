"""Write a refreshed workbook: the export's rows untouched, the six computed columns, a Summary.

Text from the export is written as text, never as a formula: buyers type messages that start
with "=", "+", "-" or "@".
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import numpy as np
import xlsxwriter

from .assess import COLUMNS
from .pipeline import Refresh


class WorkbookError(ValueError):
    """The workbook cannot be written; the message names it and why."""


def write_refreshed(refresh: Refresh, output: Path) -> None:
    """Write Orders + Summary to ``output`` atomically (a temporary file, then a rename)."""
    output = Path(output)
    if Path(refresh.export.source).resolve() == output.resolve():
        raise WorkbookError(f"{output}: is the input file; choose another output with -o")
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=output.parent if output.parent.exists() else None)
    os.close(fd)
    try:
        _write(refresh, Path(tmp))
        os.replace(tmp, output)
    except OSError as exc:
        raise WorkbookError(f"{output}: cannot be written ({exc.strerror or exc})") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _write(refresh: Refresh, path: Path) -> None:
    book = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
         "strings_to_numbers": False},
    )
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("Orders")
    export = refresh.export
    width = len(export.headers)
    for c, h in enumerate(list(export.headers) + list(COLUMNS)):
        sheet.write_string(0, c, h)
    computed = refresh.row_values()
    for r, row in enumerate(export.rows, start=1):
        for c, value in enumerate(row):
            _cell(sheet, r, c, value, date_fmt)
        for k, column in enumerate(computed):
            _cell(sheet, r, width + k, column[r - 1], date_fmt)
    _summary(book.add_worksheet("Summary"), refresh)
    book.close()


def _cell(sheet, r: int, c: int, value, date_fmt) -> None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return
    if isinstance(value, np.datetime64):
        if not np.isnat(value):
            sheet.write_datetime(r, c, value.astype(object), date_fmt)
    elif isinstance(value, (dt.date, dt.datetime)):
        sheet.write_datetime(r, c, value, date_fmt)
    elif isinstance(value, (bool, np.bool_)):
        sheet.write_boolean(r, c, bool(value))
    elif isinstance(value, (int, float, np.integer, np.floating)):
        sheet.write_number(r, c, float(value))
    elif value != "":
        sheet.write_string(r, c, str(value))


def _summary(sheet, refresh: Refresh) -> None:
    s, st = refresh.summary, refresh.settings
    rows = [
        ("Market", st.market.code),
        ("Today", s.today.isoformat()),
        ("Policy", st.policy.name),
        ("Orders", s.orders),
        ("Cancelled orders", s.cancelled),
        *((f"Cancelled by {who}", n) for who, n in s.cancelled_by.items()),
        ("Seller-responsible cancellations", s.seller_responsible),
        ("Seller-responsible cancellation rate", s.seller_responsible_rate),
        ("Rate target", st.target),
        ("Projected rate if every Overdue order is auto-cancelled", s.projected_rate),
        *((f"Risk: {risk}", n) for risk, n in s.risk_counts.items()),
    ]
    for r, (label, value) in enumerate(rows):
        sheet.write_string(r, 0, label)
        if isinstance(value, str):
            sheet.write_string(r, 1, value)
        else:
            sheet.write_number(r, 1, value)
