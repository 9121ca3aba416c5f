"""workbook_template.xlsm: rebuilt from source it must equal the committed file; its macros read
back right with oletools' olevba; a headless `autocancel refresh` of it keeps them.

After changing addin/udfs.py, addin/vba/*, the workbook layer's sheet content or the Instructions,
run `python -m tools.template` and commit the new workbook_template.xlsm.
"""

from __future__ import annotations

import csv
import inspect
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwings
from oletools.olevba import VBA_Parser
from sample_files import SMALL_US

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from addin import udfs
from addin.cli import main
from addin.workbook.orders_block import OURS
from tools import template
from tools.samples import US_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / template.TEMPLATE_NAME
SAMPLE = SMALL_US
REBUILD_HINT = "workbook_template.xlsm is out of date: run `python -m tools.template` and commit it"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return template.build_template(tmp_path_factory.mktemp("tpl") / template.TEMPLATE_NAME)


def vba_of(path: Path) -> dict[str, str]:
    """Module name -> source, as olevba reads it (line ends normalised)."""
    parser = VBA_Parser(str(path))
    try:
        assert parser.detect_vba_macros()
        return {stream.split("/")[-1]: code.replace("\r\n", "\n") for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def snapshot(path: Path) -> dict:
    """What must not drift: every cell value, names, tables, rules, buttons, code names."""
    book = openpyxl.load_workbook(path, keep_vba=True)
    with zipfile.ZipFile(path) as z:
        vml = {n: z.read(n) for n in z.namelist() if n.endswith(".vml")}
    sheets = {}
    for ws in book.worksheets:
        sheets[ws.title] = {
            "cells": {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None},
            "tables": {t.displayName: t.ref for t in ws.tables.values()},
            "rules": sorted(
                (str(cf.sqref), r.type, tuple(r.formula or ())) for cf in ws.conditional_formatting for r in cf.rules
            ),
            "validations": sorted((str(dv.sqref), dv.formula1) for dv in ws.data_validations.dataValidation),
            "button": ws.legacy_drawing,
            "code_name": ws.sheet_properties.codeName,
        }
    return {
        "sheets": sheets,
        "order": book.sheetnames,
        "names": {n: d.attr_text for n, d in book.defined_names.items()},
        "vml": vml,
    }


# -- no drift ---------------------------------------------------------------------------------------


def test_committed_template_exists():
    assert COMMITTED.is_file(), REBUILD_HINT


def test_committed_sheets_equal_a_rebuild(built):
    old, new = snapshot(COMMITTED), snapshot(built)
    assert old["order"] == new["order"], REBUILD_HINT
    assert old["names"] == new["names"], REBUILD_HINT
    for name in new["order"]:
        assert old["sheets"][name] == new["sheets"][name], f"sheet {name}: {REBUILD_HINT}"
    assert old["vml"] == new["vml"], REBUILD_HINT


def test_committed_vba_equals_a_rebuild(built):
    assert vba_of(COMMITTED) == vba_of(built), REBUILD_HINT


def test_build_is_deterministic(built, tmp_path):
    again = template.build_template(tmp_path / "again.xlsm")
    assert again.read_bytes() == built.read_bytes()


def package_problems(path: Path) -> list[str]:
    """OPC checks Excel is strict about: relationship ids unique, internal targets present, one
    VBA project relationship, a content type for every part."""
    problems = []
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        types = z.read("[Content_Types].xml").decode()
        defaults = set(re.findall(r'Default Extension="([^"]+)"', types))
        overrides = set(re.findall(r'Override PartName="/([^"]+)"', types))
        problems.extend(
            f"{n}: no content type"
            for n in names
            if not n.endswith("/")
            and n != "[Content_Types].xml"
            and n not in overrides
            and n.rsplit(".", 1)[-1] not in defaults
        )
        for rels in (n for n in names if n.endswith(".rels")):
            xml = z.read(rels).decode()
            ids = re.findall(r'Id="([^"]+)"', xml)
            if len(ids) != len(set(ids)):
                problems.append(f"{rels}: repeated relationship ids")
            base = (
                rels.replace("_rels/", "").removesuffix(".rels").rsplit("/", 1)[0]
                if "/" in rels.replace("_rels/", "", 1)
                else ""
            )
            for target, mode in re.findall(r'Target="([^"]+)"(?:\s+TargetMode="(\w+)")?', xml):
                if mode == "External":
                    continue
                part = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else "/".join(p for p in (base + "/" + target).split("/") if p)
                )
                while "/../" in "/" + part:
                    part = re.sub(r"[^/]+/\.\./", "", part, count=1)
                if part not in names:
                    problems.append(f"{rels}: {target} is missing")
            if rels == "xl/_rels/workbook.xml.rels" and xml.count("relationships/vbaProject") != 1:
                problems.append(f"{rels}: {xml.count('relationships/vbaProject')} VBA project relationships")
    return problems


