"""From export rows to orders: statuses in one spelling, dates parsed, SKU rows grouped by Order ID.

An export has one row per SKU line; rates and deadlines are per order, so the rows of an order
are folded into one, and the answers spread back onto every row of it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from .columns import distinct_text
from .dates import parse_dates
from .export import FIELDS, Export
from .rules import EVENTS, Milestone

# Canonical order statuses, and what each export spelling (English, localized) means.
CANCELLED, UNPAID = "Cancelled", "Unpaid"
STATUSES: dict[str, str] = {
    # English, both spellings; Partner API names
    "unpaid": UNPAID, "awaiting payment": UNPAID, "on hold": "On hold", "to ship": "To ship",
    "awaiting shipment": "To ship", "awaiting collection": "To ship", "partially shipping": "To ship",
    "shipped": "Shipped", "in transit": "Shipped", "delivered": "Completed", "completed": "Completed",
    "canceled": CANCELLED, "cancelled": CANCELLED, "cancellation": CANCELLED,
    # Spanish / Portuguese (MX, ES, BR)
    "no pagado": UNPAID, "pendiente de pago": UNPAID, "não pago": UNPAID, "aguardando pagamento": UNPAID,
    "en espera": "On hold", "por enviar": "To ship", "pendiente de envío": "To ship", "a enviar": "To ship",
    "enviado": "Shipped", "en tránsito": "Shipped", "em trânsito": "Shipped", "entregado": "Completed",
    "entregue": "Completed", "completado": "Completed", "concluído": "Completed", "cancelado": CANCELLED,
    # Chinese
    "未付款": UNPAID, "待付款": UNPAID, "待发货": "To ship", "已发货": "Shipped", "运输中": "Shipped",
    "已送达": "Completed", "已完成": "Completed", "已取消": CANCELLED,
    # Indonesian / Malay, Vietnamese, Thai
    "belum dibayar": UNPAID, "perlu dikirim": "To ship", "dikirim": "Shipped", "selesai": "Completed",
    "dibatalkan": CANCELLED, "chờ thanh toán": UNPAID, "chờ lấy hàng": "To ship", "đang giao": "Shipped",
    "đã giao": "Completed", "hoàn thành": "Completed", "đã hủy": CANCELLED, "ยังไม่ชำระเงิน": UNPAID,
    "ที่ต้องจัดส่ง": "To ship", "กำลังจัดส่ง": "Shipped", "จัดส่งแล้ว": "Shipped", "สำเร็จ": "Completed",
    "ยกเลิกแล้ว": CANCELLED, "ยกเลิก": CANCELLED,
}

# How far an order has got, by its substatus (or a status that implies one).
_REACHED: dict[str, Milestone] = {
    "awaiting shipment": Milestone.PAID, "to ship": Milestone.PAID, "on hold": Milestone.PAID,
    "awaiting collection": Milestone.AWAITING_COLLECTION, "in transit": Milestone.IN_TRANSIT,
    "shipped": Milestone.IN_TRANSIT, "delivered": Milestone.DELIVERED, "completed": Milestone.DELIVERED,
    "enviado": Milestone.IN_TRANSIT, "en tránsito": Milestone.IN_TRANSIT, "em trânsito": Milestone.IN_TRANSIT,
    "entregado": Milestone.DELIVERED, "entregue": Milestone.DELIVERED, "completado": Milestone.DELIVERED,
    "concluído": Milestone.DELIVERED, "运输中": Milestone.IN_TRANSIT, "已发货": Milestone.IN_TRANSIT,
    "已送达": Milestone.DELIVERED, "已完成": Milestone.DELIVERED, "dikirim": Milestone.IN_TRANSIT,
    "selesai": Milestone.DELIVERED, "đang giao": Milestone.IN_TRANSIT, "đã giao": Milestone.DELIVERED,
    "hoàn thành": Milestone.DELIVERED, "กำลังจัดส่ง": Milestone.IN_TRANSIT, "จัดส่งแล้ว": Milestone.IN_TRANSIT,
    "สำเร็จ": Milestone.DELIVERED,
}
#: A time in these columns proves the milestone, whatever the status says.
_PROVEN_BY = {"rts": Milestone.AWAITING_COLLECTION, "shipped": Milestone.IN_TRANSIT, "delivered": Milestone.DELIVERED}
CANCEL_BY = {"seller": "Seller", "system": "System", "user": "Buyer", "buyer": "Buyer", "customer": "Buyer"}
DATE_FIELDS = ("created", "paid", "rts", "shipped", "delivered", "edd")  # "created" also sets the window


def canonical_status(value: object) -> str | None:
    """"Canceled", "cancelled ", "运输中" -> one spelling; None when not recognised."""
    return STATUSES.get(str(value).strip().lower()) if value not in (None, "") else None


@dataclass
class Orders:
    """One entry per distinct Order ID (first-seen order), and the map from rows to orders."""

    ids: list[str]
    row_order: np.ndarray  # row -> order index
    status: list[str]  # canonical status, or the raw text when not recognised
    recognised: np.ndarray  # bool: the status is one we know
    reached: np.ndarray  # Milestone value reached (int)
    dates: dict[str, np.ndarray]  # field -> datetime64[D] per order (NaT blank or unreadable)
    unreadable: dict[str, np.ndarray]  # field -> bool per order: a cell was there but not a date
    cancel_by: list[str]
    cancel_reason: list[str]
    issues: dict[int, list[str]]  # order index -> what is wrong with its cells (most have nothing)

    def __len__(self) -> int:
        return len(self.ids)


def collect_orders(export: Export, day_first: bool, events: frozenset[str] = frozenset(EVENTS)) -> Orders:
    """Group the export's SKU rows into orders and read what the rules need from them.

    ``events`` are the clock-starting events the policy uses; other event columns are not read.
    """
    n_rows = len(export.rows)
    ids, row_order = distinct_text(export.column("order_id"), n_rows)
    n = len(ids)
    first_row = np.full(n, n_rows, dtype=np.int64)
    np.minimum.at(first_row, row_order, np.arange(n_rows))
    issues: dict[int, list[str]] = defaultdict(list)
    cell = _cell_namer(export)
    if "" in ids:
        blank = ids.index("")
        issues[blank].append(f"{cell('order_id', int(first_row[blank]))}: empty")

    statuses, status_code = distinct_text(export.column("status"), n_rows)
    canonical = [canonical_status(s) for s in statuses]
    row_cancelled = np.array([c == CANCELLED for c in canonical], dtype=bool)[status_code]
    # An order is cancelled when all its rows are; one live SKU row keeps it open.
    live = np.zeros(n, dtype=bool)
    np.logical_or.at(live, row_order, ~row_cancelled)
    rep = first_row.copy()  # representative row: the first live one, else the first
    live_rows = np.flatnonzero(~row_cancelled)
    first_live = np.full(n, n_rows, dtype=np.int64)
    np.minimum.at(first_live, row_order[live_rows], live_rows)
    rep[live] = first_live[live]

    rep_status = status_code[rep]
    status = [canonical[c] or statuses[c] for c in rep_status]
    recognised = np.array([c is not None for c in canonical], dtype=bool)[rep_status]
    for o in np.flatnonzero(~recognised):
        raw = statuses[rep_status[o]]
        what = f"{raw!r} is not a status we know" if raw else "empty"
        issues[o].append(f"{cell('status', int(rep[o]))}: {what}")

    substatuses, sub_code = distinct_text(export.column("substatus"), n_rows)
    reached_rows = np.maximum(_reached(substatuses)[sub_code], _reached(statuses)[status_code])
    dates: dict[str, np.ndarray] = {}
    unreadable: dict[str, np.ndarray] = {}
    for field in DATE_FIELDS:
        values = export.column(field) if field in events or field in _PROVEN_BY else None
        day = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        bad = np.zeros(n, dtype=bool)
        if values is not None:
            col = parse_dates(values, day_first)
            day = _first_per_order(col.days, row_order, n)
            for row, why in col.problems.items():
                bad[row_order[row]] = True
                issues[row_order[row]].append(f"{cell(field, row)}: {why}")
            if field in _PROVEN_BY:
                reached_rows = np.where(~np.isnat(col.days), np.maximum(reached_rows, _PROVEN_BY[field]), reached_rows)
        dates[field], unreadable[field] = day, bad
    reached = np.zeros(n, dtype=np.int64)
    np.maximum.at(reached, row_order[~row_cancelled], reached_rows[~row_cancelled])

    by, by_code = distinct_text(export.column("cancel_by"), n_rows)
    by = [CANCEL_BY.get(b.lower(), b) for b in by]
    reasons, reason_code = distinct_text(export.column("cancel_reason"), n_rows)
    return Orders(
        ids=ids,
        row_order=row_order,
        status=status,
        recognised=recognised,
        reached=reached,
        dates=dates,
        unreadable=unreadable,
        cancel_by=[by[c] for c in by_code[rep]],
        cancel_reason=[reasons[c] for c in reason_code[rep]],
        issues=issues,
    )


def _reached(values: list[str]) -> np.ndarray:
    """The milestone each distinct status or substatus text proves."""
    return np.array([_REACHED.get(v.lower(), Milestone.PLACED) for v in values], dtype=np.int64)


def _first_per_order(days: np.ndarray, row_order: np.ndarray, n: int) -> np.ndarray:
    """Each order's earliest date over its rows (the rows of an order share their times)."""
    as_int = days.astype(np.int64)
    missing = np.isnat(days)
    big = np.iinfo(np.int64).max
    out = np.full(n, big, dtype=np.int64)
    np.minimum.at(out, row_order[~missing], as_int[~missing])
    result = out.astype("datetime64[D]")
    result[out == big] = np.datetime64("NaT")
    return result


def _cell_namer(export: Export):
    """Cell references such as "Created Time, row 17" that the seller can find in the sheet."""
    def name(field: str, row: int) -> str:
        header = export.headers[export.columns[field]] if field in export.columns else FIELDS[field][0]
        return f"{header}, row {export.first_row + row}"

    return name
