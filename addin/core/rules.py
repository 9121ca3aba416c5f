"""Cancellation rules as data: a policy is a list of deadlines an order must beat.

A rule says which event starts the clock, how many working or calendar days run, and which
milestone the order must reach before the time is up; optionally which orders it applies to
(order type, fulfilment, shipping type, SKUs with a handling time, order dates) and whether
TikTok cancels (``cancel``) or only penalises the shop (``warn``). Sellers change or add rules
in a TOML/JSON file (``--policy-file``) or in the workbook's Settings sheet, never in code: both
go through ``Rule.from_mapping`` / ``policy_from_mapping``, so an unknown key or value is an
error naming it. This module does no I/O (reading the file is ``policy_file``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from ..errors import AutocancelError
from .columns import is_blank

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

__all__ = [
    "DISPATCH",
    "EVENTS",
    "FULFILMENTS",
    "KINDS",
    "MAX_EXTENSION_DAYS",
    "MAX_HANDLING_DAYS",
    "MAX_RULE_DAYS",
    "ORDER_TYPES",
    "SHIPPING",
    "UNITS",
    "Extension",
    "Milestone",
    "Policy",
    "PolicyError",
    "Rule",
    "as_date",
    "handling_times_from_mapping",
    "policy_from_mapping",
]


class Milestone(IntEnum):
    """How far an order has got, in the order TikTok's statuses move."""

    PLACED = 0
    PAID = 1
    AWAITING_COLLECTION = 2  # tracking uploaded / ready to ship
    IN_TRANSIT = 3
    DELIVERED = 4

    @property
    def label(self) -> str:
        """The milestone as a seller reads it: "Awaiting collection"."""
        return self.name.replace("_", " ").capitalize()


#: Events that can start a rule's clock, and the column of the export that holds each.
#: ``column`` is a column the seller adds (e.g. a pre-order's expected ship date), named by the rule.
EVENTS = {
    "created": "Created Time",
    "paid": "Paid Time",
    "rts": "RTS Time",
    "shipped": "Shipped Time",
    "edd": "Estimated Delivery Date",
    "column": "a column of your own",
}
UNITS = ("working", "calendar")
#: cancel: TikTok cancels the order (only these make a Risk Overdue, Due today or At risk);
#: warn: TikTok penalises the shop or lets the buyer ask for a refund, but does not cancel.
KINDS = ("cancel", "warn")
#: Values of the optional conditions, as written in a policy file or the Settings sheet.
ORDER_TYPES = ("normal", "pre-order", "any")
FULFILMENTS = ("seller", "tiktok", "any")
SHIPPING = ("tiktok", "seller")
#: The warn rule shown in the ``Dispatch by`` column and counted by the late dispatch rate.
DISPATCH = "dispatch"
#: The longest a rule, an extension and a SKU's handling time can run, in days (longer is a typo).
MAX_RULE_DAYS, MAX_EXTENSION_DAYS, MAX_HANDLING_DAYS = 3650, 365, 60
#: The keys every rule has; the others are conditions.
_REQUIRED_KEYS = ("name", "start", "days", "unit", "milestone")


class PolicyError(AutocancelError):
    """A rule or policy that cannot be used, with what is wrong."""


