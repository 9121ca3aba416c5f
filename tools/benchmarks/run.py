"""Benchmarks: every figure is a ratio against a reference measured in the same run.

    python -m tools.benchmarks.run                     # 10,000 and 100,000 rows (a few minutes)
    python -m tools.benchmarks.run --sizes 10000,100000,1048575 --libreoffice 10000,100000

Sections:
- engine: deadlines + risk per second, against a per-row loop with dateutil and python-holidays;
- check / refresh end to end, against headless LibreOffice recalculating the same deadlines as
  WORKDAY.INTL formulas over the same rows and writing xlsx;
- in place: ``autocancel refresh`` of the workbook the command wrote (an existing .xlsx), of the
  same workbook once saved by LibreOffice (its text in shared strings, as Excel saves it; not
  timed), and of the template .xlsm with the export pasted at A1 (as text, as Excel pastes a CSV),
  beside LibreOffice on the same rows (``--inplace`` sizes);
- peak memory of each (a child process's max RSS, LibreOffice's included);
- a UDF call over a 100,000-cell column (Python side), against the same per-row loop.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from addin.core.assess import CANCELLED_RISK  # noqa: E402
from addin.core.policies import STANDARD  # noqa: E402
from addin.io.export import read_export  # noqa: E402
from addin.pipeline import Settings, run  # noqa: E402
from tools import samples  # noqa: E402
from tools.benchmarks.reference import ship_by_per_row  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Callable

    from addin.core.export import Export

TODAY = samples.SAMPLE_TODAY
T = TypeVar("T")


def timed(fn: Callable[..., T], *args: object, repeat: int = 1) -> tuple[float, T]:
    """Best wall time of ``repeat`` calls (at least one), and the last result."""
    best = float("inf")
    for _ in range(max(repeat, 1)):
        t = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - t)
    return best, result


class Run(NamedTuple):
    """One command: wall and CPU (user + system) seconds, peak RSS in MB."""

    wall: float
    cpu: float
    peak: float

    def __str__(self) -> str:
        return f"{self.wall:.1f} s ({self.cpu:.1f} s CPU), peak {self.peak:,.0f} MB"

    def share(self, reference: Run) -> str:
        """The run's time as a share of the reference's, wall and CPU (CPU is steadier on a busy machine)."""
        return f"wall {self.wall / reference.wall:.2f}x, CPU {self.cpu / reference.cpu:.2f}x"


def child(cmd: list[str]) -> Run:
    """Wall and CPU seconds and peak RSS (MB) of a command, measured for that child alone (wait4)."""
    return child_env(cmd, None)


def child_env(cmd: list[str], env: dict[str, str] | None) -> Run:
    """:func:`child` with an environment; the peak counts the child's own children (soffice)."""
    with tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed:\n{err.read().decode(errors='replace')}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def bench_engine(export: Export, n_rows: int) -> dict[str, object]:
    """Deadlines + risk for every row: the engine against the per-row loop (on a sample of rows)."""
    settings = Settings(today=TODAY, policy=STANDARD)  # the rule the per-row loop implements
    engine_s, refresh = timed(lambda: run(export, settings), repeat=3)
    created = refresh.export.column("created")
    sample = created[: min(n_rows, 20_000)]
    loop_s, reference = timed(ship_by_per_row, [str(c) for c in sample], TODAY)
    loop_rate = len(sample) / loop_s
    # Same answers where both apply: the standard ship-by rule is for normal orders the seller ships,
    # still open (a cancelled order, a pre-order or an FBT order has no ship-by deadline of its own).
    a, rows = refresh.assessment, refresh.orders.row_order[: len(sample)]
    ship_by, risk, kinds = a.ship_by[rows], a.risk[rows], refresh.kinds
    other_kind = (kinds.pre_order | kinds.by_tiktok)[rows]
    applies = [
        r != CANCELLED_RISK and not other and day is not None
        for (day, _), r, other in zip(reference, risk, other_kind, strict=True)
    ]
    agree = sum(
        1 for (day, _), ours, ok in zip(reference, ship_by, applies, strict=True) if ok and np.datetime64(day) == ours
    )
    return {
        "rows": n_rows,
        "engine_rows_per_s": n_rows / engine_s,
        "loop_rows_per_s": loop_rate,
        "speedup": (n_rows / engine_s) / loop_rate,
        "ship_by_agree": f"{agree}/{sum(applies)}",
    }


