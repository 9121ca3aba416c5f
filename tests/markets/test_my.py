"""Malaysia: Malay statuses (our translation: no Malay export seen; MY sellers often use English).

Calendar by hand: MY counted Monday to Saturday as TikTok SEA (not verified for MY); National Day
Sun 31 Aug 2025 observed Mon 1 Sep, the Prophet's Birthday Fri 5 Sep. Placed Thu 28 Aug 2025:
Fri 29, Sat 30, Tue 2, Wed 3, Thu 4, Sat 6, Mon 8 Sep -> Mon 8 Sep.
"""

from tests.markets.cases import EXPECTED, status_rows

MY = {"Country": "Malaysia", "Phone #": "(+60)12*****34", "Order Amount": "MYR 49.90"}
STATUSES = {
    "unpaid": ("Belum dibayar", ""),
    "hold": ("Ditahan", ""),
    "ship": ("Untuk dihantar", "Menunggu penghantaran"),
    "collect": ("Untuk dihantar", "Menunggu pengambilan"),
    "transit": ("Dihantar", "Dalam transit"),
    "delivered": ("Selesai", "Telah diterima"),
    "cancelled": ("Dibatalkan", ""),
}


def test_malay_statuses_on_the_malaysian_calendar(local_export, check):
    rows = status_rows("28/08/2025 10:00:00", STATUSES, shipped="29/08/2025 10:00:00", rts="29/08/2025 09:00:00")
    code, doc, err = check(local_export(rows, **MY), "--today", "2025-08-29", "--policy", "standard")
    assert code == 0 and "market MY: Country 'Malaysia' on 7 of 7 rows, phone +60, amounts in MYR" in err
    assert {oid: o["risk"] for oid, o in doc["orders"].items()} == {k: EXPECTED[k] for k in STATUSES}
    assert doc["orders"]["ship"]["next_deadline"] == "2025-09-08"


def test_a_contradiction_is_warned(local_export, check):
    rows = status_rows("28/08/2025 10:00:00", {"ship": ("Untuk dihantar", "")})
    _, _, err = check(local_export(rows, **MY), "--today", "2025-08-29", "--market", "ID")
    assert err.startswith("autocancel: warning: market ID was given, but the file looks like MY")
