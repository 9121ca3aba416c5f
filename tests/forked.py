"""The command in a forked child of the test process, for what a subprocess cannot set up: a
memory cap, another user. The child's stderr comes back whole; a traceback in it is the test's
to see, never lost with the child."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


def cli_in_child(args: list[str], prepare: Callable[[], None] = lambda: None) -> tuple[int, str]:
    """``addin.cli.main(args)`` in a forked child after ``prepare()``: (exit code, stderr)."""
    import addin.cli

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 99
        try:
            os.close(read)
            sys.stderr = os.fdopen(write, "w", errors="backslashreplace")
            sys.stdout = Path(os.devnull).open("w")  # noqa: SIM115 - until os._exit
            prepare()
            code = addin.cli.main(args)
        except BaseException:  # noqa: BLE001 - the test reads what escaped
            import traceback

            traceback.print_exc()
        finally:
            sys.stderr.flush()
            os._exit(code)
    os.close(write)
    with os.fdopen(read, errors="replace") as f:
        err = f.read()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), err
