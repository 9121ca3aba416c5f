"""Shared builders: small exports shaped like TikTok's, written the way TikTok writes them."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path

TAB_FIELDS = {
    "Order ID",
    "SKU ID",
    "Created Time",
    "Paid Time",
    "RTS Time",
    "Shipped Time",
    "Delivered Time",
    "Cancelled Time",
    "Package ID",
    "Zipcode",
}
HEADERS = [
    "Order ID",
    "Order Status",
    "Order Substatus",
    "Cancelation/Return Type",
    "SKU ID",
    "Created Time",
    "Paid Time",
    "RTS Time",
    "Shipped Time",
    "Delivered Time",
    "Cancelled Time",
    "Cancel By",
    "Cancel Reason",
    "Buyer Message",
]


def write_export(path: Path, rows: list[dict], headers: list[str] = HEADERS) -> Path:
    """A CSV as TikTok writes it: UTF-8 with BOM, a tab after every time and long ID."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(headers)
        for row in rows:
            w.writerow([f"{row.get(h, '')}\t" if h in TAB_FIELDS else row.get(h, "") for h in headers])
    return path


@pytest.fixture(scope="session")
def small_us_workbook(tmp_path_factory) -> Path:
    """The 40-row US sample refreshed into a new workbook, once: tests copy it before changing it."""
    from sample_files import SMALL_US

    from addin.cli import main

    out = tmp_path_factory.mktemp("small_us") / "shop.xlsx"
    assert main(["refresh", str(SMALL_US), "-o", str(out), "--today", "2025-12-01"]) == 0
    return out


@pytest.fixture
def export_file(tmp_path):
    """``export_file(rows, headers=...)`` -> path of a TikTok-shaped CSV in a temporary folder."""
    counter = iter(range(1000))

    def make(rows: list[dict], headers: list[str] = HEADERS, name: str | None = None) -> Path:
        return write_export(tmp_path / (name or f"export{next(counter)}.csv"), rows, headers)

    return make


@pytest.fixture
def cli(capsys):
    """``cli(*args)`` -> (exit code, stdout, stderr) of ``autocancel ARGS`` run in this process.

    In-process so coverage follows the command and its report; a usage error argparse refuses
    raises SystemExit(2) as the real command exits 2.
    """
    from addin.cli import main

    def run(*args: object) -> tuple[int, str, str]:
        capsys.readouterr()  # what came before is not this command's
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run
