"""Spanish: Seller Center MX (and ES)."""

from .base import Language

__all__ = ["LANGUAGE"]

LANGUAGE = Language(
    "es",
    "Spanish",
    ("MX", "ES"),
    "Completado, Enviado, Entregado, Cancelado seen in other projects' code (docs/rules.md section 6); "
    "the rest translated by us",
    seen={"Completado": "Completed", "Enviado": "In transit", "Entregado": "Delivered", "Cancelado": "Cancelled"},
    translated={
        "No pagado": "Unpaid",
        "Pendiente de pago": "Unpaid",
        "En espera": "On hold",
        "Por enviar": "To ship",
        "Pendiente de envío": "Awaiting shipment",
        "Esperando recolección": "Awaiting collection",
        "Pendiente de recolección": "Awaiting collection",
        "En tránsito": "In transit",
    },
)
