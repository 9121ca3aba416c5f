"""Spain: Spanish statuses (as Mexico's; see test_mx.py), found from the Country and the phone.

Calendar by hand: Sat and Sun off; Immaculate Conception Mon 8 Dec 2025 (national). Placed Thu 4 Dec
2025: Fri 5, Tue 9, Wed 10, Thu 11, Fri 12, Mon 15, Tue 16 -> Tue 16 Dec.
"""

from tests.markets.cases import EXPECTED, status_rows

ES = {"Country": "España", "Phone #": "(+34)612*****12", "Order Amount": "EUR 19.99"}
STATUSES = {
    "ship": ("Por enviar", ""),
    "transit": ("Enviado", ""),
    "delivered": ("Entregado", ""),
    "cancelled": ("Cancelado", ""),
}


def test_spanish_statuses_on_the_spanish_calendar(local_export, check):
    rows = status_rows("04/12/2025 10:00:00", STATUSES, shipped="05/12/2025 10:00:00")
    code, doc, err = check(local_export(rows, **ES), "--today", "2025-12-05")
    assert code == 0 and "market ES: Country 'España' on 4 of 4 rows, phone +34" in err
    assert {oid: o["risk"] for oid, o in doc["orders"].items()} == {k: EXPECTED[k] for k in STATUSES}
    assert doc["orders"]["ship"]["next_deadline"] == "2025-12-16"
