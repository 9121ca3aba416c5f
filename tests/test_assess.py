"""Risk and deadlines a seller sees, around US Thanksgiving 2025 (today Wed 26 Nov).

These test the clock itself, under the seed guide's `standard` rules unless a test names another
policy; each market's own TikTok rules are tested in tests/rules/.
"""

import datetime as dt

import numpy as np
import pytest

from addin.core.markets import get_market
from addin.core.policies import STANDARD, get_policy
from addin.io.export import read_export
from addin.pipeline import Settings, run

TODAY = dt.date(2025, 11, 26)
EDD_HEADERS = [
    "Order ID",
    "Order Status",
    "Order Substatus",
    "SKU ID",
    "Created Time",
    "RTS Time",
    "Shipped Time",
    "Delivered Time",
    "Cancel By",
    "Cancel Reason",
    "Estimated Delivery Date",
]


def assess_rows(export_file, rows, headers=EDD_HEADERS, **settings):
    settings.setdefault("policy", STANDARD)
    refresh = run(read_export(export_file(rows, headers)), Settings(today=TODAY, **settings))
    a = refresh.assessment

    def day(v):
        return None if np.isnat(v) else v.astype(object)

    return {
        oid: {
            "ship_by": day(a.ship_by[i]),
            "delivery": day(a.delivery[i]),
            "next": day(a.next_deadline[i]),
            "days_left": None if np.isnan(a.days_left[i]) else int(a.days_left[i]),
            "risk": a.risk[i],
            "issue": a.data_issue[i],
        }
        for i, oid in enumerate(refresh.orders.ids)
    }, refresh


def to_ship(oid, created, **extra):
    return {
        "Order ID": oid,
        "Order Status": "To ship",
        "Order Substatus": "Awaiting shipment",
        "Created Time": created,
        **extra,
    }


@pytest.mark.parametrize(
    ("created", "ship_by", "days_left", "risk"),
    [
        ("11/20/2025 7:44:26 AM", dt.date(2025, 12, 2), 6, "On track"),  # Thanksgiving (27 Nov) not counted
        ("11/17/2025 9:00:00 PM", dt.date(2025, 11, 26), 0, "Due today"),
        ("11/18/2025 1:00:00 AM", dt.date(2025, 11, 28), 2, "At risk"),  # one working day left
        ("11/22/2025 3:00:00 PM", dt.date(2025, 12, 3), 7, "On track"),  # a Saturday order counts from Monday
        ("11/10/2025 7:44:26 AM", dt.date(2025, 11, 20), -6, "Overdue"),  # Veterans Day (11 Nov) not counted
    ],
)
def test_ship_by_deadline_and_risk_for_orders_not_yet_in_transit(export_file, created, ship_by, days_left, risk):
    result, _ = assess_rows(export_file, [to_ship("1", created)])
    assert result["1"] == {
        "ship_by": ship_by,
        "delivery": None,
        "next": ship_by,
        "days_left": days_left,
        "risk": risk,
        "issue": "",
    }


def test_at_risk_threshold_is_a_setting(export_file):
    rows = [to_ship("1", "11/20/2025 7:44:26 AM")]  # 3 working days left
    assert assess_rows(export_file, rows)[0]["1"]["risk"] == "On track"
    assert assess_rows(export_file, rows, at_risk_days=3)[0]["1"]["risk"] == "At risk"


