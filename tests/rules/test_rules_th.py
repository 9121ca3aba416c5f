"""Thailand's default rules, from TikTok TH's own pages.

- KB 6837799362201346 (2025-08-01): Shipped by TikTok standard orders are cancelled if not Awaiting
  collection by 23:59 of the 2nd working day after the order, or not In transit by the 3rd; not for
  pre-orders or Shipped by Seller; a pre-order is cancelled if not shipped by its Expected Shipped Date
  + 2 calendar days.
- KB 4260207925872400: seller-fault cancellation rate over 7 calendar days; at 10% or more, 2 violation
  points and sales capped.
Dates worked out by hand: working days are Monday to Saturday (VN KB 6024728339744528, assumed for TH);
Thai holidays in December 2025: Fri 5 (Father's Day), Wed 10 (Constitution Day).
"""

from crafted import D, cancelled, order

from addin.workbook.summary_sheet import summary_content

TH = "TH"


def test_an_order_not_ready_by_the_2nd_working_day_is_overdue_the_day_after(shop):
    # Placed Mon 1 Dec 2025: Tue 2 = 1st, Wed 3 = 2nd working day -> cancelled at 23:59 on Wed 3 Dec.
    answers, refresh = shop([order("1", "01/12/2025 09:00:00")], TH, D(2025, 12, 4))
    assert refresh.settings.policy.name == "tiktok-th"
    assert answers["1"]["ship_by"] == D(2025, 12, 3)
    assert (answers["1"]["next"], answers["1"]["days_left"], answers["1"]["risk"]) == (D(2025, 12, 3), -1, "Overdue")


def test_awaiting_collection_must_be_in_transit_by_the_3rd_working_day(shop):
    # Placed Mon 1 Dec, ready Tue 2 Dec: the collection deadline is the 3rd working day, Thu 4 Dec.
    rows = [order("1", "01/12/2025 09:00:00", sub="Awaiting collection", **{"RTS Time": "02/12/2025 10:00:00"})]
    assert shop(rows, TH, D(2025, 12, 4))[0]["1"]["risk"] == "Due today"
    answers, _ = shop(rows, TH, D(2025, 12, 6))
    assert (answers["1"]["next"], answers["1"]["risk"]) == (D(2025, 12, 4), "Overdue")


def test_the_seed_guide_is_still_chosen_by_name(shop):
    # --policy standard: In transit 7 working days: Dec 2, 3, 4, (5 off), 6, 8, 9, (10 off), 11 -> Thu 11 Dec.
    from addin.core.policies import STANDARD

    answers, _ = shop([order("1", "01/12/2025 09:00:00")], TH, D(2025, 12, 4), policy=STANDARD)
    assert (answers["1"]["next"], answers["1"]["risk"]) == (D(2025, 12, 11), "On track")


def test_a_pre_order_without_its_expected_ship_date_is_never_a_false_overdue(shop):
    rows = [order("p", "01/11/2025 09:00:00", **{"Normal or Pre-order": "Pre-order"})]
    answers, _ = shop(rows, TH, D(2025, 12, 4))
    assert answers["p"]["risk"] == "Pre-order" and answers["p"]["next"] is None
    assert "add a column 'Expected ship date'" in answers["p"]["issue"]


def test_a_pre_order_is_due_2_calendar_days_after_its_expected_ship_date(shop):
    # Expected ship date Wed 10 Dec 2025 + 2 calendar days = Fri 12 Dec (a holiday does not move it).
    rows = [
        order("p", "01/12/2025 09:00:00", **{"Normal or Pre-order": "Pre-order", "Expected ship date": "10/12/2025"}),
        order("q", "01/12/2025 09:00:00", **{"Normal or Pre-order": "Pre-order"}),
    ]
    answers, _ = shop(rows, TH, D(2025, 12, 4), ["Expected ship date"])
    assert (answers["p"]["next"], answers["p"]["days_left"], answers["p"]["risk"]) == (D(2025, 12, 12), 8, "On track")
    assert answers["q"]["risk"] == "Pre-order" and "'Expected ship date' is empty" in answers["q"]["issue"]


