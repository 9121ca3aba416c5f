"""Read a TikTok Shop order export (CSV, XLSX, XLSM) as TikTok writes it.

Cells keep their values; only the tab TikTok puts after every time and long ID is stripped.
Headers are found whatever their case and spacing, under the names sellers meet in the wild.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from .errors import AutocancelError

#: Computed columns this product writes; on re-reading a refreshed file they are not input.
COMPUTED = ("Ship-by deadline", "Delivery deadline", "Next auto-cancel", "Days left", "Risk", "Data issue",
            "Dispatch by")

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
    # What kind of order it is: which rules apply (pre-order, FBT, shipping type, COD, samples).
    "order_type": ("Normal or Pre-order", "Order Type", "Pre-order"),
    "fulfillment": ("Fulfillment Type", "Fulfilment Type"),
    "delivery_option_type": ("Delivery Option Type", "Shipping Type"),
    "delivery_option": ("Delivery Option",),
    "payment_method": ("Payment Method",),
    "seller_sku": ("Seller SKU",),
    "product_name": ("Product Name",),
    "cancel_type": ("Cancelation/Return Type", "Cancellation/Return Type"),
    # Where the shop is: evidence for the market when none is given.
    "country": ("Country", "Country/Region"),
    "phone": ("Phone #", "Phone", "Phone Number"),
    "order_amount": ("Order Amount",),
}
REQUIRED = ("order_id", "status", "created")
#: Long numbers that must stay text: Excel keeps only 15 significant digits of a number.
ID_FIELDS = ("order_id", "sku_id", "package_id", "zipcode", "phone", "seller_sku")


def header_key(header: object) -> str:
    """Header compared without case, spaces or punctuation: "Order  ID\\t" == "order_id"."""
    return re.sub(r"[^0-9a-z#]", "", str(header).lower())


_DATE_LIKE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|^\d{4,6}(\.\d*)?$")
_ALIASES = {header_key(name): field for field, names in FIELDS.items() for name in names}
_COMPUTED_KEYS = {header_key(h) for h in COMPUTED}


class ExportError(AutocancelError):
    """The file cannot be used at all; the message names the file and what is wrong."""


class FileRows(Sequence):
    """The export's data rows, read again from the file each time they are walked.

    A 1,048,575-row export held as Python strings takes gigabytes; the rules need a dozen
    columns, which are kept, and the full rows only stream through once more when written.
    """

    def __init__(self, reopen: Callable[[], Iterator[list]], skip: int, count: int) -> None:
        self._reopen, self._skip, self._count = reopen, skip, count
        self._cached: list[list] | None = None

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[list]:
        if self._cached is not None:
            return iter(self._cached)
        return islice(self._reopen(), self._skip, self._skip + self._count)

    def __getitem__(self, index):  # random access (in-place workbook edits) holds the rows once
        if self._cached is None:
            self._cached = list(self)
        return self._cached[index]


@dataclass
class Export:
    """The export's header and rows as read, and where the fields the rules need are."""

    source: str
    headers: list[str]
    rows: Sequence[list]
    columns: dict[str, int]  # field -> column index
    first_row: int  # spreadsheet row number of rows[0], for messages that name a cell
    sheet: str | None = None
    skipped_description_row: bool = False
    fields: dict[str, list] = field(default_factory=dict)  # values of mapped fields, when read ahead

    def column(self, name: str) -> list | None:
        """One field's values, top to bottom, or None when the export has no such column."""
        i = self.columns.get(name)
        if i is None:
            return None
        if name in self.fields:
            return self.fields[name]
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


def read_export(path: str | Path, sheet: str | None = None, edd_column: str | None = None,
                progress: Callable[[int], None] | None = None) -> Export:
    """Read an order export or a workbook sheet; ExportError names the file when it can't.

    One pass keeps the columns the rules need; the full rows are read again only when written.
    ``progress`` is told the number of rows read so far, every 65,536 rows.
    """
    path = Path(path)
    if not path.is_file():
        raise ExportError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        reopen, sheet_name = _csv_rows(path), None
    elif suffix in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"):
        reopen, sheet_name = _guarded(path, lambda: _book_rows(path, sheet))
    else:
        raise ExportError(f"{path}: not a CSV or Excel file (expected .csv, .xlsx or .xlsm)")
    return _guarded(path, lambda: _scan(path, reopen, sheet_name, edd_column, progress))


