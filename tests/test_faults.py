"""File-system faults, as an unlucky seller meets them: a full disk, a read-only folder, a kill -9
part-way, two refreshes at once. Each ends in the right workbook or one line naming the file, exit
2, and nothing left behind that the run did not mean to write; the seller's files never change."""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from pathlib import Path

import pytest
from forked import cli_in_child
from sample_files import SMALL_US
from spreadsheet_engine import in_ci

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = SMALL_US
pytestmark = pytest.mark.slow  # child processes, mounts, kills: seconds each
NOBODY = 65534


def autocancel(*args: str | Path, env: dict | None = None, prelude: str = "") -> subprocess.CompletedProcess:
    """The command in a child process; ``prelude`` is test code run in the child first (fault hooks)."""
    code = prelude + "\nimport sys\nfrom addin.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        errors="replace",
        env={**os.environ, **(env or {})},
        timeout=300,
        check=False,
    )


def one_line_naming(stderr: str, name: str) -> str:
    """The one error line; the market note (which market the file was counted on) is not an error."""
    lines = [line for line in stderr.strip().splitlines() if not line.startswith("autocancel: note:")]
    assert len(lines) == 1, stderr
    assert name in lines[0] and "Traceback" not in stderr
    return lines[0]


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def tmpfs():
    """``tmpfs(size)`` -> a fresh tmpfs of ``size`` bytes, unmounted afterwards."""
    mounted: list[Path] = []

    def make(size: int) -> Path:
        where = Path(tempfile.mkdtemp(prefix="autocancel-tmpfs-"))
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            where.rmdir()
            why = f"mounting a tmpfs is not allowed here ({done.stderr.strip()}): the full-disk cases need one (root)"
            if in_ci():
                pytest.fail(f"{why} (CI is set, so this is a failure, not a skip)")
            pytest.skip(why)
        mounted.append(where)
        return where

    yield make
    for where in mounted:
        subprocess.run(["umount", "-l", str(where)], check=False)
        where.rmdir()


