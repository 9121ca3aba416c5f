"""Italy: Italian statuses (our translation: no Italian export seen).

Calendar by hand: Sat and Sun off; Immaculate Conception Mon 8 Dec 2025. Placed Thu 4 Dec 2025:
Fri 5, Tue 9, Wed 10, Thu 11, Fri 12, Mon 15, Tue 16 -> Tue 16 Dec.
"""

from tests.markets.cases import EXPECTED, status_rows

IT = {"Country": "Italia", "Phone #": "(+39)333*****12", "Order Amount": "EUR 24.95"}
STATUSES = {
    "unpaid": ("Non pagato", ""),
    "hold": ("In sospeso", ""),
    "ship": ("Da spedire", "In attesa di spedizione"),
    "collect": ("Da spedire", "In attesa di ritiro"),
    "transit": ("Spedito", "In transito"),
    "delivered": ("Completato", "Consegnato"),
    "cancelled": ("Annullato", ""),
}


def test_italian_statuses_on_the_italian_calendar(local_export, check):
    rows = status_rows("04/12/2025 10:00:00", STATUSES, shipped="05/12/2025 10:00:00", rts="05/12/2025 09:00:00")
    code, doc, err = check(local_export(rows, **IT), "--today", "2025-12-05")
    assert code == 0 and "market IT: Country 'Italia' on 7 of 7 rows, phone +39" in err
    assert {oid: o["risk"] for oid, o in doc["orders"].items()} == {k: EXPECTED[k] for k in STATUSES}
    assert doc["orders"]["ship"]["next_deadline"] == "2025-12-16"