@dataclass(frozen=True)
class Rule:
    """One deadline: ``start`` event + ``days`` (working or calendar) must see ``milestone``.

    Conditions narrow the orders it applies to; None means any. A rule applies to normal orders the
    seller fulfils unless ``order_type`` / ``fulfillment`` say otherwise: a pre-order on the normal
    clock would be a false Overdue, and TikTok ships its FBT orders itself. Several rules may share a
    name (versions by date or by kind of order): each order gets the most specific one that applies.
    ``handling_time`` True: the days run after the SKU's handling time (US made-to-order); False:
    only SKUs without one. ``orders_from``/``orders_to`` bound the order date when TikTok changed a
    rule on a date.
    """

    name: str
    start: str
    days: int
    unit: str
    milestone: Milestone
    kind: str = "cancel"
    order_type: str = "normal"
    fulfillment: str = "seller"
    shipping: str | None = None
    handling_time: bool | None = None
    column: str | None = None  # header of the seller's column when start is "column"
    orders_from: dt.date | None = None
    orders_to: dt.date | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise PolicyError("a rule needs a name")
        checks = (
            ("start", self.start, tuple(EVENTS)),
            ("unit", self.unit, UNITS),
            ("kind", self.kind, KINDS),
            ("order_type", self.order_type, ORDER_TYPES),
            ("fulfillment", self.fulfillment, FULFILMENTS),
            ("shipping", self.shipping, (None, *SHIPPING)),
        )
        for key, value, allowed in checks:
            if value not in allowed:
                shown = ", ".join(a for a in allowed if a is not None)
                raise PolicyError(f"rule {self.name!r}: {key} must be one of {shown}, not {value!r}")
        if not isinstance(self.days, int) or isinstance(self.days, bool) or not 0 <= self.days <= MAX_RULE_DAYS:
            raise PolicyError(
                f"rule {self.name!r}: days must be a whole number from 0 to {MAX_RULE_DAYS}, not {self.days!r}"
            )
        if (self.start == "column") != bool(self.column and self.column.strip()):
            raise PolicyError(f'rule {self.name!r}: column names your own column exactly when start is "column"')
        if self.orders_from and self.orders_to and self.orders_from > self.orders_to:
            raise PolicyError(f"rule {self.name!r}: orders_from {self.orders_from} is after orders_to {self.orders_to}")

    @property
    def start_label(self) -> str:
        """The column the clock starts from, as the seller sees it."""
        return self.column if self.start == "column" and self.column else EVENTS[self.start]

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Rule:
        """A rule from a TOML/JSON table or a Settings row; blank optional cells mean "any"."""
        name = data.get("name", "?")
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise PolicyError(
                f"rule {name!r}: unknown key {', '.join(sorted(map(str, unknown)))} "
                f"(keys: {', '.join(f.name for f in fields(cls))})"
            )
        missing = set(_REQUIRED_KEYS) - {k for k, v in data.items() if not is_blank(v)}
        if missing:
            raise PolicyError(f"rule {name!r} is missing {', '.join(sorted(missing))}")
        milestone = str(data["milestone"]).strip().upper().replace(" ", "_").replace("-", "_")
        if milestone not in Milestone.__members__ or milestone in ("PLACED", "PAID"):
            raise PolicyError(
                f"rule {name!r}: milestone must be awaiting collection, in transit or delivered, "
                f"not {data['milestone']!r}"
            )
        days = _whole(data["days"])
        if days is None:
            raise PolicyError(
                f"rule {name!r}: days must be a whole number from 0 to {MAX_RULE_DAYS}, not {data['days']!r}"
            )
        return cls(
            str(data["name"]).strip(),
            str(data["start"]).strip().lower(),
            days,
            str(data["unit"]).strip().lower(),
            Milestone[milestone],
            **_conditions(data, f"rule {name!r}"),
        )

    def as_mapping(self) -> dict[str, object]:
        """The rule as a policy-file table: the five keys every rule has, then its conditions."""
        out: dict[str, object] = {
            "name": self.name,
            "start": self.start,
            "days": self.days,
            "unit": self.unit,
            "milestone": self.milestone.label,
        }
        for f in fields(self)[5:]:
            value = getattr(self, f.name)
            if value != f.default:
                out[f.name] = value.isoformat() if isinstance(value, dt.date) else value
        return out


