"""The markets TikTok Shop sells in: weekend, public-holiday source, clock, date order.

Each market is data, in the spirit of python-holidays: adding one is adding a row. Its cancellation
rules and rate lines are in ``addin.core.policies``. Sources are in docs/rules.md (KB numbers are
TikTok Seller University articles); what no TikTok page confirms is in ``unverified``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import holidays as holidays_lib

from ..errors import AutocancelError

if TYPE_CHECKING:
    import datetime as dt

__all__ = ["FRI_SAT", "MARKETS", "SAT_SUN", "SUNDAY_ONLY", "Market", "UnknownMarket", "get_market"]

#: Excel WORKDAY.INTL weekend strings: seven characters Monday..Sunday, "1" = not a working day.
SAT_SUN = "0000011"
SUNDAY_ONLY = "0000001"  # TikTok SEA: "a working day is Monday to Saturday" (KB 6024728339744528)
FRI_SAT = "0000110"


@dataclass(frozen=True)
class Market:
    """One market: how its working days and its export look."""

    code: str
    name: str
    weekend: str  # Excel WORKDAY.INTL weekend string
    timezone: str  # shop-local clock that decides "today"
    day_first: bool  # export dates DD/MM/YYYY (True) or MM/DD/YYYY (False) before the values say
    holiday_country: str  # python-holidays country code
    subdiv: str | None = None
    categories: tuple[str, ...] = ("public",)
    unverified: str = ""  # what about the market's calendar no TikTok page confirms ("" = sourced)

    def today(self, now: dt.datetime) -> dt.date:
        """The shop's local date at that moment (an aware time): TikTok counts days on the market's own clock."""
        return now.astimezone(ZoneInfo(self.timezone)).date()


_SEA_WEEK = "working week Monday to Saturday is TikTok VN's (KB 6024728339744528); no page for this market"
_NOT_RUNNING = "TikTok Shop not confirmed to run here (equalocean.com, 2024-04-08): working week assumed"

MARKETS: dict[str, Market] = {
    m.code: m
    for m in (
        Market("US", "United States", SAT_SUN, "America/Los_Angeles", day_first=False, holiday_country="US"),
        Market(
            "GB",
            "United Kingdom (England)",
            SAT_SUN,
            "Europe/London",
            day_first=True,
            holiday_country="GB",
            subdiv="ENG",
        ),
        Market("DE", "Germany", SAT_SUN, "Europe/Berlin", day_first=True, holiday_country="DE"),
        Market("FR", "France", SAT_SUN, "Europe/Paris", day_first=True, holiday_country="FR"),
        Market("IT", "Italy", SAT_SUN, "Europe/Rome", day_first=True, holiday_country="IT"),
        Market("ES", "Spain", SAT_SUN, "Europe/Madrid", day_first=True, holiday_country="ES"),
        Market("IE", "Ireland", SAT_SUN, "Europe/Dublin", day_first=True, holiday_country="IE"),
        Market("MX", "Mexico", SAT_SUN, "America/Mexico_City", day_first=True, holiday_country="MX"),
        Market("BR", "Brazil", SAT_SUN, "America/Sao_Paulo", day_first=False, holiday_country="BR"),
        Market("JP", "Japan", SAT_SUN, "Asia/Tokyo", day_first=False, holiday_country="JP"),
        # Indonesia: the government's joint-leave days (cuti bersama) close couriers too.
        Market(
            "ID",
            "Indonesia",
            SUNDAY_ONLY,
            "Asia/Jakarta",
            day_first=True,
            holiday_country="ID",
            categories=("public", "government"),
            unverified=_SEA_WEEK,
        ),
        Market(
            "MY",
            "Malaysia",
            SUNDAY_ONLY,
            "Asia/Kuala_Lumpur",
            day_first=True,
            holiday_country="MY",
            unverified=_SEA_WEEK,
        ),
        Market(
            "TH", "Thailand", SUNDAY_ONLY, "Asia/Bangkok", day_first=True, holiday_country="TH", unverified=_SEA_WEEK
        ),
        Market("VN", "Vietnam", SUNDAY_ONLY, "Asia/Ho_Chi_Minh", day_first=True, holiday_country="VN"),
        Market(
            "PH", "Philippines", SUNDAY_ONLY, "Asia/Manila", day_first=True, holiday_country="PH", unverified=_SEA_WEEK
        ),
        Market(
            "SG", "Singapore", SUNDAY_ONLY, "Asia/Singapore", day_first=True, holiday_country="SG", unverified=_SEA_WEEK
        ),
        Market(
            "SA", "Saudi Arabia", FRI_SAT, "Asia/Riyadh", day_first=True, holiday_country="SA", unverified=_NOT_RUNNING
        ),
        Market(
            "AE",
            "United Arab Emirates",
            SAT_SUN,
            "Asia/Dubai",
            day_first=True,
            holiday_country="AE",
            unverified=_NOT_RUNNING,
        ),
    )
}

#: Common ways sellers write a market that are not its ISO code.
_ALIASES = {"UK": "GB", "ENGLAND": "GB", "USA": "US", "UAE": "AE", "KSA": "SA"}


class UnknownMarket(AutocancelError):  # noqa: N818 - a public name every adapter catches
    """A market code we have no calendar for."""


def get_market(code: str) -> Market:
    """The market for a code such as "US", "gb" or "GB-SCT" (a region's own holidays).

    Aliases UK, USA, UAE, KSA are accepted.
    """
    key, _, region = str(code).strip().upper().partition("-")
    key = _ALIASES.get(key, key)
    try:
        market = MARKETS[key]
    except KeyError:
        raise UnknownMarket(f"unknown market {code!r}: use one of {', '.join(sorted(MARKETS))}") from None
    if not region:
        return market
    regions = holidays_lib.country_holidays(market.holiday_country).subdivisions
    if region not in regions:
        raise UnknownMarket(f"unknown region {region!r} of {key}: use one of {', '.join(regions)}")
    return replace(market, code=f"{key}-{region}", name=f"{market.name.split(' (')[0]} ({region})", subdiv=region)
