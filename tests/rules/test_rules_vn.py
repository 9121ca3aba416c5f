"""Vietnam's default rules, from TikTok VN's own pages.

- KB 7261258355672849 (2025-07-15), KB 2898390371550978 (from 2024-08-26): Shipped by TikTok orders are
  cancelled if not Awaiting collection by 23:59 of the 2nd working day, or not In transit by the 3rd.
- KB 6024728339744528: a working day is Monday to Saturday; Sundays and public holidays do not count.
- KB 6988439669442305: rate over 7 calendar days; 10% or more -> violation points and capped sales.
Cash on delivery (Thanh toán khi giao hàng) has no Paid Time until delivery but is a confirmed order.
Dates worked out by hand: no Vietnamese public holiday in December 2025.
"""

from crafted import D, cancelled, order

VN = "VN"
COD = {"Payment Method": "Thanh toán khi giao hàng", "Paid Time": ""}


def test_a_saturday_order_counts_monday_and_tuesday(shop):
    # Sat 6 Dec 2025: (Sun 7 off), Mon 8 = 1st, Tue 9 = 2nd working day; collection by Wed 10 Dec.
    rows = [
        order("1", "06/12/2025 20:00:00"),
        order("2", "06/12/2025 20:00:00", sub="Awaiting collection", **{"RTS Time": "08/12/2025 09:00:00"}),
    ]
    answers, refresh = shop(rows, VN, D(2025, 12, 10))
    assert refresh.settings.policy.name == "tiktok-vn"
    assert (answers["1"]["next"], answers["1"]["risk"]) == (D(2025, 12, 9), "Overdue")
    assert (answers["2"]["next"], answers["2"]["risk"]) == (D(2025, 12, 10), "Due today")


def test_cash_on_delivery_orders_are_confirmed_without_a_paid_time(shop):
    # Today Wed 10 Dec: window 4-10 Dec. Confirmed: the COD order the buyer cancelled, the seller's
    # out-of-stock cancel, the open COD order and a completed one = 4; the unpaid card order is not.
    rows = [
        cancelled("cod", "08/12/2025 09:00:00", "User", "Changed my mind", **COD),
        cancelled("card", "08/12/2025 09:00:00", "User", "Changed my mind", **{"Paid Time": ""}),
        cancelled("oos", "08/12/2025 09:00:00", "Seller", "Hết hàng"),
        order("open", "09/12/2025 09:00:00", **COD),
        order("done", "05/12/2025 09:00:00", "Completed", "Delivered"),
    ]
    s = shop(rows, VN, D(2025, 12, 10))[1].summary
    assert (s.window_days, s.confirmed, s.seller_responsible) == (7, 4, 1)
    assert s.seller_responsible_rate == 0.25 and s.light == "red" and "violation points" in s.verdict


def test_vietnams_working_week_is_sourced(shop):
    refresh = shop([order("1", "06/12/2025 20:00:00")], VN, D(2025, 12, 8))[1]
    assert refresh.settings.market.unverified == ""