def test_shipped_by_seller_orders_are_outside_the_shipped_by_tiktok_deadlines(shop):
    rows = [order("s", "01/12/2025 09:00:00", **{"Delivery Option Type": "Seller Shipping"})]
    answers, _ = shop(rows, TH, D(2025, 12, 9))
    assert (answers["s"]["risk"], answers["s"]["next"]) == ("On track", None)


def test_an_fbt_order_is_tiktoks_to_ship(shop):
    rows = [order("f", "01/12/2025 09:00:00", **{"Fulfillment Type": "Fulfillment by TikTok"})]
    answers, _ = shop(rows, TH, D(2025, 12, 9))
    assert (answers["f"]["risk"], answers["f"]["next"]) == ("TikTok fulfils", None)


def _ten_percent_shop(seller_cancels):
    """20 confirmed orders placed Tue 2 - Sat 6 Dec 2025, ``seller_cancels`` of them the seller's fault."""
    rows = [
        order(str(i), f"0{2 + i % 5}/12/2025 09:00:00", "Completed", "Delivered") for i in range(20 - seller_cancels)
    ]
    reasons = ["Out of stock", "Automatically cancelled: shipping timeout"]
    rows += [
        cancelled(f"c{i}", "03/12/2025 09:00:00", "Seller" if i % 2 == 0 else "System", reasons[i % 2])
        for i in range(seller_cancels)
    ]
    rows += [
        cancelled("unpaid", "04/12/2025 09:00:00", "System", "Buyer payment overdue", **{"Paid Time": ""}),
        cancelled("old", "28/11/2025 09:00:00", "Seller", "Out of stock"),
    ]  # outside the 7 days
    return rows


def test_a_thai_shop_at_10_percent_has_violation_points_and_capped_sales(shop):
    # Today Mon 8 Dec: the window is the 7 calendar days 2-8 Dec. 2 of 20 confirmed orders = 10.00%;
    # the unpaid order is not confirmed and 28 Nov is outside the window.
    refresh = shop(_ten_percent_shop(2), TH, D(2025, 12, 8))[1]
    s = refresh.summary
    assert (s.window_days, s.confirmed, s.seller_responsible, s.seller_responsible_rate) == (7, 20, 2, 0.1)
    assert s.light == "red" and "2 violation points" in s.verdict and "90%" in s.verdict
    # The Summary sheet says it in red, with TikTok's consequence, never "within target".
    texts = {v: style for _, v, style in summary_content(refresh).cells if isinstance(v, str)}
    assert texts["Penalty line crossed"] == "light_red" and "Within target" not in texts
    assert any(t.startswith("TikTok: 10% or more: 2 violation points") for t in texts)


def test_a_thai_shop_below_10_percent_is_green(shop):
    s = shop(_ten_percent_shop(1), TH, D(2025, 12, 8))[1].summary  # 1 of 20 = 5%
    assert (s.seller_responsible_rate, s.light, s.verdict) == (0.05, "green", "within target")


def test_an_announced_extension_adds_working_days_to_orders_created_in_its_dates(shop):
    # "Orders created 14-30 Nov get +1 working day": placed Mon 20 Nov 2023, 2nd working day Wed 22 Nov,
    # +1 = Thu 23 Nov. A fixed date: orders placed 29 Apr-3 May 2023 ship by Sat 6 May 2023.
    from addin.core.rules import Extension

    rows = [order("a", "20/11/2023 09:00:00"), order("b", "29/04/2023 09:00:00"), order("c", "01/12/2023 09:00:00")]
    answers, _ = shop(
        rows,
        TH,
        D(2023, 11, 21),
        extensions=(
            Extension(D(2023, 11, 14), D(2023, 11, 30), days=1),
            Extension(D(2023, 4, 29), D(2023, 5, 3), until=D(2023, 5, 6)),
        ),
    )
    assert answers["a"]["ship_by"] == D(2023, 11, 23)
    assert answers["b"]["ship_by"] == D(2023, 5, 6)
    assert answers["c"]["ship_by"] == D(2023, 12, 4)  # Fri 1 Dec: Sat 2 = 1st, (Sun off), Mon 4 = 2nd