def test_in_transit_orders_wait_on_the_delivery_deadline(export_file):
    base = {
        "Order Status": "Shipped",
        "Order Substatus": "In transit",
        "Created Time": "10/20/2025 7:00:00 AM",
        "Shipped Time": "10/22/2025 7:00:00 AM",
    }
    result, _ = assess_rows(
        export_file,
        [
            {"Order ID": "late", **base, "Estimated Delivery Date": "10/25/2025"},
            {"Order ID": "fine", **base, "Estimated Delivery Date": "11/20/2025"},
            {"Order ID": "no-edd", **base},
        ],
    )
    assert result["late"]["delivery"] == dt.date(2025, 11, 24)  # 30 calendar days
    assert (result["late"]["next"], result["late"]["days_left"], result["late"]["risk"]) == (
        dt.date(2025, 11, 24),
        -2,
        "Overdue",
    )
    assert (result["fine"]["next"], result["fine"]["risk"]) == (dt.date(2025, 12, 20), "On track")
    assert result["no-edd"] == {
        "ship_by": dt.date(2025, 10, 29),
        "delivery": None,
        "next": None,
        "days_left": None,
        "risk": "On track",
        "issue": "",
    }


def test_closed_orders_keep_their_deadlines_but_have_nothing_pending(export_file):
    created = "11/10/2025 7:44:26 AM"
    result, _ = assess_rows(
        export_file,
        [
            {"Order ID": "c1", "Order Status": "Canceled", "Created Time": created},
            {"Order ID": "c2", "Order Status": "Cancelled", "Created Time": created},
            {"Order ID": "u", "Order Status": "Unpaid", "Created Time": created},
            {"Order ID": "d1", "Order Status": "Completed", "Order Substatus": "Completed", "Created Time": created},
            {"Order ID": "d2", "Order Status": "Shipped", "Order Substatus": "Delivered", "Created Time": created},
            {
                "Order ID": "d3",
                "Order Status": "Shipped",
                "Created Time": created,
                "Delivered Time": "11/20/2025 1:00:00 PM",
            },
        ],
    )
    assert {k: v["risk"] for k, v in result.items()} == {
        "c1": "Cancelled",
        "c2": "Cancelled",
        "u": "Unpaid",
        "d1": "Done",
        "d2": "Done",
        "d3": "Done",
    }
    assert all(
        v["ship_by"] == dt.date(2025, 11, 20) and v["next"] is None and v["days_left"] is None for v in result.values()
    )


def test_a_shipped_time_proves_transit_whatever_the_status_says(export_file):
    result, _ = assess_rows(
        export_file, [to_ship("1", "11/10/2025 7:44:26 AM", **{"Shipped Time": "11/12/2025 9:00:00 AM"})]
    )
    assert (result["1"]["risk"], result["1"]["next"]) == ("On track", None)


def test_every_row_of_a_multi_sku_order_gets_the_same_answer(export_file):
    rows = [to_ship("7", "11/17/2025 9:00:00 PM", **{"SKU ID": s}) for s in ("a", "b", "c")]
    rows.insert(1, to_ship("8", "11/20/2025 9:00:00 PM"))
    result, refresh = assess_rows(export_file, rows)
    ship_by, _, _, _days_left, risk, _, _ = refresh.row_values()
    assert list(risk) == ["Due today", "On track", "Due today", "Due today"]
    assert ship_by[0] == ship_by[2] == ship_by[3] == np.datetime64("2025-11-26")
    assert len(result) == 2


def test_one_live_sku_keeps_a_partly_cancelled_order_open(export_file):
    rows = [
        {"Order ID": "9", "Order Status": "Canceled", "Created Time": "11/10/2025 7:44:26 AM", "SKU ID": "a"},
        to_ship("9", "11/10/2025 7:44:26 AM", **{"SKU ID": "b"}),
    ]
    assert assess_rows(export_file, rows)[0]["9"]["risk"] == "Overdue"


def test_unreadable_cells_flag_their_order_not_the_run(export_file):
    result, _ = assess_rows(
        export_file,
        [
            to_ship("bad-date", "13/45/2025 7:44:26 AM"),
            to_ship("no-date", ""),
            {"Order ID": "odd", "Order Status": "Lost in space", "Created Time": "11/20/2025 7:44:26 AM"},
            to_ship("fine", "11/20/2025 7:44:26 AM"),
        ],
    )
    assert result["bad-date"]["risk"] == "Check data"
    assert result["bad-date"]["issue"] == "Created Time, row 2: '13/45/2025 7:44:26 AM' is not a real date"
    assert result["no-date"]["risk"] == "Check data" and "empty" in result["no-date"]["issue"]
    assert result["odd"]["risk"] == "Check data" and "'Lost in space' is not a status we know" in result["odd"]["issue"]
    assert result["odd"]["issue"].startswith("Order Status, row 4")
    assert result["fine"]["risk"] == "On track"


