"""What a market's rules are made of: a default policy and TikTok's cancellation-rate lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..rules import Policy

__all__ = ["MarketRules", "Threshold"]


@dataclass(frozen=True)
class Threshold:
    """A line of the seller-fault cancellation rate and what crossing it costs the shop.

    ``at_or_above``: crossed at the rate itself ("10% or more"); otherwise only above it ("at most
    2.5%"). ``penalty`` False marks an aim with no stated sanction (amber, not red).
    """

    rate: float
    consequence: str
    at_or_above: bool = True
    penalty: bool = True

    def crossed(self, rate: float) -> bool:
        """Whether a rate is over this line (at it too, for an "or more" line)."""
        return rate >= self.rate if self.at_or_above else rate > self.rate


@dataclass(frozen=True)
class MarketRules:
    """One market's default policy and how TikTok judges its cancellation rate."""

    policy: Policy
    thresholds: tuple[Threshold, ...]  # lowest first; the first is the target the report shows
    rate_source: str
    window_days: int | None = None  # None: TikTok states no window, the whole file is counted
    window_note: str = ""
    late_dispatch_target: float | None = None
    fbt_exempt: bool = False  # FBT orders left out of the rate (TikTok fulfils them)
    unverified: str = ""  # what no TikTok page confirms, "" when everything is sourced

    @property
    def target(self) -> float:
        """The lowest line: the target the report shows."""
        return self.thresholds[0].rate
