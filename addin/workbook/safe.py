"""Safe writes: never half a workbook, never over a file open in Excel, always a way back.

``save_atomically(save, output)`` makes a private folder beside ``output``
(``.~autocancel-<pid>-<random>``) and calls ``save(tmp)`` on a file inside it, so every file the
writer makes (xlsxwriter's own temporary parts too) lives there. Once the new workbook is whole
(a complete zip, flushed to disk), the previous ``output`` is copied to a new backup in the same
folder, which replaces ``name.bak.xlsx`` (or ``.bak.xlsm``) only when it too is whole; then the new
workbook replaces ``output`` with ``Path.replace`` (``os.replace``). Any failure leaves ``output`` and the old backup
as they were, and the private folder is removed. A run killed half-way leaves its folder: the next
run removes it (the folder's process id is no longer running).
"""

from __future__ import annotations

import errno
import gc
import os
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import WorkbookError
from ..io.export import shown

if TYPE_CHECKING:
    from collections.abc import Callable

_PRIVATE = ".~autocancel-"
#: On Windows a process id cannot be asked about safely; a private folder this old is stale.
_STALE_SECONDS = 24 * 3600


def lock_file(path: Path) -> Path:
    """Excel's owner file for an open workbook: ``~$name`` beside it."""
    return path.with_name("~$" + path.name)


def _exists(path: Path, named: Path | None = None) -> bool:
    """``path.exists()``, with a name the file system refuses (too long...) as one line naming ``named``."""
    try:
        return path.exists()
    except OSError as exc:
        raise WorkbookError(
            f"{shown(named or path)}: cannot be written ({exc.strerror or exc}) - choose a shorter name with -o"
        ) from None


def check_not_open(path: Path) -> None:
    """Refuse to write a workbook Excel has open (its lock file is beside it): one line, nothing written."""
    lock = lock_file(path)
    if _exists(lock, path):
        raise WorkbookError(
            f"{shown(path)}: is open in Excel ({shown(lock.name)} is beside it) - close it there "
            f"and run again (or write elsewhere with -o)"
        )


def backup_path(path: Path) -> Path:
    """Where the workbook as it was before a refresh is kept: ``name.bak.xlsx`` beside it."""
    return path.with_name(f"{path.stem}.bak{path.suffix}")


def _mode_for(output: Path) -> int:
    """The permissions the file would have had: the old file's, else the usual ones (mkstemp's are 0600)."""
    if _exists(output):
        return output.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _running(pid: int) -> bool:
    if os.name != "posix":
        return True  # (os.kill with signal 0 would end the process on Windows)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: running
        return True
    return True


def remove_stale(folder: Path) -> None:
    """Private folders of runs that were killed half-way (their process is gone, or a day old)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(_PRIVATE) or not entry.is_dir(follow_symlinks=False):
            continue
        pid = entry.name[len(_PRIVATE) :].partition("-")[0]
        try:
            old = time.time() - entry.stat(follow_symlinks=False).st_mtime > _STALE_SECONDS
        except OSError:
            continue
        if pid.isdigit() and int(pid) != os.getpid() and (old or not _running(int(pid))):
            shutil.rmtree(entry.path, ignore_errors=True)


#: How deep in a chain of wrapped errors the file-system error is looked for.
_CHAIN_DEPTH = 10


def _os_error(exc: BaseException) -> OSError | None:
    """The file-system error behind ``exc`` (xlsxwriter wraps it in FileCreateError)."""
    link: BaseException | None = exc
    for _ in range(_CHAIN_DEPTH):
        if link is None or isinstance(link, OSError):
            return link
        inner = next((a for a in getattr(link, "args", ()) if isinstance(a, OSError)), None)
        link = inner or link.__cause__ or link.__context__
    return None


def _let_go(exc: BaseException) -> None:
    """Free what the failed save still holds, quietly.

    A zip file left open in the failed writer's frames would, when collected later, try again to
    write its directory to the full disk and print a traceback after our one-line message.
    """
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        seen: set[int] = set()
        link: BaseException | None = exc
        while link is not None and id(link) not in seen:  # the chain too: the first error holds the deepest frames
            seen.add(id(link))
            if link.__traceback__ is not None:
                traceback.clear_frames(link.__traceback__)
            link = link.__context__
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _flush(path: Path) -> None:
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def save_atomically(save: Callable[[Path], None], output: Path, *, backup: bool = True) -> Path | None:
    """Write via ``save(tmp)`` then replace ``output``; returns the backup written, if any."""
    output = Path(output)
    where = shown(output)
    check_not_open(output)
    folder = output.parent if str(output.parent) else Path()
    if not folder.is_dir():
        raise WorkbookError(f"{where}: the folder {shown(folder)} does not exist")
    remove_stale(folder)
    private: Path | None = None
    kept = None
    try:
        private = Path(tempfile.mkdtemp(prefix=f"{_PRIVATE}{os.getpid()}-", dir=folder))
        tmp = private / ("new" + output.suffix)
        try:
            save(tmp)
        except BaseException as exc:
            _let_go(exc)
            if (cause := _os_error(exc)) is not None and cause is not exc:
                raise cause from None
            if isinstance(exc, UnicodeEncodeError):  # a name or cell the XML writer cannot store
                raise WorkbookError(
                    f"{where}: cannot be written (the text {exc.object[exc.start : exc.end]!r} "
                    f"is not Unicode); nothing was changed"
                ) from None
            raise
        if not tmp.is_file() or not zipfile.is_zipfile(tmp):
            raise WorkbookError(f"{where}: the new workbook came out incomplete; nothing was replaced")
        tmp.chmod(_mode_for(output))
        _flush(tmp)
        if _exists(output) and backup:
            kept = backup_path(output)
            check_not_open(kept)
            new_backup = private / ("backup" + output.suffix)
            shutil.copy2(output, new_backup)
            _flush(new_backup)
            new_backup.replace(kept)  # the old backup goes only now that the new one is whole
        tmp.replace(output)
    except OSError as exc:
        what = exc.strerror or str(exc)
        hint = {
            errno.EACCES: " - is the folder read-only, or the file open in another program?",
            errno.EROFS: " - the disk is read-only",
        }.get(exc.errno or 0, "")
        raise WorkbookError(f"{where}: cannot be written ({what}){hint}; nothing was changed") from None
    finally:
        if private is not None:
            shutil.rmtree(private, ignore_errors=True)
    return kept
