"""Every option of the README's command reference, run in-process, each changing what a seller sees.

The expected dates are counted by hand on the US calendar (KB 3995852763301633: ship by tracking
within 7 business days of the order; Veterans Day, Tue 11 Nov 2025, is a day off; Thanksgiving is
Thu 27 Nov 2025) and the rate by counting the orders of the export.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

TODAY = "2025-11-26"  # a Wednesday
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

OPEN = {"Order ID": "576000000000000001", "Order Status": "To ship", "Created Time": "11/10/2025 7:44:26 AM"}


def check_json(cli, *args: str) -> dict:
    code, out, err = cli("check", *args, "--today", TODAY, "--json", "--market", "US")
    assert code == 0, err
    return json.loads(out)


def value_beside(ws, label: str):
    """The Settings value a seller reads to the right of its label in column A."""
    return next(row[1].value for row in ws.iter_rows(max_col=2) if row[0].value == label)


# -- --edd-column ---------------------------------------------------------------------------------
SHIPPED = {
    "Order ID": "576000000000000003",
    "Order Status": "Shipped",
    "Order Substatus": "In transit",
    "Created Time": "10/20/2025 9:00:00 AM",
    "Shipped Time": "10/22/2025 9:00:00 AM",
    "Promised by": "11/05/2025",
}


def test_edd_column_names_the_sellers_own_delivery_date_header(cli, export_file):
    path = export_file([SHIPPED], headers=["Order ID", "Order Status", "Order Substatus", "Created Time",
                                           "Shipped Time", "Promised by"])  # fmt: skip
    # Not a header we know: without the option the delivery deadline stays blank.
    assert check_json(cli, str(path))["orders"]["576000000000000003"]["delivery"] is None
    order = check_json(cli, str(path), "--edd-column", "Promised by")["orders"]["576000000000000003"]
    # Delivered 30 calendar days after the EDD (US Partner API reason): 5 Nov + 30 = Fri 5 Dec 2025.
    assert order["delivery"] == "2025-12-05"
    assert order["next_deadline"] == "2025-12-05"
    assert order["risk"] == "On track"


def test_edd_column_that_is_not_in_the_export_is_one_line_naming_it(cli, export_file):
    code, out, err = cli("check", str(export_file([OPEN])), "--today", TODAY, "--edd-column", "Promised by")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Promised by" in err and "Traceback" not in err


# -- --policy-file --------------------------------------------------------------------------------
PEAK = """\
name = "peak season"

