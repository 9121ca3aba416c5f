"""Realistic TikTok Shop order exports, for the bundled examples, the tests and the benchmarks.

The rows look like Seller Center > Orders > Export (docs/rules.md section 6): one row per
SKU line, timestamps and long IDs ending in a tab, US dates month-first, amounts with a currency
prefix outside the US, statuses consistent with each order's age, and the awkward cases the
product has to survive (both spellings of Canceled, buyer messages starting with ``=`` or ``@``,
overdue and nearly-due "To ship" orders, orders placed on weekends and public holidays).

Vietnam and Indonesia come in their own layouts and languages (VN 54 columns with Commune and
Checked Status and no Zipcode; ID with Regency and City, Districts, Villages and Purchase Channel;
statuses in Vietnamese / Indonesian from ``addin.core.statuses``, some of them our translations, see
there). Cash-on-delivery orders have no Paid Time until they are delivered, as in real exports.

Generation is vectorised with numpy over the whole export, then formatted and streamed in
chunks, so a 1,048,575-row CSV is written in seconds without holding all its cells at once.
Output is deterministic for a given (n_rows, today, market, seed).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from addin.pipeline import calendar_for

if TYPE_CHECKING:
    import os
    from collections.abc import Iterator, Sequence

#: The bundled examples' "today": their 45-day window spans Thanksgiving 2025 (Nov 27) and Black Friday.
SAMPLE_TODAY = dt.date(2025, 12, 1)

#: The US export's 58 headers, in order (docs/rules.md section 6).
US_COLUMNS: tuple[str, ...] = (
    "Order ID", "Order Status", "Order Substatus", "Cancelation/Return Type",
    "Normal or Pre-order", "SKU ID", "Seller SKU", "Product Name", "Variation", "Quantity",
    "Sku Quantity of return", "SKU Unit Original Price", "SKU Subtotal Before Discount",
    "SKU Platform Discount", "SKU Seller Discount", "SKU Subtotal After Discount",
    "Shipping Fee After Discount", "Original Shipping Fee",
    "Shipping Fee Seller Discount", "Co-Funded Shipping Fee Discount",
    "Shipping Fee Platform Discount", "Payment platform discount",
    "Retail Delivery Fee", "Taxes", "Order Amount", "Order Refund Amount", "Created Time",
    "Paid Time", "RTS Time", "Shipped Time", "Delivered Time", "Cancelled Time", "Cancel By",
    "Cancel Reason", "Fulfillment Type", "Warehouse Name", "Tracking ID",
    "Delivery Option Type", "Delivery Option", "Shipping Provider Name", "Buyer Message",
    "Buyer Username", "Recipient", "Phone #", "Country", "State", "City", "Zipcode",
    "Address Line 1", "Address Line 2", "Delivery Instruction", "Payment Method",
    "Weight(kg)", "Product Category", "Package ID", "Seller Note", "Shipping Information",
    "Combined Listing",
)  # fmt: skip

#: The seller's own column that with_edd=True appends (the export has no EDD).
EDD_COLUMN = "Estimated Delivery Date"

#: Southeast Asian exports name the address columns differently (same positions).
_SEA_ADDRESS = {
    "State": "Province",
    "City": "District",
    "Address Line 1": "Detail Address",
    "Address Line 2": "Additional address information",
}
#: Thailand's tax-invoice fields, appended after the common columns (58 + 5 = 63).
TH_TAX_COLUMNS: tuple[str, ...] = (
    "Request Tax Invoice", "Tax Info - Buyer Tax ID", "Tax Info - Type",
    "Tax Info - Full Name of Buyer", "Tax Info - Registered Address",
)  # fmt: skip


#: US-only money columns (sales tax, Colorado/Minnesota retail delivery fee) that SEA layouts lack.
_US_ONLY = ("Retail Delivery Fee", "Taxes")
#: Vietnam: 54 columns (docs/rules.md section 6 counts them and names Province, District, Commune, Checked
#: Status, Checked Marked by, no Zipcode); which other US columns VN drops is our reconstruction.
VN_COLUMNS: tuple[str, ...] = (
    *tuple(
        name
        for c in US_COLUMNS
        if c
        not in (
            *_US_ONLY,
            "Zipcode",
            "Co-Funded Shipping Fee Discount",
            "Shipping Information",
            "Combined Listing",
            "Delivery Option Type",
        )
        for name in ((_SEA_ADDRESS[c], "Commune") if c == "City" else (_SEA_ADDRESS.get(c, c),))
    ),
    "Checked Status",
    "Checked Marked by",
)
#: Indonesia: the address as Province, Regency and City, Districts, Villages; Purchase Channel at the end.
ID_COLUMNS: tuple[str, ...] = (
    *tuple(
        name
        for c in US_COLUMNS
        if c not in _US_ONLY
        for name in (("Regency and City", "Districts", "Villages") if c == "City" else (_SEA_ADDRESS.get(c, c),))
    ),
    "Purchase Channel",
)


def columns_for(market: str = "US", with_edd: bool = False) -> tuple[str, ...]:
    """The header row generate_rows' rows line up with, for a market."""
    market = market.upper()
    if market == "US":
        cols = US_COLUMNS
    elif market == "VN":
        cols = VN_COLUMNS
    elif market == "ID":
        cols = ID_COLUMNS
    else:
        cols = tuple(_SEA_ADDRESS.get(c, c) for c in US_COLUMNS)
        if market == "TH":
            cols += TH_TAX_COLUMNS
    return (*cols, EDD_COLUMN) if with_edd else cols


# --------------------------------------------------------------------------------------------
# Market data: places, names, money
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Profile:
    code: str
    country: str
    currency: str  # "" = plain numbers (US)
    decimals: int  # 2, or 0 for VND/IDR (amounts are then whole units)
    scale: float  # price in this currency per US cent
    step: int  # price rounding, in minor units
    tail: int  # subtracted after rounding (prices ending in 9)
    ship_fees: tuple[int, ...]  # original shipping fee choices, minor units
    free_ship_from: int  # order subtotal that earns platform-paid shipping
    phone_code: str
    zip_digits: int
    # (state/province, city/district, zip base, phone prefix, sales tax per 100,000)
    places: tuple[tuple[str, str, int, str, int], ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    family_first: bool
    streets: tuple[str, ...]
    address_fmt: str  # uses {n} (1-9998), {b} (100-999), {m} (1-39), {f} (1-20), {street}
    extra_address: tuple[str, ...]
    carriers: tuple[tuple[str, str, int, str], ...]  # name, prefix, digits, suffix
    payments: tuple[str, ...]
    warehouses: tuple[str, ...]
    delivery_options: tuple[str, ...]
    instructions: tuple[str, ...]
    cod: str = ""  # the payment method that is cash on delivery: no Paid Time until delivered
    # Status and substatus per _ST_* code in the seller's interface language; () = English.
    statuses: tuple[tuple[str, ...], tuple[str, ...]] = ()
    areas: tuple[tuple[str, ...], ...] = ()  # per place: VN (commune,), ID (district, village)

    def money(self, minor: int) -> str:
        prefix = f"{self.currency} " if self.currency else ""
        if self.decimals == 0:
            return f"{prefix}{minor}"
        return f"{prefix}{minor // 100}.{minor % 100:02d}"


_US = _Profile(
    "US", "United States", "", 2, 1.0, 1, 0, (0, 399, 499, 599, 799), 3500, "+1", 5,
    (
        ("California", "Los Angeles", 90012, "213", 9500), ("California", "San Diego", 92101, "619", 7750),
        ("California", "San Jose", 95112, "408", 9375), ("Texas", "Houston", 77002, "713", 8250),
        ("Texas", "Dallas", 75201, "214", 8250), ("Texas", "Austin", 78701, "512", 8250),
        ("New York", "New York", 10001, "212", 8875), ("New York", "Brooklyn", 11201, "718", 8875),
        ("New York", "Buffalo", 14201, "716", 8750), ("Florida", "Miami", 33101, "305", 7000),
        ("Florida", "Orlando", 32801, "407", 6500), ("Florida", "Tampa", 33602, "813", 7500),
        ("Illinois", "Chicago", 60601, "312", 10250), ("Pennsylvania", "Philadelphia", 19103, "215", 8000),
        ("Pennsylvania", "Pittsburgh", 15213, "412", 7000), ("Ohio", "Columbus", 43215, "614", 7500),
        ("Georgia", "Atlanta", 30303, "404", 8900), ("North Carolina", "Charlotte", 28202, "704", 7250),
        ("Michigan", "Detroit", 48201, "313", 6000), ("New Jersey", "Newark", 7102, "973", 6625),
        ("Massachusetts", "Boston", 2108, "617", 6250), ("Washington", "Seattle", 98101, "206", 10350),
        ("Arizona", "Phoenix", 85004, "602", 8600), ("Colorado", "Denver", 80202, "303", 8810),
        ("Minnesota", "Minneapolis", 55401, "612", 9030), ("Tennessee", "Nashville", 37203, "615", 9250),
        ("Nevada", "Las Vegas", 89101, "702", 8375), ("Oregon", "Portland", 97201, "503", 0),
        ("Hawaii", "Honolulu", 96813, "808", 4712), ("Alaska", "Anchorage", 99501, "907", 0),
        ("Louisiana", "New Orleans", 70112, "504", 10000), ("Missouri", "St. Louis", 63101, "314", 9679),
        ("Virginia", "Richmond", 23219, "804", 6000), ("Puerto Rico", "San Juan", 901, "787", 11500),
    ),
    ("Jessica", "Ashley", "Brittany", "Tyler", "Michael", "Jasmine", "Destiny", "Kayla", "Marcus",
     "Brandon", "Emily", "Madison", "Chris", "Olivia", "Sophia", "Aaliyah", "DeShawn", "Isabella",
     "Ethan", "Mia", "Daniel", "Hannah", "José", "María", "Zoë", "Chloé", "Nguyễn Thu", "Priya",
     "Mohammed", "Wei", "Kenji", "Siobhan", "Renée", "Andrés", "Keisha", "Logan", "Savannah", "Grace"),
    ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
     "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
     "Jackson", "Martin", "Lee", "Pérez", "Thompson", "White", "Harris", "O'Brien", "Nguyen", "Kim",
     "Patel", "Chen", "Smith-Jones", "Washington", "Núñez", "Müller", "Robinson", "Walker"),
    False,
    ("Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Elm St", "Washington Blvd", "Park Ave",
     "Sunset Blvd", "Lakeview Dr", "Pine St", "Broadway", "Market St", "Highland Ave", "Riverside Dr",
     "Church St", "Martin Luther King Jr Blvd", "W 3rd St", "N Michigan Ave", "Peachtree St NE"),
    "{n} {street}",
    ("Apt {m}", "Apt {m}B", "Unit {m}", "Suite {m}", "#{m}", "Bldg 2, Apt {m}"),
    (("USPS", "9400111", 15, ""), ("UPS", "1Z", 16, ""), ("FedEx", "", 12, "")),
    ("Credit card", "Credit card", "Credit card", "PayPal", "Apple Pay", "Google Pay", "Afterpay",
     "Klarna", "Venmo", "Debit card"),
    ("Main Warehouse", "Ontario CA Warehouse"),
    ("Standard shipping", "Standard shipping", "Standard shipping", "Express shipping"),
    ("Leave at front door", "Please ring the doorbell", "Leave with the front desk",
     "Gate code 2468#", "Do not leave at the mailbox"),
)  # fmt: skip

