"""Cancellation rules as data: a policy is a list of deadlines an order must beat.

A rule says which event starts the clock, how many working or calendar days run, and which
milestone the order must reach before the time is up. Sellers change or add rules in a
TOML/JSON file (``--policy-file``) or in the workbook's Settings sheet, never in code.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from .errors import AutocancelError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class Milestone(IntEnum):
    """How far an order has got, in the order TikTok's statuses move."""

    PLACED = 0
    PAID = 1
    AWAITING_COLLECTION = 2  # tracking uploaded / ready to ship
    IN_TRANSIT = 3
    DELIVERED = 4

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()


#: Events that can start a rule's clock, and the column of the export that holds each.
EVENTS = {
    "created": "Created Time",
    "paid": "Paid Time",
    "shipped": "Shipped Time",
    "edd": "Estimated Delivery Date",
}
UNITS = ("working", "calendar")


class PolicyError(AutocancelError):
    """A rule or policy that cannot be used, with what is wrong."""


@dataclass(frozen=True)
class Rule:
    """One deadline: ``start`` event + ``days`` (working or calendar) must see ``milestone``."""

    name: str
    start: str
    days: int
    unit: str
    milestone: Milestone

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise PolicyError("a rule needs a name")
        if self.start not in EVENTS:
            raise PolicyError(f"rule {self.name!r}: start must be one of {', '.join(EVENTS)}, not {self.start!r}")
        if self.unit not in UNITS:
            raise PolicyError(f"rule {self.name!r}: unit must be working or calendar, not {self.unit!r}")
        if not isinstance(self.days, int) or isinstance(self.days, bool) or not 0 <= self.days <= 3650:
            raise PolicyError(f"rule {self.name!r}: days must be a whole number from 0 to 3650, not {self.days!r}")

    @classmethod
    def from_mapping(cls, data: dict) -> Rule:
        """A rule from a TOML/JSON table or a Settings row (keys name, start, days, unit, milestone)."""
        missing = {"name", "start", "days", "unit", "milestone"} - set(data)
        if missing:
            raise PolicyError(f"rule {data.get('name', '?')!r} is missing {', '.join(sorted(missing))}")
        milestone = str(data["milestone"]).strip().upper().replace(" ", "_").replace("-", "_")
        if milestone not in Milestone.__members__ or milestone in ("PLACED", "PAID"):
            raise PolicyError(
                f"rule {data['name']!r}: milestone must be awaiting collection, in transit or delivered, "
                f"not {data['milestone']!r}"
            )
        days = data["days"]
        if isinstance(days, float) and days.is_integer():
            days = int(days)
        return cls(str(data["name"]).strip(), str(data["start"]).strip().lower(), days,
                   str(data["unit"]).strip().lower(), Milestone[milestone])

    def as_mapping(self) -> dict:
        return {"name": self.name, "start": self.start, "days": self.days, "unit": self.unit,
                "milestone": self.milestone.label}


@dataclass(frozen=True)
class Policy:
    """A named list of rules; the ship-by rule is the first one whose clock is the order."""

    name: str
    rules: tuple[Rule, ...]
    source: str = ""

    def __post_init__(self) -> None:
        if not self.rules:
            raise PolicyError(f"policy {self.name!r} has no rules")
        names = [r.name for r in self.rules]
        if len(set(names)) != len(names):
            raise PolicyError(f"policy {self.name!r} names a rule twice")

    def rule(self, name: str) -> Rule:
        for r in self.rules:
            if r.name.lower() == name.strip().lower():
                return r
        raise PolicyError(f"policy {self.name!r} has no rule {name!r}: it has {', '.join(r.name for r in self.rules)}")

    @property
    def ship_by(self) -> Rule | None:
        """The rule reported as ``Ship-by deadline``: the first not started by the EDD."""
        return next((r for r in self.rules if r.start != "edd"), None)

    @property
    def delivery(self) -> Rule | None:
        """The rule reported as ``Delivery deadline``: the first started by the EDD."""
        return next((r for r in self.rules if r.start == "edd"), None)


STANDARD = Policy(
    "standard",
    (
        # Seller guide "TikTok's Automatic Order Cancellation: Scenarios You Need to Know" (2025-03-03).
        Rule("ship-by", "created", 7, "working", Milestone.IN_TRANSIT),
        Rule("delivery", "edd", 30, "calendar", Milestone.DELIVERED),
    ),
    "TikTok seller guide, 2025-03-03: In transit 7 working days after the order; delivered 30 days after the EDD",
)

US_OFFICIAL = Policy(
    "us-official",
    # US KB 8064131472115499 / Fulfillment Policy KB 3995852763301633 (2025-10-23): tracking uploaded
    # ("Awaiting collection") within 7 business days of the order date.
    (Rule("ship-by", "created", 7, "working", Milestone.AWAITING_COLLECTION),),
    "TikTok US Fulfillment Policy, 2025-10-23: Awaiting collection 7 business days after the order",
)

SEA_TIKTOK_SHIPPING = Policy(
    "sea-tiktok-shipping",
    (
        # TH KB 6837799362201346, VN KB 2898390371550978 / 7261258355672849 (from 2024-08-26).
        Rule("ship-by", "created", 2, "working", Milestone.AWAITING_COLLECTION),
        Rule("collection", "created", 3, "working", Milestone.IN_TRANSIT),
    ),
    "TikTok TH/VN, Shipped by TikTok (2024-08-26): Awaiting collection by the 2nd working day, "
    "in transit by the 3rd",
)

PRESETS: dict[str, Policy] = {p.name: p for p in (STANDARD, US_OFFICIAL, SEA_TIKTOK_SHIPPING)}


def get_policy(name: str) -> Policy:
    """A built-in policy by name."""
    try:
        return PRESETS[name.strip().lower()]
    except KeyError:
        raise PolicyError(f"unknown policy {name!r}: use one of {', '.join(PRESETS)} or --policy-file") from None


def load_policy_file(path: Path) -> Policy:
    """A policy from TOML or JSON: ``name = "..."`` and a list ``[[rule]]`` / ``"rules": [...]``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read the policy file ({exc.strerror or exc})") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"{path}: not valid {'JSON' if path.suffix.lower() == '.json' else 'TOML'}: {exc}") from None
    rules = data.get("rules", data.get("rule"))
    if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
        raise PolicyError(f"{path}: expected a list of rules ([[rule]] in TOML, \"rules\": [...] in JSON)")
    try:
        return Policy(str(data.get("name", path.stem)), tuple(Rule.from_mapping(r) for r in rules), str(path))
    except PolicyError as exc:
        raise PolicyError(f"{path}: {exc}") from None