[[rule]]
name = "ship-by"
start = "created"
days = 10
unit = "working"
milestone = "In transit"
"""


def test_policy_file_sets_the_deadlines_and_names_the_policy(cli, export_file, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(PEAK, encoding="utf-8")
    path = str(export_file([OPEN]))
    # US rules: 7 business days after Mon 10 Nov (11 Nov off): Thu 20 Nov, six days past.
    assert check_json(cli, path)["orders"]["576000000000000001"]["ship_by"] == "2025-11-20"
    doc = check_json(cli, path, "--policy-file", str(rules))
    # 10 working days after Mon 10 Nov, 11 Nov off: 12 13 14 17 18 19 20 21 24 25 -> Tue 25 Nov.
    assert doc["orders"]["576000000000000001"] == {
        "ship_by": "2025-11-25",
        "delivery": None,
        "next_deadline": "2025-11-25",
        "days_left": -1,
        "risk": "Overdue",
    }
    assert doc["summary"]["policy"] == "peak season"


def test_policy_file_is_written_into_the_settings_sheet_of_the_refreshed_workbook(cli, export_file, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(PEAK, encoding="utf-8")
    out = tmp_path / "shop.xlsx"
    path = str(export_file([OPEN]))
    code, _, err = cli("refresh", path, "--today", TODAY, "--policy-file", str(rules), "-o", str(out))
    assert code == 0, err
    settings = openpyxl.load_workbook(out)["Settings"]
    assert value_beside(settings, "Policy") == "peak season"


def test_policy_file_with_a_bad_rule_is_one_line_naming_the_file(cli, export_file, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(PEAK.replace('unit = "working"', 'unit = "fortnights"'), encoding="utf-8")
    code, _, err = cli("check", str(export_file([OPEN])), "--policy-file", str(rules))
    assert code == 2 and err.count("\n") == 1 and "rules.toml" in err and "Traceback" not in err


def test_policy_and_policy_file_together_are_refused(cli, export_file, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(PEAK, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        cli("check", str(export_file([OPEN])), "--policy", "standard", "--policy-file", str(rules))
    assert exit_.value.code == 2


# -- --window-days --------------------------------------------------------------------------------
def cancelled(oid: str, created: str) -> dict:
    return {
        "Order ID": oid,
        "Order Status": "Cancelled",
        "Created Time": created,
        "Cancel By": "Seller",
        "Cancel Reason": "Out of stock",
    }


WINDOW_ROWS = [
    cancelled("576000000000000010", "11/10/2025 9:00:00 AM"),  # 16 days before today
    cancelled("576000000000000011", "11/24/2025 9:00:00 AM"),  # 2 days before today
    {"Order ID": "576000000000000012", "Order Status": "To ship", "Created Time": "11/25/2025 9:00:00 AM"},
    {"Order ID": "576000000000000013", "Order Status": "To ship", "Created Time": "11/25/2025 10:00:00 AM"},
]


def test_window_days_counts_only_the_orders_of_the_last_n_days(cli, export_file):
    path = str(export_file(WINDOW_ROWS))
    whole = check_json(cli, path)["summary"]
    # US: no window, the whole file: 2 seller cancellations of 4 confirmed orders.
    assert (whole["seller_responsible"], whole["confirmed"], whole["window_days"]) == (2, 4, None)
    assert whole["seller_responsible_rate"] == pytest.approx(0.5)
    week = check_json(cli, path, "--window-days", "7")["summary"]
    # Created 19-26 Nov: the 10 Nov cancellation is left out, 1 of 3.
    assert (week["seller_responsible"], week["confirmed"], week["window_days"]) == (1, 3, 7)
    assert week["seller_responsible_rate"] == pytest.approx(1 / 3)


def test_window_days_is_in_the_report_and_the_settings_sheet(cli, export_file, tmp_path):
    path = str(export_file(WINDOW_ROWS))
    code, report, _ = cli("check", path, "--today", TODAY, "--window-days", "7")
    assert code == 0
    assert "Seller-fault cancellation rate: 33.33% (1 of 3 confirmed orders, last 7 days)" in report
    out = tmp_path / "shop.xlsx"
    assert cli("refresh", path, "--today", TODAY, "--window-days", "7", "-o", str(out))[0] == 0
    assert value_beside(openpyxl.load_workbook(out)["Settings"], "Window days") == 7


@pytest.mark.parametrize("days", ["0", "-3", "a week"])
def test_window_days_must_be_a_whole_number_of_days(cli, export_file, capsys, days):
    with pytest.raises(SystemExit) as exit_:
        cli("check", str(export_file([OPEN])), f"--window-days={days}")
    assert exit_.value.code == 2
    assert "is not a whole number of days" in capsys.readouterr().err


# -- --sheet ----------------------------------------------------------------------------------------
def two_sheet_export(path):
    """An xlsx export whose orders are on its second sheet, after a sheet of notes."""
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active.append(["Exported from Seller Center"])
    orders = book.create_sheet("Week 48")
    orders.append(["Order ID", "Order Status", "Created Time"])
    orders.append(["576000000000000020", "To ship", "11/10/2025 7:44:26 AM"])
    orders.append(["576000000000000021", "To ship", "11/21/2025 7:44:26 AM"])
    book.save(path)
    return path


def test_sheet_reads_the_named_sheet_of_a_workbook(cli, tmp_path):
    path = str(two_sheet_export(tmp_path / "orders.xlsx"))
    # Without --sheet the first sheet (no Orders sheet) is read: it has no Order Status column.
    code, _, err = cli("check", path, "--today", TODAY)
    assert code == 2 and "Read me" in err and "'Order Status'" in err
    orders = check_json(cli, path, "--sheet", "Week 48")["orders"]
    # 21 Nov (Fri) + 7 business days: 24 25 26 28 (27 Thanksgiving) 1 2 3 Dec -> Wed 3 Dec.
    assert orders == {
        "576000000000000020": {
            "ship_by": "2025-11-20",
            "delivery": None,
            "next_deadline": "2025-11-20",
            "days_left": -6,
            "risk": "Overdue",
        },
        "576000000000000021": {
            "ship_by": "2025-12-03",
            "delivery": None,
            "next_deadline": "2025-12-03",
            "days_left": 7,  # calendar days to the deadline
            "risk": "On track",  # 4 working days away (Thanksgiving off): more than the 2 of At risk
        },
    }


def test_sheet_that_is_not_there_names_the_sheets_there_are(cli, tmp_path):
    path = str(two_sheet_export(tmp_path / "orders.xlsx"))
    code, _, err = cli("check", path, "--sheet", "Week 49")
    assert code == 2 and err.count("\n") == 1 and "Week 49" in err and "Traceback" not in err


def test_the_written_line_counts_every_order_of_the_file_not_only_the_rate_window(cli, tmp_path):
    """A VN shop's rate looks at 7 days; the line after writing still counts all 93 orders of the file
    (2 overdue; 1 due today and 3 at risk), as the check report's Orders line does."""
    out = tmp_path / "vn.xlsx"
    code, out_text, err = cli(
        "refresh", str(EXAMPLES / "sample_vn_export.xlsx"), "--today", "2025-12-01", "--market", "VN", "-o", str(out)
    )
    assert code == 0, err
    assert f"{out}: 150 rows, 93 orders, 2 overdue, 4 at risk" in out_text