_TH = _Profile(
    "TH", "Thailand", "THB", 2, 35.0, 1000, 100, (0, 3000, 3800, 4500), 29900, "+66", 5,
    (
        ("กรุงเทพมหานคร", "เขตบางรัก", 10500, "81", 0), ("กรุงเทพมหานคร", "เขตจตุจักร", 10900, "89", 0),
        ("กรุงเทพมหานคร", "เขตบางกะปิ", 10240, "92", 0), ("นนทบุรี", "อำเภอปากเกร็ด", 11120, "86", 0),
        ("เชียงใหม่", "อำเภอเมืองเชียงใหม่", 50000, "95", 0), ("ภูเก็ต", "อำเภอเมืองภูเก็ต", 83000, "84", 0),
        ("ขอนแก่น", "อำเภอเมืองขอนแก่น", 40000, "87", 0), ("ชลบุรี", "อำเภอบางละมุง", 20150, "91", 0),
        ("สงขลา", "อำเภอหาดใหญ่", 90110, "83", 0), ("นครราชสีมา", "อำเภอเมืองนครราชสีมา", 30000, "93", 0),
    ),
    ("สมชาย", "สุดารัตน์", "กิตติพงษ์", "ณัฐชา", "ปิยะพงษ์", "วรรณา", "ธนากร", "อรุณี", "Nattapong",
     "Siriporn", "ศิริพร", "พิมพ์ชนก"),
    ("ใจดี", "ศรีสุข", "วงศ์สวัสดิ์", "แสงทอง", "บุญมา", "Chaiyaporn", "รัตนพันธ์", "ทองดี"),
    False,
    ("ถนนสุขุมวิท", "ถนนพหลโยธิน", "ถนนรัชดาภิเษก", "ซอยลาดพร้าว 71", "ถนนนิมมานเหมินท์", "หมู่บ้านพฤกษา"),
    "{b}/{m} {street}",
    ("ใกล้ 7-Eleven", "ตึก B ชั้น 5", "คอนโดลุมพินี ห้อง {m}", "ฝากไว้ที่ป้อม รปภ."),
    (("Flash Express", "TH", 12, "A"), ("J&T Express", "", 12, ""), ("Kerry Express", "KEX", 10, ""),
     ("Thailand Post", "EM", 9, "TH")),
    ("Cash on delivery", "Cash on delivery", "TrueMoney Wallet", "Credit/debit card", "Mobile banking"),
    ("คลังสินค้าหลัก",),
    ("Standard Delivery", "Standard Delivery", "Economy Delivery"),
    ("ฝากไว้ที่ป้อม รปภ.", "โทรก่อนส่ง", ""),
    cod="Cash on delivery",
)  # fmt: skip

_VN = _Profile(
    "VN", "Việt Nam", "", 0, 250.0, 1000, 0, (0, 15000, 22000, 30000), 300000, "+84", 6,
    (
        ("Hồ Chí Minh", "Quận 1", 700000, "90", 0), ("Hồ Chí Minh", "Quận Bình Thạnh", 717000, "93", 0),
        ("Hà Nội", "Quận Cầu Giấy", 100000, "98", 0), ("Hà Nội", "Quận Hoàn Kiếm", 100000, "91", 0),
        ("Đà Nẵng", "Quận Hải Châu", 550000, "35", 0), ("Cần Thơ", "Quận Ninh Kiều", 900000, "70", 0),
    ),
    ("Văn An", "Thị Bích", "Minh Tuấn", "Thu Trang", "Quốc Huy", "Ngọc Lan", "Hoàng Nam"),
    ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng"),
    True,
    ("Đường Lê Lợi", "Đường Nguyễn Huệ", "Phố Huế", "Đường Trần Hưng Đạo", "Hẻm 45 Lê Văn Sỹ"),
    "Số {b} {street}, Phường {f}",
    ("Gần chợ Bến Thành", "Tầng {m}", "Giao giờ hành chính"),
    (("J&T Express", "8", 11, ""), ("Giao Hàng Nhanh", "GHN", 8, ""), ("Viettel Post", "VTP", 10, "")),
    ("Thanh toán khi giao hàng", "Thanh toán khi giao hàng", "ZaloPay", "MoMo", "Credit/debit card"),
    ("Kho chính",),
    ("Standard Delivery", "Standard Delivery", "Express Delivery"),
    ("Gọi trước khi giao", ""),
    cod="Thanh toán khi giao hàng",
    statuses=(
        ("Chờ thanh toán", "Tạm giữ", "Cần vận chuyển", "Cần vận chuyển", "Đã vận chuyển", "Đã hoàn tất",
         "Đã hoàn tất", "Đã hủy"),
        ("Chờ thanh toán", "Tạm giữ", "Đang chờ vận chuyển", "Đang chờ lấy hàng", "Đang trung chuyển", "Đã giao",
         "Đã hoàn tất", "Đã hủy"),
    ),
    areas=(("Phường Bến Nghé",), ("Phường 25",), ("Phường Dịch Vọng",), ("Phường Hàng Bạc",),
           ("Phường Thạch Thang",), ("Phường An Hòa",)),
)  # fmt: skip

