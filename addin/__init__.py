"""Auto-cancel guard: when TikTok Shop will cancel each order, and the shop's cancellation rate."""

__version__ = "0.1.0"
