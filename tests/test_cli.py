"""The `autocancel` command as a seller or a script runs it."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from addin import __version__
from addin.cli import main

ROOT = Path(__file__).resolve().parent.parent

# An export that says nothing of its market is counted on the US calendar, and the command says so.
DEFAULT_NOTE = (
    "autocancel: note: market US (the default): nothing in the file says which market it is from; "
    "give the market if it is not US\n"
)


ROWS = [
    {
        "Order ID": "576000000000000001",
        "Order Status": "To ship",
        "Created Time": "11/10/2025 7:44:26 AM",
        "SKU ID": "1729000000000000001",
        "Buyer Message": '=HYPERLINK("http://x")',
    },
    {
        "Order ID": "576000000000000001",
        "Order Status": "To ship",
        "Created Time": "11/10/2025 7:44:26 AM",
        "SKU ID": "1729000000000000002",
        "Buyer Message": "@seller +1 -2",
    },
    {
        "Order ID": "576000000000000002",
        "Order Status": "Cancelled",
        "Created Time": "11/20/2025 7:44:26 AM",
        "Cancel By": "Seller",
        "Cancel Reason": "Out of stock",
    },
]


def test_check_json_is_exactly_the_documented_shape(cli, export_file):
    code, out, err = cli("check", export_file(ROWS), "--today", "2025-11-26", "--json")
    assert (code, err) == (0, DEFAULT_NOTE)
    doc = json.loads(out)
    assert doc["orders"] == {
        "576000000000000001": {
            "ship_by": "2025-11-20",
            "delivery": None,
            "next_deadline": "2025-11-20",
            "days_left": -6,
            "risk": "Overdue",
        },
        "576000000000000002": {
            "ship_by": "2025-12-02",
            "delivery": None,
            "next_deadline": None,
            "days_left": None,
            "risk": "Cancelled",
        },
    }
    summary = doc["summary"]
    assert {k: summary.pop(k) for k in ("policy_source", "thresholds", "verdict", "unverified")}
    # US rules (KB 3995852763301633): dispatch by Wed 12 Nov (11 Nov off), missed by the open order.
    assert summary == {
        "orders": 2,
        "confirmed": 2,
        "cancelled": 1,
        "seller_responsible": 1,
        "seller_responsible_rate": 0.5,
        "not_seller": 0,
        "unclassified": 0,
        "appealable": 0,
        "excluded": {},
        "risk_counts": {
            "Overdue": 1,
            "Due today": 0,
            "At risk": 0,
            "Check data": 0,
            "Pre-order": 0,
            "On track": 0,
            "TikTok fulfils": 0,
            "Unpaid": 0,
            "Done": 0,
            "Cancelled": 1,
        },
        "projected_rate": 1.0,
        "window_days": None,
        "target": 0.025,
        "light": "red",
        "late_dispatch_rate": 1.0,
        "late_dispatch": 1,
        "dispatch_due": 1,
        "late_dispatch_target": 0.04,
        "to_do": [{"rule": "dispatch", "late": 1, "due_soon": 0}, {"rule": "refund-request", "late": 0, "due_soon": 0}],
        "policy": "us-official",
    }


def test_check_report_reads_well(cli, export_file):
    code, out, _ = cli("check", export_file(ROWS), "--today", "2025-11-26")
    assert code == 0
    assert "Seller-fault cancellation rate: 50.00% (1 of 2 confirmed orders" in out
    assert "target 2.5%: ABOVE TARGET" in out
    assert "Late dispatch rate: 100.00% (1 of 1) - target at most 4%" in out
    assert "576000000000000001   Thu 20 Nov 2025          -6  Overdue" in out


def test_refresh_writes_every_row_and_the_computed_columns(cli, export_file, tmp_path):
    out = tmp_path / "refreshed.xlsx"
    code, _, err = cli("refresh", export_file(ROWS), "--today", "2025-11-26", "-o", out)
    assert (code, err) == (0, DEFAULT_NOTE)
    ws = openpyxl.load_workbook(out)["Orders"]
    header = [c.value for c in ws[1]]
    for name in ("Ship-by deadline", "Delivery deadline", "Next auto-cancel", "Days left", "Risk", "Data issue"):
        assert name in header
    rows = [dict(zip(header, (c.value for c in r), strict=False)) for r in ws.iter_rows(min_row=2)]
    rows = [r for r in rows if r["Order ID"]]
    assert [r["Order ID"] for r in rows] == [r["Order ID"] for r in ROWS]  # text, all digits
    assert rows[0]["Buyer Message"] == '=HYPERLINK("http://x")'  # text, not a formula
    assert ws.cell(2, header.index("Buyer Message") + 1).data_type == "s"
    assert rows[0]["Ship-by deadline"].date().isoformat() == "2025-11-20"  # a real Excel date
    assert rows[0]["Days left"] == -6 and rows[1]["Risk"] == "Overdue"


def test_bad_input_is_one_clear_line_and_status_2(cli, export_file, tmp_path, capsys):
    missing = tmp_path / "nope.csv"
    assert main(["check", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err == f"autocancel: {missing}: no such file\n"
    no_status = export_file([{"Order ID": "1"}], headers=["Order ID", "Created Time"])
    code, _out, err = cli("check", no_status)
    assert code == 2 and "Traceback" not in err and str(no_status) in err and "'Order Status'" in err
    code, _, err = cli("check", export_file(ROWS), "--market", "Atlantis")
    assert code == 2 and "unknown market 'Atlantis'" in err


def test_holidays_lists_the_days_off(capsys):
    assert main(["holidays", "US", "2025"]) == 0
    out = capsys.readouterr().out
    assert "2025-11-27  Thu  Thanksgiving" in out and "Weekend: Saturday, Sunday" in out
    assert main(["holidays", "TH", "2025"]) == 0
    assert "Weekend: Sunday" in capsys.readouterr().out


def test_check_on_a_refreshed_workbook_uses_its_settings_sheet(cli, export_file, tmp_path):
    out = tmp_path / "shop.xlsx"
    assert cli("refresh", export_file(ROWS), "--today", "2025-11-26", "-o", out)[0] == 0
    book = openpyxl.load_workbook(out)
    market = next(row[1] for row in book["Settings"].iter_rows() if row[0].value == "Market")
    market.value = "TH"
    book.save(out)
    code, report, _ = cli("check", out, "--today", "2025-11-26")
    assert code == 0 and report.startswith("Auto-cancel guard - Thailand (TH)")
    code, report, _ = cli("check", out, "--today", "2025-11-26", "--market", "GB")
    assert report.startswith("Auto-cancel guard - United Kingdom")  # the option wins for this run


def test_version(cli, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli("--version")
    assert exit_.value.code == 0
    assert capsys.readouterr().out == "autocancel 0.1.0\n"


def test_the_installed_autocancel_script_runs(export_file, tmp_path):
    """The one real process: the console script pip installed, on this checkout's code."""
    script = shutil.which("autocancel")
    assert script, "autocancel is not on PATH: pip install -e ."
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    version = subprocess.run([script, "--version"], capture_output=True, text=True, env=env, check=False, timeout=120)
    assert (version.returncode, version.stdout) == (0, f"autocancel {__version__}\n")
    done = subprocess.run(
        [script, "check", str(export_file(ROWS)), "--today", "2025-11-26"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, DEFAULT_NOTE)
    assert "576000000000000001   Thu 20 Nov 2025          -6  Overdue" in done.stdout
