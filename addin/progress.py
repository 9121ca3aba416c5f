"""A progress bar on stderr for long runs of the command, drawn only where a person watches.

Nothing is drawn when stderr is not a terminal (scripts, CI, ``--json`` pipelines), so the
command's output stays exactly what it documents.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 28
EVERY_S = 0.2  # redraw at most five times a second


class Progress:
    """``stage(label, total)`` then ``update(done)``; ``close()`` clears the line."""

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.label, self.total, self._drawn = "", 0, 0.0

    def stage(self, label: str, total: int = 0) -> None:
        """Start a stage ("Reading orders.csv") of ``total`` rows (0: a count without a bar)."""
        self.label, self.total, self._drawn = label, total, 0.0
        self.update(0, force=True)

    def update(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        """Rows done so far; drawn at most every EVERY_S seconds unless ``force``."""
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._drawn < EVERY_S:
            return
        self._drawn = now
        total = total or self.total
        if total:
            filled = min(WIDTH, WIDTH * done // total)
            bar = f"[{'#' * filled}{'.' * (WIDTH - filled)}] {done:,} of {total:,} rows"
        else:
            bar = f"{done:,} rows" if done else ""
        self.stream.write(f"\r\x1b[K{self.label} {bar}")
        self.stream.flush()

    def close(self) -> None:
        """Clear the line, so that what is printed next starts on a clean one."""
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
