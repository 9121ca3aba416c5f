"""Work on a column's distinct values, not its cells.

An export of a million SKU rows has a few hundred distinct days, eight statuses and a handful of
cancel reasons: each is looked at once, and numpy spreads the answers back over the rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def distinct(values: Sequence) -> tuple[list, np.ndarray]:
    """The distinct values in first-seen order, and for each cell the index of its value."""
    seen: dict[object, int] = {}
    codes = np.fromiter((seen.setdefault(v, len(seen)) for v in values), dtype=np.int64, count=len(values))
    return list(seen), codes


def distinct_text(values: Sequence | None, n_rows: int) -> tuple[list[str], np.ndarray]:
    """Like ``distinct`` for text cells compared without surrounding spaces; a missing column is blank."""
    if values is None:
        return [""], np.zeros(n_rows, dtype=np.int64)
    raw, codes = distinct(values)
    stripped, remap = distinct([str(v).strip() if v is not None else "" for v in raw])
    return stripped, remap[codes]