def test_package_is_well_formed(built):
    assert package_problems(built) == []


# -- the VBA, read back with olevba -------------------------------------------------------------------


def test_modules_present(built):
    modules = vba_of(built)
    assert {"xlwings", "Dictionary", "Refresh", "xlwings_udfs", "AutocancelHelp", "ThisWorkbook"} <= set(modules)


def _sub(code: str, name: str) -> str:
    """The body of one Public Sub of a module, as olevba read it."""
    found = re.search(rf"^Public Sub {name}\(\)\n(.*?)^End Sub", code, re.MULTILINE | re.DOTALL)
    assert found, f"no Public Sub {name}"
    return found[1]


#: What each button's macro hands to Python: the exact RunPython text (before any file name).
PYTHON_CALLS = {
    "RefreshOrders": 'RunPython "import addin.excel; addin.excel.refresh()"',
    "LoadExport": 'RunPython "import addin.excel; addin.excel.load_export(" & PythonLiteral(CStr(chosen)) & ")"',
    "PasteExport": 'RunPython "import addin.excel; addin.excel.load_pasted()"',
    "SortByUrgency": 'RunPython "import addin.excel; addin.excel.sort_by_urgency()"',
}


def test_refresh_macro(built):
    code = vba_of(built)["Refresh"]
    assert _sub(code, "RefreshOrders").strip() == PYTHON_CALLS["RefreshOrders"]
    assert "Sub Auto_Open()" in code and "RegisterAutocancelFunctions" in code
    # The macros in the workbook are the committed source file, as Excel's VBA editor would show it.
    source = (ROOT / "addin" / "vba" / "Refresh.bas").read_text(encoding="utf-8")
    assert code.strip("\n").splitlines() == source.replace("\r\n", "\n").strip("\n").splitlines()


def test_each_macro_calls_python_once_with_the_agreed_name(built):
    code = vba_of(built)["Refresh"]
    calls = re.findall(r"^\s*(RunPython .*)$", code, re.MULTILINE)
    assert sorted(calls) == sorted(PYTHON_CALLS.values())
    for macro, call in PYTHON_CALLS.items():
        assert _sub(code, macro).count("RunPython") == 1 and call in _sub(code, macro)


def test_every_python_function_the_macros_call_exists():
    from addin import excel

    names = {re.search(r"addin\.excel\.(\w+)\(", call)[1] for call in PYTHON_CALLS.values()}
    assert names == {"refresh", "load_export", "load_pasted", "sort_by_urgency"}
    for name in names:
        assert callable(getattr(excel, name, None)), name
    assert list(inspect.signature(excel.load_export).parameters)[:2] == ["path", "book"]
    assert list(inspect.signature(excel.load_pasted).parameters) == ["book"]


def test_load_export_dialog_filters_exports_and_remembers_the_folder(built):
    body = _sub(vba_of(built)["Refresh"], "LoadExport")
    assert (
        "Application.GetOpenFilename(EXPORT_FILTER" in body
        and 'EXPORT_FILTER As String = "Order export (*.csv;*.xlsx;*.xlsm),*.csv;*.xlsx;*.xlsm"'
        in vba_of(built)["Refresh"]
    )
    assert "If VarType(chosen) = vbBoolean Then Exit Sub" in body  # Cancel: nothing runs
    get = body.index('GetSetting(APP_NAME, "Load export", "Last folder"')
    assert get < body.index("ChDir folder") < body.index("Application.GetOpenFilename")
    assert (
        body.index("Application.GetOpenFilename")
        < body.index('SaveSetting APP_NAME, "Load export", "Last folder"')
        < body.index("RunPython")
    )


