"""Indonesia: Indonesian statuses, the Regency and City layout, COD, the market found from the file.

Calendar by hand: ID works Monday to Saturday; Christmas Thu 25 Dec 2025 and the Christmas joint
leave (cuti bersama) Fri 26 Dec are off, and New Year's Day Thu 1 Jan 2026. An order placed Mon 22
Dec 2025 has 7 working days: Tue 23, Wed 24, Sat 27, Mon 29, Tue 30, Wed 31 Dec, Fri 2 Jan -> Fri 2 Jan 2026.
"""

from __future__ import annotations

from addin.core.detect import choose_market
from addin.io.export import read_export
from tests.markets.cases import EXAMPLES, orders_paying
from tools.samples import columns_for

SAMPLE = EXAMPLES / "sample_id_export.csv"
ID = {"Country": "Indonesia", "Phone #": "(+62)812*****12", "Order Amount": "IDR 150000", "Payment Method": "COD"}
PLACED = "22/12/2025 10:00:00"


def test_statuses_seen_in_real_indonesian_exports(local_export, check):
    rows = [
        {"Order ID": "1", "Order Status": "Belum dibayar", "Created Time": PLACED},
        {"Order ID": "2", "Order Status": "Perlu dikirim", "Created Time": PLACED},
        {
            "Order ID": "3",
            "Order Status": "Perlu dikirim",
            "Order Substatus": "Menunggu pengambilan",
            "Created Time": PLACED,
            "RTS Time": "23/12/2025 10:00:00",
        },
        {"Order ID": "4", "Order Status": "Selesai", "Created Time": PLACED},
        {"Order ID": "5", "Order Status": "Dibatalkan", "Created Time": PLACED, "Cancel By": "User"},
    ]
    code, doc, err = check(local_export(rows, **ID), "--today", "2025-12-29", "--policy", "standard")
    assert code == 0 and "market ID: Country 'Indonesia' on 5 of 5 rows, phone +62, amounts in IDR" in err
    risk = {oid: o["risk"] for oid, o in doc["orders"].items()}
    assert risk == {"1": "Unpaid", "2": "On track", "3": "On track", "4": "Done", "5": "Cancelled"}
    assert doc["orders"]["2"]["next_deadline"] == "2026-01-02"


def test_the_layout_reads_end_to_end_with_no_false_check_data(check):
    cols = columns_for("ID")
    assert {"Province", "Regency and City", "Districts", "Villages", "Purchase Channel", "Zipcode"} <= set(cols)
    assert SAMPLE.read_bytes().startswith(b"\xef\xbb\xbfOrder ID,")
    assert "\t," in SAMPLE.read_text(encoding="utf-8-sig")  # TikTok's tab after every time and long ID
    code, doc, err = check(SAMPLE, "--today", "2025-12-01")
    assert code == 0 and err.startswith("autocancel: note: market ID:")
    assert doc["summary"]["risk_counts"]["Check data"] == 0


def test_cash_on_delivery_orders_are_not_check_data(check):
    cod = orders_paying(SAMPLE, "COD")
    _, doc, _ = check(SAMPLE, "--today", "2025-12-01")
    risks = {doc["orders"][oid]["risk"] for oid in cod}
    assert cod and "Check data" not in risks and "Unpaid" not in risks
    assert "On track" in risks  # waiting to ship with no Paid Time: the clock still runs


def test_the_market_is_found_and_a_contradiction_is_warned(check):
    assert choose_market(read_export(SAMPLE), None).market.code == "ID"
    code, _, err = check(SAMPLE, "--today", "2025-12-01", "--market", "MY")
    assert code == 0 and err.startswith("autocancel: warning: market MY was given, but the file looks like ID")
