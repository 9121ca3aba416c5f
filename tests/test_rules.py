import datetime as dt
import json

import pytest

from addin.cli import main
from addin.core.policies import PRESETS, STANDARD, get_policy
from addin.core.rules import Extension, Milestone, PolicyError, Rule, policy_from_mapping
from addin.io.policy_file import load_policy_file


def test_standard_policy_is_the_seed_guide():
    ship_by, delivery = STANDARD.rules
    assert (ship_by.start, ship_by.days, ship_by.unit, ship_by.milestone) == (
        "created",
        7,
        "working",
        Milestone.IN_TRANSIT,
    )
    assert (delivery.start, delivery.days, delivery.unit, delivery.milestone) == (
        "edd",
        30,
        "calendar",
        Milestone.DELIVERED,
    )
    assert STANDARD.ship_by is ship_by and STANDARD.delivery is delivery


def test_presets_from_tiktok_pages():
    # US KB 3995852763301633: Awaiting collection 7 business days after the order.
    us = get_policy("US-Official")
    assert (us.ship_by.days, us.ship_by.milestone) == (7, Milestone.AWAITING_COLLECTION)
    # TH KB 6837799362201346 / VN KB 7261258355672849: 2nd working day Awaiting collection, 3rd In transit.
    sea = get_policy("sea-tiktok-shipping")
    assert [(r.days, r.milestone, r.shipping) for r in sea.rules] == [
        (2, Milestone.AWAITING_COLLECTION, "tiktok"),
        (3, Milestone.IN_TRANSIT, "tiktok"),
    ]
    assert sea.delivery is None
    assert {"standard", "us-official", "sea-tiktok-shipping", "tiktok-th", "tiktok-vn", "tiktok-id", "uk"} <= set(
        PRESETS
    )
    assert all(p.source for p in PRESETS.values())


def test_unknown_policy_names_the_choices():
    with pytest.raises(PolicyError, match=r"standard, .*us-official"):
        get_policy("strict")


