import json

import pytest

from addin.rules import PRESETS, STANDARD, Milestone, PolicyError, get_policy, load_policy_file


def test_standard_policy_is_the_seed_guide():
    ship_by, delivery = STANDARD.rules
    assert (ship_by.start, ship_by.days, ship_by.unit, ship_by.milestone) == ("created", 7, "working", Milestone.IN_TRANSIT)
    assert (delivery.start, delivery.days, delivery.unit, delivery.milestone) == ("edd", 30, "calendar", Milestone.DELIVERED)
    assert STANDARD.ship_by is ship_by and STANDARD.delivery is delivery


def test_presets_from_tiktok_pages():
    us = get_policy("US-Official")
    assert [(r.days, r.milestone) for r in us.rules] == [(7, Milestone.AWAITING_COLLECTION)]
    sea = get_policy("sea-tiktok-shipping")
    assert [(r.days, r.milestone) for r in sea.rules] == [(2, Milestone.AWAITING_COLLECTION), (3, Milestone.IN_TRANSIT)]
    assert sea.delivery is None
    assert set(PRESETS) == {"standard", "us-official", "sea-tiktok-shipping"}


def test_unknown_policy_names_the_choices():
    with pytest.raises(PolicyError, match="standard, us-official, sea-tiktok-shipping"):
        get_policy("strict")


def test_policy_file_toml(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text('name = "holiday season"\n'
                 '[[rule]]\nname = "ship-by"\nstart = "paid"\ndays = 10\nunit = "working"\nmilestone = "In transit"\n'
                 '[[rule]]\nname = "delivery"\nstart = "edd"\ndays = 45\nunit = "calendar"\nmilestone = "delivered"\n')
    policy = load_policy_file(f)
    assert policy.name == "holiday season"
    assert [(r.start, r.days, r.milestone) for r in policy.rules] == [
        ("paid", 10, Milestone.IN_TRANSIT), ("edd", 45, Milestone.DELIVERED)]


def test_policy_file_json_round_trips_as_mapping(tmp_path):
    f = tmp_path / "p.json"
    f.write_text(json.dumps({"name": "copy", "rules": [r.as_mapping() for r in STANDARD.rules]}))
    assert load_policy_file(f).rules == STANDARD.rules


@pytest.mark.parametrize("rule, message", [
    ({"name": "x", "start": "shipped_at", "days": 3, "unit": "working", "milestone": "delivered"}, "start must be"),
    ({"name": "x", "start": "created", "days": -1, "unit": "working", "milestone": "delivered"}, "days must be"),
    ({"name": "x", "start": "created", "days": 3, "unit": "weeks", "milestone": "delivered"}, "unit must be"),
    ({"name": "x", "start": "created", "days": 3, "unit": "working", "milestone": "paid"}, "milestone must be"),
    ({"name": "x", "start": "created", "days": 3}, "missing milestone, unit"),
])
def test_a_bad_rule_in_a_file_is_named_with_the_file(tmp_path, rule, message):
    f = tmp_path / "bad.json"
    f.write_text(json.dumps({"rules": [rule]}))
    with pytest.raises(PolicyError, match=message) as err:
        load_policy_file(f)
    assert str(f) in str(err.value)


def test_unreadable_policy_file(tmp_path):
    f = tmp_path / "broken.toml"
    f.write_text("[[rule]\nname=")
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policy_file(f)
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy_file(tmp_path / "missing.toml")
