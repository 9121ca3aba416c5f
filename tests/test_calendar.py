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
import os
import time

import numpy as np
import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spreadsheet_engine import recalculate, require_soffice

from addin.core.calendar import (
    FIRST_YEAR,
    LAST_YEAR,
    OutOfCalendar,
    WorkCalendar,
    as_days,
    market_calendar,
)
from addin.core.markets import MARKETS
from addin.pipeline import calendar_for

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
    """A market calendar of its own, not the one the pipeline keeps for reuse."""
    return market_calendar(code)


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


@pytest.mark.parametrize(
    ("formula", "weekend", "start", "n", "holidays", "expected"), MS_EXAMPLES, ids=[e[0] for e in MS_EXAMPLES]
)
def test_microsoft_documented_examples(formula, weekend, start, n, holidays, expected):  # noqa: PLR0917
    assert workday(fixed(weekend, holidays), start, n) == expected
    # The reference loop used by the properties below agrees with the documentation too.
    assert ref_workday(start, n, weekend, frozenset(holidays)) == expected
    # NETWORKDAYS-style count agrees: exactly n working days in (start, answer].
    assert between(fixed(weekend, holidays), start, expected) == n


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
    for day in (
        D(2025, 3, 28),
        D(2025, 3, 31),
        D(2025, 4, 1),
        D(2025, 4, 2),
        D(2025, 4, 3),
        D(2025, 4, 4),
        D(2025, 4, 7),
    ):
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
    assert between(open_thanksgiving, D(2025, 11, 23), D(2025, 11, 30)) == 5  # Mon-Fri all working
    # The holiday list a workbook would use follows the seller's days too.
    listed = dict(calendar_for("US", closed_26, frozenset({D(2025, 12, 25)})).non_working_days(2025))
    assert listed[D(2025, 12, 26)] == "Extra day off" and D(2025, 12, 25) not in listed


def test_far_year_is_loaded_never_taken_for_a_working_day():
    us = fresh("US")
    assert workday(us, D(2025, 12, 24), 1) == D(2025, 12, 26)
    # 2100 is far from the years loaded so far: Christmas 2100 is a Saturday, observed Friday 24th.
    assert workday(us, D(2100, 12, 23), 1) == D(2100, 12, 27)
    assert not us.is_working(D(2100, 12, 24))
    assert between(us, D(2100, 12, 19), D(2100, 12, 26)) == 4
    # ... and downwards: Christmas 1960 is a Sunday, observed Monday 26th.
    assert workday(us, D(1960, 12, 23), 1) == D(1960, 12, 27)
    # python-holidays knows no US holiday after 2100. A 2140 date is refused, not given a deadline
    # that counts Christmas (Sunday 2140, observed Monday 26th) as a working day.
    with pytest.raises(OutOfCalendar):
        workday(us, D(2140, 12, 23), 1)
    with pytest.raises(OutOfCalendar):
        us.is_working(D(2140, 12, 26))
    # The calendar still answers after refusing.
    assert workday(us, D(2025, 12, 31), 1) == D(2026, 1, 2)


