"""Safe writes: never half a workbook, never over a file open in Excel, always a way back.

``save_atomically(save, output)`` calls ``save(tmp)`` on a temporary file beside ``output``,
checks it is a complete xlsx (zip) file, keeps the previous ``output`` as ``name.bak.xlsx`` (or
``.bak.xlsm``) and renames the temporary file over ``output`` with ``os.replace``. Any failure
removes the temporary file and leaves ``output`` as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from .settings_sheet import WorkbookError


def lock_file(path: Path) -> Path:
    """Excel's owner file for an open workbook: ``~$name`` beside it."""
    return path.with_name("~$" + path.name)


def check_not_open(path: Path) -> None:
    lock = lock_file(path)
    if lock.exists():
        raise WorkbookError(f"{path}: is open in Excel ({lock.name} is beside it) - close it there and run again "
                            f"(or write elsewhere with -o)")


def backup_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.bak{path.suffix}")


def _mode_for(output: Path) -> int:
    """The permissions the file would have had: the old file's, else the usual ones (mkstemp's are 0600)."""
    if output.exists():
        return output.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def save_atomically(save: Callable[[Path], None], output: Path, *, backup: bool = True) -> Path | None:
    """Write via ``save(tmp)`` then replace ``output``; returns the backup written, if any."""
    output = Path(output)
    check_not_open(output)
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise WorkbookError(f"{output}: the folder {folder} does not exist")
    fd, name = tempfile.mkstemp(prefix=f".{output.stem}.", suffix=output.suffix, dir=folder)
    os.close(fd)
    tmp = Path(name)
    kept = None
    try:
        save(tmp)
        os.chmod(tmp, _mode_for(output))
        if not zipfile.is_zipfile(tmp):
            raise WorkbookError(f"{output}: the new workbook came out incomplete; nothing was replaced")
        if output.exists() and backup:
            kept = backup_path(output)
            check_not_open(kept)
            shutil.copy2(output, kept)
        os.replace(tmp, output)
    except OSError as exc:
        raise WorkbookError(f"{output}: cannot be written ({exc.strerror or exc})") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return kept
