"""Vietnamese: Seller Center VN in its default language."""

from .base import Language

__all__ = ["LANGUAGE"]

LANGUAGE = Language(
    "vi",
    "Vietnamese",
    ("VN",),
    "Real VN exports (issue 8: 'Cần vận chuyển' on 25 of 27 orders); docs/rules.md section 6; "
    "'đã huỷ' tone-mark spelling as in gobizvn/gobiz-docs; the rest translated by us",
    seen={
        "Cần vận chuyển": "To ship",
        "Đã vận chuyển": "In transit",
        "Đã hoàn tất": "Completed",
        "Đã hủy": "Cancelled",
        "Đang chờ lấy hàng": "Awaiting collection",
        "Đang trung chuyển": "In transit",
        "Đã giao": "Delivered",
    },
    documented={"Đã huỷ": "Cancelled"},  # the older tone-mark placement, common in Vietnamese text
    translated={
        "Chờ thanh toán": "Unpaid",
        "Chưa thanh toán": "Unpaid",
        "Tạm giữ": "On hold",
        "Đang chờ vận chuyển": "Awaiting shipment",
        "Chờ lấy hàng": "Awaiting collection",
        "Đang giao": "In transit",
        "Hoàn thành": "Completed",
    },
)