def test_localized_statuses(export_file):
    result, _ = assess_rows(
        export_file,
        [
            {"Order ID": "es", "Order Status": "Entregado", "Created Time": "11/10/2025 7:44:26 AM"},
            {"Order ID": "zh", "Order Status": "运输中", "Created Time": "11/10/2025 7:44:26 AM"},
            {"Order ID": "mx", "Order Status": "Cancelado", "Created Time": "11/10/2025 7:44:26 AM"},
        ],
    )
    assert {k: v["risk"] for k, v in result.items()} == {"es": "Done", "zh": "On track", "mx": "Cancelled"}


def test_us_official_policy_is_met_by_awaiting_collection(export_file):
    rows = [
        {
            "Order ID": "1",
            "Order Status": "To ship",
            "Order Substatus": "Awaiting collection",
            "Created Time": "11/10/2025 7:44:26 AM",
            "RTS Time": "11/12/2025 7:44:26 AM",
        }
    ]
    assert assess_rows(export_file, rows)[0]["1"]["risk"] == "Overdue"  # standard: needs In transit
    assert assess_rows(export_file, rows, policy=get_policy("us-official"))[0]["1"]["risk"] == "On track"


def test_sea_policy_in_thailand_counts_saturday_and_steps_through_collection(export_file):
    # Thursday 20 Nov 2025: +2 working days (Mon-Sat) = Sat 22 Nov; +3 = Mon 24 Nov.
    rows = [
        to_ship("a", "20/11/2025 10:00:00"),
        {
            "Order ID": "b",
            "Order Status": "To ship",
            "Order Substatus": "Awaiting collection",
            "Created Time": "20/11/2025 10:00:00",
            "RTS Time": "21/11/2025 10:00:00",
        },
    ]
    result, _ = assess_rows(export_file, rows, market=get_market("TH"), policy=get_policy("sea-tiktok-shipping"))
    assert (result["a"]["ship_by"], result["a"]["next"]) == (dt.date(2025, 11, 22), dt.date(2025, 11, 22))
    assert result["b"]["next"] == dt.date(2025, 11, 24)
    assert result["a"]["risk"] == result["b"]["risk"] == "Overdue"


def test_a_year_without_holiday_data_flags_its_order_only(export_file):
    # python-holidays knows Spain's holidays from 2008: a 2005 order cannot be counted, the rest can.
    rows = [to_ship("old", "03/01/2005 10:00:00"), to_ship("new", "20/11/2025 10:00:00")]
    result, _ = assess_rows(export_file, rows, market=get_market("ES"))
    assert result["old"]["risk"] == "Check data"
    assert "Created Time 2005-01-03 is outside the years with holiday data" in result["old"]["issue"]
    assert (result["new"]["next"], result["new"]["risk"]) == (dt.date(2025, 12, 1), "On track")


# -- rules that know which orders they apply to (issue 9) ----------------------------------------------
KIND_HEADERS = [
    "Order ID",
    "Order Status",
    "Order Substatus",
    "Created Time",
    "RTS Time",
    "Normal or Pre-order",
    "Delivery Option",
    "Seller SKU",
]