_MY = _Profile(
    "MY", "Malaysia", "MYR", 2, 4.5, 10, 1, (0, 490, 690), 3000, "+60", 5,
    (
        ("Selangor", "Petaling Jaya", 46000, "12", 0), ("Kuala Lumpur", "Bukit Bintang", 55100, "17", 0),
        ("Johor", "Johor Bahru", 80000, "19", 0), ("Penang", "George Town", 10200, "16", 0),
        ("Sabah", "Kota Kinabalu", 88000, "13", 0),
    ),
    ("Nur Aisyah", "Siti", "Ahmad Faiz", "Tan Wei Ming", "Rajesh", "Lim Mei Ling", "Muhammad Irfan"),
    ("binti Ahmad", "binti Ismail", "bin Hassan", "Kumar", "Wong", "Lee"),
    False,
    ("Jalan SS 2/24", "Jalan Bukit Bintang", "Jalan Tun Razak", "Lorong Kulit", "Persiaran Gurney"),
    "No. {n}, {street}",
    ("Blok {m}", "Taman Melati", "Kondominium Seri {m}"),
    (("J&T Express", "63", 10, ""), ("Ninja Van", "NVMY", 12, ""), ("Pos Malaysia", "ER", 9, "MY")),
    ("Cash on delivery", "Touch 'n Go eWallet", "Online banking (FPX)", "Credit/debit card"),
    ("Gudang Utama",),
    ("Standard Delivery", "Standard Delivery", "Economy Delivery"),
    ("Tinggal di pondok pengawal", ""),
    cod="Cash on delivery",
)  # fmt: skip

_ID = _Profile(
    "ID", "Indonesia", "IDR", 0, 160.0, 1000, 0, (0, 9000, 12000, 18000), 200000, "+62", 5,
    (
        ("DKI Jakarta", "Jakarta Selatan", 12190, "812", 0), ("DKI Jakarta", "Jakarta Barat", 11470, "813", 0),
        ("Jawa Barat", "Bandung", 40115, "821", 0), ("Jawa Timur", "Surabaya", 60271, "857", 0),
        ("Bali", "Denpasar", 80111, "878", 0), ("Sumatera Utara", "Medan", 20112, "852", 0),
    ),
    ("Budi", "Siti", "Dewi", "Agus", "Putri", "Rizky", "Ayu", "Andi"),
    ("Santoso", "Rahmawati", "Lestari", "Saputra", "Wijaya", "Pratama", "Hidayat"),
    False,
    ("Jl. Sudirman", "Jl. Gatot Subroto", "Jl. Diponegoro", "Gg. Mawar", "Jl. Malioboro"),
    "{street} No. {m}, RT {f:03d}/RW {f:03d}",
    ("Dekat masjid", "Rumah cat hijau", "Lantai {m}"),
    (("J&T Express", "JP", 10, ""), ("SiCepat", "00", 10, ""), ("JNE", "CGK", 13, "")),
    ("COD", "COD", "GoPay", "OVO", "DANA", "Transfer bank"),
    ("Gudang Utama",),
    ("Reguler", "Reguler", "Hemat"),
    ("Titip ke satpam", ""),
    cod="COD",
    statuses=(
        ("Belum dibayar", "Ditahan", "Perlu dikirim", "Perlu dikirim", "Dikirim", "Selesai", "Selesai", "Dibatalkan"),
        ("Belum dibayar", "Ditahan", "Menunggu pengiriman", "Menunggu pengambilan", "Dalam pengiriman", "Terkirim",
         "Selesai", "Dibatalkan"),
    ),
    areas=(("Kebayoran Baru", "Senayan"), ("Kebon Jeruk", "Kedoya Utara"), ("Coblong", "Dago"),
           ("Gubeng", "Airlangga"), ("Denpasar Barat", "Dauh Puri"), ("Medan Petisah", "Petisah Tengah")),
)  # fmt: skip

_PH = _Profile(
    "PH", "Philippines", "PHP", 2, 57.0, 1000, 100, (0, 3600, 4500, 6500), 49900, "+63", 4,
    (
        ("Metro Manila", "Quezon City", 1100, "917", 0), ("Metro Manila", "Makati City", 1200, "918", 0),
        ("Cebu", "Cebu City", 6000, "927", 0), ("Davao del Sur", "Davao City", 8000, "939", 0),
        ("Pampanga", "Angeles City", 2009, "905", 0),
    ),
    ("Juan", "Maria", "Jose", "Ana", "Mark", "Kristine", "Jerome", "Angelica"),
    ("Dela Cruz", "Santos", "Reyes", "Garcia", "Mendoza", "Bautista", "Villanueva"),
    False,
    ("Rizal St", "Mabini St", "Quezon Ave", "Ayala Ave", "Osmeña Blvd"),
    "{b} {street}, Brgy. {m}",
    ("Near the sari-sari store", "Unit {m}", "Blk {m} Lot 4"),
    (("J&T Express", "", 12, ""), ("Flash Express", "PH", 12, "A"), ("Ninja Van", "NVPH", 12, "")),
    ("COD", "COD", "GCash", "Maya", "Credit/debit card"),
    ("Main Warehouse",),
    ("Standard Delivery", "Standard Delivery", "Economy Delivery"),
    ("Please call upon arrival", ""),
    cod="COD",
)  # fmt: skip

_SG = _Profile(
    "SG", "Singapore", "SGD", 2, 1.35, 10, 1, (0, 199, 299), 2900, "+65", 6,
    (
        ("Singapore", "Tampines", 520123, "9", 0), ("Singapore", "Jurong West", 640123, "8", 0),
        ("Singapore", "Bedok", 460123, "9", 0), ("Singapore", "Woodlands", 730123, "8", 0),
    ),
    ("Mei Ling", "Jun Jie", "Muhammad Faiz", "Priya", "Wei Jie", "Hui Min", "Nurul"),
    ("Tan", "Lim", "Lee", "Ng", "Ong", "Abdullah", "Raj"),
    True,
    ("Tampines St 81", "Jurong West Ave 1", "Bedok North Rd", "Woodlands Dr 14", "Orchard Rd"),
    "Blk {b} {street} #{f:02d}-{b}",
    ("Lobby B", "Unit #{m}-12"),
    (("Ninja Van", "NVSG", 12, ""), ("J&T Express", "", 12, ""), ("SingPost", "RB", 9, "SG")),
    ("Credit/debit card", "PayNow", "GrabPay", "ShopBack PayLater"),
    ("Main Warehouse",),
    ("Standard Delivery", "Standard Delivery", "Express Delivery"),
    ("Leave at door", ""),
)  # fmt: skip

_PROFILES = {p.code: p for p in (_US, _TH, _VN, _MY, _ID, _PH, _SG)}

# Products: (name, category, variations, US price in cents, weight kg, seller SKU stem)
_PRODUCTS: tuple[tuple[str, str, tuple[str, ...], int, float, str], ...] = (
    ('Oversized Hoodie, Unisex "Cloud" Fleece', "Womenswear & Underwear", ("Black, M", "Black, L", "Sage, M", "Cream, XL"), 3499, 0.62, "HD-CLOUD"),
    ("Crème Brûlée Lip Balm Set (3 pcs)", "Beauty & Personal Care", ("Default",), 1299, 0.09, "LB-CREME"),
    ("Snail Mucin Hydrating Serum 100ml", "Beauty & Personal Care", ("100ml", "2-pack"), 1899, 0.21, "SR-SNAIL"),
    ("Magnetic Wireless Charger 15W", "Phones & Electronics", ("White", "Black"), 2450, 0.18, "CH-MAG15"),
    ("Stanley-Style Tumbler 40oz with Handle", "Kitchenware", ("Rose Quartz", "Black Glow", "Lilac"), 2999, 0.65, "TB-40OZ"),
    ("LED Strip Lights 50ft, App Control", "Home Supplies", ("50ft", "100ft"), 1999, 0.41, "LED-STRIP"),
    ("Seamless High-Waist Leggings", "Womenswear & Underwear", ("Black, S", "Black, M", "Mocha, M", "Navy, L"), 2299, 0.25, "LG-SEAM"),
    ("Matcha 抹茶 Ceremonial Powder 100g", "Food & Beverages", ("100g",), 2599, 0.14, "MT-100G"),
    ("Cordless Mini Massage Gun", "Sports & Outdoor", ("Grey", "Pink"), 3999, 0.55, "MG-MINI"),
    ("Pet Hair Remover Roller", "Pet Supplies", ("Default",), 1499, 0.22, "PET-ROLL"),
    ("Kids Building Blocks 520 pcs", "Toys & Hobbies", ("Castle", "Spaceship"), 2799, 0.9, "TOY-BLK520"),
    ("Bamboo Cutting Board Set - 3 Sizes", "Kitchenware", ("Default",), 2199, 1.35, "CB-BAMBOO3"),
    ("Phone Case for iPhone 16 Pro Max, Clear MagSafe", "Phones & Electronics", ("Clear", "Frosted Black"), 999, 0.05, "PC-IP16PM"),
    ("Scented Candle 'Vanilla Bean' 8oz", "Home Supplies", ("8oz", "16oz"), 1650, 0.4, "CN-VAN"),
    ("Hair Claw Clips — 6 pack", "Fashion Accessories", ("Neutrals", "Pastels"), 899, 0.08, "HC-6PK"),
    ("Vitamin C Gummies", "Health", ("60ct", "120ct"), 1799, 0.2, "VC-GUM"),
)  # fmt: skip

