"""What a cell receives for a value the core computed: numpy scalars as plain Python, gaps as blanks.

The core's answers are numpy arrays (days as ``datetime64``, counts as floats with NaN for "none");
every writer (openpyxl, xlsxwriter, the Excel button, the worksheet functions) turns each value
into a cell value here, so a missing deadline is a blank cell everywhere, never "NaT" or 0.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np


def cell_value(value: object, *, whole: bool = False, datetimes: bool = False) -> object:
    """``value`` as a spreadsheet cell holds it; None for a blank.

    NaT, NaN and "" are blank; a numpy day is a ``date``; numpy numbers are ``int``/``float``
    (``whole``: a count such as Days left, as an ``int``). ``datetimes``: dates as midnight
    ``datetime`` (what xlwings writes as an Excel date and reads back).
    """
    kind = type(value)
    if kind is str:  # the common cases first: a refresh converts every cell of the Orders block
        return value or None
    if value is None or kind is int or kind is dt.datetime:
        return value
    return _converted(value, whole=whole, datetimes=datetimes)


def _converted(value: object, *, whole: bool, datetimes: bool) -> object:
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else int(value) if whole else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, str):
        return (str(value) if isinstance(value, np.str_) else value) or None  # a Formula (a str) stays one
    if isinstance(value, np.datetime64):
        value = None if np.isnat(value) else value.astype("datetime64[D]").astype(dt.date)
    if datetimes and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


__all__ = ["cell_value"]
