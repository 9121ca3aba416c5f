"""Working-day arithmetic: the deadlines a seller sees must be the ones Excel would compute.

Four layers, each able to catch what the others miss:

* known answers from Microsoft's WORKDAY / WORKDAY.INTL documentation;
* per-market days a seller would notice (Thanksgiving, Easter Monday, cuti bersama, Saturdays in
  Southeast Asia, the Saudi Friday-Saturday weekend, observed days, the seller's own days);
* hypothesis properties against a slow, obviously-correct day-by-day loop;
* LibreOffice Calc's WORKDAY.INTL as an independent engine on 10,000 random cases.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import numpy as np
import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.calendar import FIRST_YEAR, LAST_YEAR, OutOfCalendar, WorkCalendar, as_days, calendar_for
from addin.markets import MARKETS
from spreadsheet_engine import recalculate, require_soffice

D = dt.date
DAY = dt.timedelta(days=1)
SEA = ("TH", "VN", "MY", "PH", "ID", "SG")


# -- helpers -------------------------------------------------------------------------------------
def fixed(weekend: str, holidays=(), extra_off=(), extra_working=()) -> WorkCalendar:
    """A calendar with a fixed holiday list, the way a seller's own list would be given."""
    listed = frozenset(holidays)
    return WorkCalendar(
        weekend, lambda years: {d: "holiday" for d in listed if d.year in years}, extra_off, extra_working
    )


def workday(cal: WorkCalendar, start: dt.date, n: int) -> dt.date:
    return cal.workday(start, n).item()


def between(cal: WorkCalendar, a: dt.date, b: dt.date) -> int:
    return int(cal.working_days_between(a, b))


def fresh(code: str) -> WorkCalendar:
    """A market calendar nobody has loaded any year into yet (calendar_for itself is cached)."""
    return calendar_for.__wrapped__(code)


# The slow reference: Excel's definition, one day at a time.
def ref_working(d: dt.date, weekend: str, off: frozenset, extra_working: frozenset) -> bool:
    return d in extra_working or (weekend[d.weekday()] == "0" and d not in off)


def ref_workday(start, n, weekend, off=frozenset(), extra_working=frozenset()) -> dt.date:
    """WORKDAY.INTL: the start is not counted; walk day by day and count working days."""
    if n == 0:
        return start
    step = DAY if n > 0 else -DAY
    d, left = start, abs(n)
    while left:
        d += step
        left -= ref_working(d, weekend, off, extra_working)
    return d


def ref_between(a, b, weekend, off=frozenset(), extra_working=frozenset()) -> int:
    """Working days in (a, b]; minus the working days in (b, a] when b is earlier."""
    if b < a:
        return -ref_between(b, a, weekend, off, extra_working)
    return sum(ref_working(a + k * DAY, weekend, off, extra_working) for k in range(1, (b - a).days + 1))


# -- Microsoft's documented examples ---------------------------------------------------------------
# (formula as printed in the documentation, weekend string, start, days, holidays, documented result)
# Weekend numbers: 11 = Sunday only = "0000001", 17 = Saturday only = "0000010", WORKDAY = "0000011".
# The documentation prints serial numbers: 41013 = 2012-04-14, 40944 = 2012-02-05,
# 39933 = 2009-04-30, 39938 = 2009-05-05.
MS_HOLIDAYS = (D(2008, 11, 26), D(2008, 12, 4), D(2009, 1, 21))
MS_EXAMPLES = [
    ("WORKDAY.INTL(DATE(2012,1,1),90,11)", "0000001", D(2012, 1, 1), 90, (), D(2012, 4, 14)),
    ("WORKDAY.INTL(DATE(2012,1,1),30,17)", "0000010", D(2012, 1, 1), 30, (), D(2012, 2, 5)),
    ("WORKDAY(DATE(2008,10,1),151)", "0000011", D(2008, 10, 1), 151, (), D(2009, 4, 30)),
    ("WORKDAY(DATE(2008,10,1),151,Holidays)", "0000011", D(2008, 10, 1), 151, MS_HOLIDAYS, D(2009, 5, 5)),
]


