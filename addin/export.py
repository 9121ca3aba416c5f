"""Read a TikTok Shop order export (CSV, XLSX, XLSM) as TikTok writes it.

Cells keep their values; only the tab TikTok puts after every time and long ID is stripped.
Headers are found whatever their case and spacing, under the names sellers meet in the wild.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

#: Computed columns this product writes; on re-reading a refreshed file they are not input.
COMPUTED = ("Ship-by deadline", "Delivery deadline", "Next auto-cancel", "Days left", "Risk", "Data issue")

#: Field -> header as TikTok writes it, then other names seen for it.
FIELDS: dict[str, tuple[str, ...]] = {
    "order_id": ("Order ID", "Order Number", "Order No", "Order No."),
    "status": ("Order Status", "Status"),
    "substatus": ("Order Substatus", "Substatus", "Order Sub Status"),
    "sku_id": ("SKU ID", "SKU"),
    "created": ("Created Time", "Create Time", "Order Created Time", "Order Date", "Order Time", "Created Date"),
    "paid": ("Paid Time", "Payment Time", "Paid Date"),
    "rts": ("RTS Time", "Ready To Ship Time"),
    "shipped": ("Shipped Time", "Ship Time", "Shipped Date", "Collection Time"),
    "delivered": ("Delivered Time", "Delivery Time", "Delivered Date"),
    "cancelled": ("Cancelled Time", "Canceled Time", "Cancelation Time", "Cancellation Time"),
    "cancel_by": ("Cancel By", "Cancelled By", "Canceled By", "Cancellation Initiator"),
    "cancel_reason": ("Cancel Reason", "Cancellation Reason", "Cancelation Reason"),
    "package_id": ("Package ID",),
    "zipcode": ("Zipcode", "Zip Code", "Postcode", "Postal Code"),
    "edd": ("Estimated Delivery Date", "EDD", "Estimated Delivery Time", "Estimated Delivery",
            "Estimated Time of Delivery", "ETA", "Delivery Due Date"),
}
REQUIRED = ("order_id", "status", "created")
#: Long numbers that must stay text: Excel keeps only 15 significant digits of a number.
ID_FIELDS = ("order_id", "sku_id", "package_id", "zipcode")


def header_key(header: object) -> str:
    """Header compared without case, spaces or punctuation: "Order  ID\\t" == "order_id"."""
    return re.sub(r"[^0-9a-z#]", "", str(header).lower())


_DATE_LIKE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|^\d{4,6}(\.\d*)?$")
_ALIASES = {header_key(name): field for field, names in FIELDS.items() for name in names}
_COMPUTED_KEYS = {header_key(h) for h in COMPUTED}


class ExportError(ValueError):
    """The file cannot be used at all; the message names the file and what is wrong."""


@dataclass
class Export:
    """The export's header and rows as read, and where the fields the rules need are."""

    source: str
    headers: list[str]
    rows: list[list]
    columns: dict[str, int]  # field -> column index
    first_row: int  # spreadsheet row number of rows[0], for messages that name a cell
    sheet: str | None = None
    skipped_description_row: bool = False

    def column(self, field: str) -> list | None:
        """One field's values, top to bottom, or None when the export has no such column."""
        i = self.columns.get(field)
        if i is None:
            return None
        return [row[i] if i < len(row) else "" for row in self.rows]


def _clean(value: object) -> object:
    """TikTok's trailing tab removed; nothing else about a value changes."""
    return value.rstrip("\t") if isinstance(value, str) else value


def _as_id(value: object) -> object:
    """An ID or zipcode that a spreadsheet turned into a number, back to its digits as text."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def map_columns(headers: list[str], source: str, edd_column: str | None = None) -> dict[str, int]:
    """Field -> index for the headers, first match wins; a named EDD column takes precedence."""
    columns: dict[str, int] = {}
    for i, h in enumerate(headers):
        key = header_key(h)
        if edd_column and key == header_key(edd_column):
            columns["edd"] = i
        field = _ALIASES.get(key)
        if field and field not in columns:
            columns[field] = i
    if edd_column and "edd" not in columns:
        raise ExportError(f"{source}: no column {edd_column!r} for the estimated delivery date")
    missing = [FIELDS[f][0] for f in REQUIRED if f not in columns]
    if missing:
        shown = ", ".join(h for h in headers[:8] if h) + (", ..." if len(headers) > 8 else "")
        raise ExportError(
            f"{source}: no {' / '.join(repr(m) for m in missing)} column - is this a TikTok Shop order export? "
            f"(first headers: {shown or 'none'})"
        )
    return columns


def _looks_like_description(row: list, columns: dict[str, int]) -> bool:
    """SEA exports put a localized sentence per column under the header: words, not an ID and a date."""
    def cell(field: str) -> object:
        i = columns[field]
        return row[i] if i < len(row) else ""

    order_id, created = str(cell("order_id")).strip(), cell("created")
    return (
        bool(order_id)
        and not order_id.isdigit()
        and isinstance(created, str)
        and not _DATE_LIKE.search(created)
    )


def read_export(path: str | Path, sheet: str | None = None, edd_column: str | None = None) -> Export:
    """Read an order export or a workbook sheet; ExportError names the file when it can't."""
    path = Path(path)
    if not path.is_file():
        raise ExportError(f"{path}: no such file")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            table, sheet_name = _read_csv(path), None
        elif suffix in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"):
            table, sheet_name = _read_book(path, sheet)
        else:
            raise ExportError(f"{path}: not a CSV or Excel file (expected .csv, .xlsx or .xlsm)")
    except ExportError:
        raise
    except (OSError, UnicodeError, csv.Error, ValueError) as exc:
        raise ExportError(f"{path}: cannot be read ({exc})") from None
    except Exception as exc:  # calamine raises its own types for damaged workbooks
        raise ExportError(f"{path}: cannot be read as a workbook ({type(exc).__name__}: {exc})") from None
    if not table:
        raise ExportError(f"{path}: the file is empty")
    headers = [str(h if h is not None else "").strip() for h in table[0]]
    where = f"{path}" + (f", sheet {sheet_name!r}" if sheet_name else "")
    columns = map_columns(headers, where, edd_column)
    rows = table[1:]
    for field in ID_FIELDS:
        i = columns.get(field)
        if i is not None:
            for row in rows:
                if i < len(row):
                    row[i] = _as_id(row[i])
    skipped = bool(rows) and _looks_like_description(rows[0], columns)
    if skipped:
        rows = rows[1:]
    while rows and all(v in ("", None) for v in rows[-1]):
        rows.pop()
    return Export(str(path), headers, rows, columns, 3 if skipped else 2, sheet_name, skipped)


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    # Every CSV cell is text: strip TikTok's tab here, in one pass, rather than cell by cell later.
    return [[c.rstrip("\t") for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _read_book(path: Path, sheet: str | None) -> tuple[list[list], str]:
    """All cells of a sheet (by default "Orders" if there is one, else the first)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    names = book.sheet_names
    if sheet is None:
        sheet = next((n for n in names if n.strip().lower() == "orders"), names[0] if names else None)
    if sheet not in names:
        raise ExportError(f"{path}: no sheet {sheet!r} (sheets: {', '.join(names)})")
    rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return [[_clean(v) for v in r] for r in rows], sheet

