"""Germany: German statuses (our translation: no German export seen).

Calendar by hand: Sat and Sun off; German Unity Day Fri 3 Oct 2025. Placed Mon 29 Sep 2025:
Tue 30, Wed 1, Thu 2, Mon 6, Tue 7, Wed 8, Thu 9 -> Thu 9 Oct.
"""

from tests.markets.cases import EXPECTED, status_rows

DE = {"Country": "Deutschland", "Phone #": "(+49)151*****12", "Order Amount": "EUR 24.95"}
STATUSES = {
    "unpaid": ("Unbezahlt", ""),
    "hold": ("Angehalten", ""),
    "ship": ("Zu versenden", "Warten auf Versand"),
    "collect": ("Zu versenden", "Warten auf Abholung"),
    "transit": ("Versandt", "Unterwegs"),
    "delivered": ("Abgeschlossen", "Zugestellt"),
    "cancelled": ("Storniert", ""),
}


def test_german_statuses_on_the_german_calendar(local_export, check):
    rows = status_rows("29/09/2025 10:00:00", STATUSES, shipped="30/09/2025 10:00:00", rts="30/09/2025 09:00:00")
    code, doc, err = check(local_export(rows, **DE), "--today", "2025-09-30")
    assert code == 0 and "market DE: Country 'Deutschland' on 7 of 7 rows, phone +49" in err
    assert {oid: o["risk"] for oid, o in doc["orders"].items()} == {k: EXPECTED[k] for k in STATUSES}
    assert doc["orders"]["ship"]["next_deadline"] == "2025-10-09"