def export_from_table(source: str, table: list[list], sheet: str | None = None, edd_column: str | None = None,
                      header_row: int = 1) -> Export:
    """An export from cells already in memory (a workbook's Orders sheet, Excel's used range).

    ``table`` starts with the header row, which is sheet row ``header_row``; the cells are cleaned
    and mapped exactly as ``read_export`` does a file's.
    """
    return _scan(Path(source), lambda: iter(table), sheet, edd_column, header_row=header_row)


def _guarded(path: Path, read: Callable):
    try:
        return read()
    except ExportError:
        raise
    except (OSError, UnicodeError, csv.Error, ValueError) as exc:
        raise ExportError(f"{path}: cannot be read ({exc})") from None
    except Exception as exc:  # calamine raises its own types for damaged workbooks
        raise ExportError(f"{path}: cannot be read as a workbook ({type(exc).__name__}: {exc})") from None


def _scan(path: Path, reopen: Callable[[], Iterator[list]], sheet_name: str | None, edd_column: str | None,
          progress: Callable[[int], None] | None = None, header_row: int = 1) -> Export:
    rows = reopen()
    header = next(rows, None)
    if header is None:
        raise ExportError(f"{path}: the file is empty")
    headers = [str(_clean(h) if h is not None else "").strip() for h in header]
    where = f"{path}" + (f", sheet {sheet_name!r}" if sheet_name else "")
    columns = map_columns(headers, where, edd_column)
    wanted = list(columns.items())
    fields: dict[str, list] = {name: [] for name, _ in wanted}
    appenders = [(fields[name].append, i, name in ID_FIELDS) for name, i in wanted]
    seen: dict[object, object] = {}  # one object per repeated value: statuses, reasons, dates
    count = last_filled = 0
    skipped = False
    for row in rows:
        if count == 0 and not skipped and _looks_like_description(row, columns):
            skipped = True
            continue
        width = len(row)
        for append, i, is_id in appenders:
            value = _clean(row[i]) if i < width else ""
            if is_id:
                value = _as_id(value)
            append(seen.setdefault(value, value) if type(value) is str and len(value) < 40 else value)
        count += 1
        if any(v not in ("", None) for v in row):
            last_filled = count
        if progress and not count & 0xFFFF:
            progress(count)
    for values in fields.values():
        del values[last_filled:]  # blank rows at the bottom are not orders
    ids = [i for name, i in wanted if name in ID_FIELDS]
    return Export(str(path), headers, FileRows(lambda: _data(reopen, ids), 1 + skipped, last_filled), columns,
                  header_row + 1 + skipped, sheet_name, skipped, fields)


def _data(reopen: Callable[[], Iterator[list]], id_columns: list[int]) -> Iterator[list]:
    """Rows as the seller sees them: TikTok's tabs stripped, long IDs as text."""
    for row in reopen():
        row = [_clean(v) for v in row]
        for i in id_columns:
            if i < len(row):
                row[i] = _as_id(row[i])
        yield row


def _csv_rows(path: Path) -> Callable[[], Iterator[list]]:
    """A way to walk the CSV's rows, in the file's own encoding and delimiter."""
    with open(path, "rb") as f:
        head = f.read(65536)
    encoding = "utf-8-sig"
    try:  # incremental: a character cut at the sample's end is not an error
        codecs.getincrementaldecoder(encoding)().decode(head, final=False)
    except UnicodeDecodeError:
        encoding = "cp1252"
    sample = head.decode(encoding, errors="replace")
    delimiter = ";" if sample.count(";") > sample.count(",") else ","

    def rows() -> Iterator[list]:
        with open(path, encoding=encoding, newline="") as f:
            yield from csv.reader(f, delimiter=delimiter)

    return rows


def _book_rows(path: Path, sheet: str | None) -> tuple[Callable[[], Iterator[list]], str]:
    """A way to walk a sheet's rows (by default "Orders" if there is one, else the first)."""
    from python_calamine import CalamineWorkbook

    names = CalamineWorkbook.from_path(str(path)).sheet_names
    if sheet is None:
        sheet = next((n for n in names if n.strip().lower() == "orders"), names[0] if names else None)
    if sheet not in names:
        raise ExportError(f"{path}: no sheet {sheet!r} (sheets: {', '.join(names)})")

    def rows() -> Iterator[list]:
        book = CalamineWorkbook.from_path(str(path))
        yield from book.get_sheet_by_name(sheet).iter_rows()

    return rows, sheet
