"""Rows held packed: the same rows back, in order, by position and by slice, across batch boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from addin.workbook import packed_rows
from addin.workbook.orders_block import Formula
from addin.workbook.packed_rows import InOrder, PackedRows


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(packed_rows, "BATCH", 4)


def rows(n: int) -> list[tuple[int, list[object]]]:
    """Rows of every kind of value a sheet gives: text, numbers, date-times, formulas, yes/no, blanks."""
    return [
        (i, [f"order {i}", i * 1.5, dt.datetime(2025, 11, 1 + i % 28, i % 24), Formula(f"=A{i}"), i % 2 == 0, None])
        for i in range(n)
    ]


@pytest.mark.parametrize("n", [0, 1, 3, 4, 5, 8, 11])
def test_every_row_comes_back_equal_in_order(n):
    packed = PackedRows[tuple[int, list[object]]]()
    packed.extend(rows(n))
    assert len(packed) == n
    assert list(packed) == rows(n)
    assert [packed[i] for i in range(n)] == rows(n)
    assert [packed[-i] for i in range(1, n + 1)] == rows(n)[::-1]
    assert all(type(r[1][3]) is Formula for r in packed)  # a formula stays a formula, not text


def test_slices_read_the_same_rows_as_a_list_does():
    packed, plain = PackedRows[tuple[int, list[object]]](), rows(11)
    packed.extend(plain)
    for start in range(-12, 13):
        for stop in [*range(-12, 13), None]:
            window = packed[start:stop]
            assert list(window) == plain[start:stop], (start, stop)
            assert len(window) == len(plain[start:stop])
            assert list(window[1:]) == plain[start:stop][1:]
            if len(window):
                assert window[0] == plain[start:stop][0] and window[-1] == plain[start:stop][-1]


def test_a_row_changed_by_its_reader_is_not_changed_in_the_rows():
    packed = PackedRows[tuple[int, list[object]]]()
    packed.extend(rows(9))
    packed[1][1][0] = "edited"  # an unpacked batch is read, not held for writing
    packed[6][1][0] = "edited"
    assert [r[1][0] for r in packed] == [f"order {i}" for i in range(9)]


def test_positions_outside_the_rows_and_steps_are_refused():
    packed = PackedRows[int]()
    packed.extend(list(range(6)))
    with pytest.raises(IndexError):
        packed[6]
    with pytest.raises(IndexError):
        packed[-7]
    with pytest.raises(IndexError):
        packed[2:4][2]
    with pytest.raises(ValueError, match="step"):
        packed[::2]


@pytest.mark.parametrize("n", [0, 1, 4, 9])
def test_rows_put_in_another_order_are_walked_from_their_source_once(n):
    walks = []

    def source():
        walks.append(1)
        return iter(rows(n))

    order = sorted(range(n), key=lambda i: (i % 3, -i))  # e.g. most urgent first: any order of every row
    in_order = InOrder(source, order)
    assert list(in_order) == [rows(n)[i] for i in order]
    assert list(in_order) == [rows(n)[i] for i in order]  # walked again: the same, from the buckets
    assert len(walks) == 1
