"""A column held as distinct values and codes answers as the list of its cells would."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from addin.core.columns import Coded, distinct, distinct_text
from addin.core.dates import parse_dates

CELL = st.sampled_from(["To ship", " To ship", "Shipped", "", "11/20/2025 7:44 AM", "13/20/2025", None, "  "])


@st.composite
def coded(draw) -> tuple[Coded[object], list[object]]:
    """A Coded column in any order of its values, some of them unused, and the list of its cells."""
    values = draw(st.lists(CELL, unique=True, min_size=1))
    codes = draw(st.lists(st.integers(0, len(values) - 1), max_size=40))
    column = Coded(values, np.array(codes, dtype=np.uint8))
    return column, [values[c] for c in codes]


@given(coded())
def test_a_coded_column_is_its_cells(case):
    column, cells = case
    assert column == cells and list(column) == cells and len(column) == len(cells)
    assert [column[i] for i in range(len(cells))] == cells and column[1:3] == cells[1:3]


@given(coded())
def test_distinct_of_a_coded_column_is_first_seen_as_of_its_list(case):
    column, cells = case
    got, want = distinct(column), distinct(cells)
    assert got[0] == want[0] and got[1].tolist() == want[1].tolist()
    text, want_text = distinct_text(column, len(cells)), distinct_text(cells, len(cells))
    assert text[0] == want_text[0] and text[1].tolist() == want_text[1].tolist()


@given(coded(), st.booleans())
def test_dates_of_a_coded_column_are_read_as_of_its_list(case, day_first):
    column, cells = case
    got, want = parse_dates(column, day_first=day_first), parse_dates(cells, day_first=day_first)
    assert got.days.tolist() == want.days.tolist() and (got.problems, got.day_first) == (want.problems, want.day_first)


def test_text_with_nothing_to_strip_keeps_its_values_and_spaces_still_merge():
    ids = ["578000000000000002", "578000000000000003", "578000000000000002"]
    assert distinct_text(ids, 3)[0] == ids[:2] and distinct_text(ids, 3)[1].tolist() == [0, 1, 0]
    spaced = ["To ship", " To ship ", None]
    assert distinct_text(spaced, 3)[0] == ["To ship", ""] and distinct_text(spaced, 3)[1].tolist() == [0, 0, 1]