def test_policy_file_toml(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(
        'name = "holiday season"\n'
        '[[rule]]\nname = "ship-by"\nstart = "paid"\ndays = 10\nunit = "working"\nmilestone = "In transit"\n'
        '[[rule]]\nname = "delivery"\nstart = "edd"\ndays = 45\nunit = "calendar"\nmilestone = "delivered"\n'
    )
    policy = load_policy_file(f)
    assert policy.name == "holiday season"
    assert [(r.start, r.days, r.milestone) for r in policy.rules] == [
        ("paid", 10, Milestone.IN_TRANSIT),
        ("edd", 45, Milestone.DELIVERED),
    ]


def test_policy_file_with_conditions_extensions_statuses_and_handling_times(tmp_path):
    f = tmp_path / "shop.toml"
    f.write_text(
        '[[rule]]\nname = "ship-by"\nstart = "column"\ncolumn = "Expected ship date"\ndays = 2\nunit = "calendar"\n'
        'milestone = "In transit"\norder_type = "Pre-order"\n'
        '[[rule]]\nname = "dispatch"\nstart = "created"\ndays = 2\nunit = "working"\nmilestone = "In transit"\n'
        'kind = "warn"\nshipping = "seller"\norders_from = 2026-01-26\n'
        "[[extension]]\norders_from = 2023-11-14\norders_to = 2023-11-30\ndays = 1\n"
        '[[extension]]\norders_from = "2023-04-29"\norders_to = "2023-05-03"\nuntil = "2023-05-06"\n'
        '[statuses]\n"Da gui" = "Shipped"\n'
        "[handling_time]\nMUG-CUSTOM = 7\n"
    )
    policy = load_policy_file(f)
    pre, dispatch = policy.rules
    assert (pre.order_type, pre.column, pre.start_label) == ("pre-order", "Expected ship date", "Expected ship date")
    assert (dispatch.kind, dispatch.shipping, dispatch.orders_from) == ("warn", "seller", dt.date(2026, 1, 26))
    assert policy.extensions == (
        Extension(dt.date(2023, 11, 14), dt.date(2023, 11, 30), 1),
        Extension(dt.date(2023, 4, 29), dt.date(2023, 5, 3), until=dt.date(2023, 5, 6)),
    )
    assert policy.statuses == (("Da gui", "Shipped"),)
    assert policy.handling_times == (("MUG-CUSTOM", 7),)


def test_policy_file_json_round_trips_as_mapping(tmp_path):
    f = tmp_path / "p.json"
    us = get_policy("us-official")
    f.write_text(json.dumps({"name": "copy", "rules": [r.as_mapping() for r in us.rules]}))
    assert load_policy_file(f).rules == us.rules


def test_blank_optional_cells_of_a_settings_row_mean_any():
    rule = Rule.from_mapping(
        {
            "name": "x",
            "start": "created",
            "days": 3.0,
            "unit": "Working",
            "milestone": "Awaiting collection",
            "kind": "",
            "shipping": None,
            "handling_time": "no",
        }
    )
    assert (rule.days, rule.kind, rule.shipping, rule.handling_time) == (3, "cancel", None, False)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"name": "x", "start": "shipped_at", "days": 3, "unit": "working", "milestone": "delivered"}, "start must be"),
        ({"name": "x", "start": "created", "days": -1, "unit": "working", "milestone": "delivered"}, "days must be"),
        ({"name": "x", "start": "created", "days": 3, "unit": "weeks", "milestone": "delivered"}, "unit must be"),
        ({"name": "x", "start": "created", "days": 3, "unit": "working", "milestone": "paid"}, "milestone must be"),
        ({"name": "x", "start": "created", "days": 3}, "missing milestone, unit"),
        # The case: a key the rules do not have was accepted and the rule applied to every order.
        (
            {
                "name": "x",
                "start": "created",
                "days": 3,
                "unit": "working",
                "milestone": "delivered",
                "ordertype": "Pre-order",
            },
            "unknown key ordertype",
        ),
        (
            {
                "name": "x",
                "start": "created",
                "days": 3,
                "unit": "working",
                "milestone": "delivered",
                "order_type": "Flash sale",
            },
            "order_type must be one of normal, pre-order, any, not 'flash sale'",
        ),
        (
            {
                "name": "x",
                "start": "created",
                "days": 3,
                "unit": "working",
                "milestone": "delivered",
                "kind": "penalty",
            },
            "kind must be one of cancel, warn",
        ),
        (
            {
                "name": "x",
                "start": "created",
                "days": 3,
                "unit": "working",
                "milestone": "delivered",
                "fulfillment": "amazon",
            },
            "fulfillment must be one of seller, tiktok, any",
        ),
        ({"name": "x", "start": "column", "days": 3, "unit": "working", "milestone": "delivered"}, "column names"),
        (
            {
                "name": "x",
                "start": "created",
                "days": 3,
                "unit": "working",
                "milestone": "delivered",
                "orders_from": "26/01/2026",
            },
            "orders_from: '26/01/2026' is not a date",
        ),
        (
            {
                "name": "x",
                "start": "created",
                "days": 3,
                "unit": "working",
                "milestone": "delivered",
                "handling_time": "maybe",
            },
            "handling_time must be yes or no",
        ),
    ],
)
def test_a_bad_rule_in_a_file_is_named_with_the_file(tmp_path, rule, message):
    f = tmp_path / "bad.json"
    f.write_text(json.dumps({"rules": [rule]}))
    with pytest.raises(PolicyError, match=message) as err:
        load_policy_file(f)
    assert str(f) in str(err.value)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"rules": [], "rule_set": 1}, "unknown key rule_set"),
        (
            {"rules": [STANDARD.rules[0].as_mapping()], "extension": [{"orders_from": "2023-11-14", "days": 1}]},
            "extension is missing orders_to",
        ),
        (
            {
                "rules": [STANDARD.rules[0].as_mapping()],
                "extension": [{"orders_from": "2023-11-14", "orders_to": "2023-11-30"}],
            },
            "give days or until",
        ),
        ({"rules": [STANDARD.rules[0].as_mapping()], "statuses": {"Da gui": 3}}, "statuses must be a table"),
        ({"rules": [STANDARD.rules[0].as_mapping()], "handling_time": {"MUG": 90}}, "handling time of 'MUG'"),
        ({"rules": [STANDARD.rules[0].as_mapping(), STANDARD.rules[0].as_mapping()]}, "names a rule twice"),
        (
            {
                "rules": [
                    STANDARD.rules[0].as_mapping(),
                    {**STANDARD.rules[0].as_mapping(), "kind": "warn", "order_type": "pre-order"},
                ]
            },
            "must all be cancel or all warn",
        ),
    ],
)
def test_a_bad_policy_document_names_the_key(document, message):
    with pytest.raises(PolicyError, match=message):
        policy_from_mapping(document, "x", "test")


def test_unreadable_policy_file(tmp_path):
    f = tmp_path / "broken.toml"
    f.write_text("[[rule]\nname=")
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policy_file(f)
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy_file(tmp_path / "missing.toml")


def _hostile(tmp_path):
    yield "deep.json", ("[" * 100_000 + "]" * 100_000).encode()
    yield "deep.toml", ("x = " + "[" * 100_000 + "]" * 100_000).encode()
    yield "list.json", b'[{"name": "ship-by"}]'
    yield "utf16.toml", 'name = "x"\n'.encode("utf-16")
    yield "binary.toml", bytes(range(256)) * 8
    yield "nul.json", b'{"name": "x\x00"}'


@pytest.mark.parametrize(("name", "content"), list(_hostile(None)))
def test_a_hostile_policy_file_is_one_line_naming_the_file(tmp_path, capsys, name, content, export_file):
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(PolicyError) as err:
        load_policy_file(f)
    assert str(f) in str(err.value) and "\n" not in str(err.value)
    csv = export_file([{"Order ID": "1", "Order Status": "To ship", "Created Time": "11/20/2025 7:00:00 AM"}])
    assert main(["check", str(csv), "--policy-file", str(f)]) == 2
    out = capsys.readouterr()
    assert out.err.count("\n") == 1 and str(f) in out.err and "Traceback" not in out.err


def test_dev_zero_is_not_read_forever():
    with pytest.raises(PolicyError, match=r"/dev/zero: .*not a policy file"):
        load_policy_file("/dev/zero")
