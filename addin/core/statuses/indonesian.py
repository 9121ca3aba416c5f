"""Indonesian: Seller Center ID (TikTok Shop by Tokopedia) in Bahasa Indonesia."""

from .base import Language

__all__ = ["LANGUAGE"]

LANGUAGE = Language(
    "id",
    "Indonesian",
    ("ID",),
    "Real ID exports and other projects' code (issue 8); docs/rules.md section 6; the rest translated by us",
    seen={
        "Belum dibayar": "Unpaid",
        "Perlu dikirim": "To ship",
        "Menunggu pengambilan": "Awaiting collection",
        "Selesai": "Completed",
        "Dibatalkan": "Cancelled",
    },
    translated={
        "Ditahan": "On hold",
        "Menunggu pengiriman": "Awaiting shipment",
        "Dikirim": "In transit",
        "Dalam pengiriman": "In transit",
        "Terkirim": "Delivered",
    },
)