_BUYER_MESSAGES = (
    '=HYPERLINK("http://example.com/track","Track my order")',
    "+1 please call before delivery",
    "-- leave at door",
    "@seller thanks!",
    "=1+1",
    "+ extra bubble wrap pls 🙏",
    "-please double bag it",
    "@TikTokShop where is my order??",
    "Please ship ASAP 🙏",
    "Gift for my mom ❤️ no invoice in the box please",
    "Can you add a thank-you card? 谢谢",
    "Is this the 2025 version?",
    "Color: rosé 🌸",
    'It says "in stock" but is it really?',
    "Need it by Friday, it's a birthday 🎂",
    "No es regalo, gracias",
    "ขอบคุณค่ะ ส่งไวๆนะคะ",
    "Cảm ơn shop!",
)
_N_FORMULA_MESSAGES = 8  # the first ones start with = + - @

_SELLER_NOTES = ("VIP customer", "Reship - first package lost", "Gift wrap", "Check size before packing",
                 "Replacement for #2 order", "Hold until restock")  # fmt: skip

_USER_REASONS = ("No longer needed", "No longer needed", "Changed my mind", "Found a better price elsewhere",
                 "Need to change shipping address", "Ordered by mistake", "Shipping takes too long")  # fmt: skip
_SELLER_REASONS = ("Out of stock", "Out of stock", "Out of stock", "Pricing error", "Unable to deliver to this address")

# --------------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------------

_DAY = 86_400
_NEVER = np.int64(2**62)
_WINDOW_DAYS = 45
_EXPORT_SECOND = 16 * 3600 + 23 * 60 + 7  # the export is taken at 16:23:07 shop time on `today`
_EPOCH = dt.date(1970, 1, 1)
_CHUNK_ORDERS = 16_384

# Orders by hour of day: quiet nights, busy evenings.
_HOUR_WEIGHTS = np.array([2, 1.2, 0.8, 0.5, 0.5, 0.7, 1.5, 2.5, 3.5, 4, 4.5, 5,
                          5.5, 5, 4.8, 4.8, 5, 5.5, 6.5, 7.5, 8, 7.5, 6, 4], dtype=float)  # fmt: skip

# Fates: what happens to an order over its life.
(_NORMAL, _UNPAID, _USER_CANCEL, _SELLER_CANCEL, _STUCK_SHIP, _STUCK_COLLECT, _LOST, _FAILED, _RETURNED,
 _LONG_HOLD) = range(10)  # fmt: skip
_FATE_P = {_UNPAID: 0.05, _USER_CANCEL: 0.035, _SELLER_CANCEL: 0.01, _STUCK_SHIP: 0.025,
           _STUCK_COLLECT: 0.01, _LOST: 0.01, _FAILED: 0.008, _RETURNED: 0.02, _LONG_HOLD: 0.01}  # fmt: skip

# Status codes, in the order their text is looked up.
(_ST_UNPAID, _ST_HOLD, _ST_AWAIT_SHIP, _ST_AWAIT_COLLECT, _ST_TRANSIT, _ST_DELIVERED, _ST_COMPLETED,
 _ST_CANCEL) = range(8)  # fmt: skip
_STATUS = ("Unpaid", "On hold", "To ship", "To ship", "Shipped", "Completed", "Completed", "Canceled")
_SUBSTATUS = ("Unpaid", "On hold", "Awaiting shipment", "Awaiting collection", "In transit", "Delivered",
              "Completed", "Canceled")  # fmt: skip


def _lognormal_seconds(
    rng: np.random.Generator, n: int, median: float, sigma: float, lo: float, hi: float
) -> np.ndarray:
    return np.clip(np.exp(rng.normal(np.log(median), sigma, n)), lo, hi).astype(np.int64)


def _to_days(dates: np.ndarray) -> np.ndarray:
    return dates.astype("datetime64[D]").astype(np.int64)


