"""The Settings sheet shows what the last refresh used, reads the seller's status spellings, and
answers a bad or damaged sheet in one line that names the file, sheet and cell."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from ooxml import rewrite_part
from sample_files import SMALL_US

from addin.cli import main
from addin.core.policies import PRESETS
from addin.workbook import (
    SETTINGS,
    WorkbookError,
    read_settings,
    refresh_workbook,
    workbook_settings,
)
from addin.workbook.settings_sheet import RULE_ROWS, read_rules

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = SMALL_US
TODAY = "2025-12-01"


@pytest.fixture
def shop(small_us_workbook, tmp_path) -> Path:
    return Path(shutil.copy(small_us_workbook, tmp_path / "shop.xlsx"))


def value_cell(ws, label: str):
    row = next(r for r in range(1, 40) if ws.cell(r, 1).value == label)
    return ws.cell(row, 2)


def first_row_below(ws, header: str) -> int:
    return next(r for r in range(1, 80) if ws.cell(r, 1).value == header) + 1


def edit(path: Path, change) -> None:
    book = openpyxl.load_workbook(path)
    change(book[SETTINGS])
    book.save(path)


def settings_part(path: Path, sheet: str = SETTINGS) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    index = book.sheetnames.index(sheet) + 1
    book.close()
    return f"xl/worksheets/sheet{index}.xml"


# -- what the last refresh used ------------------------------------------------------------------


def test_options_of_the_command_are_written_back(shop):
    assert (
        main(
            [
                "refresh",
                str(shop),
                "--today",
                TODAY,
                "--market",
                "GB",
                "--policy",
                "us-official",
                "--at-risk-days",
                "3",
                "--window-days",
                "30",
            ]
        )
        == 0
    )
    ws = openpyxl.load_workbook(shop)[SETTINGS]
    assert value_cell(ws, "Market").value == "GB"
    assert value_cell(ws, "Policy").value == "us-official"
    assert value_cell(ws, "At-risk days").value == 3
    assert value_cell(ws, "Window days").value == 30
    assert value_cell(ws, "Today").value is None  # --today is not frozen into the workbook
    # The rules table shows us-official's rules, first of all: awaiting collection 7 working days after the order.
    row = first_row_below(ws, "Rule")
    n = len(PRESETS["us-official"].rules)
    assert [ws.cell(row, k).value for k in range(1, 6)] == ["ship-by", "created", 7, "working", "Awaiting collection"]
    assert [ws.cell(row + i, 1).value for i in range(n)] == [r.name for r in PRESETS["us-official"].rules]
    assert [ws.cell(row + n, k).value for k in range(1, 6)] == [None] * 5  # nothing of the old table is left
    # The next refresh without options (the button's) uses exactly that.
    settings = read_settings(openpyxl.load_workbook(shop))
    assert (settings.market.code, settings.policy, settings.at_risk_days, settings.window_days) == (
        "GB",
        PRESETS["us-official"],
        3,
        30,
    )


def test_a_changed_rule_reads_custom_not_the_presets_name(shop):
    edit(shop, lambda ws: ws.cell(first_row_below(ws, "Rule"), 3).__setattr__("value", 5))
    done = refresh_workbook(shop, overrides={"today": None})
    assert done.refresh.settings.policy.name == "custom"
    assert done.refresh.settings.policy.rules[0].days == 5
    ws = openpyxl.load_workbook(shop)[SETTINGS]
    assert value_cell(ws, "Policy").value == "custom"
    summary = openpyxl.load_workbook(shop)["Summary"]
    assert any("policy custom" in str(c.value) for row in summary.iter_rows() for c in row)  # the stamp line
    # Going back to the built-in table under "custom" is the built-in policy again.
    edit(shop, lambda ws: ws.cell(first_row_below(ws, "Rule"), 3).__setattr__("value", 7))
    assert read_settings(openpyxl.load_workbook(shop)).applied_policy == PRESETS["us-official"]  # the US default


def test_a_refresh_that_changes_nothing_leaves_the_sheet_alone(shop):
    before = {c.coordinate: c.value for row in openpyxl.load_workbook(shop)[SETTINGS].iter_rows() for c in row}
    refresh_workbook(shop)
    after = {c.coordinate: c.value for row in openpyxl.load_workbook(shop)[SETTINGS].iter_rows() for c in row}
    assert {k: v for k, v in after.items() if v is not None} == {k: v for k, v in before.items() if v is not None}


def test_a_longer_policy_fits_the_rules_table(shop):
    """us-official has one rule; switching back to standard (two) must not run into the note below."""
    assert main(["refresh", str(shop), "--policy", "us-official", "--today", TODAY]) == 0
    assert main(["refresh", str(shop), "--policy", "standard", "--today", TODAY]) == 0
    assert read_rules(openpyxl.load_workbook(shop)[SETTINGS]) == PRESETS["standard"].rules


# -- the seller's status spellings --------------------------------------------------------------


def test_statuses_table_is_read_back(shop):
    def type_statuses(ws):
        row = first_row_below(ws, "Your status text")
        ws.cell(row, 1).value, ws.cell(row, 2).value = "Chờ lấy hàng ", "Awaiting collection"
        ws.cell(row + 1, 1).value, ws.cell(row + 1, 2).value = "Packed", "To ship"

    edit(shop, type_statuses)
    settings = read_settings(openpyxl.load_workbook(shop))
    assert settings.statuses == (("Chờ lấy hàng", "Awaiting collection"), ("Packed", "To ship"))
    ws = openpyxl.load_workbook(shop)[SETTINGS]
    names = next(dv for dv in ws.data_validations.dataValidation if "Unpaid" in (dv.formula1 or ""))
    assert "In transit" in names.formula1 and "Cancelled" in names.formula1


@pytest.mark.parametrize(("text", "name", "cell_col"), [("Packed", None, "B"), (None, "To ship", "A")])
def test_a_half_filled_status_row_names_its_cell(shop, text, name, cell_col):
    row = {}

    def type_half(ws):
        row["r"] = first_row_below(ws, "Your status text")
        ws.cell(row["r"], 1).value, ws.cell(row["r"], 2).value = text, name

    edit(shop, type_half)
    with pytest.raises(WorkbookError, match=rf"^{shop}: Settings!{cell_col}{row['r']}: "):
        refresh_workbook(shop)


# -- messages -------------------------------------------------------------------------------------


def test_today_outside_the_calendar_names_the_file_and_cell(shop, capsys):
    edit(shop, lambda ws: value_cell(ws, "Today").__setattr__("value", "1900-01-02"))
    ws = openpyxl.load_workbook(shop)[SETTINGS]
    ref = value_cell(ws, "Today").coordinate
    assert main(["refresh", str(shop)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"{shop}: Settings!{ref}: Today 1900-01-02 is outside 1950-2100" in err


def test_a_blank_rule_name_says_which_row(shop):
    edit(shop, lambda ws: ws.cell(first_row_below(ws, "Rule"), 1).__setattr__("value", None))
    ws = openpyxl.load_workbook(shop)[SETTINGS]
    row = first_row_below(ws, "Rule")
    with pytest.raises(WorkbookError, match=rf"Settings!A{row}: the rule in row {row} has no rule name"):
        refresh_workbook(shop)


def test_a_market_formula_is_read_by_its_calculated_value_on_every_path(shop, capsys):
    ref = value_cell(openpyxl.load_workbook(shop)[SETTINGS], "Market").coordinate
    edit(shop, lambda ws: ws[ref].__setattr__("value", '=IF(1=1,"GB","US")'))
    # As Excel saves it: the formula and, beside it, the value it calculated.
    rewrite_part(
        shop,
        settings_part(shop),
        lambda xml: re.sub(
            rb'(<c r="' + ref.encode() + rb'"[^>]*?)(?: t="\w+")?(>)<f>(.*?)</f><v\s*/?>(?:</v>)?',
            rb'\1 t="str"\2<f>\3</f><v>GB</v>',
            xml,
        ),
    )
    assert workbook_settings(shop).market.code == "GB"  # autocancel check
    done = refresh_workbook(shop, overrides={"today": None})  # autocancel refresh
    assert done.refresh.settings.market.code == "GB"
    assert openpyxl.load_workbook(shop)[SETTINGS][ref].value == '=IF(1=1,"GB","US")'  # the formula stays


def test_a_formula_never_calculated_says_so(shop):
    ref = value_cell(openpyxl.load_workbook(shop)[SETTINGS], "Market").coordinate
    edit(shop, lambda ws: ws[ref].__setattr__("value", '=IF(1=1,"GB","US")'))  # openpyxl stores no value
    with pytest.raises(WorkbookError, match=rf"Settings!{ref}: the formula .* has no calculated value"):
        refresh_workbook(shop)


def bad_ref(xml):
    return xml.replace(b'r="B5"', b'r="B5x"', 1)  # a cell reference no sheet has


def stray_byte(xml):
    return xml.replace(b"<sheetData>", b"<sheetData>\x01", 1)


def bogus_pane(xml):
    return xml.replace(b'state="frozen"', b'state="bogus"', 1)


@pytest.mark.parametrize("command", ["check", "refresh"])
@pytest.mark.parametrize(
    ("sheet", "damage"),
    [(SETTINGS, bad_ref), (SETTINGS, stray_byte), ("Holidays", stray_byte), ("Holidays", bogus_pane)],
)
def test_a_damaged_sheet_is_one_line_naming_it(shop, capsys, command, sheet, damage):
    part = settings_part(shop, sheet)
    rewrite_part(shop, part, damage)
    before = shop.read_bytes()
    code = main([command, str(shop), "--today", TODAY])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "Traceback" not in err[0]
    assert f"{shop}: the {sheet} sheet is damaged" in err[0]
    assert shop.read_bytes() == before


def test_sheets_without_a_size_are_read_whole(shop):
    """Some writers leave out <dimension>; the values are read anyway (it used to be a TypeError)."""
    edit(shop, lambda ws: value_cell(ws, "Market").__setattr__("value", "GB"))
    for sheet in (SETTINGS, "Holidays"):
        rewrite_part(shop, settings_part(shop, sheet), lambda xml: re.sub(rb"<dimension [^>]*/>", b"", xml))
    assert workbook_settings(shop).market.code == "GB"
    assert main(["check", str(shop), "--today", TODAY]) == 0


def policy_file(tmp_path: Path, name: str, rules: int) -> Path:
    """A policy of ``rules`` rules, ship-by in 3, 4, ... working days (JSON)."""
    import json

    path = tmp_path / f"{name}.json"
    path.write_text(
        json.dumps(
            {
                "name": name,
                "rules": [
                    {
                        "name": f"rule-{i}",
                        "start": "created",
                        "days": 3 + i,
                        "unit": "working",
                        "milestone": "In transit",
                    }
                    for i in range(rules)
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def test_a_policy_file_is_written_into_the_rules_table(shop, tmp_path):
    assert (
        main(["refresh", str(shop), "--today", TODAY, "--policy-file", str(policy_file(tmp_path, "my-shop", 5))]) == 0
    )
    ws = openpyxl.load_workbook(shop)[SETTINGS]
    assert value_cell(ws, "Policy").value == "my-shop"
    settings = read_settings(openpyxl.load_workbook(shop))
    assert settings.policy.name == "my-shop" and [r.days for r in settings.policy.rules] == [3, 4, 5, 6, 7]


def test_a_policy_longer_than_the_table_is_refused_naming_the_table(shop, tmp_path, capsys):
    before = shop.read_bytes()
    room = RULE_ROWS  # the table's yellow rows
    assert (
        main(["refresh", str(shop), "--today", TODAY, "--policy-file", str(policy_file(tmp_path, "long", room + 1))])
        == 2
    )
    err = capsys.readouterr().err.strip().splitlines()
    ws = openpyxl.load_workbook(shop)[SETTINGS]
    assert (
        len(err) == 1
        and f"Settings!A{first_row_below(ws, 'Rule')}: the rules table has room for {room} rules" in err[0]
    )
    assert shop.read_bytes() == before
