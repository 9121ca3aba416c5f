"""Italian: Seller Center IT."""

from .base import Language

__all__ = ["LANGUAGE"]

LANGUAGE = Language(
    "it",
    "Italian",
    ("IT",),
    "No Italian export seen: every spelling is our translation",
    translated={
        "Non pagato": "Unpaid",
        "In attesa di pagamento": "Unpaid",
        "In sospeso": "On hold",
        "Da spedire": "To ship",
        "In attesa di spedizione": "Awaiting shipment",
        "In attesa di ritiro": "Awaiting collection",
        "Spedito": "In transit",
        "In transito": "In transit",
        "Consegnato": "Delivered",
        "Completato": "Completed",
        "Annullato": "Cancelled",
    },
)