def bench_udf(n_cells: int = 100_000) -> dict[str, float]:
    """=CANCEL_DEADLINE over a 100,000-cell column, Python side, against the per-row loop."""
    from addin.udfs import cancel_deadline

    times = [row[samples.US_COLUMNS.index("Created Time")] for row in samples.generate_rows(n_cells, today=TODAY)]
    column = [[t] for t in times]  # what xlwings hands over for a column argument (ndim=2)
    udf_s, result = timed(cancel_deadline, column, repeat=3)
    if result is None or len(result) != n_cells:
        raise SystemExit(f"=CANCEL_DEADLINE gave {0 if result is None else len(result)} answers for {n_cells} cells")
    loop_s, _ = timed(ship_by_per_row, times[:20_000], TODAY)
    return {"cells": n_cells, "udf_s": udf_s, "loop_s_estimate": loop_s * n_cells / 20_000}


def main() -> None:
    """Run the sections for each size; every figure printed with its reference."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--libreoffice", default="10000,100000", help="sizes to also time LibreOffice on ('' = none)")
    ap.add_argument("--inplace", default=None, help="sizes to also refresh in place (default: --sizes; '' = none)")
    ap.add_argument("--keep", type=Path, help="keep generated files here")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    lo_sizes = {int(s) for s in args.libreoffice.split(",") if s}
    inplace_sizes = set(sizes) if args.inplace is None else {int(s) for s in args.inplace.split(",") if s}
    work = args.keep or Path(tempfile.mkdtemp(prefix="autocancel-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}; today = {TODAY}"
    )
    for n in sizes:
        csv_path = samples.write_csv(work / f"us_{n}.csv", n, today=TODAY)
        export = read_export(csv_path)
        e = bench_engine(export, n)
        print(f"\n== {n:,} rows ==")
        print(
            f"engine: {e['engine_rows_per_s']:,.0f} rows/s vs per-row loop {e['loop_rows_per_s']:,.0f} rows/s "
            f"= {e['speedup']:.0f}x (ship-by agree {e['ship_by_agree']})"
        )
        del export
        for name, extra in (("check", ["--json"]), ("refresh", ["-o", str(work / f"us_{n}.xlsx")])):
            cmd = [sys.executable, "-m", "addin", name, str(csv_path), "--today", TODAY.isoformat(), *extra]
            ran = child(cmd)
            print(f"autocancel {name}: {ran}")
            if name == "refresh" and n in lo_sizes:
                lo = libreoffice_time(csv_path, work, n)
                print(f"LibreOffice WORKDAY.INTL recalc + xlsx: {lo} -> refresh vs LibreOffice: {ran.share(lo)}")
        if n in inplace_sizes:
            bench_inplace(csv_path, work, n, lo if n in lo_sizes else None)
    u = bench_udf()
    print(
        f"\nUDF =CANCEL_DEADLINE over {u['cells']:,} cells: {u['udf_s']:.2f} s vs per-row loop "
        f"{u['loop_s_estimate']:.1f} s = {u['loop_s_estimate'] / u['udf_s']:.0f}x"
    )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def pasted_template(csv_path: Path, out: Path) -> Path:
    """The template .xlsm with the export pasted at A1 as Excel pastes a CSV.

    Every cell text, the template's row 1 kept right of the pasted headers. Written as sheet XML
    (openpyxl would take minutes for 100,000 rows); every other part of the template is copied as it is.
    """
    import openpyxl
    from openpyxl.utils import get_column_letter

    from addin.io.xlsx_cells import Book
    from addin.workbook.fast_rows import rows_xml, write_with_rows

    template = ROOT / "workbook_template.xlsm"
    export = read_export(csv_path)
    width = len(export.headers)
    book = openpyxl.load_workbook(template, read_only=True)
    kept = [c.value for c in next(book["Orders"].iter_rows(max_row=1))][width:]
    book.close()
    parts = Book(str(template), str(template))
    part = parts.sheets["Orders"]
    parts.close()
    with zipfile.ZipFile(template) as z:
        xml = z.read(part).decode()
        last = get_column_letter(width + len(kept))
        xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}{len(export.rows) + 1}"/>', xml)
        start, end = xml.index("<sheetData"), xml.index("</sheetData>") + len("</sheetData>")
        shell = io.BytesIO()
        with zipfile.ZipFile(shell, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in z.infolist():
                data = z.read(info) if info.filename != part else (xml[:start] + "<sheetData></sheetData>" + xml[end:])
                dst.writestr(info, data)
    rows = [[*export.headers, *kept], *(list(r) for r in export.rows)]
    shell.seek(0)
    write_with_rows(shell, out, part, lambda: rows_xml(rows, [""] * (width + len(kept)), first_row=1))
    return out


def bench_inplace(csv_path: Path, work: Path, n: int, lo: Run | None) -> None:
    """``autocancel refresh`` in place: the workbook the command wrote, as written and as saved again, and the template.

    Peak memory of each, and the share of LibreOffice's time for the same rows.
    """
    shop = work / f"shop_{n}.xlsx"
    child([sys.executable, "-m", "addin", "refresh", str(csv_path), "-o", str(shop), "--today", TODAY.isoformat()])
    saved = work / "saved" / shop.name  # saved by LibreOffice before the command refreshes ``shop`` in place
    script = f"import spreadsheet_engine; spreadsheet_engine.recalculate({str(shop)!r}, {str(saved.parent)!r})"
    child_env([sys.executable, "-c", script], dict(os.environ, PYTHONPATH=str(ROOT / "tests")))
    cases = [
        ("existing .xlsx", shop),
        ("the same .xlsx saved again, text in shared strings", saved),
        ("template .xlsm, export pasted", pasted_template(csv_path, work / f"t_{n}.xlsm")),
    ]
    for what, path in cases:
        ran = child([sys.executable, "-m", "addin", "refresh", str(path), "--today", TODAY.isoformat()])
        share = f" -> vs LibreOffice: {ran.share(lo)}" if lo else ""
        print(f"autocancel refresh in place, {what}: {ran}{share}")


def libreoffice_time(csv_path: Path, work: Path, n: int) -> Run:
    """LibreOffice with the same rows and columns plus WORKDAY.INTL formulas: recalculate, save xlsx.

    The input workbook (every export cell as text, the ship-by deadline and days left as formulas
    over a Holidays sheet) is prepared untimed; the time is LibreOffice loading it, recalculating
    and writing the result, the same work `autocancel refresh` does.
    """
    import xlsxwriter

    from addin.pipeline import calendar_for

    export = read_export(csv_path)
    created_col = export.columns["created"]
    width = len(export.headers)
    holidays = [d for d, _ in calendar_for("US").non_working_days(TODAY.year - 1, TODAY.year + 1)]
    src = work / f"lo_{n}.xlsx"
    book = xlsxwriter.Workbook(str(src), {"constant_memory": True, "strings_to_formulas": False})
    ws = book.add_worksheet("Orders")
    hol = book.add_worksheet("Holidays")
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    for i, d in enumerate(holidays):
        hol.write_datetime(i, 0, dt.datetime.combine(d, dt.time()), date_fmt)
    ws.write_row(0, 0, [*export.headers, "Ship-by deadline", "Days left"])
    created = xlsxwriter.utility.xl_col_to_name(created_col)
    deadline = xlsxwriter.utility.xl_col_to_name(width)
    last = len(holidays)
    for r, row in enumerate(export.rows, start=1):
        for c, value in enumerate(row):
            if value != "":
                ws.write_string(r, c, str(value))
        ws.write_formula(
            r,
            width,
            f'=WORKDAY.INTL(DATEVALUE(LEFT({created}{r + 1},10)),7,"0000011",Holidays!$A$1:$A${last})',
            date_fmt,
        )
        ws.write_formula(r, width + 1, f"={deadline}{r + 1}-DATE({TODAY.year},{TODAY.month},{TODAY.day})")
    book.close()
    script = f"import spreadsheet_engine; spreadsheet_engine.recalculate({str(src)!r}, {str(work / 'lo_out')!r})"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tests"))
    return child_env([sys.executable, "-c", script], env)


if __name__ == "__main__":
    main()
