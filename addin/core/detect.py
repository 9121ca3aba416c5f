"""Which market an export comes from, found from its own cells: no I/O, only what the file says.

Evidence, strongest first: the buyers' ``Country``, their phone prefixes, the currency before the
amounts, the language of the statuses, tell-tale columns of a market's layout; dates that can only
be day-first rule out the month-first markets. A market given by the seller always wins; when the
file clearly says another, the seller is told once.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .columns import distinct_text
from .export import Export, header_key
from .markets import MARKETS, Market, get_market
from .statuses import languages_of

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = [
    "COUNTRIES",
    "CURRENCIES",
    "DEFAULT",
    "LAYOUT",
    "PHONE_CODES",
    "Detection",
    "MarketChoice",
    "choose_market",
    "detect",
]

DEFAULT = "US"

#: Country values as Seller Center writes them (in the seller's language) or buyers' English names.
COUNTRIES: dict[str, str] = {
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "us": "US",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "ireland": "IE",
    "việt nam": "VN",
    "vietnam": "VN",
    "viet nam": "VN",
    "ไทย": "TH",
    "ประเทศไทย": "TH",
    "thailand": "TH",
    "indonesia": "ID",
    "malaysia": "MY",
    "philippines": "PH",
    "pilipinas": "PH",
    "singapore": "SG",
    "mexico": "MX",
    "méxico": "MX",
    "brasil": "BR",
    "brazil": "BR",
    "japan": "JP",
    "日本": "JP",
    "germany": "DE",
    "deutschland": "DE",
    "france": "FR",
    "italy": "IT",
    "italia": "IT",
    "spain": "ES",
    "españa": "ES",
}
#: Calling codes in the export's masked phones, e.g. ``(+66)81*****12``.
PHONE_CODES: dict[str, str] = {
    "1": "US",
    "44": "GB",
    "353": "IE",
    "84": "VN",
    "66": "TH",
    "62": "ID",
    "60": "MY",
    "63": "PH",
    "65": "SG",
    "52": "MX",
    "55": "BR",
    "81": "JP",
    "49": "DE",
    "33": "FR",
    "39": "IT",
    "34": "ES",
}
#: Currency prefixes of amounts (``MYR 0.00``, ``BRL 35,91``); the US and VN write plain numbers.
CURRENCIES: dict[str, tuple[str, ...]] = {
    "USD": ("US",),
    "GBP": ("GB",),
    "VND": ("VN",),
    "THB": ("TH",),
    "IDR": ("ID",),
    "MYR": ("MY",),
    "PHP": ("PH",),
    "SGD": ("SG",),
    "MXN": ("MX",),
    "BRL": ("BR",),
    "JPY": ("JP",),
    "EUR": ("DE", "FR", "IT", "ES", "IE"),
}
#: Columns only one market's layout has (docs/rules.md section 6), by ``header_key``.
LAYOUT: dict[str, str] = {
    "commune": "VN",
    "checkedstatus": "VN",
    "checkedmarkedby": "VN",
    "regencyandcity": "ID",
    "villages": "ID",
    "purchasechannel": "ID",
    "dynamiccommission": "ID",
    "smallorderfee": "TH",
    "requesttaxinvoice": "TH",
}
# How much each kind of evidence weighs when all rows agree.
_WEIGHTS = {"country": 3.0, "phone": 3.0, "currency": 2.0, "statuses": 2.0, "layout": 1.0}
_STRONG = ("country", "phone", "currency")
_PHONE = re.compile(r"^\s*\(?\+\s*(\d{1,3})")
_MONEY = re.compile(r"^\s*([A-Z]{3})\s*[-\d.,]")
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}")
_SAMPLE = 5000  # dates looked at for their order
_MONTHS = 12  # a first or middle field over this can only be a day


@dataclass(frozen=True)
class Detection:
    """The market the file points to (None when it does not say), and why in words."""

    market: str | None
    reason: str  # "Country 'ไทย' on 27 of 27 rows, phone +66, statuses in Thai"
    strong: bool  # Country, phone or currency say it, not only the layout or the language


@dataclass(frozen=True)
class MarketChoice:
    """The market a run uses, the line saying why, and a warning when the file disagrees."""

    market: Market
    reason: str  # "market TH: Country 'ไทย' on 27 of 27 rows, phone +66"
    warning: str | None = None


#: One piece of evidence: its kind (a key of _WEIGHTS), the markets it points to, the share of
#: rows that show it, and the words the reason gives.
Evidence = tuple[str, tuple[str, ...], float, str]


def detect(export: Export) -> Detection:
    """The market an export's own cells point to."""
    votes: dict[str, float] = defaultdict(float)
    said: dict[str, list[tuple[str, str]]] = defaultdict(list)  # market -> (kind, words)
    for kind, markets, share, words in (*_cells_say(export), *_statuses_say(export), *_layout_says(export)):
        for m in markets:
            votes[m] += _WEIGHTS[kind] * share / len(markets)
            said[m].append((kind, words))
    if _only_day_first(export.column("created")):
        for code in list(votes):
            if not MARKETS[code].day_first:
                votes[code] = 0.0  # a 25/11 date cannot be month-first

    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 1.0:
        return Detection(None, "nothing in the file says which market it is from", strong=False)
    best, score = ranked[0]
    if len(ranked) > 1 and ranked[1][1] == score:
        tied = " or ".join(code for code, s in ranked if s == score)
        return Detection(None, f"the file could be {tied} ({', '.join(w for _, w in said[best])})", strong=False)
    words = ", ".join(dict.fromkeys(w for _, w in said[best]))
    return Detection(best, words, strong=any(kind in _STRONG for kind, _ in said[best]))


