"""French: Seller Center FR."""

from .base import Language

__all__ = ["LANGUAGE"]

LANGUAGE = Language(
    "fr",
    "French",
    ("FR",),
    "No French export seen: every spelling is our translation",
    translated={
        "Non payé": "Unpaid",
        "Non payée": "Unpaid",
        "En attente de paiement": "Unpaid",
        "En attente": "On hold",
        "À expédier": "To ship",
        "En attente d'expédition": "Awaiting shipment",
        "En attente d'enlèvement": "Awaiting collection",
        "En attente de collecte": "Awaiting collection",
        "Expédié": "In transit",
        "Expédiée": "In transit",
        "En transit": "In transit",
        "Livré": "Delivered",
        "Livrée": "Delivered",
        "Terminé": "Completed",
        "Terminée": "Completed",
        "Annulé": "Cancelled",
        "Annulée": "Cancelled",
    },
)