def _simulate(n_rows: int, today: dt.date, prof: _Profile, seed: int) -> dict[str, np.ndarray]:
    """Every order's numbers (times in shop-local seconds since 1970; _NEVER = did not happen)."""
    rng = np.random.default_rng(seed)
    cal = calendar_for(prof.code)
    deadline_wd = 7 if prof.code == "US" else 3  # working days to "Awaiting collection"/"In transit"

    # Lines per order, cut to exactly n_rows.
    lines = np.where(rng.random(n_rows) < 0.30, rng.integers(2, 5, n_rows), 1)
    cum = np.cumsum(lines)
    n = int(np.searchsorted(cum, n_rows)) + 1
    lines = lines[:n].copy()
    lines[-1] -= int(cum[n - 1]) - n_rows

    today_day = (today - _EPOCH).days
    now = today_day * _DAY + _EXPORT_SECOND
    back = rng.integers(0, _WINDOW_DAYS, n)
    hour = rng.choice(24, n, p=_HOUR_WEIGHTS / _HOUR_WEIGHTS.sum())
    sec = hour * 3600 + rng.integers(0, 3600, n)
    fate_u = rng.random(n)
    fate = np.full(n, _NORMAL, dtype=np.int8)
    edge = 0.0
    for f, p in _FATE_P.items():
        fate[(fate_u >= edge) & (fate_u < edge + p)] = f
        edge += p
    forced = np.zeros(n, dtype=bool)  # a scenario below: shown as is, with a formula-like message
    keep = rng.random(n) < 0.5  # a stuck order TikTok has not cancelled yet

    # Scenarios every export of some size should show, then one order on each day of the window.
    wd_ago = lambda k: int(_to_days(cal.workday(np.datetime64(today, "D"), -k)))  # noqa: E731
    scenarios = [  # (fate, created day, second of day, still open)
        (_UNPAID, today_day, _EXPORT_SECOND - 9000, True),  # still unpaid
        (_NORMAL, today_day, _EXPORT_SECOND - 1500, True),  # on hold (just paid)
        (_STUCK_SHIP, wd_ago(11), 10 * 3600 + 12 * 60, True),  # overdue, not cancelled yet
        (_STUCK_SHIP, wd_ago(deadline_wd - 1), 14 * 3600 + 5 * 60, True),  # due in 1 working day
        (_STUCK_SHIP, wd_ago(deadline_wd - 2), 20 * 3600 + 47 * 60, True),  # due in 2 working days
        (_STUCK_COLLECT, wd_ago(10), 9 * 3600 + 30 * 60, True),  # label printed, never collected
        (_STUCK_SHIP, wd_ago(20), 19 * 3600 + 2 * 60, False),  # auto-cancelled: did not ship in time
        (_USER_CANCEL, today_day - 3, 11 * 3600, False),  # "No longer needed"
        (_SELLER_CANCEL, today_day - 8, 8 * 3600 + 41 * 60, False),  # "Out of stock"
        (_UNPAID, today_day - 5, 22 * 3600, False),  # cancelled: overdue to pay
    ]
    if n >= 2 * len(scenarios):
        for i, (f, day, s, still_open) in enumerate(scenarios):
            fate[i], back[i], sec[i], forced[i], keep[i] = f, today_day - day, s, True, still_open
    first = int(forced.sum())
    if n >= first + 2 * _WINDOW_DAYS:
        back[first : first + _WINDOW_DAYS] = np.arange(_WINDOW_DAYS)
    created = (today_day - back) * _DAY + sec
    late = created > now - 60  # today's orders end at the export moment
    created[late] = today_day * _DAY + sec[late] * (_EXPORT_SECOND - 60) // _DAY

    created_d = np.asarray(created // _DAY).astype("datetime64[D]")
    age_wd = cal.working_days_between(created_d, np.datetime64(today, "D"))
    deadline_day = _to_days(cal.workday(created_d, deadline_wd))
    collect_day = _to_days(cal.workday(created_d, deadline_wd + 3))

    # The order's life, as if nothing went wrong.
    paid = created + _lognormal_seconds(rng, n, 40, 1.0, 5, 3 * 3600)
    hold = rng.integers(1800, 3600, n)
    hold[fate == _LONG_HOLD] = rng.integers(_DAY, 3 * _DAY, int((fate == _LONG_HOLD).sum()))
    release = paid + hold
    rts = release + _lognormal_seconds(rng, n, 0.8 * _DAY, 0.7, 1800, 3.5 * _DAY)
    shipped = rts + _lognormal_seconds(rng, n, 0.5 * _DAY, 0.6, 1800, 2 * _DAY)
    delivered = shipped + _lognormal_seconds(rng, n, 3 * _DAY, 0.35, _DAY, 9 * _DAY)
    edd_day = created // _DAY + rng.integers(5, 9, n)
    cancel = np.full(n, _NEVER, dtype=np.int64)
    cancel_by = np.zeros(n, dtype=np.int8)  # 0 none, 1 System, 2 User, 3 Seller
    reason = np.zeros(n, dtype=np.int8)  # index into _reasons()
    after_midnight = rng.integers(60, 3 * 3600, n)
    user_delay = _lognormal_seconds(rng, n, 3 * 3600, 1.2, 120, 2 * _DAY)
    seller_delay = rng.integers(3 * 3600, 2 * _DAY, n)
    lost_delay = rng.integers(10 * _DAY, 25 * _DAY, n)
    pick = rng.random(n)
    pick[forced] = 0.0  # the first reason of each list

    def fated(f: int) -> np.ndarray:
        return fate == f

    m = fated(_UNPAID)
    paid[m] = release[m] = rts[m] = shipped[m] = delivered[m] = _NEVER
    cancel[m], cancel_by[m], reason[m] = created[m] + _DAY + after_midnight[m] // 20, 1, 0
    m = fated(_USER_CANCEL)
    cancel[m] = np.minimum(paid[m] + user_delay[m], rts[m] - 60)
    cancel_by[m], reason[m] = 2, 10 + (pick[m] * len(_USER_REASONS)).astype(np.int8)
    m = fated(_SELLER_CANCEL)
    cancel[m] = np.minimum(release[m] + seller_delay[m], rts[m] - 60)
    cancel_by[m], reason[m] = 3, 30 + (pick[m] * len(_SELLER_REASONS)).astype(np.int8)
    m = fated(_STUCK_SHIP)
    rts[m] = shipped[m] = delivered[m] = _NEVER
    m &= ~keep | (~forced & (age_wd > deadline_wd + 5))
    cancel[m], cancel_by[m], reason[m] = (deadline_day[m] + 1) * _DAY + after_midnight[m], 1, 1
    m = fated(_STUCK_COLLECT)
    shipped[m] = delivered[m] = _NEVER
    m &= ~keep | (~forced & (age_wd > deadline_wd + 8))
    cancel[m], cancel_by[m], reason[m] = (collect_day[m] + 1) * _DAY + after_midnight[m], 1, 2
    m = fated(_LOST)
    delivered[m] = _NEVER
    m &= pick < 0.6
    cancel[m], cancel_by[m] = shipped[m] + lost_delay[m], 1
    reason[m] = np.where(pick[m] < 0.45, 3, 4)  # Package lost / Package damaged
    m = fated(_FAILED)
    delivered[m] = _NEVER
    cancel[m], cancel_by[m] = shipped[m] + lost_delay[m] // 2, 1
    reason[m] = np.where(pick[m] < 0.7, 5, 6)  # Package delivery failed / Package rejected

    # Where each order stands at the export moment.
    done = cancel <= now
    until = np.where(done, cancel, now)
    status = np.select(
        [done, paid > until, release > until, rts > until, shipped > until, delivered > until,
         delivered > now - 10 * _DAY],
        [_ST_CANCEL, _ST_UNPAID, _ST_HOLD, _ST_AWAIT_SHIP, _ST_AWAIT_COLLECT, _ST_TRANSIT, _ST_DELIVERED],
        _ST_COMPLETED,
    ).astype(np.int8)  # fmt: skip
    returned = (fate == _RETURNED) & (status >= _ST_DELIVERED) & (status != _ST_CANCEL) & (delivered < now - 3 * _DAY)
    cancel_by[~done] = 0
    spelled = rng.random(n) < 0.2  # "Cancelled" instead of "Canceled"
    cancelled_idx = np.flatnonzero(done)
    if cancelled_idx.size >= 2:
        if not spelled[cancelled_idx].any():
            spelled[cancelled_idx[0]] = True
        if spelled[cancelled_idx].all():
            spelled[cancelled_idx[0]] = False

    def shown(t: np.ndarray) -> np.ndarray:
        return np.where(t <= until, t, _NEVER)

    orders = {
        "lines": lines,
        "created": created,
        "paid": shown(paid),
        "rts": shown(rts),
        "shipped": shown(shipped),
        "delivered": shown(delivered),
        "cancel": np.where(done, cancel, _NEVER),
        "status": status,
        "spelled": spelled,
        "cancel_by": cancel_by,
        "reason": reason,
        "returned": returned,
        "edd_day": np.where((status == _ST_CANCEL) | (status == _ST_UNPAID), -1, edd_day),
        "forced": forced,
    }
    # Newest first, as Seller Center lists them; IDs grow with time.
    order = np.argsort(-created, kind="stable")
    orders = {k: v[order] for k, v in orders.items()}
    asc = np.cumsum(rng.integers(10**8, 5 * 10**9, n)[::-1])[::-1]
    orders["order_id"] = 576_400_000_000_000_000 + asc
    orders["package_id"] = 115_500_000_000_000_000 + np.cumsum(rng.integers(10**7, 10**9, n))[::-1]
    _buyers(orders, rng, prof)
    _amounts(orders, rng, prof)
    return orders


def _buyers(o: dict[str, np.ndarray], rng: np.random.Generator, prof: _Profile) -> None:
    """Who bought, where it goes, how it ships (order level: indices into the profile's tables)."""
    n = len(o["created"])
    o["place"] = rng.integers(0, len(prof.places), n)
    o["zip_off"] = rng.integers(0, 40, n)
    o["first"] = rng.integers(0, len(prof.first_names), n)
    o["last"] = rng.integers(0, len(prof.last_names), n)
    o["user_no"] = rng.integers(10, 10**4, n)
    o["anon_user"] = rng.random(n) < 0.2
    o["phone_tail"] = rng.integers(0, 100, n)
    o["house"] = rng.integers(1, 9999, n)
    o["street"] = rng.integers(0, len(prof.streets), n)
    o["unit"] = rng.integers(1, 40, n)
    o["extra"] = np.where(rng.random(n) < 0.3, rng.integers(0, len(prof.extra_address), n), -1)
    o["instruction"] = np.where(rng.random(n) < 0.05, rng.integers(0, len(prof.instructions), n), -1)
    o["payment"] = rng.integers(0, len(prof.payments), n)
    o["warehouse"] = rng.integers(0, len(prof.warehouses), n)
    o["delivery"] = rng.integers(0, len(prof.delivery_options), n)
    o["carrier"] = rng.integers(0, len(prof.carriers), n)
    o["tracking"] = rng.integers(10**8, 10**17, n)
    o["preorder"] = rng.random(n) < 0.015
    msg = np.where(rng.random(n) < 0.08, rng.integers(0, len(_BUYER_MESSAGES), n), -1)
    forced_at = np.flatnonzero(o["forced"])  # forced scenarios show the formula-like messages
    msg[forced_at] = np.arange(forced_at.size) % _N_FORMULA_MESSAGES
    o["message"] = msg
    o["note"] = np.where(rng.random(n) < 0.04, rng.integers(0, len(_SELLER_NOTES), n), -1)
    o["tax_invoice"] = rng.random(n) < 0.08
    o["tax_company"] = rng.random(n) < 0.4
    o["tax_id"] = rng.integers(10**12, 10**13, n)
    # Cash on delivery (after every draw, so other markets' samples stay as they were): an order
    # never paid was not COD, and a COD order shows its Paid Time only once delivered.
    cod = np.array([bool(prof.cod) and name == prof.cod for name in prof.payments])
    if cod.any():
        o["payment"] = np.where((o["paid"] == _NEVER) & cod[o["payment"]], int(np.argmin(cod)), o["payment"])
    o["paid_time"] = np.where(cod[o["payment"]], o["delivered"], o["paid"])


def _amounts(o: dict[str, np.ndarray], rng: np.random.Generator, prof: _Profile) -> None:
    """SKU lines and the money, in minor units (cents; whole units for VND/IDR)."""
    lines = o["lines"]
    n, n_rows = len(lines), int(lines.sum())
    skus = _catalog(prof)
    n_sku = len(skus)
    starts = np.concatenate(([0], np.cumsum(lines)[:-1]))
    row_order = np.repeat(np.arange(n), lines)
    pos = np.arange(n_rows) - starts[row_order]  # line number within its order
    base = rng.integers(0, n_sku, n)[row_order]
    step = rng.integers(1, max(2, n_sku // 4), n)[row_order]
    sku = (base + pos * step) % n_sku  # distinct SKUs within an order
    qty = np.where(rng.random(n_rows) < 0.82, 1, rng.integers(2, 5, n_rows))
    price = np.array([s[3] for s in skus], dtype=np.int64)[sku]
    before = price * qty
    unit = 1 if prof.decimals else 100
    pct_platform = np.where(rng.random(n_rows) < 0.3, rng.integers(5, 26, n_rows), 0)
    pct_seller = np.where(rng.random(n_rows) < 0.35, rng.choice([10, 15, 20, 30], n_rows), 0)
    platform = before * pct_platform // 100 // unit * unit
    seller = before * pct_seller // 100 // unit * unit
    after = before - platform - seller
    subtotal = np.add.reduceat(after, starts)
    ship_orig = np.asarray(prof.ship_fees, dtype=np.int64)[rng.integers(0, len(prof.ship_fees), n)]
    free = subtotal >= prof.free_ship_from
    ship_platform = np.where(free, ship_orig, 0)
    ship_seller = np.where(~free & (rng.random(n) < 0.2), ship_orig, 0)
    cofunded = np.where(~free & (ship_seller == 0) & (rng.random(n) < 0.1), ship_orig // 2 // unit * unit, 0)
    ship_after = ship_orig - ship_platform - ship_seller - cofunded
    pay_disc = np.where(rng.random(n) < 0.05, np.minimum(subtotal // 10, 300 * unit) // unit * unit, 0)
    place = o["place"]
    state = np.array([p[0] for p in prof.places])[place]
    tax = subtotal * np.array([p[4] for p in prof.places], dtype=np.int64)[place] // 100_000
    retail = np.where(state == "Colorado", 28, 0) + np.where((state == "Minnesota") & (subtotal >= 10_000), 50, 0)
    amount = subtotal + ship_after + tax + retail - pay_disc
    status = o["status"]
    paid_cancel = (status == _ST_CANCEL) & (o["paid"] != _NEVER)
    first_line = pos == 0
    returned_row = o["returned"][row_order] & first_line
    refund = np.where(paid_cancel, amount, 0)
    refund = np.where(o["returned"], after[starts], refund)
    o.update(
        row_order=row_order, sku=sku, qty=qty, price=price, before=before, platform=platform, seller=seller,
        after=after, returned_qty=np.where(returned_row, qty, 0), ship_orig=ship_orig, ship_after=ship_after,
        ship_platform=ship_platform, ship_seller=ship_seller, cofunded=cofunded, pay_disc=pay_disc,
        retail=retail, tax=tax, amount=amount, refund=refund,
    )  # fmt: skip


@lru_cache(maxsize=16)
def _catalog(prof: _Profile) -> list[tuple[str, str, str, int, str, str]]:
    """(SKU ID, product, variation, price, seller SKU, category) per SKU, priced for the market."""
    rng = np.random.default_rng(20250915)
    out = []
    for name, category, variations, usd, weight, stem in _PRODUCTS:
        for variation in variations:
            local = round(usd * prof.scale / prof.step) * prof.step - prof.tail
            sku_id = f"17{rng.integers(10**16, 10**17)}"
            code = "".join(ch for ch in variation.upper() if ch.isalnum())[:6] or "STD"
            out.append((sku_id, name, variation, max(local, prof.step), f"{stem}-{code}", category, weight))
    return [(s, n, v, p, k, c) for s, n, v, p, k, c, _ in out]


@lru_cache(maxsize=4)
def _clock(us: bool) -> tuple[str, ...]:
    """Every second of a day as TikTok writes the time part, with the trailing tab."""
    out = []
    for s in range(_DAY):
        h, m, sec = s // 3600, s // 60 % 60, s % 60
        if us:
            out.append(f"{(h % 12) or 12}:{m:02d}:{sec:02d} {'AM' if h < 12 else 'PM'}\t")
        else:
            out.append(f"{h:02d}:{m:02d}:{sec:02d}\t")
    return tuple(out)


def _date_text(day: int, us: bool) -> str:
    d = _EPOCH + dt.timedelta(days=day)
    return f"{d.month:02d}/{d.day:02d}/{d.year}" if us else f"{d.day:02d}/{d.month:02d}/{d.year}"


# --------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------


class _Formatter:
    """Turns one chunk of simulated orders into the export's text columns."""

    def __init__(self, o: dict[str, np.ndarray], prof: _Profile, today: dt.date) -> None:
        self.o, self.p = o, prof
        self.us = prof.code == "US"
        self.clock = _clock(self.us)
        first_day = (today - _EPOCH).days - _WINDOW_DAYS - 2
        days = range(first_day, (today - _EPOCH).days + 40)
        self.dates = {d: _date_text(d, self.us) + " " for d in days}
        self.edd = {d: _date_text(d, self.us) for d in days}
        self.catalog = _catalog(prof)
        self.sku_weight = [next(w for n, _c, v, _u, w, _s in _PRODUCTS if n == s[1]) for s in self.catalog]
        self.row_starts = np.concatenate(([0], np.cumsum(o["lines"])))
        self.reasons = {0: "Customer overdue to pay", 1: "Seller did not ship in time", 2: "Collection timeout",
                        3: "Package lost", 4: "Package damaged", 5: "Package delivery failed",
                        6: "Package rejected"}  # fmt: skip
        self.reasons.update({10 + i: r for i, r in enumerate(_USER_REASONS)})
        self.reasons.update({30 + i: r for i, r in enumerate(_SELLER_REASONS)})

    def times(self, t: np.ndarray) -> list[str]:
        dates, clock = self.dates, self.clock
        return [
            dates[d] + clock[s] if d in dates else "\t"
            for d, s in zip((t // _DAY).tolist(), (t % _DAY).tolist(), strict=False)
        ]

    def money(self, minor: np.ndarray) -> list[str]:
        uniq, inv = np.unique(minor, return_inverse=True)
        table = [self.p.money(v) for v in uniq.tolist()]
        return [table[i] for i in inv.ravel().tolist()]

    def chunk(self, a: int, b: int, with_edd: bool) -> Iterator[list[str]]:
        """Rows for orders a..b-1."""
        o, p = self.o, self.p
        sl = slice(a, b)
        r0, r1 = int(self.row_starts[a]), int(self.row_starts[b])
        rows = slice(r0, r1)
        rep = o["row_order"][rows] - a  # order (within chunk) of each row
        nr = r1 - r0

        def per_row(values: list[str]) -> list[str]:
            return [values[i] for i in rep.tolist()]

        status = o["status"][sl].tolist()
        spelled = o["spelled"][sl].tolist()
        cancel_word = ["Cancelled" if sp else "Canceled" for sp in spelled]
        if p.statuses:  # the seller's interface language
            st_text = [p.statuses[0][s] for s in status]
            sub_text = [p.statuses[1][s] for s in status]
        else:
            st_text = [w if s == _ST_CANCEL else _STATUS[s] for s, w in zip(status, cancel_word, strict=False)]
            sub_text = [w if s == _ST_CANCEL else _SUBSTATUS[s] for s, w in zip(status, cancel_word, strict=False)]
        returned = o["returned"][sl].tolist()
        ret_type = [
            "Cancel" if s == _ST_CANCEL else ("Return/Refund" if r else "")
            for s, r in zip(status, returned, strict=False)
        ]
        by = ["", "System", "User", "Seller"]
        cancel_by = [by[c] for c in o["cancel_by"][sl].tolist()]
        reasons = self.reasons
        reason = [reasons[r] if c else "" for r, c in zip(o["reason"][sl].tolist(), cancel_by, strict=False)]
        sku = o["sku"][rows].tolist()
        cat = self.catalog
        weight = self.sku_weight

        # People and places.
        places = p.places
        place = o["place"][sl].tolist()
        firsts, lasts = p.first_names, p.last_names
        names = [
            f"{lasts[l]} {firsts[f]}" if p.family_first else f"{firsts[f]} {lasts[l]}"
            for f, l in zip(o["first"][sl].tolist(), o["last"][sl].tolist(), strict=False)
        ]
        users = [
            f"user{u * 7919 % 10**8:08d}" if anon or not (firsts[f] + lasts[l]).isascii()
            else f"{firsts[f].split()[0].lower()}.{lasts[l][0].lower()}{u}"
            for f, l, u, anon in zip(o["first"][sl].tolist(), o["last"][sl].tolist(),
                                     o["user_no"][sl].tolist(), o["anon_user"][sl].tolist(), strict=False)
        ]  # fmt: skip
        phones = [
            f"({p.phone_code}){places[pl][3]}*****{t:02d}"
            for pl, t in zip(place, o["phone_tail"][sl].tolist(), strict=False)
        ]
        zip_off = o["zip_off"][sl].tolist() if self.us else repeat(0)
        zips = [f"{places[pl][2] + z:0{p.zip_digits}d}\t" for pl, z in zip(place, zip_off, strict=False)]
        units = o["unit"][sl].tolist()
        addr1 = [
            p.address_fmt.format(n=h, b=100 + h % 900, m=u, f=1 + h % 20, street=p.streets[s])
            for h, u, s in zip(o["house"][sl].tolist(), units, o["street"][sl].tolist(), strict=False)
        ]
        addr2 = [
            p.extra_address[e].format(m=u) if e >= 0 else ""
            for e, u in zip(o["extra"][sl].tolist(), units, strict=False)
        ]
        instr = [p.instructions[i] if i >= 0 else "" for i in o["instruction"][sl].tolist()]
        msgs = [_BUYER_MESSAGES[i] if i >= 0 else "" for i in o["message"][sl].tolist()]
        notes = [_SELLER_NOTES[i] if i >= 0 else "" for i in o["note"][sl].tolist()]

        # Shipping.
        has_label = (o["rts"][sl] != _NEVER).tolist()
        carriers = p.carriers
        tracking = []
        provider = []
        for lab, c, t in zip(has_label, o["carrier"][sl].tolist(), o["tracking"][sl].tolist(), strict=False):
            if lab:
                name, prefix, digits, suffix = carriers[c]
                tracking.append(f"{prefix}{t % 10**digits:0{digits}d}{suffix}\t")
                provider.append(name)
            else:
                tracking.append("")
                provider.append("")
        paid = o["paid"][sl]
        package = [
            f"{x}\t" if ok else ""
            for x, ok in zip(o["package_id"][sl].tolist(), (paid != _NEVER).tolist(), strict=False)
        ]

        col: dict[str, Sequence[str] | str] = {
            "Order ID": per_row([f"{x}\t" for x in o["order_id"][sl].tolist()]),
            "Order Status": per_row(st_text),
            "Order Substatus": per_row(sub_text),
            "Cancelation/Return Type": per_row(ret_type),
            "Normal or Pre-order": per_row(["Pre-order" if x else "Normal" for x in o["preorder"][sl].tolist()]),
            "SKU ID": [cat[s][0] + "\t" for s in sku],
            "Seller SKU": [cat[s][4] for s in sku],
            "Product Name": [cat[s][1] for s in sku],
            "Variation": [cat[s][2] for s in sku],
            "Quantity": [str(q) for q in o["qty"][rows].tolist()],
            "Sku Quantity of return": [str(q) for q in o["returned_qty"][rows].tolist()],
            "SKU Unit Original Price": self.money(o["price"][rows]),
            "SKU Subtotal Before Discount": self.money(o["before"][rows]),
            "SKU Platform Discount": self.money(o["platform"][rows]),
            "SKU Seller Discount": self.money(o["seller"][rows]),
            "SKU Subtotal After Discount": self.money(o["after"][rows]),
            "Shipping Fee After Discount": per_row(self.money(o["ship_after"][sl])),
            "Original Shipping Fee": per_row(self.money(o["ship_orig"][sl])),
            "Shipping Fee Seller Discount": per_row(self.money(o["ship_seller"][sl])),
            "Co-Funded Shipping Fee Discount": per_row(self.money(o["cofunded"][sl])),
            "Shipping Fee Platform Discount": per_row(self.money(o["ship_platform"][sl])),
            "Payment platform discount": per_row(self.money(o["pay_disc"][sl])),
            "Retail Delivery Fee": per_row(self.money(o["retail"][sl])),
            "Taxes": per_row(self.money(o["tax"][sl])),
            "Order Amount": per_row(self.money(o["amount"][sl])),
            "Order Refund Amount": per_row(self.money(o["refund"][sl])),
            "Created Time": per_row(self.times(o["created"][sl])),
            "Paid Time": per_row(self.times(o["paid_time"][sl])),
            "RTS Time": per_row(self.times(o["rts"][sl])),
            "Shipped Time": per_row(self.times(o["shipped"][sl])),
            "Delivered Time": per_row(self.times(o["delivered"][sl])),
            "Cancelled Time": per_row(self.times(o["cancel"][sl])),
            "Cancel By": per_row(cancel_by),
            "Cancel Reason": per_row(reason),
            "Fulfillment Type": "Fulfillment by seller",
            "Warehouse Name": per_row([p.warehouses[i] for i in o["warehouse"][sl].tolist()]),
            "Tracking ID": per_row(tracking),
            "Delivery Option Type": "Shipped by platform" if p.code == "US" else "Shipped by TikTok",
            "Delivery Option": per_row([p.delivery_options[i] for i in o["delivery"][sl].tolist()]),
            "Shipping Provider Name": per_row(provider),
            "Buyer Message": per_row(msgs),
            "Buyer Username": per_row(users),
            "Recipient": per_row(names),
            "Phone #": per_row(phones),
            "Country": p.country,
            "State": per_row([places[i][0] for i in place]),
            "City": per_row([places[i][1] for i in place]),
            "Zipcode": per_row(zips),
            "Address Line 1": per_row(addr1),
            "Address Line 2": per_row(addr2),
            "Delivery Instruction": per_row(instr),
            "Payment Method": per_row([p.payments[i] for i in o["payment"][sl].tolist()]),
            "Weight(kg)": [f"{weight[s] * q:.2f}" for s, q in zip(sku, o["qty"][rows].tolist(), strict=False)],
            "Product Category": [cat[s][5] for s in sku],
            "Package ID": per_row(package),
            "Seller Note": per_row(notes),
            "Shipping Information": "",
            "Combined Listing": "",
        }
        if p.code != "US":
            for us_name, sea_name in _SEA_ADDRESS.items():
                col[sea_name] = col.pop(us_name)
        if p.code == "VN":  # Checked Status / Checked Marked by: the values are our guess
            col["Commune"] = per_row([p.areas[i][0] for i in place])
            col["Checked Status"] = per_row(["Checked" if lab else "Unchecked" for lab in has_label])
            col["Checked Marked by"] = per_row(["shop_admin" if lab else "" for lab in has_label])
        if p.code == "ID":
            col["Regency and City"] = col.pop("District")
            col["Districts"] = per_row([p.areas[i][0] for i in place])
            col["Villages"] = per_row([p.areas[i][1] for i in place])
            col["Purchase Channel"] = per_row(
                ["Tokopedia" if u % 3 == 0 else "TikTok" for u in o["user_no"][sl].tolist()]
            )
        if p.code == "TH":
            req = o["tax_invoice"][sl].tolist()
            company = o["tax_company"][sl].tolist()
            col["Request Tax Invoice"] = per_row(["Yes" if r else "No" for r in req])
            col["Tax Info - Buyer Tax ID"] = per_row(
                [f"{t}\t" if r else "" for t, r in zip(o["tax_id"][sl].tolist(), req, strict=False)]
            )
            col["Tax Info - Type"] = per_row(
                [("Company" if c else "Individual") if r else "" for r, c in zip(req, company, strict=False)]
            )
            col["Tax Info - Full Name of Buyer"] = per_row(
                [(f"บริษัท {n} จำกัด" if c else n) if r else "" for n, r, c in zip(names, req, company, strict=False)]
            )
            col["Tax Info - Registered Address"] = per_row(
                [f"{a1} {places[pl][1]} {places[pl][0]} {z.strip()}" if r else ""
                 for a1, pl, z, r in zip(addr1, place, zips, req, strict=False)]
            )  # fmt: skip
        if with_edd:
            edd = self.edd
            col[EDD_COLUMN] = per_row([edd.get(d, "") for d in o["edd_day"][sl].tolist()])
        header = columns_for(p.code, with_edd)
        cells = [repeat(v, nr) if isinstance(v, str) else v for v in (col[h] for h in header)]
        return map(list, zip(*cells, strict=False))


def _profile(market: str) -> _Profile:
    try:
        return _PROFILES[market.upper()]
    except KeyError:
        raise ValueError(f"no sample data for market {market!r}: use one of {', '.join(_PROFILES)}") from None


def generate_rows(
    n_rows: int, *, today: dt.date, market: str = "US", seed: int = 7, with_edd: bool = False
) -> Iterator[list[str]]:
    """Data rows (no header) of a TikTok Shop order export, as the cells' text, newest order first.

    Columns are ``columns_for(market, with_edd)``. Deterministic for (n_rows, today, market, seed);
    the rows are the same with or without the appended "Estimated Delivery Date" column.
    """
    if n_rows <= 0:
        return
    prof = _profile(market)
    orders = _simulate(int(n_rows), today, prof, seed)
    fmt = _Formatter(orders, prof, today)
    n = len(orders["lines"])
    for a in range(0, n, _CHUNK_ORDERS):
        yield from fmt.chunk(a, min(a + _CHUNK_ORDERS, n), with_edd)


def write_csv(
    path: str | os.PathLike[str],
    n_rows: int,
    *,
    today: dt.date,
    market: str = "US",
    seed: int = 7,
    with_edd: bool = False,
) -> Path:
    """Write an export CSV as TikTok does: UTF-8 with BOM, CRLF line endings, header then rows."""
    path = Path(path)
    # Same bytes as encoding="utf-8-sig", but Python's fast UTF-8 encoder path (~20% quicker).
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("\ufeff")
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(columns_for(market, with_edd))
        w.writerows(generate_rows(n_rows, today=today, market=market, seed=seed, with_edd=with_edd))
    return path


# Descriptions for the row under the header in Southeast Asian XLSX exports: (Thai, English).
_DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "Order ID": ("รหัสคำสั่งซื้อ", "Platform unique order ID."),
    "Order Status": ("สถานะคำสั่งซื้อ", "Current status of the order."),
    "Order Substatus": ("สถานะย่อยของคำสั่งซื้อ", "Current substatus of the order."),
    "Cancelation/Return Type": ("ประเภทการยกเลิก/คืนสินค้า", "Cancellation or return/refund, if any."),
    "Normal or Pre-order": ("ปกติหรือพรีออเดอร์", "Whether the order is a normal order or a pre-order."),
    "SKU ID": ("รหัส SKU", "Platform unique SKU ID."),
    "Seller SKU": ("SKU ของผู้ขาย", "SKU code set by the seller."),
    "Product Name": ("ชื่อสินค้า", "Name of the product."),
    "Variation": ("ตัวเลือกสินค้า", "Variation of the SKU."),
    "Quantity": ("จำนวน", "Quantity of the SKU ordered."),
    "Sku Quantity of return": ("จำนวน SKU ที่คืน", "Quantity of the SKU returned."),
    "SKU Unit Original Price": ("ราคาต่อหน่วยเดิมของ SKU", "Original unit price of the SKU."),
    "SKU Subtotal Before Discount": ("ยอดรวม SKU ก่อนส่วนลด", "SKU unit price x quantity."),
    "SKU Platform Discount": ("ส่วนลดจากแพลตฟอร์ม", "Discount funded by the platform."),
    "SKU Seller Discount": ("ส่วนลดจากผู้ขาย", "Discount funded by the seller."),
    "SKU Subtotal After Discount": ("ยอดรวม SKU หลังส่วนลด", "SKU subtotal after discounts."),
    "Shipping Fee After Discount": ("ค่าจัดส่งหลังส่วนลด", "Shipping fee paid by the buyer."),
    "Original Shipping Fee": ("ค่าจัดส่งเดิม", "Shipping fee before discounts."),
    "Shipping Fee Seller Discount": ("ส่วนลดค่าจัดส่งจากผู้ขาย", "Shipping discount funded by the seller."),
    "Co-Funded Shipping Fee Discount": ("ส่วนลดค่าจัดส่งร่วม", "Shipping discount co-funded by seller and platform."),
    "Shipping Fee Platform Discount": ("ส่วนลดค่าจัดส่งจากแพลตฟอร์ม", "Shipping discount funded by the platform."),
    "Payment platform discount": ("ส่วนลดจากช่องทางชำระเงิน", "Discount from the payment platform."),
    "Retail Delivery Fee": ("ค่าธรรมเนียมการจัดส่งปลีก", "Retail delivery fee."),
    "Taxes": ("ภาษี", "Taxes charged to the buyer."),
    "Order Amount": ("ยอดคำสั่งซื้อ", "Total amount paid by the buyer."),
    "Order Refund Amount": ("ยอดเงินคืน", "Amount refunded to the buyer."),
    "Created Time": ("เวลาที่สร้าง", "Time the order was placed."),
    "Paid Time": ("เวลาที่ชำระเงิน", "Time the order was paid."),
    "RTS Time": ("เวลาพร้อมจัดส่ง", "Time the seller arranged shipment (ready to ship)."),
    "Shipped Time": ("เวลาที่จัดส่ง", "Time the package was collected by the carrier."),
    "Delivered Time": ("เวลาที่จัดส่งสำเร็จ", "Time the package was delivered."),
    "Cancelled Time": ("เวลาที่ยกเลิก", "Time the order was cancelled."),
    "Cancel By": ("ยกเลิกโดย", "Who cancelled the order: System, User or Seller."),
    "Cancel Reason": ("เหตุผลการยกเลิก", "Reason for the cancellation."),
    "Fulfillment Type": ("ประเภทการจัดการคำสั่งซื้อ", "Who fulfils the order."),
    "Warehouse Name": ("ชื่อคลังสินค้า", "Warehouse the order ships from."),
    "Tracking ID": ("หมายเลขพัสดุ", "Tracking number of the package."),
    "Delivery Option Type": ("ประเภทตัวเลือกการจัดส่ง", "Type of delivery option."),
    "Delivery Option": ("ตัวเลือกการจัดส่ง", "Delivery option chosen by the buyer."),
    "Shipping Provider Name": ("ชื่อบริษัทขนส่ง", "Carrier of the package."),
    "Buyer Message": ("ข้อความจากผู้ซื้อ", "Message left by the buyer."),
    "Buyer Username": ("ชื่อผู้ใช้ของผู้ซื้อ", "Buyer's username."),
    "Recipient": ("ชื่อผู้รับ", "Name of the recipient."),
    "Phone #": ("หมายเลขโทรศัพท์", "Recipient's phone number (masked)."),
    "Country": ("ประเทศ", "Country of the delivery address."),
    "Province": ("จังหวัด", "Province of the delivery address."),
    "District": ("อำเภอ/เขต", "District of the delivery address."),
    "Zipcode": ("รหัสไปรษณีย์", "Postal code of the delivery address."),
    "Detail Address": ("ที่อยู่โดยละเอียด", "House number, street and building."),
    "Additional address information": ("ข้อมูลที่อยู่เพิ่มเติม", "Additional address information."),
    "Delivery Instruction": ("คำแนะนำในการจัดส่ง", "Delivery instructions from the buyer."),
    "Payment Method": ("วิธีการชำระเงิน", "How the buyer paid."),
    "Weight(kg)": ("น้ำหนัก (กก.)", "Weight of the SKU line in kg."),
    "Product Category": ("หมวดหมู่สินค้า", "Category of the product."),
    "Package ID": ("รหัสพัสดุ", "Platform unique package ID."),
    "Seller Note": ("บันทึกของผู้ขาย", "Note the seller added to the order."),
    "Shipping Information": ("ข้อมูลการจัดส่ง", "Shipping information."),
    "Combined Listing": ("รายการสินค้ารวม", "Combined listing the SKU belongs to."),
    "Request Tax Invoice": ("ขอใบกำกับภาษี", "Whether the buyer requested a tax invoice."),
    "Tax Info - Buyer Tax ID": ("เลขประจำตัวผู้เสียภาษีของผู้ซื้อ", "Buyer's tax identification number."),
    "Tax Info - Type": ("ประเภทผู้เสียภาษี", "Individual or company."),
    "Tax Info - Full Name of Buyer": ("ชื่อเต็มของผู้ซื้อ", "Name on the tax invoice."),
    "Tax Info - Registered Address": ("ที่อยู่ที่จดทะเบียน", "Address on the tax invoice."),
    EDD_COLUMN: ("วันที่คาดว่าจะได้รับสินค้า", "Estimated delivery date (added by the seller)."),
}


def descriptions(market: str, with_edd: bool = False) -> list[str]:
    """The localized description row SEA XLSX exports put under the header."""
    thai = market.upper() == "TH"
    out = []
    for c in columns_for(market, with_edd):
        local, english = _DESCRIPTIONS.get(c, ("", c))
        out.append(f"{local} / {english}" if thai and local else english)
    return out


def write_xlsx(
    path: str | os.PathLike[str],
    n_rows: int,
    *,
    today: dt.date,
    market: str = "TH",
    seed: int = 7,
    with_edd: bool = False,
    description_row: bool = True,
) -> Path:
    """Write an XLSX like a Southeast Asian export: header, description row, every cell text."""
    import xlsxwriter

    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    try:
        # A fixed creation time keeps the file byte-for-byte reproducible.
        wb.set_properties({"created": dt.datetime.combine(today, dt.time()) + dt.timedelta(seconds=_EXPORT_SECOND)})
        ws = wb.add_worksheet("OrderSKUList")
        r = 0
        for c, name in enumerate(columns_for(market, with_edd)):
            ws.write_string(r, c, name)
        r += 1
        if description_row:
            for c, text in enumerate(descriptions(market, with_edd)):
                ws.write_string(r, c, text)
            r += 1
        ws_string = ws.write_string
        for row in generate_rows(n_rows, today=today, market=market, seed=seed, with_edd=with_edd):
            for c, v in enumerate(row):
                ws_string(r, c, v)
            r += 1
    finally:
        wb.close()
    return path
