import datetime as dt

import numpy as np
import pytest

from addin.core.dates import parse_dates, parse_one


def days(col):
    return [None if np.isnat(d) else d.astype(object) for d in col.days]


def test_us_text_times_with_trailing_tabs_read_month_first():
    col = parse_dates(["09/15/2025 7:44:26 AM\t", "10/01/2025 11:02:03 PM", "\t", ""], day_first=False)
    assert days(col) == [dt.date(2025, 9, 15), dt.date(2025, 10, 1), None, None]
    assert col.problems == {}


def test_sea_day_first_is_the_market_default():
    col = parse_dates(["02/03/2025 10:00:00", "05/04/2025 23:59:59"], day_first=True)
    assert days(col) == [dt.date(2025, 3, 2), dt.date(2025, 4, 5)]


def test_the_column_itself_overrules_the_market_when_a_field_is_over_12():
    # A US seller whose export is day-first: 25/09 can only be the 25th of September.
    col = parse_dates(["03/09/2025 10:00:00", "25/09/2025 10:00:00"], day_first=False)
    assert days(col) == [dt.date(2025, 9, 3), dt.date(2025, 9, 25)]
    assert col.day_first is True


def test_a_typo_that_contradicts_its_column_is_flagged_not_guessed():
    col = parse_dates(["09/15/2025 7:44:26 AM", "09/16/2025 7:44:26 AM", "13/45/2025 1:00:00 AM"], day_first=False)
    assert days(col)[:2] == [dt.date(2025, 9, 15), dt.date(2025, 9, 16)]
    assert list(col.problems) == [2]
    assert "13/45/2025" in col.problems[2]


def test_excel_date_cells_serial_numbers_and_iso_dates():
    col = parse_dates(
        [dt.datetime(2025, 9, 15, 7, 44), dt.date(2025, 9, 16), 45921.5, "45921", "2025-09-20"], day_first=False
    )
    assert days(col) == [
        dt.date(2025, 9, 15),
        dt.date(2025, 9, 16),
        dt.date(2025, 9, 21),
        dt.date(2025, 9, 21),
        dt.date(2025, 9, 20),
    ]


@pytest.mark.parametrize("bad", ["soon", "31/02/2025 10:00:00", "02/30/2025", "01/01/1899 1:00:00 AM"])
def test_unreadable_cells_give_nat_and_a_reason_naming_the_value(bad):
    col = parse_dates([bad], day_first=False)
    assert np.isnat(col.days[0])
    assert bad in col.problems[0]


def test_parse_one_for_a_single_typed_cell():
    assert parse_one("11/20/2025 7:44:26 AM\t", day_first=False) == dt.date(2025, 11, 20)
    assert parse_one("\t", day_first=False) is None
    with pytest.raises(ValueError, match="not a date"):
        parse_one("tomorrow", day_first=False)


def test_one_hand_typed_day_first_date_does_not_move_its_column():
    # A US export taken on 12 Jan: every TikTok time has a day of 12 or less, so only the market
    # settles the order; one date typed day-first by hand must flag its own row only.
    tiktok = [f"{month:02d}/{day:02d}/2025 10:00:00 AM" for month in (11, 12) for day in range(1, 13)] * 3
    typed = len(tiktok)
    col = parse_dates([*tiktok, "25/11/2025", "12/01/2025 9:00:00 AM"], day_first=False)
    read = days(col)
    assert read[0] == dt.date(2025, 11, 1) and read[13] == dt.date(2025, 12, 2)
    assert read[typed + 1] == dt.date(2025, 12, 1)  # 1 December, not 12 January
    assert read[typed] is None
    assert list(col.problems) == [typed]
    assert "25/11/2025" in col.problems[typed] and "11/25/2025" in col.problems[typed]
    assert col.day_first is False


def test_a_month_first_typo_in_a_sea_column_flags_only_itself():
    col = parse_dates(
        ["02/03/2025 10:00:00", "05/04/2025 23:59:59", "04/25/2025"] * 1 + ["01/04/2025"] * 20, day_first=True
    )
    read = days(col)
    assert read[:2] == [dt.date(2025, 3, 2), dt.date(2025, 4, 5)] and read[3] == dt.date(2025, 4, 1)
    assert read[2] is None and list(col.problems) == [2]


def test_a_column_mostly_over_12_in_the_other_order_still_settles_it():
    # An export whose dates really are day-first in a month-first market: half its days are over 12.
    values = [f"{day:02d}/10/2025 08:00:00" for day in range(1, 32)]
    col = parse_dates(values, day_first=False)
    assert days(col)[0] == dt.date(2025, 10, 1) and days(col)[30] == dt.date(2025, 10, 31)
    assert col.problems == {} and col.day_first is True