def run_basic(function: str, calls: list[str], tmp_path: Path) -> list[str]:
    """Run a VBA function in LibreOffice Basic (VBA mode), an interpreter independent of ours:
    each of ``calls`` (Basic expressions) is evaluated and its value written out, one per line."""
    import html
    import subprocess

    from spreadsheet_engine import require_soffice, soffice_executable

    require_soffice()
    profile, out = tmp_path / "profile", tmp_path / "out.txt"
    soffice = [soffice_executable(), "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}"]
    subprocess.run([*soffice, "--terminate_after_init"], check=True, capture_output=True, timeout=180)
    lines = [f"    Print #f, {call}" for call in calls]
    code = "\n".join(
        [
            "Option VBASupport 1",
            "Option Explicit",
            function.replace("Private Function", "Function"),
            "Sub Main",
            "    Dim f As Integer",
            "    f = FreeFile",
            f'    Open "{out}" For Output As #f',
            *lines,
            "    Close #f",
            "End Sub",
            "",
        ]
    )
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    module.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE script:module PUBLIC '
        '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n<script:module '
        'xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
        f'script:language="StarBasic">{html.escape(code, quote=False)}</script:module>\n',
        encoding="utf-8",
    )
    subprocess.run([*soffice, "macro:///Standard.Module1.Main"], check=True, capture_output=True, timeout=180)
    return out.read_text(encoding="ascii").splitlines()


def basic_text(text: str) -> str:
    """A Basic expression for any text, UTF-16 unit by unit (no source encoding involved)."""
    data = text.encode("utf-16-le")
    return " & ".join(f"ChrW({int.from_bytes(data[i : i + 2], 'little')})" for i in range(0, len(data), 2))


@pytest.mark.libreoffice
def test_the_file_name_reaches_python_whole(built, tmp_path):
    """LoadExport writes the chosen path into the RunPython text as PythonLiteral(path): run by
    LibreOffice Basic, the literal is plain ASCII (it survives cmd.exe and AppleScript), and
    Python reads it back as exactly the path: quotes, backslashes, spaces, %, &, Vietnamese and
    Thai letters, a character beyond the BMP."""
    import ast

    code = vba_of(built)["Refresh"]
    function = re.search(r"^Private Function PythonLiteral\(.*?^End Function", code, re.MULTILINE | re.DOTALL)[0]
    paths = [
        "C:\\Users\\O'Brien\\50% off & more\\đơn hàng ทดสอบ.csv",
        '/Users/an/My "best" export.xlsx',
        "D:\\a\U0001f600b.csv",
        "plain-name_1.csv",
    ]
    literals = run_basic(function, [f"PythonLiteral({basic_text(p)})" for p in paths], tmp_path)
    assert [ast.literal_eval(lit) for lit in literals] == paths
    assert all(re.fullmatch(r"'[A-Za-z0-9._\\-]*'", lit) for lit in literals)  # nothing a shell reads
    assert literals[-1] == "'plain-name_1.csv'"


def test_paste_export_pastes_values_into_the_hidden_sheet(built):
    code = vba_of(built)["Refresh"]
    body = _sub(code, "PasteExport")
    assert f'PASTE_SHEET As String = "{template.PASTE}"' in code
    assert body.index("ClipboardIsEmpty()") < body.index("PasteSheet()") < body.index("PasteSpecial")
    assert 'MsgBox "The clipboard is empty.' in body
    assert 'staging.Range("A1").PasteSpecial Paste:=xlPasteValuesAndNumberFormats' in body
    assert body.index("staging.Cells.Clear") < body.index("PasteSpecial") < body.index("RunPython")
    assert "staging.Visible = state" in body  # hidden again afterwards


def test_xlwings_module_is_the_pinned_standalone_module_with_its_licence(built):
    code = vba_of(built)["xlwings"]
    head = code[:2000]
    assert f"'Version: {template.XLWINGS_VERSION}" in head
    assert "'xlwings is distributed under a BSD 3-clause license." in head
    assert "Redistributions of source code must retain the above copyright notice" in head
    assert f"xlwings64-{template.XLWINGS_VERSION}.dll" in code
    assert "Public Function RunPython(" in code and "Function XLPy()" in code
    shipped = (Path(xlwings.__file__).parent / "xlwings.bas").read_text(encoding="utf-8").replace("\r\n", "\n")
    assert code.strip() == shipped.strip()
    assert "Tim Hall" in vba_of(built)["Dictionary"]  # MIT licence header kept


