"""Japan: Japanese statuses (our translation: no Japanese export seen).

Calendar by hand: Sat and Sun off; Labour Thanksgiving Day Sun 23 Nov 2025 observed Mon 24 Nov.
Placed Tue 18 Nov 2025: Wed 19, Thu 20, Fri 21, Tue 25, Wed 26, Thu 27, Fri 28 -> Fri 28 Nov.
"""

from tests.markets.cases import EXPECTED, status_rows

JP = {"Country": "日本", "Phone #": "(+81)90*****12", "Order Amount": "JPY 2980"}
STATUSES = {
    "unpaid": ("未払い", ""),
    "hold": ("保留中", ""),
    "ship": ("発送待ち", "出荷待ち"),
    "collect": ("発送待ち", "集荷待ち"),
    "transit": ("発送済み", "配送中"),
    "delivered": ("完了", "配達済み"),
    "cancelled": ("キャンセル済み", ""),
}


def test_japanese_statuses_on_the_japanese_calendar(local_export, check):
    rows = status_rows(
        "11/18/2025 10:00:00 AM", STATUSES, shipped="11/19/2025 10:00:00 AM", rts="11/19/2025 9:00:00 AM"
    )
    code, doc, err = check(local_export(rows, **JP), "--today", "2025-11-19")
    assert code == 0 and "market JP: Country '日本' on 7 of 7 rows, phone +81, amounts in JPY" in err
    assert {oid: o["risk"] for oid, o in doc["orders"].items()} == {k: EXPECTED[k] for k in STATUSES}
    assert doc["orders"]["ship"]["next_deadline"] == "2025-11-28"
