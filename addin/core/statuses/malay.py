"""Malay: Seller Center MY in Bahasa Melayu (many MY sellers use English, see english.py)."""

from .base import Language

__all__ = ["LANGUAGE"]

LANGUAGE = Language(
    "ms",
    "Malay",
    ("MY",),
    "No Malay export seen: every spelling is our translation; Selesai, Dibatalkan, Belum dibayar and "
    "Menunggu pengambilan are also Indonesian (seen in ID exports)",
    translated={
        "Belum dibayar": "Unpaid",
        "Ditahan": "On hold",
        "Untuk dihantar": "To ship",
        "Perlu dihantar": "To ship",
        "Menunggu penghantaran": "Awaiting shipment",
        "Menunggu pengambilan": "Awaiting collection",
        "Dihantar": "In transit",
        "Dalam transit": "In transit",
        "Telah diterima": "Delivered",
        "Selesai": "Completed",
        "Dibatalkan": "Cancelled",
    },
)
