"""Thailand: Thai statuses, the 63-column layout with tax-invoice columns, COD, the market found from the file.

Calendar by hand: TH works Monday to Saturday (TikTok SEA). An order placed Tue 18 Nov 2025 has 7
working days to be In transit: Wed 19, Thu 20, Fri 21, Sat 22, (Sun 23 off) Mon 24, Tue 25, Wed 26
-> Wed 26 Nov. On the US calendar it would be Fri 28 Nov (no Saturdays, Thanksgiving 27 Nov): the
wrong answer issue 8 found. Placed Mon 1 Dec 2025: Tue 2, Wed 3, Thu 4, (Fri 5 King Bhumibol's
birthday) Sat 6, Mon 8, Tue 9, (Wed 10 Constitution Day) Thu 11 -> Thu 11 Dec.
"""

from __future__ import annotations

from addin.core.detect import choose_market
from addin.io.export import read_export
from tests.markets.cases import EXAMPLES, orders_paying
from tools.samples import columns_for

SAMPLE = EXAMPLES / "sample_th_export.xlsx"
TH = {"Country": "ไทย", "Phone #": "(+66)81*****12", "Order Amount": "THB 299.00"}


def test_statuses_seen_in_real_thai_exports(local_export, check):
    rows = [
        {
            "Order ID": "1",
            "Order Status": "ที่จะจัดส่ง",
            "Order Substatus": "รอจัดส่ง",
            "Created Time": "18/11/2025 10:00:00",
        },
        {
            "Order ID": "2",
            "Order Status": "ที่ต้องจัดส่ง",
            "Order Substatus": "รอเข้ารับ",
            "Created Time": "18/11/2025 10:00:00",
            "RTS Time": "19/11/2025 10:00:00",
        },
        {"Order ID": "3", "Order Status": "เสร็จสมบูรณ์", "Created Time": "18/11/2025 10:00:00"},
        {"Order ID": "4", "Order Status": "ที่จะจัดส่ง", "Created Time": "01/12/2025 10:00:00"},
    ]
    code, doc, err = check(local_export(rows, **TH), "--today", "2025-11-20", "--policy", "standard")
    assert code == 0 and "market TH: Country 'ไทย' on 4 of 4 rows, phone +66, amounts in THB" in err
    orders = doc["orders"]
    assert (orders["1"]["next_deadline"], orders["1"]["days_left"], orders["1"]["risk"]) == (
        "2025-11-26",
        6,
        "On track",
    )
    assert orders["2"]["next_deadline"] == "2025-11-26"  # Awaiting collection: the standard rule wants In transit
    assert orders["3"]["risk"] == "Done"
    assert orders["4"]["next_deadline"] == "2025-12-11"  # over 5 and 10 Dec


def test_the_layout_reads_end_to_end_with_no_false_check_data(check):
    cols = columns_for("TH")
    assert len(cols) == 63 and {"Request Tax Invoice", "Province", "District", "Zipcode"} <= set(cols)
    code, doc, err = check(SAMPLE, "--today", "2025-12-01")
    assert code == 0 and err.startswith("autocancel: note: market TH:")
    assert doc["summary"]["risk_counts"]["Check data"] == 0


def test_the_description_row_is_not_an_order(check):
    export = read_export(SAMPLE)
    assert export.skipped_description_row and len(export.rows) == 150
    _, doc, _ = check(SAMPLE, "--today", "2025-12-01")
    assert len(doc["orders"]) == len({str(i).strip() for i in export.column("order_id")})
    assert not any("Platform unique order ID" in oid for oid in doc["orders"])


def test_cash_on_delivery_orders_are_not_check_data(check):
    cod = orders_paying(SAMPLE, "Cash on delivery")
    _, doc, _ = check(SAMPLE, "--today", "2025-12-01")
    risks = {doc["orders"][oid]["risk"] for oid in cod}
    assert cod and "Check data" not in risks and "Unpaid" not in risks


def test_the_market_is_found_and_a_contradiction_is_warned(local_export, check):
    assert choose_market(read_export(SAMPLE), None).market.code == "TH"
    path = local_export([{"Order ID": "1", "Order Status": "ที่จะจัดส่ง", "Created Time": "18/11/2025 10:00:00"}], **TH)
    code, doc, err = check(path, "--today", "2025-11-20", "--market", "US")
    assert code == 0
    assert err.startswith("autocancel: warning: market US was given, but the file looks like TH")
    assert doc["orders"]["1"]["next_deadline"] == "2025-11-28"  # the given market still counts


def test_the_summary_says_which_market_and_why_and_warns_on_a_contradiction(tmp_path):
    import openpyxl

    from addin.cli import main

    found, given = tmp_path / "found.xlsx", tmp_path / "given.xlsx"
    assert main(["refresh", str(SAMPLE), "-o", str(found), "--today", "2025-12-01"]) == 0
    assert main(["refresh", str(SAMPLE), "-o", str(given), "--today", "2025-12-01", "--market", "US"]) == 0
    stamp = openpyxl.load_workbook(found)["Summary"]["B2"].value
    assert "Thailand (TH, from Country 'Thailand' on 150 of 150 rows, phone +66" in stamp
    assert "WARNING" not in stamp
    stamp = openpyxl.load_workbook(given)["Summary"]["B2"].value
    assert "United States (US)" in stamp
    assert "WARNING: market US was given, but the file looks like TH" in stamp
