"""German: Seller Center DE."""

from .base import Language

__all__ = ["LANGUAGE"]

LANGUAGE = Language(
    "de",
    "German",
    ("DE",),
    "No German export seen: every spelling is our translation",
    translated={
        "Unbezahlt": "Unpaid",
        "Zahlung ausstehend": "Unpaid",
        "Angehalten": "On hold",
        "Zu versenden": "To ship",
        "Warten auf Versand": "Awaiting shipment",
        "Warten auf Abholung": "Awaiting collection",
        "Versandt": "In transit",
        "Unterwegs": "In transit",
        "Zugestellt": "Delivered",
        "Abgeschlossen": "Completed",
        "Storniert": "Cancelled",
    },
)