@dataclass(frozen=True)
class Extension:
    """A deadline extension TikTok announced, keyed by the order's creation date.

    Orders created from ``orders_from`` to ``orders_to`` get ``days`` more working days on every
    rule not started by the EDD, or until ``until`` (a fixed date: "orders placed 29 Apr-3 May ship
    by 6 May"), whichever is later.
    """

    orders_from: dt.date
    orders_to: dt.date
    days: int = 0
    until: dt.date | None = None

    def __post_init__(self) -> None:
        if self.orders_from > self.orders_to:
            raise PolicyError(f"extension: orders_from {self.orders_from} is after orders_to {self.orders_to}")
        if not isinstance(self.days, int) or isinstance(self.days, bool) or not 0 <= self.days <= MAX_EXTENSION_DAYS:
            raise PolicyError(
                f"extension from {self.orders_from}: days must be a whole number from 0 to {MAX_EXTENSION_DAYS}"
            )
        if not self.days and self.until is None:
            raise PolicyError(f"extension from {self.orders_from}: give days or until")

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Extension:
        """An extension from a TOML/JSON table or a workbook row (orders_from, orders_to, days or until)."""
        keys = ("orders_from", "orders_to", "days", "until")
        unknown = set(data) - set(keys)
        if unknown:
            raise PolicyError(
                f"extension: unknown key {', '.join(sorted(map(str, unknown)))} (keys: {', '.join(keys)})"
            )
        missing = [k for k in keys[:2] if is_blank(data.get(k))]
        if missing:
            raise PolicyError(f"extension is missing {', '.join(missing)}")
        orders_from = as_date(data["orders_from"], "extension: orders_from")
        days = 0 if is_blank(data.get("days")) else _whole(data.get("days"))
        if days is None:
            raise PolicyError(
                f"extension from {orders_from}: days must be a whole number from 0 to {MAX_EXTENSION_DAYS}"
            )
        until = None if is_blank(data.get("until")) else as_date(data["until"], "extension: until")
        return cls(orders_from, as_date(data["orders_to"], "extension: orders_to"), days, until)