@pytest.mark.parametrize("code", sorted(MARKETS))
def test_every_market_refuses_years_without_holiday_data(code):
    cal = fresh(code)
    first, last = cal.years
    assert FIRST_YEAR <= first <= 2021 and 2099 <= last <= LAST_YEAR
    # Every year the calendar answers for has public holidays on record (not an empty year).
    for year in {first, (first + last) // 2, last}:
        assert cal.public_holidays(year, year), year
    with pytest.raises(OutOfCalendar):
        cal.is_working(D(last + 1, 6, 1))
    with pytest.raises(OutOfCalendar):  # the Holidays sheet would otherwise be silently empty
        cal.non_working_days(last + 1)
    if first > FIRST_YEAR:
        with pytest.raises(OutOfCalendar):
            cal.is_working(D(first - 1, 6, 1))


@pytest.mark.parametrize("day", [D(FIRST_YEAR - 1, 12, 31), D(LAST_YEAR + 1, 1, 1), D(1900, 1, 1), D(9999, 1, 1)])
def test_date_outside_1950_to_2150_raises(day):
    for cal in (calendar_for("US"), fixed("0000011")):
        with pytest.raises(OutOfCalendar):
            cal.workday(day, 1)
        with pytest.raises(OutOfCalendar):
            cal.workday(day, 0)
        with pytest.raises(OutOfCalendar):
            cal.is_working(day)
        with pytest.raises(OutOfCalendar):
            cal.working_days_between(D(2025, 1, 1), day)


def test_first_and_last_supported_years_answer():
    cal = fixed("0000011")
    assert workday(cal, D(1950, 1, 2), 1) == D(1950, 1, 3)  # Monday -> Tuesday, no 1949 needed
    assert workday(cal, D(1950, 6, 1), -3) == D(1950, 5, 29)
    assert workday(cal, D(2150, 12, 30), -1) == D(2150, 12, 29)
    assert workday(cal, D(2150, 6, 1), 20) == D(2150, 6, 29)
    with pytest.raises(OutOfCalendar):  # the answer would be in 2151
        cal.workday(D(2150, 12, 31), 1)
    with pytest.raises(OutOfCalendar):  # the answer would be in 1949
        cal.workday(D(1950, 1, 2), -1)


def test_a_long_closure_pushes_the_deadline_past_it():
    # Closed for two whole years: the next working day is after the closure, never before the start.
    closure = [D(2025, 1, 1) + k * DAY for k in range((D(2027, 1, 1) - D(2025, 1, 1)).days)]
    cal = fixed("0000011", extra_off=closure)
    assert workday(cal, D(2024, 12, 31), 1) == D(2027, 1, 1)
    assert workday(cal, D(2027, 1, 1), -1) == D(2024, 12, 31)
    assert between(cal, D(2024, 12, 31), D(2027, 1, 1)) == 1


def test_blank_dates_stay_blank_in_a_column():
    us = calendar_for("US")
    starts = as_days([None, D(2025, 12, 24), None, D(2025, 11, 26)])
    out = us.workday(starts, np.array([3, 1, -2, 1]))
    assert np.isnat(out[0]) and np.isnat(out[2])
    assert out[1] == np.datetime64("2025-12-26") and out[3] == np.datetime64("2025-11-28")
    gaps = us.working_days_between(starts, as_days([D(2025, 12, 1)] * 4))
    assert np.isnan(gaps[0]) and np.isnan(gaps[2]) and gaps[1] == -17  # 2-5, 8-12, 15-19, 22-24 Dec


# -- properties against the day-by-day reference -----------------------------------------------------
weekends = st.text(alphabet="01", min_size=7, max_size=7).filter(lambda w: w != "1111111")


@st.composite
def scenarios(draw, max_days: int = 400):
    """A weekend, holidays/extra days scattered where the counting walks, and a column of (start, n)."""
    weekend = draw(weekends)
    anchor = draw(st.dates(D(2000, 1, 1), D(2040, 12, 31)))
    reach = max_days * 7 // weekend.count("0") + 30  # calendar days a count of max_days can walk
    near = st.integers(-3 * 7, 3 * 7)
    offsets = st.one_of(near, near, st.integers(-reach, reach))
    as_dates = lambda offs: frozenset(anchor + o * DAY for o in offs)  # noqa: E731
    public = as_dates(draw(st.sets(offsets, max_size=40)))
    extra_off = as_dates(draw(st.sets(offsets, max_size=8)))
    extra_working = as_dates(draw(st.sets(offsets, max_size=8))) - extra_off
    rows = draw(st.lists(st.tuples(offsets, st.integers(-max_days, max_days)), min_size=1, max_size=8))
    starts = [anchor + o * DAY for o, _ in rows]
    days = [n for _, n in rows]
    return weekend, public, extra_off, extra_working, starts, days


def scenario_calendar(weekend, public, extra_off, extra_working) -> WorkCalendar:
    return WorkCalendar(weekend, lambda years: {d: "h" for d in public if d.year in years}, extra_off, extra_working)


#: 100 random calendars per property on every run (a new draw each time); AUTOCANCEL_PROPERTY_EXAMPLES=2000 for a soak.
PROPERTY = settings(
    max_examples=int(os.environ.get("AUTOCANCEL_PROPERTY_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY
@given(scenarios())
def test_workday_matches_day_by_day_definition(scenario):
    weekend, public, extra_off, extra_working, starts, days = scenario
    cal = scenario_calendar(weekend, public, extra_off, extra_working)
    got = cal.workday(as_days(starts), np.array(days)).tolist()  # the whole column at once
    off = public | extra_off
    expected = [ref_workday(s, n, weekend, off, extra_working) for s, n in zip(starts, days, strict=True)]
    assert got == expected


@PROPERTY
@given(scenarios(max_days=200), st.lists(st.integers(-200, 200), min_size=1, max_size=8))
def test_working_days_between_matches_day_by_day_count(scenario, spans):
    weekend, public, extra_off, extra_working, starts, _ = scenario
    cal = scenario_calendar(weekend, public, extra_off, extra_working)
    ends = [s + k * DAY for s, k in zip(starts, spans, strict=False)]  # as many as the spans
    starts = starts[: len(ends)]
    got = cal.working_days_between(as_days(starts), as_days(ends)).tolist()
    off = public | extra_off
    assert got == [ref_between(a, b, weekend, off, extra_working) for a, b in zip(starts, ends, strict=True)]
    assert cal.is_working(as_days(ends)).tolist() == [ref_working(d, weekend, off, extra_working) for d in ends]


# -- LibreOffice Calc as an independent WORKDAY.INTL ------------------------------------------------------
ORACLE_CASES = 10_000
ORACLE_YEARS = (2016, 2034)  # start dates; holiday lists cover one year more either side
EXCEL_EPOCH = np.datetime64("1899-12-30", "D")  # serial 0 of Excel's 1900 date system (after Feb 1900)


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def _oracle_cases(rng: np.random.Generator):
    """Random (market, start, n): a third of starts on a public holiday, a sixth on a weekend day."""
    codes = sorted(MARKETS)
    first, last = ORACLE_YEARS
    lo, hi = np.datetime64(f"{first}-01-01"), np.datetime64(f"{last}-12-31")
    market = rng.integers(0, len(codes), ORACLE_CASES)
    n = rng.integers(-60, 61, ORACLE_CASES)
    n[rng.random(ORACLE_CASES) < 0.03] = 0
    start = lo + rng.integers(0, int((hi - lo).astype(int)) + 1, ORACLE_CASES).astype("timedelta64[D]")
    kind = rng.random(ORACLE_CASES)
    for i, code in enumerate(codes):
        cal = calendar_for(code)
        holidays = as_days([d for d, _ in cal.non_working_days(first, last) if first <= d.year <= last])
        on_holiday = (market == i) & (kind < 1 / 3)
        start[on_holiday] = rng.choice(holidays, on_holiday.sum())
        on_weekend = (market == i) & (kind >= 1 / 3) & (kind < 1 / 2)
        rest = np.array([c == "1" for c in cal.weekend])
        for j in np.flatnonzero(on_weekend):  # move forward to the market's next rest day
            while not rest[(start[j].astype(int) + 3) % 7]:
                start[j] += 1
    return codes, market, start, n


@pytest.fixture(scope="module")
def libreoffice_results(tmp_path_factory):
    """One workbook: 10,000 WORKDAY.INTL cases plus Microsoft's examples, recalculated by Calc."""
    require_soffice()
    rng = np.random.default_rng(20250401)
    codes, market, start, n = _oracle_cases(rng)
    first, last = ORACLE_YEARS
    folder = tmp_path_factory.mktemp("oracle")
    path = folder / "workday_oracle.xlsx"

    wb = xlsxwriter.Workbook(path)
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    cases, holidays_ws, docs = wb.add_worksheet("Cases"), wb.add_worksheet("Holidays"), wb.add_worksheet("Docs")
    ranges = {}
    for i, code in enumerate(codes):
        col = _column(i)
        days = [d for d, _ in calendar_for(code).non_working_days(first - 1, last + 1)]
        holidays_ws.write(0, i, code)
        for r, d in enumerate(days, start=1):
            holidays_ws.write_number(r, i, (d - D(1899, 12, 30)).days, date_fmt)
        ranges[code] = f"Holidays!${col}$2:${col}${len(days) + 1}"
    cases.write_row(0, 0, ["Start", "Days", "Market", "WORKDAY.INTL"])
    serials = (start - EXCEL_EPOCH).astype(int)
    for r in range(ORACLE_CASES):
        code = codes[market[r]]
        cases.write_number(r + 1, 0, int(serials[r]), date_fmt)
        cases.write_number(r + 1, 1, int(n[r]))
        cases.write_string(r + 1, 2, code)
        weekend = calendar_for(code).weekend
        # xlsxwriter caches 0 as the formula's value: only a real recalculation gives a date.
        cases.write_formula(r + 1, 3, f'=WORKDAY.INTL(A{r + 2},B{r + 2},"{weekend}",{ranges[code]})')
    for r, d in enumerate(MS_HOLIDAYS, start=1):
        docs.write_number(r, 1, (d - D(1899, 12, 30)).days, date_fmt)
    docs.write_formula(0, 0, "=WORKDAY.INTL(DATE(2012,1,1),30,0)")
    for r, (formula, *_rest) in enumerate(MS_EXAMPLES, start=1):
        docs.write_formula(r, 0, "=" + formula.replace("Holidays", "$B$2:$B$4"))
    wb.close()

    began = time.perf_counter()
    out = recalculate(path, folder / "recalculated")
    seconds = time.perf_counter() - began
    book = openpyxl.load_workbook(out, data_only=True, read_only=True)
    calc = [row[0] for row in book["Cases"].iter_rows(min_row=2, min_col=4, max_col=4, values_only=True)]
    doc_values = [
        row[0]
        for row in book["Docs"].iter_rows(
            min_row=1, max_row=len(MS_EXAMPLES) + 1, min_col=1, max_col=1, values_only=True
        )
    ]
    book.close()
    return codes, market, start, n, calc, doc_values, seconds


def _as_date(value):
    """A recalculated cell as a date: Calc stores a serial, openpyxl may hand back a datetime."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (EXCEL_EPOCH + np.timedelta64(int(value), "D")).item()
    return value  # an error such as "#VALUE!", or None


@pytest.mark.libreoffice
def test_libreoffice_workday_intl_agrees_on_10000_cases(libreoffice_results):
    codes, market, start, n, calc, _, seconds = libreoffice_results
    assert len(calc) == ORACLE_CASES
    ours = np.empty(ORACLE_CASES, dtype="datetime64[D]")
    off_day_starts = 0
    for i, code in enumerate(codes):
        rows = market == i
        ours[rows] = calendar_for(code).workday(start[rows], n[rows])
        off_day_starts += int((~calendar_for(code).is_working(start[rows])).sum())
    # The sample really exercises what matters: days-off starts, every market, n = 0.
    assert off_day_starts >= ORACLE_CASES // 3
    assert set(np.unique(market)) == set(range(len(codes))) and (n == 0).sum() > 100

    theirs = [_as_date(v) for v in calc]
    mismatches = [
        (codes[market[r]], start[r].item(), int(n[r]), ours[r].item(), theirs[r])
        for r in range(ORACLE_CASES)
        if ours[r].item() != theirs[r]
    ]
    shown = "\n".join(
        f"  {code} WORKDAY.INTL({s} {s:%a}, {k}): ours {mine}, LibreOffice {calc_value}"
        for code, s, k, mine, calc_value in mismatches[:40]
    )
    assert not mismatches, (
        f"{len(mismatches)} of {ORACLE_CASES} deadlines differ from LibreOffice "
        f"(recalculated in {seconds:.1f} s):\n{shown}"
    )


@pytest.mark.libreoffice
def test_libreoffice_reproduces_microsoft_examples(libreoffice_results):
    doc_values = libreoffice_results[5]
    # Weekend 0 is an error (Excel: #NUM!, LibreOffice: #VALUE!), never a date.
    assert isinstance(doc_values[0], str) and doc_values[0].startswith("#")
    assert [_as_date(v) for v in doc_values[1:]] == [e[-1] for e in MS_EXAMPLES]


def test_a_region_of_a_market_brings_its_own_holidays():
    from addin.core.markets import UnknownMarket, get_market

    scotland = calendar_for(get_market("GB-SCT"))
    # 2 January is a bank holiday in Scotland, not in England (the GB default).
    assert scotland.is_working(dt.date(2026, 1, 2)) == False  # noqa: E712
    assert calendar_for("GB").is_working(dt.date(2026, 1, 2)) == True  # noqa: E712
    with pytest.raises(UnknownMarket, match="unknown region 'XX' of GB"):
        get_market("GB-XX")
