"""Chinese (simplified): cross-border sellers' interface, for a shop in any market."""

from .base import Language

__all__ = ["LANGUAGE"]

LANGUAGE = Language(
    "zh",
    "Chinese",
    (),  # cross-border sellers sell everywhere: no evidence of a market
    "运输中 seen in other projects' code (docs/rules.md section 6); 未支付, 待发货, 待揽收, 已发货, 已送达 from "
    "Chinese copies of Seller University's order-status page (tikotu.com/gbb3, chwang.com, 3rd party); "
    "处理中 and 已完成/已取消 from keyouyun.com (3rd party); the rest translated by us",
    seen={"运输中": "In transit"},
    documented={
        "未支付": "Unpaid",
        "处理中": "On hold",
        "待发货": "To ship",
        "待处理发货": "Awaiting shipment",
        "待揽收": "Awaiting collection",
        "已发货": "In transit",
        "已送达": "Delivered",
        "已完成": "Completed",
        "已取消": "Cancelled",
    },
    translated={"未付款": "Unpaid", "待付款": "Unpaid"},
)