def test_xlwings_version_is_pinned_everywhere():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in pyproject["project"]["dependencies"] if d.replace(" ", "").startswith("xlwings")]
    assert pins == [f"xlwings=={template.XLWINGS_VERSION}"]
    assert xlwings.__version__ == template.XLWINGS_VERSION


def _functions(code: str) -> dict[str, list[tuple[str, bool]]]:
    out = {}
    for name, args in re.findall(r"^Function (\w+)\(([^)]*)\)", code, re.MULTILINE):
        given = (x.strip() for x in args.split(",") if x.strip())
        out[name] = [(a.removeprefix("Optional ").strip(), a.startswith("Optional ")) for a in given]
    return out


def test_one_wrapper_per_udf_with_matching_arguments(built):
    code = vba_of(built)["xlwings_udfs"]
    functions = _functions(code)
    assert set(functions) == {f.__name__ for f in udfs.UDFS}
    for f in udfs.UDFS:
        params = inspect.signature(f).parameters.values()
        # xlwings' reserved ``caller``: not an Excel argument; Python gets the calling cell in its place.
        want = [(p.name, p.default is not inspect.Parameter.empty) for p in params if p.name != "caller"]
        assert functions[f.__name__] == want, f.__name__
        args = ", ".join("Nothing" if p.name == "caller" else p.name for p in params)
        assert (
            f'{f.__name__} = XLPy.CallUDF("addin.udfs", "{f.__name__}", Array({args}), ThisWorkbook, '
            f"Application.Caller)"
        ) in code
    assert code.startswith(
        'Attribute VB_Name = "xlwings_udfs"\n\'Autogenerated code by xlwings - changes will be lost with next import!'
    )


def test_wrapper_is_generated_not_typed(built):
    assert not list(template.VBA_DIR.glob("xlwings_udfs*")), "the UDF wrapper must not be a source file"
    code = vba_of(built)["xlwings_udfs"]
    # Only what xlwings generates from the decorators: one Function per UDF, no hand-typed extra.
    declared = re.findall(r"^(?:Public |Private )?(Function|Sub) (\w+)\(", code, re.MULTILINE)
    assert sorted(name for _, name in declared) == sorted(f.__name__ for f in udfs.UDFS)
    assert {kind for kind, _ in declared} == {"Function"}


def test_wizard_help_generated_from_the_decorators(built):
    code = vba_of(built)["AutocancelHelp"]
    for f in udfs.UDFS:
        assert f'Application.MacroOptions Macro:=book & "{f.__name__}"' in code
    assert 'Category:="Auto-cancel guard"' in code
    assert "Order created time: an Excel date or the export's text" in code  # an @xw.arg doc
    assert max(len(line) for line in code.splitlines()) < 1000  # VBA's line limit is 1023


def test_generating_the_wrapper_leaves_no_pywin32_stand_ins():
    import sys

    template.udf_wrapper_module()
    if not sys.platform.startswith("win"):
        assert "pythoncom" not in sys.modules and "win32com" not in sys.modules
        assert "xlwings.udfs" not in sys.modules
    for f in udfs.UDFS:  # the imported module was not touched
        assert not hasattr(f, "__xlfunc__") or sys.platform.startswith("win")


# -- sheets ------------------------------------------------------------------------------------------


def test_sheets_and_order(built):
    book = openpyxl.load_workbook(built, keep_vba=True)
    assert book.sheetnames == list(template.SHEET_ORDER)
    assert book.active.title == "Instructions"
    text = "\n".join(str(c.value) for row in book["Instructions"].iter_rows() for c in row if c.value)
    for must in (
        "Enable Content",
        "Trusted Location",
        "Unblock",
        "Orders sheet",
        "Overdue",
        "Check data",
        "xlwings.conf",
        "Load export...",
        "Paste export",
        "Use it in Excel",
    ):
        assert must in text
    assert "docs/" not in text  # no pointer to a file sellers do not have


def test_paste_sheet_is_hidden_and_empty(built):
    ws = openpyxl.load_workbook(built, keep_vba=True)[template.PASTE]
    assert ws.sheet_state == "hidden"
    assert [c for row in ws.iter_rows() for c in row if c.value is not None] == []


