"""Headless LibreOffice for tests: recalculate a workbook, or render it to PNG pages.

Not a test module. Tests import it (``from spreadsheet_engine import recalculate``) and use
LibreOffice Calc as an independent spreadsheet engine: write formulas, let Calc compute them,
read the values back with ``openpyxl.load_workbook(path, data_only=True)``.

Every soffice run gets a fresh, throw-away user profile whose configuration tells Calc to
always recalculate on load. Without it Calc trusts the values cached in the file (xlsxwriter
caches 0 for every formula), and a test would compare against stale numbers.

In CI (environment variable ``CI`` set) a missing soffice is a failure, never a skip:
call :func:`require_soffice` at the top of a test that needs it.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

#: Seconds one soffice conversion may take before it is killed (first start of a fresh
#: profile takes a few seconds; a big workbook a few more).
TIMEOUT = 300

# Calc, Formula, Load: 0 = always recalculate, 1 = never, 2 = prompt (headless: never).
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop>
</item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop>
</item>
<item oor:path="/org.openoffice.Office.Common/Misc">
  <prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop>
</item>
</oor:items>
"""


class SpreadsheetEngineError(RuntimeError):
    """soffice or pdftoppm did not produce what was asked for."""


def in_ci() -> bool:
    """True when the CI environment variable is set to something other than false/0/empty."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def soffice_executable() -> str | None:
    """Path of the LibreOffice binary, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_available(*, pdf_tools: bool = False) -> bool:
    """True if soffice is installed (and, with pdf_tools, poppler's pdftoppm and pdfinfo)."""
    if soffice_executable() is None:
        return False
    return not pdf_tools or bool(shutil.which("pdftoppm") and shutil.which("pdfinfo"))


def require_soffice(*, pdf_tools: bool = False) -> None:
    """Skip the calling test when LibreOffice is missing locally; fail it in CI."""
    import pytest

    if soffice_available(pdf_tools=pdf_tools):
        return
    what = "LibreOffice (soffice)" + (" and poppler-utils (pdftoppm, pdfinfo)" if pdf_tools else "")
    message = f"{what} not installed: apt-get install libreoffice-calc poppler-utils"
    if in_ci():
        pytest.fail(f"{message} (CI is set, so this is a failure, not a skip)")
    pytest.skip(message)


def _convert(source: Path, out_dir: Path, target: str) -> Path:
    """Run one ``soffice --headless --convert-to`` with a fresh always-recalculate profile."""
    exe = soffice_executable()
    if exe is None:
        raise SpreadsheetEngineError("soffice is not installed (apt-get install libreoffice-calc)")
    source = Path(source).resolve()
    if not source.is_file():
        raise FileNotFoundError(source)
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    extension = target.split(":", 1)[0]
    out = out_dir / f"{source.stem}.{extension}"
    if out == source:
        raise ValueError(f"converting {source} into its own directory would overwrite it")
    out.unlink(missing_ok=True)  # a stale file must not pass for this run's output

    with tempfile.TemporaryDirectory(prefix="soffice-profile-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
        cmd = [
            exe,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            "--calc",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            str(source),
        ]
        env = dict(os.environ, HOME=profile)  # nothing of the real home leaks in or gets written
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, env=env, check=False)
        except subprocess.TimeoutExpired as exc:
            raise SpreadsheetEngineError(f"soffice took over {TIMEOUT} s converting {source.name}") from exc
    # soffice exits 0 even when it could not load the file: the output file is the only proof.
    if run.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        raise SpreadsheetEngineError(
            f"soffice did not convert {source.name} to {extension} (exit {run.returncode}).\n"
            f"command: {' '.join(cmd)}\nstdout: {run.stdout.strip()}\nstderr: {run.stderr.strip()}"
        )
    return out


def recalculate(xlsx_in: Path, out_dir: Path) -> Path:
    """Open the workbook in LibreOffice Calc, recalculate every formula, save it as xlsx in out_dir.

    Returns the path of the recalculated copy (same file name, in out_dir); read it with
    ``openpyxl.load_workbook(path, data_only=True)``. out_dir must not be xlsx_in's directory.
    Raises SpreadsheetEngineError when soffice produced no file.
    """
    return _convert(Path(xlsx_in), Path(out_dir), "xlsx:Calc MS Excel 2007 XML")


def render_pdf(workbook: Path, out_dir: Path) -> Path:
    """The workbook (xlsx/xlsm/ods) printed to PDF by LibreOffice, after a full recalculation."""
    return _convert(Path(workbook), Path(out_dir), "pdf:calc_pdf_Export")


def pdf_page_count(pdf: Path) -> int:
    """Number of pages of a PDF (poppler's pdfinfo)."""
    run = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60, check=False)
    match = re.search(r"^Pages:\s+(\d+)", run.stdout, re.MULTILINE)
    if run.returncode != 0 or not match:
        raise SpreadsheetEngineError(f"pdfinfo could not read {pdf}: {run.stderr.strip()}")
    return int(match.group(1))


def page_pixels(pdf: Path, page: int, dpi: int = 100) -> np.ndarray:
    """One page of a PDF as poppler rasterises it: an (height, width, 3) array of RGB bytes."""
    run = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf)],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    # A binary PPM on stdout: "P6 <width> <height> 255", one whitespace byte, then the RGB bytes.
    head = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", run.stdout)
    if run.returncode != 0 or not head:
        why = run.stderr.decode().strip()
        raise SpreadsheetEngineError(f"pdftoppm could not rasterise page {page} of {pdf}: {why}")
    width, height = int(head[1]), int(head[2])
    data = run.stdout[head.end() : head.end() + width * height * 3]
    return np.frombuffer(data, dtype=np.uint8).reshape(height, width, 3)


def page_words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """Each word printed on a page with its box in points from the top left: (word, x0, y0, x1, y1)."""
    run = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if run.returncode != 0:
        raise SpreadsheetEngineError(f"pdftotext could not read {pdf}: {run.stderr.strip()}")
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', run.stdout
    )
    return [(html.unescape(w), float(a), float(b), float(c), float(d)) for a, b, c, d, w in found]


def background_under(pixels: np.ndarray, box: tuple[float, float, float, float], dpi: int = 100) -> tuple[int, ...]:
    """The colour a reader sees behind a word: the commonest pixel colour inside its box."""
    x0, y0, x1, y1 = (round(v * dpi / 72) for v in box)
    patch = pixels[y0:y1, x0:x1].reshape(-1, 3)
    colours, counts = np.unique(patch, axis=0, return_counts=True)
    return tuple(int(v) for v in colours[counts.argmax()])
