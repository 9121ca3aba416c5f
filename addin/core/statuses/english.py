"""English: US, UK and every market whose seller picks English (SG, PH, MY, and many in TH/VN/ID)."""

from .base import Language

__all__ = ["LANGUAGE"]

LANGUAGE = Language(
    "en",
    "English",
    (),  # written everywhere: no evidence of a market
    "Real US exports, Sept 2025, and the Partner API order status enum (docs/rules.md section 6); "
    "Seller Center ID English tabs 'Pending = waiting for payment' (seller-id.tokopedia.com course "
    "5571154660738833); 'Processing' = cancellable first hour after payment (keyouyun.com, 3rd party)",
    seen={
        "Unpaid": "Unpaid",
        "On hold": "On hold",
        "To ship": "To ship",
        "Shipped": "In transit",
        "Completed": "Completed",
        "Canceled": "Cancelled",
        "Cancelled": "Cancelled",
        "Awaiting shipment": "Awaiting shipment",
        "Awaiting collection": "Awaiting collection",
        "In transit": "In transit",
        "Delivered": "Delivered",
    },
    documented={
        # Partner API names (UNPAID ... CANCELLED); status_key reads IN_TRANSIT as "in transit".
        "PARTIALLY_SHIPPING": "To ship",  # some packages out, the rest still due
        "Pending": "Unpaid",
        "Processing": "On hold",
        "Pending shipment": "Awaiting shipment",
        "Pending collection": "Awaiting collection",
    },
    translated={"Awaiting payment": "Unpaid", "Cancellation": "Cancelled"},
)
