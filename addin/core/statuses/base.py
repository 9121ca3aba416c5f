"""What a status means, and how one language's table of spellings is kept (python-holidays style)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from ..rules import Milestone

__all__ = [
    "BY_NAME",
    "CANCELLED",
    "CANONICAL",
    "COMPLETED",
    "ON_HOLD",
    "SHIPPED",
    "TO_SHIP",
    "UNPAID",
    "Canonical",
    "Language",
    "status_key",
]

# The order's status group (``Orders.status``); the assessment tests these two by name.
CANCELLED, UNPAID = "Cancelled", "Unpaid"
ON_HOLD, TO_SHIP, SHIPPED, COMPLETED = "On hold", "To ship", "Shipped", "Completed"


@dataclass(frozen=True)
class Canonical:
    """One of the statuses a spelling (TikTok's or the seller's) can mean."""

    name: str  # what a seller writes in the Statuses table
    status: str  # the order's status group
    milestone: Milestone  # how far an order in this status has got


#: The names a seller may map a spelling to, in the order an order moves through them.
CANONICAL: tuple[Canonical, ...] = (
    Canonical("Unpaid", UNPAID, Milestone.PLACED),
    Canonical("On hold", ON_HOLD, Milestone.PAID),
    Canonical("To ship", TO_SHIP, Milestone.PAID),
    Canonical("Awaiting shipment", TO_SHIP, Milestone.PAID),
    Canonical("Awaiting collection", TO_SHIP, Milestone.AWAITING_COLLECTION),
    Canonical("In transit", SHIPPED, Milestone.IN_TRANSIT),
    Canonical("Delivered", COMPLETED, Milestone.DELIVERED),
    Canonical("Completed", COMPLETED, Milestone.DELIVERED),
    Canonical("Cancelled", CANCELLED, Milestone.PLACED),
)
BY_NAME: dict[str, Canonical] = {c.name.lower(): c for c in CANONICAL}


def status_key(text: object) -> str:
    """A status compared as a reader would: any case, spacing, Unicode form; ``IN_TRANSIT`` == "In transit"."""
    folded = unicodedata.normalize("NFC", str(text)).casefold().replace("_", " ")
    return " ".join(folded.split())


@dataclass(frozen=True)
class Language:
    """The spellings of one interface language, split by how sure we are of each.

    ``seen``: in real exports or in other projects' code reading them (issue 8, docs/rules.md).
    ``documented``: in TikTok's own pages (Seller University, Partner API) or copies of them.
    ``translated``: our best translation of the English status, not yet seen in an export.
    """

    code: str  # ISO 639-1
    name: str
    markets: tuple[str, ...]  # markets whose Seller Center writes this language; () = no evidence of one
    sources: str
    seen: dict[str, str] = field(default_factory=dict)  # spelling -> canonical name
    documented: dict[str, str] = field(default_factory=dict)
    translated: dict[str, str] = field(default_factory=dict)

    def spellings(self) -> dict[str, str]:
        """Every spelling (by ``status_key``) -> canonical name; a spelling in two tiers must agree."""
        out: dict[str, str] = {}
        for table in (self.seen, self.documented, self.translated):
            for text, name in table.items():
                key = status_key(text)
                if BY_NAME.get(name.lower()) is None or out.setdefault(key, name) != name:
                    raise ValueError(f"{self.name} status table: {text!r} -> {name!r}")
        return out
