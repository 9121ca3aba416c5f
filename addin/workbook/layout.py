"""The workbook's look as data: sheet names, defined names, colours, cell styles, content blocks.

Nothing here touches a spreadsheet library. Content builders (``summary_content``,
``settings_content``, ``holidays_content``, ``computed_columns``, ``orders_rules``) return the
dataclasses below; a writer (openpyxl in :mod:`.writer`, xlwings in ``addin.excel``) applies them.

A style is referred to by name (``STYLES[name]``), so a writer translates each once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ORDERS, SUMMARY, SETTINGS, HOLIDAYS = "Orders", "Summary", "Settings", "Holidays"
SHEETS = (SUMMARY, ORDERS, SETTINGS, HOLIDAYS)  # tab order of a new workbook
ORDERS_TABLE = "Orders"
#: Hidden staging sheet: the Paste export button pastes the clipboard here as values, then
#: ``addin.excel.load_pasted`` loads it as today's export and clears it.
PASTE = "Paste"

#: Header of the hidden column that remembers which (Order ID, SKU ID) a row held at the last
#: refresh, so values in the seller's own columns follow their order when the export is re-pasted.
KEY_HEADER = "Row key"

DATE_FORMAT = "ddd d mmm yyyy"  # Thu 4 Dec 2025
ISO_DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"
PERCENT2_FORMAT = "0.00%"
INT_FORMAT = "#,##0"


# -- colours ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Palette:
    """Fill and font colour (RGB hex) of one risk or status."""

    fill: str
    font: str
    row_fill: str | None = None  # lighter tint for the whole row, None = leave the row alone


#: Risk -> colours. Excel's own "light red fill with dark red text" family, so it reads as Excel.
RISK_COLOURS: dict[str, Palette] = {
    "Overdue": Palette("FFC7CE", "9C0006", "FDE9EC"),
    "Due today": Palette("FFD966", "7F4F00", "FFF4D6"),
    "At risk": Palette("FFEB9C", "9C5700", "FFF9E6"),
    "Check data": Palette("E4D7F5", "5B2C86", "F5F0FB"),
    "Pre-order": Palette("E4D7F5", "5B2C86"),
    "On track": Palette("C6EFCE", "006100"),
    "TikTok fulfils": Palette("DDEBF7", "1F4E78"),
    "Unpaid": Palette("DDEBF7", "1F4E78"),
    "Done": Palette("E7E6E6", "595959"),
    "Cancelled": Palette("E7E6E6", "7F7F7F"),
}

BRAND = "1F3864"  # dark navy: titles, header bands
INPUT_HEADER = "D9E1F2"  # export's own headers
COMPUTED_HEADER = "1F3864"  # our computed headers (white text): visibly set apart
EDITABLE = "FFF2CC"  # cells the seller edits on Settings / Holidays
MUTED = "595959"
GREEN, AMBER, RED = "00B050", "FFC000", "C00000"


@dataclass(frozen=True)
class Style:
    """A cell style any writer can reproduce."""

    bold: bool = False
    italic: bool = False
    font: str = "Calibri"
    size: float | None = None
    color: str | None = None  # font colour
    fill: str | None = None
    num_format: str | None = None
    align: str | None = None  # left, center, right
    valign: str | None = None
    wrap: bool = False
    border_bottom: str | None = None  # colour of a thin bottom border
    indent: int = 0


STYLES: dict[str, Style] = {
    "title": Style(bold=True, size=18, color=BRAND),
    "subtitle": Style(italic=True, color=MUTED, size=10),
    "section": Style(bold=True, size=12, color=BRAND, border_bottom=BRAND),
    "label": Style(),
    "label_indent": Style(indent=2, color=MUTED, align="left"),
    "note": Style(italic=True, color=MUTED, size=9, wrap=False),
    "note_wrap": Style(italic=True, color=MUTED, size=9, wrap=True, valign="top"),
    "head": Style(bold=True, color="FFFFFF", fill=BRAND, align="left"),
    "head_center": Style(bold=True, color="FFFFFF", fill=BRAND, align="center"),
    "head_right": Style(bold=True, color="FFFFFF", fill=BRAND, align="right"),
    "input_head": Style(bold=True, color=BRAND, fill=INPUT_HEADER, valign="top", wrap=True),
    "computed_head": Style(bold=True, color="FFFFFF", fill=COMPUTED_HEADER, valign="top", wrap=True),
    "key_head": Style(italic=True, color=MUTED, fill="F2F2F2", valign="top", wrap=True),
    "int": Style(num_format=INT_FORMAT, align="right"),
    "int_top": Style(num_format=INT_FORMAT, align="right", valign="top"),
    "days": Style(num_format=INT_FORMAT, align="center"),  # Days left on Orders, clear of its neighbours
    "int_bold": Style(num_format=INT_FORMAT, align="right", bold=True),
    "pct": Style(num_format=PERCENT2_FORMAT, align="right"),
    "pct_big": Style(num_format=PERCENT2_FORMAT, align="right", bold=True, size=16),
    "pct_bold": Style(num_format=PERCENT2_FORMAT, align="right", bold=True),
    "date": Style(num_format=DATE_FORMAT, align="left"),
    "iso_date": Style(num_format=ISO_DATE_FORMAT, align="left"),
    "day": Style(num_format="ddd d mmm", align="left"),
    "week": Style(num_format='"Week of" d mmm yyyy', align="left"),
    "id": Style(align="left"),
    "stat_label": Style(size=11),
    "big_label": Style(bold=True, size=12),
    "light_grey": Style(bold=True, color="595959", fill="E7E6E6", align="center"),
    "head_wrap": Style(bold=True, color="FFFFFF", fill=BRAND, align="center", wrap=True, valign="center"),
    "text": Style(),
    "text_wrap": Style(wrap=True, valign="top"),
    "text_bold": Style(bold=True),
    "editable": Style(fill=EDITABLE, align="left"),
    "editable_int": Style(fill=EDITABLE, align="left", num_format="0"),
    "editable_center": Style(fill=EDITABLE, align="center", num_format="0"),
    "center": Style(align="center"),
    "editable_pct": Style(fill=EDITABLE, align="right", num_format=PERCENT_FORMAT),
    "editable_date": Style(fill=EDITABLE, align="left", num_format=ISO_DATE_FORMAT),
    "readonly": Style(color=MUTED, align="left"),
    "light_green": Style(bold=True, color="FFFFFF", fill=GREEN, align="center"),
    "light_amber": Style(bold=True, color="000000", fill=AMBER, align="center"),
    "light_red": Style(bold=True, color="FFFFFF", fill=RED, align="center"),
    **{f"risk:{risk}": Style(fill=p.fill, color=p.font, align="center") for risk, p in RISK_COLOURS.items()},
    **{f"risk_label:{risk}": Style(fill=p.fill, color=p.font) for risk, p in RISK_COLOURS.items()},
}


# -- content blocks -----------------------------------------------------------------------------
#: One cell: A1 reference, value (str, number, date, None) and a style name (or None).
Cell = tuple[str, object, "str | None"]


@dataclass
class ChartSpec:
    """A column chart of ``series`` (header cell, values range) over ``categories``."""

    anchor: str
    title: str
    categories: str  # e.g. "Summary!$B$20:$B$40"
    bars: list[tuple[str, str]]  # (header ref, values ref), on the primary axis
    lines: list[tuple[str, str]] = field(default_factory=list)  # on a secondary axis
    y_title: str = ""
    y2_title: str = ""
    y_major: int | None = None  # whole-number tick step (counts), None = the application's choice
    y2_major: int | None = None
    width_cm: float = 16.0
    height_cm: float = 7.5


@dataclass
class PageSpec:
    """How a sheet prints: orientation, fit to pages, paper, margins."""

    landscape: bool = True
    fit_width: int = 1
    fit_height: int = 1
    print_area: str | None = None
    paper_size: int | None = None  # None: the printer's default (Letter or A4)
    margins_in: float = 0.4


@dataclass
class TableSpec:
    """An Excel Table: its name, range and look."""

    name: str
    ref: str
    style: str = "TableStyleLight9"
    banded_rows: bool = True


@dataclass
class SheetContent:
    """Everything one of our sheets shows, as data."""

    cells: list[Cell] = field(default_factory=list)
    widths: dict[str, float] = field(default_factory=dict)  # column letter -> width in characters
    heights: dict[int, float] = field(default_factory=dict)  # row -> height in points
    merges: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # defined name -> absolute ref ("$B$5")
    tables: list[TableSpec] = field(default_factory=list)
    charts: list[ChartSpec] = field(default_factory=list)
    page: PageSpec | None = None
    freeze: str | None = None
    tab_color: str | None = None
    show_grid: bool = True
    hidden_columns: list[str] = field(default_factory=list)
    comments: dict[str, str] = field(default_factory=dict)  # cell -> note
    validations: list[tuple[str, list[str]]] = field(default_factory=list)  # (range, allowed values)


def is_blank(value: object) -> bool:
    """An empty cell as a seller sees it: nothing, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())