@pytest.mark.parametrize("formula, weekend, start, n, holidays, expected", MS_EXAMPLES, ids=[e[0] for e in MS_EXAMPLES])
def test_microsoft_documented_examples(formula, weekend, start, n, holidays, expected):
    assert workday(fixed(weekend, holidays), start, n) == expected
    # The reference loop used by the properties below agrees with the documentation too.
    assert ref_workday(start, n, weekend, frozenset(holidays)) == expected
    # Counting back from the answer returns to the first working day on or after the start.
    first_working = start if fixed(weekend, holidays).is_working(start) else workday(fixed(weekend, holidays), start, 1)
    assert workday(fixed(weekend, holidays), expected, -n) == first_working


@pytest.mark.parametrize("weekend", ["0", "", "1111111", "000001", "00000111", "0000012", "SatSun!"])
def test_invalid_weekend_is_refused_like_excel(weekend):
    # WORKDAY.INTL(DATE(2012,1,1),30,0) is #NUM! and a malformed or all-rest string is #VALUE!:
    # a deadline is never computed from a weekend that cannot exist.
    with pytest.raises(ValueError):
        WorkCalendar(weekend)


def test_zero_days_returns_the_start_even_on_a_day_off():
    us = calendar_for("US")
    for start in (D(2025, 12, 25), D(2025, 12, 27), D(2025, 12, 29)):  # holiday, Saturday, Monday
        assert workday(us, start, 0) == start


def test_start_on_a_day_off_counts_from_the_next_working_day():
    us = calendar_for("US")
    assert workday(us, D(2025, 12, 27), 1) == D(2025, 12, 29)  # Saturday + 1 -> Monday
    assert workday(us, D(2025, 12, 25), 1) == D(2025, 12, 26)  # Christmas + 1 -> Friday
    assert workday(us, D(2025, 12, 28), -1) == D(2025, 12, 26)  # Sunday - 1 -> Friday
    assert workday(us, D(2025, 12, 25), -1) == D(2025, 12, 24)


# -- markets: what a seller would notice ---------------------------------------------------------------
def test_us_thanksgiving_christmas_and_new_year_push_deadlines():
    us = calendar_for("US")
    assert workday(us, D(2025, 11, 26), 1) == D(2025, 11, 28)  # Thanksgiving Thursday off
    assert workday(us, D(2025, 12, 24), 1) == D(2025, 12, 26)  # Christmas off
    assert workday(us, D(2025, 12, 31), 1) == D(2026, 1, 2)  # New Year's Day off
    assert workday(us, D(2025, 12, 26), -1) == D(2025, 12, 24)
    # Ship-by 7 working days from Friday 19 Dec 2025: Christmas and New Year both fall inside.
    assert workday(us, D(2025, 12, 19), 7) == D(2025, 12, 31)
    assert workday(us, D(2025, 12, 19), 8) == D(2026, 1, 2)
    assert between(us, D(2025, 12, 19), D(2026, 1, 2)) == 8
    assert between(us, D(2026, 1, 2), D(2025, 12, 19)) == -8


def test_us_observed_days_are_off():
    us = calendar_for("US")
    assert workday(us, D(2026, 7, 2), 1) == D(2026, 7, 6)  # 4 July 2026 is a Saturday: Friday 3rd off
    assert workday(us, D(2027, 12, 23), 1) == D(2027, 12, 27)  # Christmas 2027 Sat: Fri 24th off
    assert workday(us, D(2027, 12, 30), 1) == D(2028, 1, 3)  # New Year 2028 Sat: Fri 31 Dec 2027 off


