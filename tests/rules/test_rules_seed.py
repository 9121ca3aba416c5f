"""Markets without a TikTok auto-cancel page: the seed guide's rules (gloda.vip, 3rd party, 2025-03-03),
with the delivery rule only where the Partner API has the delivery time-out reason (US, MX, BR, EU, JP).
UK: late dispatch judged on ready to ship within 2 working days (middleofthefairway.com, 3rd party).
SA, AE: TikTok Shop not confirmed to run there (equalocean.com, 2024-04-08).
Dates worked out by hand: no public holiday in England or Germany in November 2025.
"""

import pytest
from crafted import D, order

EDD = {"Shipped Time": "03/11/2025 15:00:00", "Estimated Delivery Date": "01/11/2025"}


def test_the_uk_has_the_ship_by_rule_and_a_dispatch_warning_but_no_delivery_time_out(shop):
    # Mon 3 Nov 2025 + 7 working days: 4, 5, 6, 7, 10, 11, 12 -> Wed 12 Nov; dispatch by Wed 5 Nov.
    rows = [order("1", "03/11/2025 09:00:00"), order("2", "20/10/2025 09:00:00", "Shipped", "In transit", **EDD)]
    answers, refresh = shop(rows, "GB", D(2025, 11, 6), ["Estimated Delivery Date"])
    assert refresh.settings.policy.name == "uk"
    assert (answers["1"]["ship_by"], answers["1"]["dispatch_by"], answers["1"]["risk"]) == (
        D(2025, 11, 12),
        D(2025, 11, 5),
        "On track",
    )
    assert answers["2"]["delivery"] is None
    assert refresh.summary.to_do == [("dispatch", 1, 0)]


@pytest.mark.parametrize("market", ["DE", "FR", "IT", "ES", "IE", "MX", "BR", "JP"])
def test_markets_with_the_delivery_time_out_get_the_seed_guide(shop, market):
    # EDD Sat 1 Nov 2025 + 30 calendar days = Mon 1 Dec. (BR and JP exports write month first.)
    edd = "11/01/2025" if market in ("BR", "JP") else "01/11/2025"
    rows = [
        order(
            "2",
            "10/20/2025 9:00:00 AM" if market in ("BR", "JP") else "20/10/2025 09:00:00",
            "Shipped",
            "In transit",
            **{**EDD, "Shipped Time": "", "Estimated Delivery Date": edd},
        )
    ]
    answers, refresh = shop(rows, market, D(2025, 11, 6), ["Estimated Delivery Date"])
    assert refresh.settings.policy.name == "standard"
    assert answers["2"]["delivery"] == D(2025, 12, 1)
    assert any("no TikTok auto-cancel page" in note for note in refresh.summary.unverified)


@pytest.mark.parametrize("market", ["SA", "AE"])
def test_markets_where_tiktok_shop_is_not_confirmed_are_labelled_unverified(shop, market):
    answers, refresh = shop(
        [order("1", "03/11/2025 09:00:00", "Shipped", "In transit", **EDD)],
        market,
        D(2025, 11, 6),
        ["Estimated Delivery Date"],
    )
    assert refresh.settings.policy.name == "standard-ship-by" and answers["1"]["delivery"] is None
    assert refresh.settings.market.unverified and any("not confirmed" in n for n in refresh.summary.unverified)