@dataclass(frozen=True)
class Policy:
    """A named list of rules, with where they come from.

    ``statuses`` are the seller's own status spellings from a policy file's ``[statuses]`` table
    (their text, canonical name); ``extensions`` TikTok's announced deadline extensions;
    ``handling_times`` the ``[handling_time]`` table (Seller SKU, business days).
    """

    name: str
    rules: tuple[Rule, ...]
    source: str = ""
    extensions: tuple[Extension, ...] = ()
    statuses: tuple[tuple[str, str], ...] = ()
    handling_times: tuple[tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        if not self.rules:
            raise PolicyError(f"policy {self.name!r} has no rules")
        kinds: dict[str, str] = {}
        for r in self.rules:
            if kinds.setdefault(r.name.lower(), r.kind) != r.kind:
                raise PolicyError(
                    f"policy {self.name!r}: the versions of rule {r.name!r} must all be cancel or all warn"
                )
        seen = [
            (r.name.lower(), r.order_type, r.fulfillment, r.shipping, r.handling_time, r.orders_from, r.orders_to)
            for r in self.rules
        ]
        if len(set(seen)) != len(seen):
            raise PolicyError(f"policy {self.name!r} names a rule twice for the same orders")

    def rule(self, name: str) -> Rule:
        """The (first) rule of that name, compared without case; PolicyError naming the rules there are."""
        for r in self.rules:
            if r.name.lower() == name.strip().lower():
                return r
        raise PolicyError(f"policy {self.name!r} has no rule {name!r}: it has {', '.join(r.name for r in self.rules)}")

    @property
    def ship_by(self) -> Rule | None:
        """The rule every normal order gets as ``Ship-by deadline``: the first unconditional cancel rule."""
        return next((r for r in self._plain() if r.milestone < Milestone.DELIVERED), None)

    @property
    def delivery(self) -> Rule | None:
        """The rule every normal order gets as ``Delivery deadline``."""
        return next((r for r in self._plain() if r.milestone == Milestone.DELIVERED), None)

    def _plain(self) -> Iterator[Rule]:
        return (
            r
            for r in self.rules
            if r.kind == "cancel"
            and r.order_type != "pre-order"
            and r.fulfillment != "tiktok"
            and r.shipping is None
            and r.handling_time is None
            and r.orders_from is None
            and r.orders_to is None
        )

    @property
    def columns(self) -> tuple[str, ...]:
        """The seller's own columns the rules start from (e.g. a pre-order's expected ship date)."""
        return tuple(dict.fromkeys(r.column for r in self.rules if r.column))


def policy_from_mapping(data: object, default_name: str, source: str) -> Policy:
    """A policy from a parsed TOML/JSON document; unknown top-level keys are errors that name them.

    The keys: ``name``, ``[[rule]]``/``rules``, ``[[extension]]``, ``[statuses]``, ``[handling_time]``.
    """
    if not isinstance(data, dict):
        raise PolicyError(f"expected a table of name, rules, extensions and statuses, not a {type(data).__name__}")
    allowed = ("name", "rule", "rules", "extension", "extensions", "statuses", "handling_time")
    unknown = set(data) - set(allowed)
    if unknown:
        raise PolicyError(
            f"unknown key {', '.join(sorted(map(str, unknown)))} (keys: name, rule, extension, statuses, handling_time)"
        )
    rules = data.get("rules", data.get("rule"))
    if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
        raise PolicyError('expected a list of rules ([[rule]] in TOML, "rules": [...] in JSON)')
    extensions = data.get("extensions", data.get("extension", []))
    if not isinstance(extensions, list) or not all(isinstance(e, dict) for e in extensions):
        raise PolicyError("extension must be a list of tables ([[extension]] in TOML)")
    statuses = data.get("statuses", {})
    if not isinstance(statuses, dict) or not all(isinstance(v, str) for v in statuses.values()):
        raise PolicyError("statuses must be a table of your status text = the status it means")
    return Policy(
        str(data.get("name", default_name)),
        tuple(Rule.from_mapping(r) for r in rules),
        source,
        tuple(Extension.from_mapping(e) for e in extensions),
        tuple((str(k), v.strip()) for k, v in statuses.items()),
        handling_times_from_mapping(data.get("handling_time", {}), "handling_time"),
    )


def handling_times_from_mapping(data: object, where: str) -> tuple[tuple[str, int], ...]:
    """A ``Handling time`` table (Seller SKU -> business days) from a policy file or workbook rows."""
    if not isinstance(data, dict):
        raise PolicyError(f"{where}: expected a table of Seller SKU = handling days")
    out = []
    for sku, value in data.items():
        days = _whole(value)
        if days is None or not 0 <= days <= MAX_HANDLING_DAYS:
            raise PolicyError(
                f"{where}: handling time of {sku!r} must be 0 to {MAX_HANDLING_DAYS} business days, not {value!r}"
            )
        out.append((str(sku).strip(), days))
    return tuple(out)


def as_date(value: object, what: str) -> dt.date:
    """A date from a TOML date, an ISO text or a spreadsheet date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise PolicyError(f"{what}: {value!r} is not a date like 2026-01-26") from None


def _flag(value: object, what: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "true", "1"):
        return True
    if text in ("no", "false", "0"):
        return False
    raise PolicyError(f"{what} must be yes or no, not {value!r}")


def _whole(value: object) -> int | None:
    """A whole number as a policy file or a spreadsheet writes it (7, or 7.0 from a cell); None if it is not one."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _conditions(data: Mapping[str, object], what: str) -> dict[str, Any]:
    """A rule's optional keys as Rule takes them: lower-case choices, yes/no flags, dates; blanks left out."""
    optional = {k: v for k, v in data.items() if k not in _REQUIRED_KEYS and not is_blank(v)}
    out: dict[str, Any] = {}
    for key, value in optional.items():
        if key in ("kind", "order_type", "fulfillment", "shipping"):
            out[key] = str(value).strip().lower().replace("preorder", "pre-order")
        elif key == "handling_time":
            out[key] = _flag(value, f"{what}: handling_time")
        elif key in ("orders_from", "orders_to"):
            out[key] = as_date(value, f"{what}: {key}")
        elif key == "column":
            out[key] = str(value).strip()
        else:
            out[key] = value
    return out