def _cells_say(export: Export) -> list[Evidence]:
    """What the Country, phone and amount cells say."""
    n_rows = len(export.rows)
    out: list[Evidence] = []
    for value, count, total in _tally(export.column("country")):
        market = COUNTRIES.get(" ".join(value.casefold().split()))
        if market:
            out.append(("country", (market,), count / total, f"Country {value!r} on {count} of {n_rows} rows"))
    for code, count, total in _counted(export.column("phone"), _phone_code):
        out.append(("phone", (PHONE_CODES[code],), count / total, f"phone +{code}"))
    for currency, count, total in _counted(export.column("order_amount"), _currency):
        out.append(("currency", CURRENCIES[currency], count / total, f"amounts in {currency}"))
    return out


def _statuses_say(export: Export) -> list[Evidence]:
    """The languages the statuses are written in, by the share of status cells in each."""
    language_rows: Counter[tuple[str, tuple[str, ...]]] = Counter()  # (name, markets) -> cells
    status_rows = 0
    for field in ("status", "substatus"):
        for value, count, _ in _tally(export.column(field)):
            status_rows += count
            for language in languages_of(value):
                if language.markets:
                    language_rows[language.name, language.markets] += count
    return [
        ("statuses", markets, count / status_rows, f"statuses in {name}")
        for (name, markets), count in language_rows.items()
    ]


def _layout_says(export: Export) -> list[Evidence]:
    """Columns only one market's export has."""
    tells: dict[str, list[str]] = defaultdict(list)
    for header in export.headers:
        if header_key(header) in LAYOUT:
            tells[LAYOUT[header_key(header)]].append(header)
    return [
        ("layout", (market,), min(1.0, len(headers) / 2), f"column{'s' * (len(headers) > 1)} {', '.join(headers)}")
        for market, headers in tells.items()
    ]


def choose_market(export: Export, given: str | Market | None) -> MarketChoice:
    """The market to count on: the one given, else the one the file says, else the default (US)."""
    found = detect(export)
    if given is not None:
        market = given if isinstance(given, Market) else get_market(given)
        base = market.code.split("-")[0]
        warning = None
        if found.market and found.strong and found.market != base:
            warning = (
                f"market {market.code} was given, but the file looks like {found.market} "
                f"({found.reason}); counting on {market.code}"
            )
        return MarketChoice(market, f"market {market.code}: given", warning)
    if found.market:
        return MarketChoice(get_market(found.market), f"market {found.market}: {found.reason}")
    return MarketChoice(
        get_market(DEFAULT), f"market {DEFAULT} (the default): {found.reason}; give the market if it is not {DEFAULT}"
    )


def _tally(values: Sequence[object] | None) -> list[tuple[str, int, int]]:
    """(text, rows, non-blank rows) for each distinct non-blank cell, most rows first."""
    if values is None:
        return []
    texts, codes = distinct_text(values, len(values))
    rows = np.bincount(codes, minlength=len(texts)).tolist()
    counts = sorted(((t, c) for t, c in zip(texts, rows, strict=True) if t), key=lambda tc: -tc[1])
    total = sum(c for _, c in counts)
    return [(text, count, total) for text, count in counts]


def _counted(values: Sequence[object] | None, key: Callable[[str], str | None]) -> list[tuple[str, int, int]]:
    """Rows per key (phone code, currency) over the non-blank cells."""
    tally = _tally(values)
    counts: Counter[str] = Counter()
    for text, count, _ in tally:
        k = key(text)
        if k:
            counts[k] += count
    return [(k, c, tally[0][2]) for k, c in counts.most_common()]


def _phone_code(text: str) -> str | None:
    m = _PHONE.match(text)
    if not m:
        return None
    digits = m.group(1)
    return next((digits[:k] for k in (3, 2, 1) if digits[:k] in PHONE_CODES), None)


def _currency(text: str) -> str | None:
    m = _MONEY.match(text)
    return m.group(1) if m and m.group(1) in CURRENCIES else None


def _only_day_first(values: Sequence[object] | None) -> bool:
    """Some dates can only be day-first (25/11/2025) and none only month-first (11/25/2025)."""
    if values is None:
        return False
    day_first = month_first = False
    for v in values[:_SAMPLE]:
        m = _DAY_FIRST.match(str(v))
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            day_first |= a > _MONTHS >= b
            month_first |= b > _MONTHS >= a
    return day_first and not month_first
