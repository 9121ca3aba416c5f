"""Thai: Seller Center TH in its default language."""

from .base import Language

__all__ = ["LANGUAGE"]

LANGUAGE = Language(
    "th",
    "Thai",
    ("TH",),
    "Real TH exports (issue 8: both ที่จะจัดส่ง and ที่ต้องจัดส่ง for To ship); docs/rules.md section 6; "
    "the rest translated by us",
    seen={
        "ที่จะจัดส่ง": "To ship",
        "ที่ต้องจัดส่ง": "To ship",
        "เสร็จสมบูรณ์": "Completed",
        "รอจัดส่ง": "Awaiting shipment",
        "รอเข้ารับ": "Awaiting collection",
    },
    translated={
        "ยังไม่ชำระเงิน": "Unpaid",
        "รอการชำระเงิน": "Unpaid",
        "ระงับไว้": "On hold",
        "จัดส่งแล้ว": "In transit",
        "กำลังจัดส่ง": "In transit",
        "อยู่ระหว่างการขนส่ง": "In transit",
        "จัดส่งสำเร็จ": "Delivered",
        "สำเร็จ": "Completed",
        "ยกเลิกแล้ว": "Cancelled",
        "ยกเลิก": "Cancelled",
    },
)
