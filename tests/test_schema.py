"""Every workbook the product writes validates against ECMA-376 / ISO 29500 (tests/ooxml.py).

Excel answers a part that breaks the schema with "We found a problem with some content" and
repairs the file (a seller then sees their view, names or tables changed); LibreOffice and the
tests' openpyxl are more forgiving, so a separate validator is the only test that sees it.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from ooxml import rewrite_part, validate
from sample_files import SMALL_US

from addin.cli import main
from tools import template

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = SMALL_US
TODAY = "2025-12-01"


# -- the validator sees what Excel repairs ----------------------------------------------------------


def test_validator_reports_too_many_selections(small_us_workbook, tmp_path):
    """The schema allows one <selection> per pane (4 at most); five make Excel repair the view."""
    bad = shutil.copy(small_us_workbook, tmp_path / "bad.xlsx")
    sheets = [n for n in zipfile.ZipFile(bad).namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
    five = b'<selection pane="bottomRight"/>' * 5
    rewrite_part(
        bad,
        sheets[0],
        lambda xml: re.sub(
            rb"(<sheetView\b[^>]*?)/>",
            rb"\1>" + five + b"</sheetView>",
            re.sub(rb"<selection\b[^>]*/>", b"", xml),
            count=1,
        ),
    )
    assert any("selection" in p for p in validate(bad))


def test_validator_reports_a_foreign_font_property(small_us_workbook, tmp_path):
    bad = shutil.copy(small_us_workbook, tmp_path / "bad.xlsx")
    rewrite_part(bad, "xl/styles.xml", lambda xml: xml.replace(b"<font>", b"<font><glow/>", 1))
    assert any("<glow> is not a font property" in p for p in validate(bad))


# -- what the product writes ------------------------------------------------------------------------


def test_template_validates(tmp_path):
    assert validate(template.build_template(tmp_path / template.TEMPLATE_NAME)) == []


def test_committed_template_validates():
    assert validate(ROOT / template.TEMPLATE_NAME) == []


def test_new_workbook_validates(small_us_workbook):
    assert validate(small_us_workbook) == []


def test_formulas_workbook_validates(tmp_path):
    out = tmp_path / "live.xlsx"
    assert main(["refresh", str(SAMPLE), "-o", str(out), "--today", TODAY, "--formulas"]) == 0
    assert validate(out) == []


def test_workbook_refreshed_in_place_three_times_validates(small_us_workbook, tmp_path):
    path = shutil.copy(small_us_workbook, tmp_path / "again.xlsx")
    for _ in range(3):
        assert main(["refresh", str(path), "--today", TODAY]) == 0
    assert validate(path) == []


def paste(workbook: Path, export: Path) -> None:
    """The export's cells pasted into Orders at A1 as a seller pastes them (text as text)."""
    import csv

    import openpyxl

    if export.suffix == ".csv":
        with export.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
    else:
        rows = [
            list(r) for r in openpyxl.load_workbook(export, read_only=True).worksheets[0].iter_rows(values_only=True)
        ]
    book = openpyxl.load_workbook(workbook, keep_vba=True)
    ws = book["Orders"]
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            if v not in ("", None):
                ws.cell(r, c).value = v
    book.save(workbook)


@pytest.mark.parametrize(
    ("sample", "market"), [(SAMPLE, "US"), (ROOT / "examples" / "sample_th_export.xlsx", "TH")], ids=["US", "TH"]
)
def test_template_with_each_markets_export_pasted_and_refreshed_validates(tmp_path, sample, market):
    path = Path(shutil.copy(ROOT / template.TEMPLATE_NAME, tmp_path / "shop.xlsm"))
    paste(path, sample)
    assert main(["refresh", str(path), "--today", TODAY, "--market", market]) == 0
    assert validate(path) == []
