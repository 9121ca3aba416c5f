"""Japanese: Seller Center JP."""

from .base import Language

__all__ = ["LANGUAGE"]

LANGUAGE = Language(
    "ja",
    "Japanese",
    ("JP",),
    "No Japanese export seen: every spelling is our translation",
    translated={
        "未払い": "Unpaid",
        "支払い待ち": "Unpaid",
        "保留中": "On hold",
        "発送待ち": "To ship",
        "出荷待ち": "Awaiting shipment",
        "集荷待ち": "Awaiting collection",
        "発送済み": "In transit",
        "配送中": "In transit",
        "配達済み": "Delivered",
        "完了": "Completed",
        "キャンセル済み": "Cancelled",
    },
)