def fill(folder: Path, leave: int) -> None:
    """Fill the file system of ``folder`` until about ``leave`` bytes are free."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    with (folder / "filler").open("wb") as f:
        f.write(b"\0" * max(free - leave, 0))


@functools.cache
def _two_runs() -> tuple[bytes, bytes]:
    """The workbook and its backup after two runs of the command, made once: (shop.xlsx, shop.bak.xlsx)."""
    with tempfile.TemporaryDirectory() as folder:
        export, out = Path(folder) / "shop.csv", Path(folder) / "shop.xlsx"
        shutil.copy(SAMPLE, export)
        for _ in range(2):
            done = autocancel("refresh", export, "-o", out, "--today", "2025-11-20")
            assert done.returncode == 0, done.stderr
        return out.read_bytes(), (Path(folder) / "shop.bak.xlsx").read_bytes()


def refreshed(folder: Path) -> Path:
    """A refreshed workbook and its backup in ``folder``, as a seller has them after two runs."""
    workbook, backup = _two_runs()
    (folder / "shop.bak.xlsx").write_bytes(backup)
    out = folder / "shop.xlsx"
    out.write_bytes(workbook)
    return out


def test_disk_full_on_a_new_workbook_is_one_line_and_leaves_no_file(tmpfs):
    disk = tmpfs(1 << 20)
    fill(disk, 16 << 10)
    done = autocancel("refresh", SAMPLE, "-o", disk / "shop.xlsx", "--today", "2025-11-20")
    assert done.returncode == 2
    assert "No space left on device" in one_line_naming(done.stderr, "shop.xlsx")
    assert files(disk) == ["filler"]


# The 40-row workbook is about 38 KB: full before the new workbook / during the backup copy.
@pytest.mark.parametrize("leave", [8 << 10, 56 << 10])
def test_disk_full_in_place_keeps_the_workbook_and_its_backup(tmpfs, leave):
    disk = tmpfs(4 << 20)
    out = refreshed(disk)
    backup = disk / "shop.bak.xlsx"
    before, old_backup = out.read_bytes(), backup.read_bytes()
    fill(disk, leave)
    done = autocancel("refresh", out, "--today", "2025-11-21")
    assert done.returncode == 2
    one_line_naming(done.stderr, "shop.xlsx")  # and no ZipFile.__del__ traceback after it
    assert out.read_bytes() == before and backup.read_bytes() == old_backup
    assert files(disk) == ["filler", "shop.bak.xlsx", "shop.xlsx"]


def test_a_read_only_file_system_is_one_line(tmpfs):
    disk = tmpfs(4 << 20)
    out = refreshed(disk)
    before = out.read_bytes()
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    done = autocancel("refresh", out, "--today", "2025-11-21")
    assert done.returncode == 2
    assert "Read-only file system" in one_line_naming(done.stderr, "shop.xlsx")
    assert out.read_bytes() == before


def as_nobody(*args: str | Path) -> tuple[int, str]:
    """The command as an ordinary user (uid 65534), in a forked child: root ignores permissions.

    The child forks from this process after a warm-up run of the same command on a scratch copy,
    so every module it needs is already loaded (the Python installation may sit where that user
    cannot read)."""
    import encodings.cp437
    import encodings.cp1252
    import encodings.utf_16  # noqa: F401

    import addin.cli

    with tempfile.TemporaryDirectory() as scratch:
        out = refreshed(Path(scratch))
        shutil.copy(SAMPLE, Path(scratch) / "shop.csv")
        for warm in (["refresh", out], ["refresh", Path(scratch) / "shop.csv"]):
            assert addin.cli.main([str(a) for a in warm] + ["--today", "2025-11-21"]) == 0

    def become_nobody() -> None:
        if os.getuid() == 0:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)

    return cli_in_child([str(a) for a in args], become_nobody)


@pytest.fixture
def shared_folder():
    """A folder an ordinary user can enter (pytest's own are private to root)."""
    where = Path(tempfile.mkdtemp(prefix="autocancel-faults-"))
    where.chmod(0o755)
    yield where
    where.chmod(0o755)
    shutil.rmtree(where)


def test_a_read_only_folder_is_one_line(shared_folder):
    out = refreshed(shared_folder)
    before = out.read_bytes()
    shared_folder.chmod(0o555)
    code, err = as_nobody("refresh", out, "--today", "2025-11-21")
    assert code == 2, err
    assert "Permission denied" in one_line_naming(err, "shop.xlsx")
    assert out.read_bytes() == before and files(shared_folder) == ["shop.bak.xlsx", "shop.xlsx"]


def test_an_unreadable_csv_is_one_line(shared_folder):
    export = shared_folder / "locked.csv"
    shutil.copy(SAMPLE, export)
    export.chmod(0o000)
    code, err = as_nobody("refresh", export, "--today", "2025-11-21")
    assert code == 2, err
    assert "Permission denied" in one_line_naming(err, "locked.csv")
    assert files(shared_folder) == ["locked.csv"]


def test_long_and_undecodable_file_names(tmp_path):
    long = tmp_path / ("x" * 245 + ".csv")
    shutil.copy(SAMPLE, long)
    done = autocancel("refresh", long, "--today", "2025-11-20")
    assert done.returncode == 2
    assert "File name too long" in one_line_naming(done.stderr, "x" * 40)
    odd = tmp_path / os.fsdecode(b"caf\xe9.csv")
    shutil.copy(SAMPLE, odd)
    done = autocancel("refresh", odd, "--today", "2025-11-20")
    assert done.returncode == 0, done.stderr
    assert os.fsdecode(b"caf\xe9_refreshed.xlsx") in files(tmp_path)


KILL = """
import os, signal, shutil, zipfile
def die(*_a, **_k):
    os.kill(os.getpid(), signal.SIGKILL)
"""
#: Where a kill -9 lands: mid-way through the new workbook's zip (its fifth part), half-way through the backup
#: copy, and just before the new workbook replaces the old one.
KILL_POINTS = {
    "writing the workbook": KILL
    + textwrap.dedent("""
        _writestr, calls = zipfile.ZipFile.writestr, []
        def writestr(self, *a, **k):
            if self.filename is not None:  # a zip on disk (the workbook), not one in memory
                calls.append(1)
                if len(calls) == 5:
                    die()
            return _writestr(self, *a, **k)
        zipfile.ZipFile.writestr = writestr
        """),
    "copying the backup": KILL
    + textwrap.dedent("""
        def copy2(src, dst, **_k):
            data = open(src, 'rb').read()
            with open(dst, 'wb') as f:
                f.write(data[: len(data) // 2])
                f.flush()
            die()
        shutil.copy2 = copy2
        """),
    "replacing the workbook": KILL
    + textwrap.dedent("""
        _replace = os.replace
        def replace(src, dst):
            if str(dst).endswith('shop.xlsx'):
                die()
            return _replace(src, dst)
        os.replace = replace
        """),
}


@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_kill_part_way_loses_nothing_and_the_next_run_cleans_up(tmp_path, point):
    out = refreshed(tmp_path)
    backup = tmp_path / "shop.bak.xlsx"
    before, old_backup = out.read_bytes(), backup.read_bytes()
    done = autocancel("refresh", out, "--today", "2025-11-21", prelude=KILL_POINTS[point])
    assert done.returncode == -signal.SIGKILL
    assert out.read_bytes() == before
    # The backup is whole: the old one, or (killed after it was swapped) the workbook as it was.
    assert backup.read_bytes() == (before if point == "replacing the workbook" else old_backup)
    assert any(name.startswith(".~autocancel-") for name in files(tmp_path))  # the killed run's leftovers
    done = autocancel("refresh", out, "--today", "2025-11-21")
    assert done.returncode == 0, done.stderr
    assert files(tmp_path) == ["shop.bak.xlsx", "shop.xlsx"]
    assert backup.read_bytes() == before  # the backup is the workbook as it was before this run


def test_a_save_that_fails_during_the_backup_keeps_the_old_backup(tmp_path, monkeypatch):
    from addin.errors import WorkbookError
    from addin.workbook import safe

    out = refreshed(tmp_path)
    backup = tmp_path / "shop.bak.xlsx"
    before, old_backup = out.read_bytes(), backup.read_bytes()

    def full_disk(src, dst, **_kwargs):
        Path(dst).write_bytes(Path(src).read_bytes()[:100])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safe.shutil, "copy2", full_disk)
    with pytest.raises(WorkbookError, match=r"shop\.xlsx: cannot be written .No space left on device"):
        safe.save_atomically(lambda tmp: shutil.copy(out, tmp), out)
    assert out.read_bytes() == before and backup.read_bytes() == old_backup
    assert files(tmp_path) == ["shop.bak.xlsx", "shop.xlsx"]


def test_two_refreshes_at_once_both_finish_with_a_whole_workbook(tmp_path):
    out = refreshed(tmp_path)
    code = "import sys\nfrom addin.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code, "refresh", str(out), "--today", "2025-11-21"],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in runs]
    assert [code for code, _ in results] == [0, 0], results
    assert files(tmp_path) == ["shop.bak.xlsx", "shop.xlsx"]
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None and "xl/workbook.xml" in z.namelist()