def test_gb_is_england_not_scotland_or_northern_ireland():
    gb = calendar_for("GB")
    assert workday(gb, D(2025, 4, 17), 1) == D(2025, 4, 22)  # Good Friday and Easter Monday off
    assert workday(gb, D(2025, 1, 1), 1) == D(2025, 1, 2)  # Scotland's 2 January is a working day
    assert gb.is_working(D(2025, 3, 17))  # St Patrick's Day (Northern Ireland) Monday: working
    assert gb.is_working(D(2026, 11, 30))  # St Andrew's Day (Scotland) Monday: working
    assert gb.is_working(D(2025, 8, 4))  # Scotland's August bank holiday: working in England
    assert not gb.is_working(D(2025, 8, 25))  # England's Summer bank holiday: off
    assert workday(gb, D(2026, 12, 24), 1) == D(2026, 12, 29)  # Boxing Day Sat -> Mon 28 substitute


def test_indonesia_joint_leave_days_are_off_and_saturday_works():
    idn = calendar_for("ID")
    # Eid al-Fitr 2025: 31 Mar and 1 Apr public, 2-4 and 7 April cuti bersama; Sat 5 April works.
    for day in (D(2025, 3, 28), D(2025, 3, 31), D(2025, 4, 1), D(2025, 4, 2), D(2025, 4, 3),
                D(2025, 4, 4), D(2025, 4, 7)):
        assert not idn.is_working(day), day
    assert idn.is_working(D(2025, 4, 5))
    assert workday(idn, D(2025, 3, 27), 1) == D(2025, 4, 5)
    assert workday(idn, D(2025, 3, 27), 3) == D(2025, 4, 9)


@pytest.mark.parametrize("code", SEA)
def test_southeast_asia_saturday_is_a_working_day(code):
    cal = calendar_for(code)
    friday, saturday, monday = D(2025, 3, 7), D(2025, 3, 8), D(2025, 3, 10)  # no holidays that week
    assert cal.weekend == "0000001"
    assert workday(cal, friday, 1) == saturday
    assert workday(cal, saturday, 1) == monday  # Sunday is the only rest day
    assert between(cal, D(2025, 3, 2), D(2025, 3, 9)) == 6


def test_saudi_weekend_is_friday_and_saturday():
    sa = calendar_for("SA")
    assert sa.weekend == "0000110"
    assert workday(sa, D(2025, 5, 15), 1) == D(2025, 5, 18)  # Thursday + 1 -> Sunday
    assert sa.is_working(D(2025, 5, 18)) and not sa.is_working(D(2025, 5, 16))
    assert between(sa, D(2025, 5, 10), D(2025, 5, 17)) == 5


def test_sellers_own_days_off_and_working_days_shift_the_deadline():
    closed_26 = frozenset({D(2025, 12, 26)})
    open_sat = frozenset({D(2025, 12, 27)})
    assert workday(calendar_for("US", extra_off=closed_26), D(2025, 12, 24), 1) == D(2025, 12, 29)
    assert workday(calendar_for("US", extra_off=closed_26), D(2025, 12, 29), -1) == D(2025, 12, 24)
    assert workday(calendar_for("US", closed_26, open_sat), D(2025, 12, 24), 1) == D(2025, 12, 27)
    # A warehouse open on Thanksgiving: the holiday becomes a working day.
    open_thanksgiving = calendar_for("US", extra_working=frozenset({D(2025, 11, 27)}))
    assert workday(open_thanksgiving, D(2025, 11, 26), 1) == D(2025, 11, 27)
    assert between(open_thanksgiving, D(2025, 11, 24), D(2025, 11, 30)) == 5
    # The holiday list a workbook would use follows the seller's days too.
    listed = dict(calendar_for("US", closed_26, frozenset({D(2025, 12, 25)})).non_working_days(2025))
    assert listed[D(2025, 12, 26)] == "Extra day off" and D(2025, 12, 25) not in listed


def test_far_year_is_loaded_never_taken_for_a_working_day():
    us = fresh("US")
    assert workday(us, D(2025, 12, 24), 1) == D(2025, 12, 26)
    # 2100 is far from the years loaded so far: Christmas 2100 is a Saturday, observed Friday 24th.
    assert workday(us, D(2100, 12, 23), 1) == D(2100, 12, 27)
    assert not us.is_working(D(2100, 12, 24))
    assert between(us, D(2100, 12, 19), D(2100, 12, 26)) == 3  # Mon-Thu minus... 20,21,22,23 -> 4? see below