def test_orders_table_headers_and_rules(built):
    book = openpyxl.load_workbook(built, keep_vba=True)
    ws = book["Orders"]
    headers = [c.value for c in ws[1]]
    # What a seller reads an order by comes first (frozen), then the export's own columns, then ours.
    assert headers[:5] == ["Order ID", "Product Name", "Risk", "Next auto-cancel", "Days left"]
    assert sorted(headers) == sorted([*US_COLUMNS, *OURS]) and len(US_COLUMNS) == 58
    rest = [h for h in headers if h in US_COLUMNS and h not in ("Order ID", "Product Name")]
    assert rest == [h for h in US_COLUMNS if h in rest]  # the export's order kept
    assert ws.freeze_panes == "F2"
    assert ws.tables["Orders"].ref == f"A1:{openpyxl.utils.get_column_letter(len(headers))}2"
    formulas = [r.formula[0] for cf in ws.conditional_formatting for r in cf.rules if r.formula]
    risk = openpyxl.utils.get_column_letter(headers.index("Risk") + 1)
    assert f'${risk}2="Overdue"' in formulas and f'${risk}2="On track"' in formulas
    assert any(str(cf.sqref).endswith("1048576") for cf in ws.conditional_formatting)
    assert ws.column_dimensions[openpyxl.utils.get_column_letter(headers.index("Row key") + 1)].hidden


def test_settings_names_and_example_formulas(built):
    book = openpyxl.load_workbook(built, keep_vba=True)
    assert book.defined_names["Market"].attr_text.startswith("'Settings'!$B$")
    ws = book["Settings"]
    formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert "=workday_market(TODAY(),7,Market)" in formulas
    assert any("cancel_rate(Orders[Order ID]" in f for f in formulas)


def test_xlwings_conf_sheet(built):
    book = openpyxl.load_workbook(built, keep_vba=True)
    rows = [(r[0].value, r[1].value) for r in book["xlwings.conf"].iter_rows(max_col=2)]
    keys = [k for k, _ in rows]
    assert None not in keys  # xlwings reads A1 down to the first blank cell
    conf = dict(rows)
    assert conf["UDF Modules"] == "addin.udfs"
    assert "PYTHONPATH" in conf and conf["Interpreter_Win"].endswith("python.exe")
    assert conf["Interpreter_Mac"].startswith("$HOME/")


