"""Vietnam: Vietnamese statuses, the 54-column layout, COD, the market found from the file.

Calendar by hand: VN works Monday to Saturday (KB 6024728339744528); National Day 2025 is Mon 1 and
Tue 2 Sep. An order placed Mon 25 Aug 2025 has 7 working days to be In transit: Tue 26, Wed 27,
Thu 28, Fri 29, Sat 30 Aug, (Sun 31, Mon 1, Tue 2 off) Wed 3, Thu 4 Sep -> Thu 4 Sep.
"""

from __future__ import annotations

from addin.core.detect import choose_market
from addin.io.export import read_export
from tests.markets.cases import EXAMPLES, orders_paying
from tools.samples import columns_for

SAMPLE = EXAMPLES / "sample_vn_export.xlsx"
VN = {"Country": "Việt Nam", "Phone #": "(+84)90*****12", "Order Amount": "250000"}
PLACED = "25/08/2025 10:00:00"


def test_statuses_seen_in_real_vietnamese_exports(local_export, check):
    rows = [
        {
            "Order ID": "1",
            "Order Status": "Cần vận chuyển",
            "Order Substatus": "Đang chờ lấy hàng",
            "Created Time": PLACED,
            "RTS Time": "26/08/2025 09:00:00",
        },
        {
            "Order ID": "2",
            "Order Status": "Đã vận chuyển",
            "Order Substatus": "Đang trung chuyển",
            "Created Time": PLACED,
            "Shipped Time": "26/08/2025 15:00:00",
        },
        {"Order ID": "3", "Order Status": "Đã hoàn tất", "Order Substatus": "Đã giao", "Created Time": PLACED},
        {
            "Order ID": "4",
            "Order Status": "Đã hủy",
            "Order Substatus": "Đã hủy",
            "Created Time": PLACED,
            "Cancel By": "User",
            "Cancel Reason": "Không còn nhu cầu",
        },
        {"Order ID": "5", "Order Status": "Cần vận chuyển", "Created Time": PLACED},
    ]
    code, doc, err = check(local_export(rows, **VN), "--today", "2025-08-27", "--policy", "standard")
    assert code == 0 and "market VN: Country 'Việt Nam' on 5 of 5 rows, phone +84" in err
    risk = {oid: o["risk"] for oid, o in doc["orders"].items()}
    assert risk == {"1": "On track", "2": "On track", "3": "Done", "4": "Cancelled", "5": "On track"}
    assert doc["orders"]["5"]["next_deadline"] == "2025-09-04"  # over National Day
    # TikTok's own SEA rule: Awaiting collection by the 2nd working day (Wed 27), In transit by the 3rd (Thu 28).
    _, sea, _ = check(local_export(rows, **VN), "--today", "2025-08-27", "--policy", "sea-tiktok-shipping")
    assert (sea["orders"]["5"]["next_deadline"], sea["orders"]["5"]["risk"]) == ("2025-08-27", "Due today")
    assert (sea["orders"]["1"]["next_deadline"], sea["orders"]["1"]["risk"]) == ("2025-08-28", "At risk")


def test_the_54_column_layout_reads_end_to_end_with_no_false_check_data(check):
    cols = columns_for("VN")
    assert len(cols) == 54 and {"Province", "District", "Commune", "Checked Status"} <= set(cols)
    assert "Zipcode" not in cols
    code, doc, err = check(SAMPLE, "--today", "2025-12-01")
    assert code == 0 and err.startswith("autocancel: note: market VN:")
    assert doc["summary"]["risk_counts"]["Check data"] == 0
    assert doc["summary"]["risk_counts"]["Done"] > 0 and doc["summary"]["risk_counts"]["Cancelled"] > 0


def test_the_description_row_is_not_an_order(check):
    export = read_export(SAMPLE)
    assert export.skipped_description_row and export.first_row == 3
    _, doc, _ = check(SAMPLE, "--today", "2025-12-01")
    assert "Platform unique order ID." not in doc["orders"]
    assert len(doc["orders"]) == len({str(i).strip() for i in export.column("order_id")})


def test_cash_on_delivery_orders_are_not_check_data(check):
    cod = orders_paying(SAMPLE, "Thanh toán khi giao hàng")
    _, doc, _ = check(SAMPLE, "--today", "2025-12-01")
    risks = {doc["orders"][oid]["risk"] for oid in cod}
    assert cod and "Check data" not in risks and "Unpaid" not in risks
    assert {"On track", "Done"} <= risks


def test_the_market_is_found_and_a_contradiction_is_warned(check):
    choice = choose_market(read_export(SAMPLE), None)
    assert choice.market.code == "VN" and choice.warning is None
    code, _, err = check(SAMPLE, "--today", "2025-12-01", "--market", "TH")
    assert code == 0 and err.count("\n") == 1
    assert err.startswith("autocancel: warning: market TH was given, but the file looks like VN (Country 'Việt Nam'")
    assert err.rstrip().endswith("counting on TH")
