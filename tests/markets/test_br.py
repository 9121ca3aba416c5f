"""Brazil: Portuguese statuses (Enviado seen; the rest our translation), dates month-first like the US.

Calendar by hand: Sat and Sun off; Black Consciousness Day Thu 20 Nov 2025 (national since 2024).
Placed Tue 18 Nov 2025: Wed 19, Fri 21, Mon 24, Tue 25, Wed 26, Thu 27, Fri 28 -> Fri 28 Nov.
"""

from tests.markets.cases import EXPECTED, status_rows

BR = {"Country": "Brasil", "Phone #": "(+55)11*****12", "Order Amount": "BRL 35,91"}
STATUSES = {
    "unpaid": ("Aguardando pagamento", ""),
    "hold": ("Em espera", ""),
    "ship": ("A enviar", "Aguardando envio"),
    "collect": ("A enviar", "Aguardando coleta"),
    "transit": ("Enviado", "Em trânsito"),
    "delivered": ("Concluído", "Entregue"),
    "cancelled": ("Cancelado", ""),
}


def test_portuguese_statuses_on_the_brazilian_calendar(local_export, check):
    rows = status_rows(
        "11/18/2025 10:00:00 AM", STATUSES, shipped="11/19/2025 10:00:00 AM", rts="11/19/2025 9:00:00 AM"
    )
    code, doc, err = check(local_export(rows, **BR), "--today", "2025-11-19")
    assert code == 0 and "market BR: Country 'Brasil' on 7 of 7 rows, phone +55, amounts in BRL" in err
    assert {oid: o["risk"] for oid, o in doc["orders"].items()} == {k: EXPECTED[k] for k in STATUSES}
    assert doc["orders"]["ship"]["next_deadline"] == "2025-11-28"
