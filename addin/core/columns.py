"""Work on a column's distinct values, not its cells.

An export of a million SKU rows has a few hundred distinct days, eight statuses and a handful of
cancel reasons: each is looked at once, and numpy spreads the answers back over the rows.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt

__all__ = ["distinct", "distinct_text", "is_blank"]

T = TypeVar("T", bound=Hashable)


def is_blank(value: object) -> bool:
    """An empty cell as a seller sees it: nothing, only spaces, or a number that is not one (NaN)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def distinct(values: Sequence[T]) -> tuple[list[T], npt.NDArray[np.int64]]:
    """The distinct values in first-seen order, and for each cell the index of its value."""
    # dict.fromkeys keeps each value's first object in first-seen order; a C-level map then looks
    # every cell up (no Python frame per cell: a sixth faster than a generator over a million cells).
    index = {v: i for i, v in enumerate(dict.fromkeys(values))}
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))
    return list(index), codes


def distinct_text(values: Sequence[object] | None, n_rows: int) -> tuple[list[str], npt.NDArray[np.int64]]:
    """Like ``distinct`` for text cells compared without surrounding spaces; a missing column is blank."""
    if values is None:
        return [""], np.zeros(n_rows, dtype=np.int64)
    raw, codes = distinct(values)
    stripped, remap = distinct([str(v).strip() if v is not None else "" for v in raw])
    return stripped, remap[codes]
