"""The refreshed workbook in an independent spreadsheet engine (LibreOffice): it renders, the
Summary prints on one page, and the ``--formulas`` deadlines compute the same dates as Python."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from sample_files import DATA
from spreadsheet_engine import (
    background_under,
    page_pixels,
    page_words,
    pdf_page_count,
    recalculate,
    render_pdf,
    require_soffice,
)

from addin.io.export import read_export
from addin.pipeline import Settings, run
from addin.workbook import (
    ORDERS,
    refresh_workbook,
    write_refreshed,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
pytestmark = pytest.mark.libreoffice
TODAY = dt.date(2025, 12, 1)
WHEN = dt.datetime(2025, 12, 1, 9, 30, tzinfo=dt.UTC)


def page_text(pdf: Path, page: int) -> str:
    run_ = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return run_.stdout


def is_red(rgb):
    r, g, b = rgb
    return r > g + 40 and r > b + 40


def is_green(rgb):
    r, g, b = rgb
    return g > r + 20 and g > b + 20


def is_yellow(rgb):
    r, g, b = rgb
    return r > b + 60 and g > b + 40 and abs(r - g) < 60


#: How a seller tells the risks apart on the printed Summary: the word on its colour.
RISK_LOOKS = {"Overdue": is_red, "On track": is_green, "At risk": is_yellow}


def backgrounds(pdf: Path, words: str) -> list[tuple[int, ...]]:
    """The background colour behind each place the words are printed on page 1 (first word's box)."""
    first, *rest = words.split()
    printed = page_words(pdf, 1)
    pixels = page_pixels(pdf, 1)
    return [
        background_under(pixels, box)
        for i, (word, *box) in enumerate(printed)
        if word == first and [w for w, *_ in printed[i + 1 : i + 1 + len(rest)]] == rest
    ]


# 40-row samples: a print of every risk on the Summary and a few Orders pages, not 400 rows of them.
@pytest.mark.parametrize(
    ("source", "rerun"), [("sample_us_export.csv", False), ("sample_us_export_with_edd.csv", True)]
)
def test_refreshed_workbook_renders_and_summary_is_one_page(tmp_path, source, rerun):
    """The new workbook (xlsxwriter) and a re-run of it (openpyxl) both print properly."""
    require_soffice(pdf_tools=True)
    out = tmp_path / "refreshed.xlsx"
    write_refreshed(run(read_export(DATA / source), Settings(today=TODAY)), out, refreshed_at=WHEN)
    if rerun:
        refresh_workbook(out, overrides={"today": TODAY}, refreshed_at=WHEN)
    pdf = render_pdf(out, tmp_path / "pdf")
    assert pdf_page_count(pdf) > 2
    first, second = page_text(pdf, 1), page_text(pdf, 2)
    assert "Auto-cancel guard" in first and "Seller-responsible cancellation rate" in first
    assert "most urgent open orders" in first and "Last refreshed" in first
    assert "What to do" in first and "What the colours mean" in first and "Los Angeles time" in first
    assert "Auto-cancel guard" not in second and "Order ID" in second  # page 2 is the Orders sheet
    assert "###" not in first and "###" not in second
    # Page 1 is the whole Summary (page 2 is already Orders): each risk printed on its colour in the
    # legend, the counts by risk and the urgent orders.
    for risk, looks in RISK_LOOKS.items():
        seen = backgrounds(pdf, risk)
        assert seen and any(looks(rgb) for rgb in seen), (risk, seen)
    assert not any(is_red(rgb) for rgb in backgrounds(pdf, "Done"))


@pytest.mark.parametrize(
    ("source", "market"), [(DATA / "sample_us_export_with_edd.csv", "US"), (EXAMPLES / "sample_th_export.xlsx", "TH")]
)
def test_formulas_recalculate_to_the_python_deadlines(tmp_path, source, market):
    require_soffice()
    from addin.core.markets import get_market
    from addin.core.policies import STANDARD

    # The seed rules every order gets (formulas are written where that rule is the order's answer).
    settings = Settings(today=TODAY, market=get_market(market), policy=STANDARD)
    refresh = run(read_export(source), settings)
    out = tmp_path / "live.xlsx"
    write_refreshed(refresh, out, formulas=True)
    ws = openpyxl.load_workbook(out)[ORDERS]
    h = [c.value for c in ws[1]]
    ship, delivery = h.index("Ship-by deadline") + 1, h.index("Delivery deadline") + 1
    assert str(ws.cell(2, ship).value).startswith("=") and "WORKDAY.INTL" in ws.cell(2, ship).value
    calc = openpyxl.load_workbook(recalculate(out, tmp_path / "calc"), data_only=True)[ORDERS]
    values = refresh.row_values()
    checked = 0
    for r in range(2, ws.max_row + 1):
        for col, expected in ((ship, values[0][r - 2]), (delivery, values[1][r - 2])):
            got = calc.cell(r, col).value
            want = None if np.isnat(expected) else expected.astype(object)
            got = got.date() if isinstance(got, dt.datetime) else (None if got in ("", None) else got)
            assert got == want, (r, col, got, want)
            checked += want is not None
    assert checked > len(refresh.export.rows) * 0.9
    # A re-run keeps the formulas (the workbook chose them) and they still compute the same.
    refresh_workbook(out, overrides={"today": TODAY})
    assert str(openpyxl.load_workbook(out)[ORDERS].cell(2, ship).value).startswith("=")


def test_template_renders_its_instructions_and_summary(tmp_path):
    """The template as LibreOffice prints it: the daily steps name the three buttons, the Summary
    says it is not refreshed yet, and no cell is too narrow for its value."""
    require_soffice(pdf_tools=True)
    from tools import template

    pdf = render_pdf(template.build_template(tmp_path / template.TEMPLATE_NAME), tmp_path / "pdf")
    text = "\n".join(page_text(pdf, p) for p in range(1, pdf_page_count(pdf) + 1))
    assert "Load export...: pick the downloaded file" in text and "Paste export: open the export" in text
    assert "Not refreshed yet." in text and "Your status spellings" in text
    assert "###" not in text and "docs/excel.md" not in text
