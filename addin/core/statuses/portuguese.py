"""Portuguese: Seller Center BR."""

from .base import Language

__all__ = ["LANGUAGE"]

LANGUAGE = Language(
    "pt",
    "Portuguese",
    ("BR",),
    "Enviado seen in other projects' code (docs/rules.md section 6); the rest translated by us",
    seen={"Enviado": "In transit"},
    translated={
        "Não pago": "Unpaid",
        "Aguardando pagamento": "Unpaid",
        "Em espera": "On hold",
        "A enviar": "To ship",
        "Aguardando envio": "Awaiting shipment",
        "Aguardando coleta": "Awaiting collection",
        "Em trânsito": "In transit",
        "Entregue": "Delivered",
        "Concluído": "Completed",
        "Cancelado": "Cancelled",
    },
)