def test_a_warn_rule_is_shown_but_never_makes_an_order_overdue(export_file):
    from addin.core.rules import Milestone, Policy, Rule

    policy = Policy(
        "mine",
        (
            Rule("ship-by", "created", 7, "working", Milestone.AWAITING_COLLECTION),
            Rule("dispatch", "created", 1, "working", Milestone.AWAITING_COLLECTION, kind="warn"),
        ),
    )
    # Thu 20 Nov 2025: dispatch by Fri 21 Nov (missed); ship-by 7 business days: 21, 24, 25, 26, (27 off),
    # 28, 1, 2 -> Tue 2 Dec.
    result, refresh = assess_rows(export_file, [to_ship("1", "11/20/2025 7:44:26 AM")], KIND_HEADERS, policy=policy)
    assert (result["1"]["risk"], result["1"]["next"]) == ("On track", dt.date(2025, 12, 2))
    assert refresh.assessment.dispatch_by[0] == np.datetime64("2025-11-21")
    assert refresh.summary.to_do == [("dispatch", 1, 0)]


def test_shipping_type_falls_back_to_delivery_option_and_the_most_specific_rule_wins(export_file):
    from addin.core.rules import Milestone, Policy, Rule

    policy = Policy(
        "mine",
        (
            Rule("ship-by", "created", 7, "working", Milestone.AWAITING_COLLECTION),
            Rule("ship-by", "created", 3, "working", Milestone.AWAITING_COLLECTION, shipping="seller"),
        ),
    )
    rows = [
        to_ship("own", "11/20/2025 7:44:26 AM", **{"Delivery Option": "Shipped by seller"}),
        to_ship("tts", "11/20/2025 7:44:26 AM", **{"Delivery Option": "Standard shipping"}),
    ]
    result, _ = assess_rows(export_file, rows, KIND_HEADERS, policy=policy)
    # Thu 20 Nov + 3 business days: 21, 24, 25 -> Tue 25 Nov; + 7: 21, 24, 25, 26, (27 off), 28, 1, 2 -> Tue 2 Dec.
    assert (result["own"]["ship_by"], result["tts"]["ship_by"]) == (dt.date(2025, 11, 25), dt.date(2025, 12, 2))


def test_a_policy_file_with_conditions_runs_end_to_end(export_file, tmp_path, capsys):
    from addin.cli import main

    f = tmp_path / "shop.toml"
    f.write_text(
        'name = "my shop"\n'
        '[[rule]]\nname = "ship-by"\nstart = "created"\ndays = 7\nunit = "working"\nmilestone = "Awaiting collection"\n'
        '[[rule]]\nname = "ship-by"\nstart = "created"\ndays = 4\nunit = "working"\n'
        'milestone = "Awaiting collection"\nhandling_time = true\n'
        "[handling_time]\nMUG-CUSTOM = 5\n"
    )
    rows = [
        to_ship("mug", "11/10/2025 7:44:26 AM", **{"Seller SKU": "MUG-CUSTOM"}),
        to_ship("plain", "11/10/2025 7:44:26 AM", **{"Seller SKU": "TEE"}),
    ]
    assert (
        main(
            ["check", str(export_file(rows, KIND_HEADERS)), "--today", "2025-11-26", "--policy-file", str(f), "--json"]
        )
        == 0
    )
    orders = __import__("json").loads(capsys.readouterr().out)["orders"]
    # Mon 10 Nov + 7 business days: 12, 13, 14, 17, 18, 19, 20 (11 off) -> Thu 20 Nov; the mug: 5 + 4 = 9 -> Mon 24 Nov.
    assert (orders["plain"]["ship_by"], orders["mug"]["ship_by"]) == ("2025-11-20", "2025-11-24")


def test_a_rule_from_a_column_the_export_lacks_flags_its_orders(export_file):
    from addin.core.rules import Milestone, Policy, Rule

    policy = Policy("mine", (Rule("ship-by", "column", 2, "working", Milestone.IN_TRANSIT, column="Promised date"),))
    result, _ = assess_rows(export_file, [to_ship("1", "11/20/2025 7:44:26 AM")], KIND_HEADERS, policy=policy)
    assert result["1"]["risk"] == "Check data"
    assert result["1"]["issue"] == "no column 'Promised date' in the export: the ship-by deadline cannot be counted"
