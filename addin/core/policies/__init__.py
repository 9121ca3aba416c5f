"""Each market's rules as TikTok states them, one module per region (as python-holidays keeps a country).

A market's ``MarketRules`` holds its default policy (the deadlines), how TikTok computes its
seller-fault cancellation rate there (window, the lines and what crossing them costs), the late
dispatch target, and what is not verified. Sources: TikTok Seller University KB numbers, listed in
docs/rules.md; a rule with only a third-party source says so.
"""

from __future__ import annotations

from ..rules import Policy, PolicyError
from .base import MarketRules, Threshold
from .sea import ID, SEA, TH, VN
from .sea import MARKETS as _SEA
from .seed import MARKETS as _SEED
from .seed import STANDARD, STANDARD_SHIP_BY, UK
from .us import MARKETS as _US
from .us import US

#: Market code -> its rules (every market of addin.core.markets).
MARKET_RULES: dict[str, MarketRules] = {**_SEED, **_SEA, **_US}

#: Every built-in policy by name, for ``--policy`` and the Settings sheet.
PRESETS: dict[str, Policy] = {p.name: p for p in (STANDARD, STANDARD_SHIP_BY, UK, US, TH, VN, ID, SEA)}


def market_rules(code: str) -> MarketRules:
    """The rules of a market code such as "US" or "GB-SCT" (a region follows its country)."""
    return MARKET_RULES[code.partition("-")[0].upper()]


def get_policy(name: str) -> Policy:
    """A built-in policy by name."""
    try:
        return PRESETS[name.strip().lower()]
    except KeyError:
        raise PolicyError(f"unknown policy {name!r}: use one of {', '.join(PRESETS)} or --policy-file") from None


__all__ = ["MARKET_RULES", "PRESETS", "STANDARD", "MarketRules", "Threshold", "get_policy", "market_rules"]
