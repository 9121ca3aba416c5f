"""The plain way, for comparison: one row at a time with dateutil and python-holidays.

This is what a seller's script or a VBA macro would do. It is correct for the standard policy's
ship-by rule and the Risk of a not-yet-shipped order, which is all the benchmark compares.
"""

from __future__ import annotations

import datetime as dt

import holidays
from dateutil import parser

SHIP_BY_DAYS = 7  # the standard policy's ship-by rule: 7 working days from the order's creation
SATURDAY = 5  # date.weekday(): Monday 0 .. Friday 4 are working days


def ship_by_per_row(
    created_times: list[str], today: dt.date, at_risk_days: int = 2
) -> list[tuple[dt.date | None, str]]:
    """(ship-by deadline, risk) for each row, counted day by day."""
    us = holidays.US(years=range(today.year - 2, today.year + 2))
    out: list[tuple[dt.date | None, str]] = []
    for raw in created_times:
        text = raw.strip()
        if not text:
            out.append((None, "Check data"))
            continue
        day = parser.parse(text, dayfirst=False).date()
        left = SHIP_BY_DAYS
        while left:
            day += dt.timedelta(days=1)
            if day.weekday() < SATURDAY and day not in us:
                left -= 1
        if day < today:
            risk = "Overdue"
        elif day == today:
            risk = "Due today"
        else:
            working, probe = 0, today
            while probe < day:
                probe += dt.timedelta(days=1)
                if probe.weekday() < SATURDAY and probe not in us:
                    working += 1
            risk = "At risk" if working <= at_risk_days else "On track"
        out.append((day, risk))
    return out
