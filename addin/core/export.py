"""What an order export is, whatever file it came from: its headers, rows and mapped fields.

The file readers (``addin.io.export``) build it; the core reads it and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import numpy as np
    import numpy.typing as npt

__all__ = ["FIELDS", "ID_FIELDS", "MAX_CELL", "MAX_COLUMNS", "MAX_ROWS", "REQUIRED", "Export", "header_key", "id_text"]

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
    "edd": (
        "Estimated Delivery Date",
        "EDD",
        "Estimated Delivery Time",
        "Estimated Delivery",
        "Estimated Time of Delivery",
        "ETA",
        "Delivery Due Date",
    ),
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
#: Excel's limits: rows and columns of a sheet, characters in a cell.
MAX_ROWS, MAX_COLUMNS, MAX_CELL = 1_048_576, 16_384, 32_767
#: Long numbers that must stay text: Excel keeps only 15 significant digits of a number.
ID_FIELDS = ("order_id", "sku_id", "package_id", "zipcode", "phone", "seller_sku")


def header_key(header: object) -> str:
    r"""Header compared without case, spaces or punctuation: "Order  ID\t" == "order_id"."""
    return re.sub(r"[^0-9a-z#]", "", str(header).lower())


def id_text(value: object) -> object:
    """An ID or zipcode that a spreadsheet turned into a number, back to its digits as text."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


@dataclass
class Export:
    """The export's header and rows as read, and where the fields the rules need are."""

    source: str
    headers: list[str]
    rows: Sequence[list[object]]
    columns: dict[str, int]  # field -> column index
    first_row: int  # spreadsheet row number of rows[0], for messages that name a cell
    sheet: str | None = None
    skipped_description_row: bool = False
    fields: Mapping[str, Sequence[object]] = field(default_factory=dict)  # values of mapped fields, when read ahead
    #: Sheet row of each of ``rows`` when blank rows between them were skipped (None: consecutive).
    sheet_rows: npt.NDArray[np.int64] | None = None
    #: What the reader could not carry over whole (cells Excel will cut, cells without a header...).
    warnings: list[str] = field(default_factory=list)

    def column(self, name: str) -> Sequence[object] | None:
        """One field's values, top to bottom, or None when the export has no such column."""
        i = self.columns.get(name)
        if i is None:
            return None
        if name in self.fields:
            return self.fields[name]
        return [row[i] if i < len(row) else "" for row in self.rows]

    def columns_at(self, indices: Sequence[int]) -> list[Sequence[object]]:
        """Columns by position, top to bottom, in one pass over the rows.

        A file's rows are read again on every pass, so several columns are read in one; a field the
        reader read ahead is taken as it is.
        """
        wanted = set(indices)
        ahead = {i: self.fields[name] for name, i in self.columns.items() if i in wanted and name in self.fields}
        todo = [i for i in dict.fromkeys(indices) if i not in ahead]
        read: dict[int, list[object]] = {i: [] for i in todo}
        if todo:
            for row in self.rows:
                width = len(row)
                for i in todo:
                    read[i].append(row[i] if i < width else "")
        return [ahead[i] if i in ahead else read[i] for i in indices]

    def sheet_row(self, index: int) -> int:
        """The spreadsheet row of ``rows[index]``, for a message the seller can find."""
        if self.sheet_rows is not None:
            return int(self.sheet_rows[index])
        return self.first_row + index
