"""Rows held packed in memory: pickled and deflated a batch at a time, unpacked as they are walked.

A 1,048,575-row Orders sheet as Python lists and strings takes about 4 GB; packed, a few hundred
MB. A refresh walks the rows a few times in order and looks rows up near each other, so one
batch at a time is unpacked (the last one looked up is kept). Only this process ever unpickles
what it packed itself: nothing is written to disk.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from operator import itemgetter
from typing import TYPE_CHECKING, Generic, TypeVar, overload

if TYPE_CHECKING:
    from types import ModuleType

_deflate: ModuleType
try:  # ISA-L's deflate, as the workbook parts are read and written; zlib's without the wheel
    from isal import isal_zlib

    _deflate = isal_zlib
except ImportError:  # pragma: no cover - a machine without the wheel
    import zlib

    _deflate = zlib

_T = TypeVar("_T")
BATCH = 4096  # rows per packed batch
#: Rows per packed batch of one bucket while rows are put in another order (:class:`InOrder`).
_BUCKET_BATCH = 64
_LEVEL = 1  # the fastest: the rows are unpacked again within seconds


class _Run(Sequence[_T]):
    """Items of a :class:`PackedRows` by position, and by slice (a :class:`_Window`: a slice copies nothing)."""

    def _origin(self) -> tuple[PackedRows[_T], int]:
        """The rows this reads from, and where in them it starts."""
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> _T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[_T]: ...

    def __getitem__(self, index: int | slice) -> _T | Sequence[_T]:
        rows, first = self._origin()
        at = range(len(self))[index]  # a position from 0, or a slice's positions; IndexError outside
        if isinstance(at, range):
            if at.step != 1:
                raise ValueError("packed rows are sliced with a step of 1 only")
            return _Window(rows, first + at.start, first + max(at.start, at.stop))
        return rows.item(first + at)


class PackedRows(_Run[_T], Generic[_T]):
    """A sequence built by ``append``, kept as deflated pickles of ``batch`` items (:data:`BATCH`).

    Items come back equal, not always identical (a list read twice may be two lists): a reader
    must not change them, as the batch last looked up and the last one, not full yet, are held as
    they are.
    """

    def __init__(self, batch: int = 0) -> None:
        self._size = batch or BATCH
        self._packed: list[bytes] = []
        self._open: list[_T] = []  # the last batch, not full yet
        self._seen: tuple[int, list[_T]] = (-1, [])  # the batch last looked up, unpacked

    def append(self, item: _T) -> None:
        """Add ``item`` at the end."""
        self._open.append(item)
        if len(self._open) == self._size:
            self._packed.append(_deflate.compress(pickle.dumps(self._open, pickle.HIGHEST_PROTOCOL), _LEVEL))
            self._open = []

    def extend(self, items: Sequence[_T]) -> None:
        """Add ``items`` at the end, in order."""
        for item in items:
            self.append(item)

    def __len__(self) -> int:
        return len(self._packed) * self._size + len(self._open)

    def _batch(self, k: int) -> list[_T]:
        if k == len(self._packed):
            return self._open
        if self._seen[0] != k:
            self._seen = (k, self._unpacked(k))
        return self._seen[1]

    def _unpacked(self, k: int) -> list[_T]:
        items: list[_T] = pickle.loads(_deflate.decompress(self._packed[k]))  # noqa: S301 - packed by this object
        return items

    def walk(self, start: int = 0, stop: int | None = None) -> Iterator[_T]:
        """The items from ``start`` to ``stop`` (the end when None), one batch unpacked at a time."""
        stop = len(self) if stop is None else min(stop, len(self))
        k = start // self._size
        while k * self._size < stop:
            batch = self._open if k == len(self._packed) else self._unpacked(k)
            yield from islice(batch, max(start - k * self._size, 0), stop - k * self._size)
            k += 1

    def __iter__(self) -> Iterator[_T]:
        return self.walk()

    def _origin(self) -> tuple[PackedRows[_T], int]:
        return self, 0

    def item(self, at: int) -> _T:
        """The item at position ``at`` (from 0, within the rows)."""
        return self._batch(at // self._size)[at % self._size]


class InOrder(Generic[_T]):
    """Items in another order, walked from their source once and held packed meanwhile.

    Looking each row up in a new order (most urgent first) would unpack a batch per row, or hold
    a million rows whole; instead each item, as it is walked, goes to the bucket of the batch of
    :data:`BATCH` it comes back in. The buckets are filled on the first walk and kept for the next.
    """

    def __init__(self, items: Callable[[], Iterable[_T]], order: Sequence[int]) -> None:
        """``items()``: the items, as many as ``order``, which lists their positions, each once."""
        self._items, self._order = items, order
        self._buckets: list[PackedRows[tuple[int, _T]]] | None = None

    def __iter__(self) -> Iterator[_T]:
        if self._buckets is None:
            import numpy as np

            n = len(self._order)
            place = np.empty(n, dtype=np.int64)
            place[np.asarray(self._order, dtype=np.int64)] = np.arange(n)  # where each item goes
            self._buckets = [PackedRows[tuple[int, _T]](_BUCKET_BATCH) for _ in range(-(-n // BATCH))]
            for item, at in zip(self._items(), place.tolist(), strict=True):
                self._buckets[at // BATCH].append((at, item))
        for bucket in self._buckets:
            yield from map(itemgetter(1), sorted(bucket, key=itemgetter(0)))


class _Window(_Run[_T]):
    """Rows ``start`` to ``stop`` of a :class:`PackedRows`, read from it."""

    def __init__(self, rows: PackedRows[_T], start: int, stop: int) -> None:
        self._rows, self._start, self._stop = rows, start, stop

    def __len__(self) -> int:
        return self._stop - self._start

    def __iter__(self) -> Iterator[_T]:
        return self._rows.walk(self._start, self._stop)

    def _origin(self) -> tuple[PackedRows[_T], int]:
        return self._rows, self._start
