"""The United States' default rules, from TikTok US's own pages.

- Fulfillment Policy KB 3995852763301633 (2025-10-23), KB 8064131472115499: auto-cancelled if not
  Awaiting collection 7 business days after the order; handling-time SKUs 4 business days after their
  dispatch deadline; pre-orders 5 business days after theirs (1 business day after closure).
- KB 6179821974439723 (2026-01-17): dispatch SLA ready to ship within 2 business days before
  2026-01-26, In transit within 2 from then; handling-time and pre-order dispatch +1 business day.
- KB 6747273381791534: 7 business days after Awaiting collection without In transit, buyers may ask
  for a refund (a warning). Partner API: "not delivered within 30 days of the EDD" is a US reason.
- KB 7953001314830094 (rate at most 2.5% of confirmed orders), KB 7774796411864833 (FBT exempt).
Dates worked out by hand: business days Mon-Fri; US federal holidays Tue 11 Nov 2025 (Veterans Day),
Mon 19 Jan 2026 (MLK Day), Mon 16 Feb 2026 (Washington's Birthday).
"""

from crafted import D, cancelled, order

US = "US"
MUG = {"Seller SKU": "MUG-CUSTOM"}


def test_an_order_in_awaiting_collection_is_not_overdue_on_day_8(shop):
    # Issue 9: ready on day 1 (Mon 3 Nov 2025) is what TikTok US asks; Wed 12 Nov it is not Overdue.
    rows = [order("1", "11/03/2025 9:00:00 AM", sub="Awaiting collection", **{"RTS Time": "11/03/2025 3:00:00 PM"})]
    answers, refresh = shop(rows, US, D(2025, 11, 12))
    assert refresh.settings.policy.name == "us-official"
    assert (answers["1"]["risk"], answers["1"]["next"]) == ("On track", None)
    # Dispatch by: 2 business days, Tue 4 and Wed 5 Nov. Refund requests (warn): RTS + 7 business days =
    # Nov 4, 5, 6, 7, 10, (11 off), 12, 13 -> Thu 13 Nov, one business day away.
    assert answers["1"]["dispatch_by"] == D(2025, 11, 5)
    assert ("refund-request", 0, 1) in refresh.summary.to_do


def test_an_order_not_ready_after_7_business_days_is_overdue(shop):
    # Mon 3 Nov 2025 + 7 business days: 4, 5, 6, 7, 10, (11 off), 12, 13 -> Thu 13 Nov.
    answers, refresh = shop([order("1", "11/03/2025 9:00:00 AM")], US, D(2025, 11, 14))
    assert (answers["1"]["ship_by"], answers["1"]["days_left"], answers["1"]["risk"]) == (
        D(2025, 11, 13),
        -1,
        "Overdue",
    )
    assert answers["1"]["dispatch_by"] == D(2025, 11, 5)
    assert (refresh.summary.late_dispatch, refresh.summary.dispatch_due) == (1, 1)


def test_the_dispatch_sla_changed_on_26_january_2026_and_never_makes_an_order_overdue(shop):
    rows = [
        # Mon 5 Jan 2026, ready Tue 6 Jan: before the change ready to ship by Wed 7 Jan is on time.
        order(
            "jan",
            "01/05/2026 9:00:00 AM",
            "Shipped",
            "In transit",
            **{"RTS Time": "01/06/2026 9:00:00 AM", "Shipped Time": "01/07/2026 9:00:00 AM"},
        ),
        # Mon 2 Feb 2026, ready Tue 3 Feb but not In transit by Wed 4 Feb: late dispatch, not a cancel.
        order("feb", "02/02/2026 9:00:00 AM", sub="Awaiting collection", **{"RTS Time": "02/03/2026 9:00:00 AM"}),
    ]
    answers, refresh = shop(rows, US, D(2026, 2, 5))
    assert answers["jan"]["dispatch_by"] == D(2026, 1, 7) and answers["feb"]["dispatch_by"] == D(2026, 2, 4)
    assert answers["feb"]["risk"] == "On track"
    s = refresh.summary
    assert (s.late_dispatch, s.dispatch_due, s.late_dispatch_rate, s.late_dispatch_target) == (1, 2, 0.5, 0.04)
    assert ("dispatch", 1, 0) in s.to_do


def test_a_made_to_order_sku_is_cancelled_4_business_days_after_its_handling_time(shop):
    # Handling time 7: dispatch by Mon 3 Nov + 7 = Thu 13 Nov; cancelled 4 after: 14, 17, 18, 19 -> Wed 19 Nov.
    rows = [order("mug", "11/03/2025 9:00:00 AM", **MUG), order("plain", "11/03/2025 9:00:00 AM")]
    answers, _ = shop(rows, US, D(2025, 11, 14), handling_times=(("MUG-CUSTOM", 7),))
    assert (answers["mug"]["next"], answers["mug"]["days_left"], answers["mug"]["risk"]) == (
        D(2025, 11, 19),
        5,
        "On track",
    )
    assert answers["mug"]["dispatch_by"] == D(2025, 11, 13)
    assert answers["plain"]["risk"] == "Overdue"