def buttons(path: Path, sheet: str) -> list[tuple[str, str, list[int]]]:
    """(caption, macro, anchor) of each form-control button of a sheet, from its VML drawing."""
    book = openpyxl.load_workbook(path, keep_vba=True)
    drawing = book[sheet].legacy_drawing
    if not drawing:
        return []
    with zipfile.ZipFile(path) as z:
        vml = z.read(drawing).decode()
    found = []
    for shape in re.findall(r"<v:shape .*?</v:shape>", vml, re.DOTALL):
        if 'ObjectType="Button"' in shape:
            caption = re.search(r"<font [^>]*>([^<]*)</font>", shape)[1]
            macro = re.search(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", shape)[1]
            anchor = [int(v) for v in re.search(r"<x:Anchor>([^<]*)</x:Anchor>", shape)[1].split(",")]
            found.append((caption, macro, anchor))
    return found


def test_four_buttons_on_summary_none_on_orders(built):
    found = buttons(built, "Summary")
    assert [(caption, macro) for caption, macro, _ in found] == [
        ("Load export...", "LoadExport"),
        ("Paste export", "PasteExport"),
        ("Refresh", "RefreshOrders"),
        ("Sort by urgency", "SortByUrgency"),
    ]
    code = vba_of(built)["Refresh"]
    for _, macro, _ in found:
        assert f"Public Sub {macro}()" in code
    # An export can be as wide as it likes: nothing of ours may sit over the Orders sheet.
    assert buttons(built, "Orders") == []
    with zipfile.ZipFile(built) as z:
        types = z.read("[Content_Types].xml").decode()
    assert 'Extension="vml"' in types and "sheet.macroEnabled.main+xml" in types


def test_buttons_sit_in_the_summary_row_no_refresh_writes(built, refreshed):
    """Anchor: left col, dx, top row, dy, right col, dx, bottom row, dy (0-based rows): all four
    inside row 3, side by side, and a refreshed Summary leaves row 3 empty and tall for them."""
    from openpyxl.utils import get_column_letter

    anchors = [a for _, _, a in buttons(built, "Summary")]
    assert {(a[2], a[6]) for a in anchors} == {(2, 2)}
    lefts = [(a[0], a[1]) for a in anchors]
    rights = [(a[4], a[5]) for a in anchors]
    assert all(r < n for r, n in zip(rights[:-1], lefts[1:], strict=True))  # no overlap
    path, _ = refreshed
    ws = openpyxl.load_workbook(path, keep_vba=True)["Summary"]
    last_col = max(a[4] for a in anchors) + 1
    assert [ws.cell(3, c).value for c in range(1, last_col + 1)] == [None] * last_col
    assert ws.row_dimensions[3].height == template.BUTTON_ROW_HEIGHT
    assert get_column_letter(anchors[0][0] + 1) == "B"
    assert buttons(path, "Summary") == buttons(built, "Summary")  # kept by the headless refresh


# -- headless refresh keeps the macros ----------------------------------------------------------------


def paste_sample(path: Path) -> int:
    """The sample export pasted into Orders at A1, as a seller would (text cells, tabs included)."""
    with SAMPLE.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    book = openpyxl.load_workbook(path, keep_vba=True)
    ws = book["Orders"]
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            if v != "":
                ws.cell(r, c).value = v
    book.save(path)
    return len(rows) - 1


@pytest.fixture(scope="module")
def refreshed(built, tmp_path_factory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("refresh") / "shop.xlsm"
    shutil.copy(built, path)
    n = paste_sample(path)
    assert main(["refresh", str(path), "--today", "2025-12-01"]) == 0
    return path, n


def test_headless_refresh_fills_the_template(refreshed):
    path, n = refreshed
    book = openpyxl.load_workbook(path, keep_vba=True)
    ws = book["Orders"]
    headers = [c.value for c in ws[1]]
    risk_col = headers.index("Risk") + 1
    risks = [ws.cell(r, risk_col).value for r in range(2, n + 2)]
    assert None not in risks and {"Overdue", "Done", "Cancelled"} <= set(risks)
    assert ws.tables["Orders"].ref.endswith(str(n + 1))
    assert "Last refreshed" in " ".join(str(c.value) for row in book["Summary"].iter_rows() for c in row if c.value)


def test_headless_refresh_keeps_the_macros(built, refreshed):
    path, _ = refreshed
    assert package_problems(path) == []
    with zipfile.ZipFile(built) as a, zipfile.ZipFile(path) as b:
        assert b.read("xl/vbaProject.bin") == a.read("xl/vbaProject.bin")
        assert "sheet.macroEnabled.main+xml" in b.read("[Content_Types].xml").decode()
    assert vba_of(path) == vba_of(built)
    book = openpyxl.load_workbook(path, keep_vba=True)
    assert book["Orders"].sheet_properties.codeName == "Sheet3"
    assert book[template.PASTE].sheet_state == "hidden"


def test_headless_refresh_keeps_summary_button_and_code_names(built, refreshed):
    """The layer empties its Summary/Holidays sheets in place, so the Summary button and the
    sheets' code names (the VBA document modules are tied to them) survive a refresh."""
    path, _ = refreshed
    before = openpyxl.load_workbook(built, keep_vba=True)
    after = openpyxl.load_workbook(path, keep_vba=True)
    assert after["Summary"].legacy_drawing
    assert [ws.sheet_properties.codeName for ws in after.worksheets] == [
        ws.sheet_properties.codeName for ws in before.worksheets
    ]


@pytest.mark.libreoffice
def test_libreoffice_reads_the_four_buttons_bound_to_their_macros(built, tmp_path):
    """An independent reader of the package: LibreOffice Calc loads the VML form controls as
    command buttons with their labels, each bound to its macro of the Refresh module."""
    from spreadsheet_engine import _convert, require_soffice

    require_soffice()
    ods = _convert(built, tmp_path / "ods", "ods")
    with zipfile.ZipFile(ods) as z:
        content = z.read("content.xml").decode()
    labels = re.findall(r'<form:button [^>]*form:label="([^"]*)"', content)
    assert labels == ["Load export...", "Paste export", "Refresh", "Sort by urgency"]
    macros = re.findall(r'xlink:href="vnd\.sun\.star\.script:([^?"]+)', content)
    assert macros == [
        "VBAProject.Refresh.LoadExport",
        "VBAProject.Refresh.PasteExport",
        "VBAProject.Refresh.RefreshOrders",
        "VBAProject.Refresh.SortByUrgency",
    ]
