"""What every market's tests share: the bundled samples, local rows, what each kind of order is."""

from __future__ import annotations

from pathlib import Path

from addin.io.export import read_export

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: A local export's columns: what the rules and the market detection read.
LOCAL_HEADERS = [
    "Order ID",
    "Order Status",
    "Order Substatus",
    "SKU ID",
    "Created Time",
    "Paid Time",
    "RTS Time",
    "Shipped Time",
    "Delivered Time",
    "Cancelled Time",
    "Cancel By",
    "Cancel Reason",
    "Order Amount",
    "Payment Method",
    "Phone #",
    "Country",
]


def orders_paying(path: Path, method: str) -> set[str]:
    """The Order IDs of a sample whose Payment Method is ``method``."""
    export = read_export(path)
    ids, methods = export.column("order_id"), export.column("payment_method")
    return {str(i).strip() for i, m in zip(ids, methods, strict=True) if m == method}


def status_rows(placed: str, statuses: dict[str, tuple[str, str]], shipped: str = "", rts: str = "") -> list[dict]:
    """One order per (status, substatus), placed at ``placed``; in-transit/awaiting-collection ones carry their time."""
    rows = []
    for oid, (status, substatus) in statuses.items():
        row = {"Order ID": oid, "Order Status": status, "Order Substatus": substatus, "Created Time": placed}
        if oid.startswith("transit"):
            row["Shipped Time"] = shipped
        if oid.startswith("collect"):
            row["RTS Time"] = rts
        rows.append(row)
    return rows


#: What each kind of order in status_rows is, worked out from the rule (no EDD: In transit is On track).
EXPECTED = {
    "unpaid": "Unpaid",
    "hold": "On track",
    "ship": "On track",
    "collect": "On track",
    "transit": "On track",
    "delivered": "Done",
    "completed": "Done",
    "cancelled": "Cancelled",
}