def test_from_26_january_2026_handling_time_dispatch_gets_one_more_business_day(shop):
    # Mon 2 Feb 2026, handling 7 (+1): dispatch 3, 4, 5, 6, 9, 10, 11, 12 -> Thu 12 Feb; cancel 4 after:
    # 13, (16 off), 17, 18, 19 -> Thu 19 Feb.
    answers, _ = shop(
        [order("mug", "02/02/2026 9:00:00 AM", **MUG)], US, D(2026, 2, 3), handling_times=(("MUG-CUSTOM", 7),)
    )
    assert (answers["mug"]["dispatch_by"], answers["mug"]["next"]) == (D(2026, 2, 12), D(2026, 2, 19))


def test_a_pre_order_counts_from_its_closure_date(shop):
    # Closure Mon 10 Nov 2025: dispatch 1 business day after = Wed 12 Nov (11 off); cancelled 5 after:
    # 13, 14, 17, 18, 19 -> Wed 19 Nov. Without the column: Pre-order, and what to add.
    pre = {"Normal or Pre-order": "Pre-order"}
    rows = [order("p", "10/01/2025 9:00:00 AM", **pre, **{"Pre-order closure date": "11/10/2025"})]
    answers, _ = shop(rows, US, D(2025, 11, 14), ["Pre-order closure date"])
    assert (answers["p"]["next"], answers["p"]["dispatch_by"], answers["p"]["risk"]) == (
        D(2025, 11, 19),
        D(2025, 11, 12),
        "On track",
    )
    answers, _ = shop([order("p", "10/01/2025 9:00:00 AM", **pre)], US, D(2025, 11, 14))
    assert answers["p"]["risk"] == "Pre-order" and "'Pre-order closure date'" in answers["p"]["issue"]


def test_fbt_orders_are_tiktoks_and_left_out_of_the_rate(shop):
    fbt = {"Fulfillment Type": "Fulfillment by TikTok"}
    rows = [
        order("f", "10/01/2025 9:00:00 AM", **fbt),
        cancelled("fc", "11/03/2025 9:00:00 AM", "System", "Collection timeout", **fbt),
        cancelled("c", "11/03/2025 9:00:00 AM", "Seller", "Out of stock"),
        order("d", "11/03/2025 9:00:00 AM", "Completed", "Delivered"),
    ]
    answers, refresh = shop(rows, US, D(2025, 11, 14))
    assert (answers["f"]["risk"], answers["f"]["next"], answers["f"]["ship_by"]) == ("TikTok fulfils", None, None)
    s = refresh.summary
    assert (s.confirmed, s.seller_responsible, s.excluded) == (2, 1, {"FBT": 2})
    assert s.risk_counts["TikTok fulfils"] == 1 and s.risk_counts["Overdue"] == 0


def test_creator_samples_are_left_out_when_the_export_says_so(shop):
    rows = [
        cancelled("s", "11/03/2025 9:00:00 AM", "Seller", "Out of stock", **{"Normal or Pre-order": "Sample order"}),
        order("d", "11/03/2025 9:00:00 AM", "Completed", "Delivered"),
    ]
    s = shop(rows, US, D(2025, 11, 14))[1].summary
    assert (s.confirmed, s.seller_responsible, s.excluded) == (1, 0, {"creator samples": 1})


def test_the_delivery_time_out_is_a_us_cancel_reason(shop):
    # EDD Sat 1 Nov 2025 + 30 calendar days = Mon 1 Dec.
    rows = [
        order(
            "t",
            "10/20/2025 9:00:00 AM",
            "Shipped",
            "In transit",
            **{"Shipped Time": "10/21/2025 9:00:00 AM", "Estimated Delivery Date": "11/01/2025"},
        )
    ]
    answers, _ = shop(rows, US, D(2025, 12, 2), ["Estimated Delivery Date"])
    assert (answers["t"]["delivery"], answers["t"]["risk"]) == (D(2025, 12, 1), "Overdue")


def test_the_us_rate_line_is_2_5_percent_and_the_window_is_noted_as_unverified(shop):
    rows = [order(str(i), "11/03/2025 9:00:00 AM", "Completed", "Delivered") for i in range(39)]
    rows.append(cancelled("c", "11/03/2025 9:00:00 AM", "Seller", "Out of stock"))
    s = shop(rows, US, D(2025, 11, 14))[1].summary  # 1 of 40 = 2.5%: at most 2.5% is within
    assert (s.seller_responsible_rate, s.light, s.window_days) == (0.025, "green", None)
    assert any("does not state the evaluation window" in note for note in s.unverified)
    rows.append(cancelled("c2", "11/03/2025 9:00:00 AM", "Seller", "Pricing error"))
    s = shop(rows, US, D(2025, 11, 14))[1].summary  # 2 of 41 = 4.88%
    assert s.light == "red" and "2.5%" in s.verdict
