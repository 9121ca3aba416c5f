"""A small sheet of ours (Settings, Holidays) read once into plain values, and the seller's dates in it.

Shared by the Settings and Holidays readers (neither imports the other for it), by the worksheet
functions and by the Excel button, which hand in values read from a live workbook
(:meth:`Grid.from_block`, :class:`GridBook`) instead of an openpyxl sheet.
"""

from __future__ import annotations

import zipfile
from itertools import islice
from typing import TYPE_CHECKING, Protocol, cast
from xml.etree.ElementTree import ParseError

from ..core.rules import PolicyError, as_date
from ..errors import AutocancelError, WorkbookError

if TYPE_CHECKING:  # openpyxl is imported only when a file is read (Excel's start stays fast)
    import datetime as dt
    from collections.abc import Iterable, Mapping, Sequence

    from openpyxl.worksheet.worksheet import Worksheet

#: How far down and right the readers look (a Settings sheet is a few dozen rows).
MAX_ROW, MAX_COL = 400, 30


class Book(Protocol):
    """What the readers ask of a workbook: an openpyxl Workbook, or a :class:`GridBook`."""

    @property
    def sheetnames(self) -> list[str]:
        """The sheets' names, in tab order."""
        ...

    def __getitem__(self, name: str, /) -> object: ...


class Grid:
    """A sheet's values read once (top-left ``MAX_ROW`` x ``MAX_COL``).

    A damaged sheet fails here in one line naming it, and the readers never touch the spreadsheet
    library.
    """

    def __init__(self, values: Mapping[tuple[int, int], object], name: str) -> None:
        # rows and columns of ``values`` are 1-based, as in the sheet
        self.values, self.name = values, name
        self.max_row = max((r for r, _ in values), default=0)

    @classmethod
    def of(cls, ws: object, name: str | None = None, source: str | None = None, max_row: int = MAX_ROW) -> Grid:
        """The values of an openpyxl sheet (normal or read-only) or a Grid already read."""
        if isinstance(ws, Grid):
            return ws
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet
        from openpyxl.worksheet.worksheet import Worksheet

        if not isinstance(ws, Worksheet | ReadOnlyWorksheet):
            where = f"{source}: " if source else ""
            raise WorkbookError(f"{where}{name}: is not a sheet of cells (a chart sheet?) - rename or delete it")
        name = name or ws.title
        values: dict[tuple[int, int], object] = {}
        try:
            rows: Iterable[Sequence[object]]
            if isinstance(ws, ReadOnlyWorksheet):  # its size may be missing or wrong: read rows as they come
                # openpyxl's iter_rows is Worksheet.iter_rows on both kinds (its stubs type ``self`` so)
                rows = islice(cast("Worksheet", ws).iter_rows(max_col=MAX_COL, values_only=True), max_row)
            else:
                rows = ws.iter_rows(
                    max_row=min(ws.max_row, max_row), max_col=min(ws.max_column, MAX_COL), values_only=True
                )
            for r, row in enumerate(rows, start=1):
                for c, v in enumerate(row, start=1):
                    if v is not None:
                        values[r, c] = v
        except AutocancelError:
            raise
        except (ParseError, ValueError, TypeError, KeyError, IndexError, AttributeError, zipfile.BadZipFile) as exc:
            where = f"{source}: " if source else ""
            raise WorkbookError(
                f"{where}the {name} sheet is damaged and cannot be read ({type(exc).__name__}: "
                f"{exc}); restore it from the .bak.xlsx backup or the template"
            ) from None
        return cls(values, name)

    @classmethod
    def from_block(cls, rows: Sequence[Sequence[object]], row0: int, col0: int, name: str) -> Grid:
        """A block of values read from a live sheet (xlwings): ``rows[0]`` is sheet row ``row0``."""
        return cls(
            {(row0 + r, col0 + c): v for r, row in enumerate(rows) for c, v in enumerate(row) if v is not None}, name
        )

    def get(self, row: int, col: int) -> object:
        """The value at a 1-based row and column; None when blank."""
        return self.values.get((row, col))


class GridBook:
    """Sheets already read (:class:`Grid`), with what the readers ask of a workbook (:class:`Book`).

    The worksheet functions and the button read a live workbook this way.
    """

    def __init__(self, grids: Mapping[str, Grid]) -> None:
        self.grids = dict(grids)
        self.sheetnames = list(self.grids)

    def __getitem__(self, name: str) -> Grid:
        return self.grids[name]


def cell_date(v: object, where: str) -> dt.date:
    """A date cell the seller typed: an Excel date, or text like 2025-12-24 (read as a rule's dates are)."""
    try:
        return as_date(v, where)
    except PolicyError:
        raise WorkbookError(f"{where}: {v!r} is not a date (type one like 2025-12-24)") from None


__all__ = ["MAX_COL", "MAX_ROW", "Book", "Grid", "GridBook", "cell_date"]
