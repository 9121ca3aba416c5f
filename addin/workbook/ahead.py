"""Work made ahead in threads and given back in order: the two cores of a laptop at work together.

calamine's parse (Rust) and a polars query let the GIL go while they run; meanwhile Python
takes in the piece made before, or prepares the next one.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

_A = TypeVar("_A")
_R = TypeVar("_R")


def made_ahead(make: Callable[[_A], _R], work: Iterable[_A], workers: int) -> Iterator[_R]:
    """``make(piece)`` for each piece of ``work``, in its order, ``workers`` of them in the making at once.

    No more than ``workers`` results are in the making or waiting (each may be tens of MB). An
    error in ``make`` is raised here, at its piece; the threads are gone once this is walked or closed.
    """
    with ThreadPoolExecutor(workers, thread_name_prefix="ahead") as pool:
        making: deque[Future[_R]] = deque()
        for piece in work:
            making.append(pool.submit(make, piece))
            if len(making) == workers:
                yield making.popleft().result()
        while making:
            yield making.popleft().result()
