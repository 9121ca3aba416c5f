"""France: French statuses (our translation: no French export seen).

Calendar by hand: Sat and Sun off. A real Partner API response for a French shop (docs/rules.md section 1):
created Mon 16 Feb 2026, cancel_order_sla_time Wed 25 Feb = 7 working days (Tue 17 ... Wed 25).
Armistice Day Tue 11 Nov 2025: placed Fri 7 Nov -> Mon 10, Wed 12, Thu 13, Fri 14, Mon 17, Tue 18, Wed 19.
"""

from tests.markets.cases import EXPECTED, status_rows

FR = {"Country": "France", "Phone #": "(+33)6*****12", "Order Amount": "EUR 24.95"}
STATUSES = {
    "unpaid": ("Non payée", ""),
    "hold": ("En attente", ""),
    "ship": ("À expédier", "En attente d'expédition"),
    "collect": ("À expédier", "En attente d'enlèvement"),
    "transit": ("Expédiée", "En transit"),
    "delivered": ("Terminée", "Livrée"),
    "cancelled": ("Annulée", ""),
}


def test_french_statuses_on_the_french_calendar(local_export, check):
    rows = status_rows("07/11/2025 10:00:00", STATUSES, shipped="10/11/2025 10:00:00", rts="10/11/2025 09:00:00")
    code, doc, err = check(local_export(rows, **FR), "--today", "2025-11-10")
    assert code == 0 and "market FR: Country 'France' on 7 of 7 rows, phone +33" in err
    assert {oid: o["risk"] for oid, o in doc["orders"].items()} == {k: EXPECTED[k] for k in STATUSES}
    assert doc["orders"]["ship"]["next_deadline"] == "2025-11-19"


def test_the_partner_api_french_order(local_export, check):
    rows = status_rows("16/02/2026 10:00:00", {"ship": ("À expédier", "")})
    _, doc, _ = check(local_export(rows, **FR), "--today", "2026-02-16")
    assert doc["orders"]["ship"]["next_deadline"] == "2026-02-25"
