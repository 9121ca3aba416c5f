"""What kind of order each one is, which decides the rules TikTok applies to it.

From the export: pre-order or normal (``Normal or Pre-order``), fulfilled by TikTok (``Fulfillment
Type``: FBT orders are TikTok's to ship), shipping type (``Delivery Option Type``, else ``Delivery
Option``: Seller Shipping orders are outside TH/VN's Shipped by TikTok deadlines), cash on delivery
(``Payment Method``: no Paid Time until delivery, yet a confirmed order), creator samples (when the
export says "sample"). From the seller: a handling time per Seller SKU (US made-to-order, back-order
and custom items) and their own date columns (a pre-order's expected ship date). Pure: it reads the
export already in memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .columns import distinct_text
from .dates import parse_dates
from .export import Export, header_key
from .orders import Orders, first_per_order

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    import numpy.typing as npt

__all__ = ["BY_TIKTOK", "COD", "PRE_ORDER", "SAMPLE", "SELLER_SHIPPING", "TIKTOK_SHIPPING", "OrderKinds", "read_kinds"]

# Fragments of the export's texts, lowercase (English, Partner API codes, localised where seen).
PRE_ORDER = ("pre-order", "preorder", "pre order", "pre_order", "พรีออเดอร์", "đặt trước", "预售")
SAMPLE = ("sample",)
BY_TIKTOK = ("tiktok", "fbt")  # "Fulfillment by TikTok", FULFILLMENT_BY_TIKTOK
SELLER_SHIPPING = ("seller",)  # "Seller Shipping", "Shipped by seller", SELLER
TIKTOK_SHIPPING = ("tiktok", "platform")
#: Cash on delivery (VN, TH as in their exports; English and ID/MY/ES/PT wordings).
COD = re.compile(
    r"\bcod\b|cash on delivery|thanh toán khi giao hàng|การเก็บเงินปลายทาง|bayar di tempat|"
    r"contra ?entrega|pagamento na entrega",
    re.IGNORECASE,
)


@dataclass
class OrderKinds:
    """Per-order flags (arrays aligned with ``Orders.ids``) and the seller's own date columns."""

    pre_order: npt.NDArray[np.bool_]
    by_tiktok: npt.NDArray[np.bool_]  # FBT
    seller_shipping: npt.NDArray[np.bool_]
    cod: npt.NDArray[np.bool_]
    sample: npt.NDArray[np.bool_]
    handling_days: npt.NDArray[np.int64]  # per order, -1 when its SKUs have no handling time
    columns: dict[str, npt.NDArray[np.datetime64]] = field(default_factory=dict)  # header -> days (NaT blank)
    missing_columns: frozenset[str] = frozenset()  # the seller's columns the export does not have
    issues: dict[int, list[str]] = field(default_factory=dict)  # unreadable dates in those columns


def read_kinds(
    export: Export,
    orders: Orders,
    *,
    day_first: bool,
    handling_times: Iterable[tuple[str, int]] = (),
    columns: Iterable[str] = (),
) -> OrderKinds:
    """Each order's kind from its SKU rows: one pre-order or FBT row makes the order one.

    ``columns`` are the seller's own date columns the policy's rules start from, by header.
    """
    row_order, n = orders.row_order, len(orders)
    n_rows = len(row_order)
    seen: dict[str, tuple[list[str], npt.NDArray[np.int64]]] = {}

    def any_row(field: str, test: Callable[[str], bool]) -> npt.NDArray[np.bool_]:
        if field not in seen:
            seen[field] = distinct_text(export.column(field), n_rows)
        values, codes = seen[field]
        hits = np.array([bool(v) and test(v.lower()) for v in values], dtype=bool)[codes]
        out = np.zeros(n, dtype=bool)
        np.logical_or.at(out, row_order, hits)
        return out

    def has(fragments: tuple[str, ...]) -> Callable[[str], bool]:
        return lambda text: any(f in text for f in fragments)

    shipping_field = "delivery_option_type" if "delivery_option_type" in export.columns else "delivery_option"
    kinds = OrderKinds(
        pre_order=any_row("order_type", has(PRE_ORDER)),
        by_tiktok=any_row("fulfillment", has(BY_TIKTOK)),
        seller_shipping=any_row(shipping_field, lambda t: has(SELLER_SHIPPING)(t) and not has(TIKTOK_SHIPPING)(t)),
        cod=any_row("payment_method", lambda t: bool(COD.search(t))),
        sample=any_row("order_type", has(SAMPLE)) | any_row("payment_method", has(SAMPLE)),
        handling_days=_handling_days(export, row_order, n, dict(handling_times)),
    )
    kinds.columns, kinds.missing_columns, kinds.issues = _own_columns(export, orders, columns, day_first=day_first)
    return kinds


def _handling_days(
    export: Export, row_order: npt.NDArray[np.int64], n: int, table: dict[str, int]
) -> npt.NDArray[np.int64]:
    """The longest handling time among an order's SKUs (-1: none of them has one)."""
    out = np.full(n, -1, dtype=np.int64)
    if not table:
        return out
    skus, codes = distinct_text(export.column("seller_sku"), len(row_order))
    days = np.array([table.get(s, -1) if s else -1 for s in skus], dtype=np.int64)[codes]
    np.maximum.at(out, row_order, days)
    return out


def _own_columns(
    export: Export, orders: Orders, headers: Iterable[str], *, day_first: bool
) -> tuple[dict[str, npt.NDArray[np.datetime64]], frozenset[str], dict[int, list[str]]]:
    """The seller's date columns by header (each order's earliest date), those missing, and bad cells."""
    row_order = orders.row_order
    keys = {header_key(h): i for i, h in reversed(list(enumerate(export.headers)))}
    wanted = {header: keys.get(header_key(header)) for header in headers}
    present = {header: i for header, i in wanted.items() if i is not None}
    found: dict[str, npt.NDArray[np.datetime64]] = {}
    issues: dict[int, list[str]] = {}
    for (header, i), values in zip(present.items(), export.columns_at(list(present.values())), strict=True):
        col = parse_dates(values, day_first=day_first)
        found[header] = first_per_order(col.days, row_order, len(orders))
        for row, why in col.problems.items():
            issues.setdefault(int(row_order[row]), []).append(
                f"{export.headers[i]}, row {export.sheet_row(row)}: {why}"
            )
    return found, frozenset(h for h, i in wanted.items() if i is None), issues
