"""Mexico: Spanish statuses (Completado, Enviado, Entregado, Cancelado seen; the rest our translation).

Calendar by hand: Sat and Sun off; Revolution Day observed Mon 17 Nov 2025. Placed Thu 13 Nov 2025:
Fri 14, Tue 18, Wed 19, Thu 20, Fri 21, Mon 24, Tue 25 -> Tue 25 Nov.
"""

from tests.markets.cases import EXPECTED, status_rows

MX = {"Country": "México", "Phone #": "(+52)55*****12", "Order Amount": "MXN 349.00"}
STATUSES = {
    "unpaid": ("No pagado", ""),
    "hold": ("En espera", ""),
    "ship": ("Por enviar", "Pendiente de envío"),
    "collect": ("Por enviar", "Esperando recolección"),
    "transit": ("Enviado", "En tránsito"),
    "delivered": ("Completado", "Entregado"),
    "cancelled": ("Cancelado", ""),
}


def test_spanish_statuses_on_the_mexican_calendar(local_export, check):
    rows = status_rows("13/11/2025 10:00:00", STATUSES, shipped="14/11/2025 10:00:00", rts="14/11/2025 09:00:00")
    code, doc, err = check(local_export(rows, **MX), "--today", "2025-11-14")
    assert code == 0 and "market MX: Country 'México' on 7 of 7 rows, phone +52, amounts in MXN" in err
    assert {oid: o["risk"] for oid, o in doc["orders"].items()} == {k: EXPECTED[k] for k in STATUSES}
    assert doc["orders"]["ship"]["next_deadline"] == "2025-11-25"


def test_spanish_alone_does_not_choose_between_mexico_and_spain(local_export, check):
    rows = status_rows("13/11/2025 10:00:00", {"ship": ("Por enviar", "")})
    _, _, err = check(local_export(rows), "--today", "2025-11-14")
    assert err.startswith("autocancel: note: market US (the default): the file could be MX or ES")
