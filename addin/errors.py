"""The one root of every error a seller can fix: a file, sheet, cell or setting that cannot be used.

Every layer raises a subclass with a message that names what is wrong and where; the command, the
Excel button and the worksheet functions catch this one type, so "one line, no traceback" holds by
construction.
"""

from __future__ import annotations


class AutocancelError(ValueError):
    """Input the product cannot use; ``str(error)`` is the one line the seller sees."""


class WorkbookError(AutocancelError):
    """The workbook cannot be read or written; the message names the file, sheet or cell and why."""
