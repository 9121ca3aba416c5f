"""Indonesia's default rules, from TikTok ID's own pages.

- KB 7753811422807810: Ship by Seller orders not delivered within 15 calendar days are cancelled; a
  pre-order not shipped by its Expected Shipped Date + 2 calendar days is cancelled.
- Shipped by TikTok: the TH/VN deadlines (TH KB 6837799362201346), unverified for ID.
- KB 8549287965722385: rate over 7 calendar days, aim below 2.5%; sales capped at 75% from 10%.
Dates worked out by hand: working days Monday to Saturday (assumed, as VN); no holiday in early Dec 2025.
"""

from crafted import D, cancelled, order

ID = "ID"
SELLER = {"Delivery Option Type": "Seller Shipping"}


def test_a_ship_by_seller_order_must_be_delivered_within_15_days(shop):
    # Mon 1 Dec 2025 + 15 calendar days = Tue 16 Dec.
    rows = [
        order("s", "01/12/2025 09:00:00", "Shipped", "In transit", **SELLER, **{"Shipped Time": "03/12/2025 09:00:00"})
    ]
    answers, refresh = shop(rows, ID, D(2025, 12, 10))
    assert refresh.settings.policy.name == "tiktok-id"
    assert (answers["s"]["delivery"], answers["s"]["days_left"], answers["s"]["risk"]) == (
        D(2025, 12, 16),
        6,
        "On track",
    )
    answers, _ = shop(rows, ID, D(2025, 12, 17))
    assert answers["s"]["risk"] == "Overdue"


def test_tiktok_shipping_and_pre_orders(shop):
    # Mon 1 Dec: 2nd working day Wed 3 Dec. Pre-order expected ship date Fri 5 Dec + 2 = Sun 7 Dec.
    rows = [
        order("t", "01/12/2025 09:00:00"),
        order("p", "01/12/2025 09:00:00", **{"Normal or Pre-order": "Pre-order", "Expected ship date": "05/12/2025"}),
    ]
    answers, refresh = shop(rows, ID, D(2025, 12, 2), ["Expected ship date"])
    assert answers["t"]["next"] == D(2025, 12, 3) and answers["p"]["next"] == D(2025, 12, 7)
    assert any("TH/VN" in note for note in refresh.summary.unverified)


def _shop(seller_cancels):
    rows = [order(str(i), "03/12/2025 09:00:00", "Completed", "Delivered") for i in range(30 - seller_cancels)]
    return rows + [cancelled(f"c{i}", "03/12/2025 09:00:00", "Seller", "Stok habis") for i in range(seller_cancels)]


def test_indonesia_aims_below_2_5_percent_and_caps_sales_from_10(shop):
    s = shop(_shop(1), ID, D(2025, 12, 8))[1].summary  # 1 of 30 = 3.33%: above the aim, no sanction
    assert (s.light, s.verdict) == ("amber", "2.5% or more: above TikTok ID's aim")
    s = shop(_shop(3), ID, D(2025, 12, 8))[1].summary  # 3 of 30 = 10%
    assert s.light == "red" and "75%" in s.verdict
