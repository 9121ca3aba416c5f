"""United States: English statuses, the 58-column layout, the market found from the file.

Calendar by hand: US business days exclude Sat, Sun and federal holidays. An order placed Thu 20 Nov
2025 has 7 business days: Fri 21, Mon 24, Tue 25, Wed 26, (Thanksgiving Thu 27) Fri 28, Mon 1, Tue 2 Dec.
"""

from __future__ import annotations

import pytest

from addin.core.detect import choose_market
from addin.io.export import read_export
from tests.markets.cases import EXAMPLES

SAMPLE = EXAMPLES / "sample_us_export.csv"
US = {"Country": "United States", "Phone #": "(+1)213*****05", "Order Amount": "26.60"}
PLACED = "11/20/2025 7:44:26 AM"


@pytest.mark.parametrize(
    ("status", "substatus", "risk"),
    [
        ("To ship", "Awaiting shipment", "On track"),
        ("To ship", "Awaiting collection", "On track"),
        ("Shipped", "In transit", "On track"),
        ("Completed", "Delivered", "Done"),
        ("Canceled", "", "Cancelled"),
        ("Cancelled", "", "Cancelled"),
        ("Unpaid", "", "Unpaid"),
        ("AWAITING_SHIPMENT", "", "On track"),
    ],
)
def test_english_and_partner_api_statuses(local_export, check, status, substatus, risk):
    rows = [{"Order ID": "1", "Order Status": status, "Order Substatus": substatus, "Created Time": PLACED}]
    code, doc, _ = check(local_export(rows, **US), "--today", "2025-11-26", "--policy", "standard")
    assert (code, doc["orders"]["1"]["risk"]) == (0, risk)
    if risk == "On track" and status != "Shipped":
        assert doc["orders"]["1"]["next_deadline"] == "2025-12-02"


def test_the_layout_reads_end_to_end_with_no_false_check_data(check):
    code, doc, err = check(SAMPLE, "--today", "2025-12-01")
    assert code == 0 and err == "autocancel: note: market US: Country 'United States' on 400 of 400 rows, phone +1\n"
    assert doc["summary"]["risk_counts"]["Check data"] == 0


def test_a_us_xlsx_with_a_description_row(tmp_path, check):
    from tools.samples import SAMPLE_TODAY, write_xlsx

    path = write_xlsx(tmp_path / "us.xlsx", 20, today=SAMPLE_TODAY, market="US")
    export = read_export(path)
    assert export.skipped_description_row and len(export.rows) == 20
    _, doc, _ = check(path, "--today", "2025-12-01")
    assert doc["summary"]["risk_counts"]["Check data"] == 0


def test_the_market_is_found_and_a_contradiction_is_warned(check):
    assert choose_market(read_export(SAMPLE), None).market.code == "US"
    code, _, err = check(SAMPLE, "--today", "2025-12-01", "--market", "GB")
    assert code == 0
    assert err.startswith("autocancel: warning: market GB was given, but the file looks like US")
    _, _, quiet = check(SAMPLE, "--today", "2025-12-01", "--market", "US")
    assert quiet == ""  # given and agreeing: nothing to say
