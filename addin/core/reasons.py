"""Whose fault a cancellation is, from its ``Cancel Reason`` and ``Cancel By``, as TikTok counts it.

TikTok's seller-fault cancellation rate counts seller-initiated cancellations for the seller's own
reasons (out of stock, pricing error, unable to ship), seller cancels at the buyer's request (until
appealed) and the system's auto-cancels for the seller's lateness (collection time-out, untracked
shipment, delivery time-out); never the buyer's or the platform's (payment overdue, no address, risk
review, package lost or damaged by the carrier, buyer-initiated cancels). Sources: Partner API cancel
reasons; US KB 7953001314830094; TH KB 4260207925872400; VN KB 6988439669442305 (docs/rules.md).

Wordings are matched as lowercase fragments of the reason, in table order (the first match wins), in
English (both of TikTok's spellings), Partner API codes and localised texts. The localised ones are
the common TikTok Seller Center wordings, not checked against an export of each market. A reason the
table does not know is "unclassified" unless ``Cancel By`` settles it: a seller's own cancel counts
against the seller, a buyer's does not; the system's stays unclassified and is shown as such.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NON_PAYMENT", "NOT_SELLER", "REASONS", "SELLER", "UNCLASSIFIED", "Reason", "classify", "is_non_payment"]

SELLER, NOT_SELLER, UNCLASSIFIED = "seller", "not seller", "unclassified"


@dataclass(frozen=True)
class Reason:
    """A fragment of a cancel reason and whose fault it is; ``appealable``: the seller may appeal it."""

    fragment: str
    fault: str
    appealable: bool = False


def _all(fault: str, *fragments: str, appealable: bool = False) -> tuple[Reason, ...]:
    return tuple(Reason(f, fault, appealable) for f in fragments)


#: The buyer never paid: such an order was never confirmed, so it is not in the rate at all.
NON_PAYMENT = (
    "buyer payment overdue",
    "customer overdue to pay",
    "overdue to pay",
    "payment overdue",
    "buyer hasn't paid",
    "buyer has not paid",
    "payment could not be charged",
    "payment failed",
    "quá hạn thanh toán",
    "chưa thanh toán",
    "เกินกำหนดชำระ",
    "ไม่ชำระเงิน",
    "batas waktu pembayaran",
    "belum membayar",
    "pago vencido",
    "pagamento vencido",
    "未付款",
    "超时未支付",
)

REASONS: tuple[Reason, ...] = (
    # The seller cancelled because the buyer asked: counts until appealed (Partner API
    # seller_cancel_*_buyer_requested_cancellation in US, PH, MX, BR, EU, JP).
    *_all(
        SELLER,
        "buyer_requested_cancellation",
        "buyer requested",
        "buyer's request",
        "requested by the buyer",
        "requested by buyer",
        appealable=True,
    ),
    # Not the seller's: payment (both English wordings: US/UK/SEA/MX/BR and EU/JP), address, risk review.
    *_all(
        NOT_SELLER,
        *NON_PAYMENT,
        "payment risk",
        "didn't provide your delivery address",
        "did not provide your delivery address",
        "failed to pass risk review",
        "risk review",
        "risk control",
    ),
    # Not the seller's: the carrier lost, damaged, scrapped or rejected the parcel, or delivered late.
    *_all(
        NOT_SELLER,
        "package lost",
        "package damaged",
        "package scrapped",
        "package rejected",
        "lost by carrier",
        "damaged by carrier",
        "late delivery",
        "threepl_breach",
    ),
    # The seller's: the system cancelled for lateness (collection, tracking, delivery time-out).
    *_all(
        SELLER,
        "shipping_timeout",
        "shipping timeout",
        "shipping time-out",
        "collection timeout",
        "collection time-out",
        "ship in time",
        "not shipped in time",
        "not shipped on time",
        "failed to ship",
        "ship on time",
        "untracked",
        "invalid tracking",
        "not delivered within",
        "delivery timeout",
        "delivery time-out",
        "not delivered in time",
    ),
    # The seller's own reasons (Partner API seller_cancel_* codes).
    *_all(
        SELLER,
        "out of stock",
        "pricing error",
        "price error",
        "wrong price",
        "unable to ship",
        "cannot ship",
        "unable to fulfil",
        "seller_cancel",
    ),
    # Localised wordings: VN, TH, ID/MY, ES/PT, ZH (non-payment ones are in NON_PAYMENT above).
    *_all(SELLER, "hết hàng", "สินค้าหมด", "stok habis", "sin stock", "agotado", "sem estoque", "缺货"),
)


def classify(reason: str, cancel_by: str, not_seller: tuple[str, ...] = ()) -> tuple[str, bool]:
    """(fault, appealable) of one cancellation; ``not_seller`` are the seller's own extra wordings."""
    text = " ".join(str(reason).lower().split())
    if text and any(w.strip().lower() and w.strip().lower() in text for w in not_seller):
        return NOT_SELLER, False
    for r in REASONS:
        if r.fragment in text:
            if r.appealable and cancel_by == "Buyer":  # the buyer cancelled it themselves
                return NOT_SELLER, False
            return r.fault, r.appealable
    return {"Seller": SELLER, "Buyer": NOT_SELLER}.get(cancel_by, UNCLASSIFIED), False


def is_non_payment(reason: str) -> bool:
    """True when the order was cancelled because the buyer never paid."""
    text = " ".join(str(reason).lower().split())
    return any(f in text for f in NON_PAYMENT)
