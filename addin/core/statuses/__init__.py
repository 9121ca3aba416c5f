"""Order statuses in every language Seller Center writes them, as data: one module per language.

``Order Status`` and ``Order Substatus`` come in the seller's interface language. Each module keeps
one language's spellings with their source, split into seen / documented / translated (see
``base.Language``), the way python-holidays keeps a country. A seller adds their own spelling in
the workbook's Statuses table or the policy file's ``[statuses]``; ``parse_seller_statuses`` checks it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...errors import AutocancelError
from . import (
    chinese,
    english,
    french,
    german,
    indonesian,
    italian,
    japanese,
    malay,
    portuguese,
    spanish,
    thai,
    vietnamese,
)
from .base import BY_NAME, CANCELLED, CANONICAL, UNPAID, Canonical, Language, status_key

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = [
    "BY_NAME",
    "CANCELLED",
    "CANONICAL",
    "LANGUAGES",
    "SPELLINGS",
    "UNPAID",
    "Canonical",
    "Language",
    "StatusError",
    "languages_of",
    "lookup",
    "parse_seller_statuses",
    "status_key",
]

LANGUAGES: tuple[Language, ...] = tuple(
    m.LANGUAGE
    for m in (
        english,
        vietnamese,
        thai,
        indonesian,
        malay,
        spanish,
        portuguese,
        japanese,
        german,
        french,
        italian,
        chinese,
    )
)


def _merge(languages: Iterable[Language]) -> tuple[dict[str, str], dict[str, tuple[Language, ...]]]:
    spellings: dict[str, str] = {}
    where: dict[str, tuple[Language, ...]] = {}
    for language in languages:
        for key, name in language.spellings().items():
            if spellings.setdefault(key, name) != name:  # e.g. Malay and Indonesian must agree on "Selesai"
                raise ValueError(f"status {key!r}: {name!r} in {language.name}, {spellings[key]!r} elsewhere")
            where[key] = (*where.get(key, ()), language)
    return spellings, where


#: Every known spelling (by ``status_key``) -> canonical name, and the languages that write it.
SPELLINGS, _LANGUAGES_OF = _merge(LANGUAGES)


class StatusError(AutocancelError):
    """A seller's own status spelling that cannot be used."""


def parse_seller_statuses(pairs: Iterable[tuple[str, str]], where: str) -> dict[str, str]:
    """The seller's (their text, canonical name) pairs as spelling key -> canonical name.

    Canonical names are matched without case; ``where`` names the table or file in the message.
    """
    allowed = ", ".join(c.name for c in CANONICAL)
    out: dict[str, str] = {}
    for text, name in pairs:
        canonical = BY_NAME.get(" ".join(str(name).split()).lower())
        key = status_key(text)
        if not key:
            raise StatusError(f"{where}: a status spelling is empty (mapped to {name!r})")
        if canonical is None:
            raise StatusError(f"{where}: {text!r} -> {name!r}: the status must be one of {allowed}")
        if out.setdefault(key, canonical.name) != canonical.name:
            raise StatusError(f"{where}: {text!r} is given twice, as {out[key]!r} and {canonical.name!r}")
    return out


def lookup(text: object, own: Mapping[str, str] | None = None) -> Canonical | None:
    """What a status or substatus cell means (the seller's own spelling first); None when unknown."""
    key = status_key(text)
    name = (own or {}).get(key) or SPELLINGS.get(key)
    return BY_NAME[name.lower()] if name else None


def languages_of(text: object) -> tuple[Language, ...]:
    """The languages whose tables hold this spelling (Malay and Indonesian share some)."""
    return _LANGUAGES_OF.get(status_key(text), ())
