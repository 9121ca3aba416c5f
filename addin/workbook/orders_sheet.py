"""The Orders sheet: the export's rows untouched, our computed columns beside them, as data.

- ``computed_columns(refresh)``: header, per-row values and style of the six computed columns;
- ``formula_columns(refresh, ...)``: the ``--formulas`` variant of the two deadline columns,
  ``WORKDAY.INTL`` over the Holidays sheet (``NonWorkingDays``) and the market's weekend;
- ``orders_rules(...)``: the conditional-format rules (Risk colours on the whole row and on the
  Risk and Next auto-cancel cells, a colour scale on Days left) as :class:`RuleSpec` data;
- ``update_orders(book, ws, ...)``: the openpyxl side: find the export's columns, replace our
  block in place (never a second copy), keep the seller's own columns' values on their rows
  (matched by Order ID and SKU ID through the hidden ``Row key`` column), the Excel Table and the
  rules we own.

Layout of the sheet after a refresh: [export's columns][our columns + Row key][seller's columns].
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, range_boundaries

from ..assess import COLUMNS, RISKS, rule_deadlines
from ..dates import parse_dates
from ..export import (
    Export,
    export_from_table,
    header_key,
)
from ..pipeline import Refresh, Settings, run
from . import writer
from .layout import KEY_HEADER, ORDERS_TABLE, RISK_COLOURS, is_blank
from .settings_sheet import WorkbookError

OURS = (*COLUMNS, KEY_HEADER)
_OURS_KEYS = {header_key(h): h for h in OURS}
WIDTHS = {"Ship-by deadline": 16, "Delivery deadline": 16, "Next auto-cancel": 16, "Days left": 10,
          "Risk": 12, "Data issue": 44, "Dispatch by": 16, KEY_HEADER: 12}
STYLE = {"Ship-by deadline": "date", "Delivery deadline": "date", "Next auto-cancel": "date", "Days left": "int",
         "Risk": "center", "Data issue": None, "Dispatch by": "date", KEY_HEADER: None}

#: Export columns written as numbers in a new workbook (plain decimals only: "MYR 0.00" stays text).
NUMERIC_HEADERS = {header_key(h) for h in (
    "Quantity", "Sku Quantity of return", "SKU Unit Original Price", "SKU Subtotal Before Discount",
    "SKU Platform Discount", "SKU Seller Discount", "SKU Subtotal After Discount", "Shipping Fee After Discount",
    "Original Shipping Fee", "Shipping Fee Seller Discount", "Co-Funded Shipping Fee Discount",
    "Shipping Fee Platform Discount", "Payment platform discount", "Retail Delivery Fee", "Taxes", "Order Amount",
    "Order Refund Amount", "Weight(kg)")}
PRINT_SCALE = 70  # percent: the Orders sheet prints many columns; 70% keeps it readable with more per page
_DECIMAL = re.compile(r"-?\d{1,12}(\.\d{1,6})?")


@dataclass
class ComputedColumn:
    header: str
    values: list  # one per export row: date, int, str or None
    style: str | None
    width: float


@dataclass
class RuleSpec:
    """One conditional-format rule: a formula rule (fill/font) or a three-colour scale."""

    sqref: str
    formula: str | None = None
    fill: str | None = None
    font: str | None = None
    bold: bool = False
    scale: list[tuple[str, float, str]] = field(default_factory=list)


def row_keys(export: Export) -> list[str]:
    """"Order ID | SKU ID" per row, "#2", "#3" added to repeats, "" for rows without an Order ID."""
    ids = export.column("order_id") or [""] * len(export.rows)
    skus = export.column("sku_id") or [""] * len(export.rows)
    seen: Counter = Counter()
    keys = []
    for oid, sku in zip(ids, skus):
        oid, sku = str(oid or "").strip(), str(sku or "").strip()
        if not oid:
            keys.append("")
            continue
        base = f"{oid} | {sku}"
        seen[base] += 1
        keys.append(base if seen[base] == 1 else f"{base} #{seen[base]}")
    return keys


def _py(value):
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else value.astype("datetime64[D]").astype(object)
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else int(value)
    if isinstance(value, str):
        return value or None
    return value


def computed_columns(refresh: Refresh) -> list[ComputedColumn]:
    """Our six columns and the Row key, one value per export row (each order's answer on its rows)."""
    cols = [ComputedColumn(h, [_py(v) for v in values], STYLE[h], WIDTHS[h])
            for h, values in zip(COLUMNS, refresh.row_values())]
    cols.append(ComputedColumn(KEY_HEADER, row_keys(refresh.export), None, WIDTHS[KEY_HEADER]))
    return cols


# -- formulas -----------------------------------------------------------------------------------
def date_formula(ref: str, day_first: bool) -> str:
    """A TikTok text time (MM/DD/YYYY h:mm:ss AM, or DD/MM/YYYY) or a real date cell, as a date."""
    p1 = f'FIND("/",{ref})'
    p2 = f'FIND("/",{ref},{p1}+1)'
    first = f"VALUE(LEFT({ref},{p1}-1))"
    middle = f"VALUE(MID({ref},{p1}+1,{p2}-{p1}-1))"
    year = f"VALUE(MID({ref},{p2}+1,4))"
    month, day = (middle, first) if day_first else (first, middle)
    return f"IF(ISNUMBER({ref}),INT({ref}),DATE({year},{month},{day}))"


def deadline_formula(ref: str, days: int, unit: str, day_first: bool) -> str:
    start = date_formula(ref, day_first)
    if unit == "working":
        body = f"WORKDAY.INTL({start},{days},Weekend,NonWorkingDays)"
    else:
        body = f"{start}+{days}"
    return f'=IF(TRIM({ref})="","",IFERROR({body},""))'


def formula_columns(refresh: Refresh, first_row: int, column_of: dict[str, int]) -> dict[str, list[str | None]]:
    """``--formulas``: the Ship-by and Delivery deadline columns as formulas, per export row.

    ``column_of`` maps an export field (created, paid, shipped, edd) to its 1-based sheet column.
    A rule whose start column is missing keeps its Python values (None here). Extra *working*
    days cannot be expressed in WORKDAY.INTL; those workbooks should not use formulas.
    """
    policy, export = refresh.settings.policy, refresh.export
    out: dict[str, list[str | None]] = {}
    for header, rule in (("Ship-by deadline", policy.ship_by), ("Delivery deadline", policy.delivery)):
        if rule is None or rule.start not in column_of or rule.start not in export.columns:
            continue
        values = export.column(rule.start) or []
        order = parse_dates(values, refresh.settings.market.day_first).day_first
        day_first = refresh.settings.market.day_first if order is None else order
        letter = get_column_letter(column_of[rule.start])
        # Only where the plain rule is the order's answer: a pre-order, an FBT order or a SKU with a
        # handling time keeps the value its own rule gave.
        o = refresh.orders
        plain = rule_deadlines(rule, o.dates[rule.start], refresh.settings.calendar)
        given = refresh.assessment.ship_by if header == "Ship-by deadline" else refresh.assessment.delivery
        same = ((plain == given) | (np.isnat(plain) & np.isnat(given)))[o.row_order]
        out[header] = [deadline_formula(f"{letter}{first_row + i}", rule.days, rule.unit, day_first) if same[i]
                       else None for i in range(len(export.rows))]
    return out


def formula_warnings(refresh: Refresh, formulas: bool) -> list[str]:
    if formulas and refresh.settings.extra_working:
        return [("WORKDAY.INTL cannot count your extra working days: the deadline formulas ignore them "
                 "(the values a refresh writes do not)")]
    return []


# -- conditional formatting ---------------------------------------------------------------------
ROW_TINTED = ("Overdue", "Due today", "At risk", "Check data")
_RISK_ALT = "|".join(re.escape(r) for r in RISKS)
_OUR_FORMULA = re.compile(rf'^\$[A-Z]{{1,3}}\d+="({_RISK_ALT})"$')


def orders_rules(first_row: int, last_row: int, last_col: str, risk_col: str, next_col: str,
                 days_col: str) -> list[RuleSpec]:
    """Our rules, highest priority first: Risk cells, the Days left scale, then the row tints."""
    rows = f"{first_row}:{last_row}" if last_row >= first_row else f"{first_row}:{first_row}"
    a, b = rows.split(":")
    rules: list[RuleSpec] = []
    for risk in RISKS:
        p = RISK_COLOURS[risk]
        rules.append(RuleSpec(f"{risk_col}{a}:{risk_col}{b} {next_col}{a}:{next_col}{b}",
                              f'${risk_col}{a}="{risk}"', p.fill, p.font, bold=risk in ROW_TINTED))
    rules.append(RuleSpec(f"{days_col}{a}:{days_col}{b}",
                          scale=[("num", -1, "F8696B"), ("num", 2, "FFEB84"), ("num", 7, "63BE7B")]))
    for risk in ROW_TINTED:
        rules.append(RuleSpec(f"A{a}:{last_col}{b}", f'${risk_col}{a}="{risk}"', RISK_COLOURS[risk].row_fill))
    return rules


def is_our_rule(rule, sqref: str, days_letter: str | None) -> bool:
    """True for a conditional-format rule an earlier refresh wrote (so it is replaced, not stacked)."""
    if rule.type == "expression" and rule.formula and len(rule.formula) == 1:
        return bool(_OUR_FORMULA.match(rule.formula[0].lstrip("=")))
    if rule.type == "colorScale":
        cols = {re.sub(r"\d", "", part) for rng in str(sqref).split() for part in rng.split(":")}
        return days_letter is not None and cols == {days_letter}
    return False


def apply_rules(ws, rules: list[RuleSpec], previous_days_letters: set[str]) -> None:
    """Replace the rules we own on the sheet with ``rules``; the seller's own rules stay."""
    kept = ConditionalFormattingList()
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            if not any(is_our_rule(rule, cf.sqref, d) for d in previous_days_letters | {None}):
                kept.add(str(cf.sqref), rule)
    ws.conditional_formatting = ConditionalFormattingList()
    for spec in rules:
        if spec.scale:
            writer.add_color_scale(ws, spec.sqref, spec.scale)
        else:
            writer.add_formula_rule(ws, spec.sqref, spec.formula, spec.fill, spec.font, spec.bold)
    theirs = sorted(((str(cf.sqref), rule) for cf in kept for rule in cf.rules), key=lambda x: x[1].priority or 0)
    for sqref, rule in theirs:  # after ours, renumbered in their order: no two rules share a priority
        rule.priority = 0  # falsy: add() gives the next number
        ws.conditional_formatting.add(sqref, rule)


# -- the sheet ----------------------------------------------------------------------------------
def export_value(header_key_: str, value: object) -> object:
    """A CSV cell for a new workbook: amounts as numbers, everything else as the text it was."""
    if isinstance(value, str) and header_key_ in NUMERIC_HEADERS and _DECIMAL.fullmatch(value.strip()):
        number = float(value)
        return int(number) if number.is_integer() and "." not in value else number
    return value


def write_export(ws, export: Export) -> None:
    """The export's header and rows into an empty sheet from A1, text kept as text."""
    keys = [header_key(h) for h in export.headers]
    for c, h in enumerate(export.headers, start=1):
        writer.set_value(ws.cell(1, c), h)
    for r, row in enumerate(export.rows, start=2):
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            writer.set_value(ws.cell(r, c), export_value(keys[c - 1] if c <= len(keys) else "", value))


@dataclass
class SheetLayout:
    headers: list  # every header cell of row 1, up to the last used column
    input_cols: list[int]  # 1-based columns of the export
    ours: dict[str, int]  # our header -> column
    seller_cols: list[int]
    last_row: int  # last row with export data


def split_headers(headers: list) -> tuple[list[int], dict[str, int], list[int]]:
    """Row 1 read as [export columns][our block][seller columns], 0-based.

    Returns the export's columns (left of our block), our header -> column (the first of each,
    stray copies are not ours), and the seller's columns (right of our block).
    """
    width = 1 + max((i for i, h in enumerate(headers) if not is_blank(h)), default=-1)
    ours: dict[str, int] = {}
    for i, h in enumerate(headers[:width]):
        key = header_key(h) if h is not None else ""
        if key in _OURS_KEYS and _OURS_KEYS[key] not in ours:
            ours[_OURS_KEYS[key]] = i
    first, taken = min(ours.values(), default=width), set(ours.values())
    return ([i for i in range(first) if i not in taken], ours,
            [i for i in range(first + 1, width) if i not in taken])


def read_layout(ws) -> SheetLayout:
    headers = [ws.cell(1, c).value for c in range(1, ws.max_column + 1)]
    while headers and is_blank(headers[-1]):
        headers.pop()
    inputs, ours, sellers = split_headers(headers)
    input_cols = [i + 1 for i in inputs]
    seller_cols = [i + 1 for i in sellers]
    ours = {h: i + 1 for h, i in ours.items()}
    if not input_cols:
        raise WorkbookError(f"{ws.title}: row 1 has no export headers - paste the TikTok Shop export at A1")
    last_row = 1
    lo, hi = min(input_cols), max(input_cols)
    for r, row in enumerate(ws.iter_rows(min_row=2, min_col=lo, max_col=hi, values_only=True), start=2):
        if any(v is not None and not (isinstance(v, str) and not v.strip()) for v in row):
            last_row = r
    return SheetLayout(headers, input_cols, ours, seller_cols, last_row)


def export_from_sheet(ws, layout: SheetLayout, source: str, settings: Settings) -> Export:
    """The export as the reader would see it, from the sheet's own cells (row i = sheet row i+2)."""
    lo, hi = min(layout.input_cols), max(layout.input_cols)
    index = [c - lo for c in layout.input_cols]
    table = [[layout.headers[c - 1] for c in layout.input_cols]]
    table += [[row[i] for i in index]
              for row in ws.iter_rows(min_row=2, max_row=max(layout.last_row, 1), min_col=lo, max_col=hi,
                                      values_only=True)] if layout.last_row >= 2 else []
    try:
        return export_from_table(source, table, ws.title, settings.edd_column)
    except ValueError as exc:
        raise WorkbookError(str(exc)) from None


def _move_block(ws, layout: SheetLayout) -> SheetLayout:
    """Our columns contiguous right after the export's (deleting stray copies), in COLUMNS order."""
    start = max(layout.input_cols) + 1
    wanted = {h: start + i for i, h in enumerate(OURS)}
    if layout.ours == wanted:
        return layout
    if layout.ours:
        for c in sorted(layout.ours.values(), reverse=True):
            ws.delete_cols(c)
        # columns right of a deleted one moved left
        shift = lambda c: c - sum(1 for o in layout.ours.values() if o < c)
        seller = [shift(c) for c in layout.seller_cols]
        input_cols = [shift(c) for c in layout.input_cols]
        start = max(input_cols) + 1
        if any(c >= start for c in seller):
            ws.insert_cols(start, len(OURS))
            seller = [c + len(OURS) if c >= start else c for c in seller]
    else:
        input_cols, seller = layout.input_cols, layout.seller_cols
        if any(c >= start for c in seller):
            ws.insert_cols(start, len(OURS))
            seller = [c + len(OURS) if c >= start else c for c in seller]
    ours = {h: start + i for i, h in enumerate(OURS)}
    return SheetLayout(layout.headers, input_cols, ours, seller, layout.last_row)


def _remap_seller_columns(ws, layout: SheetLayout, old_keys: list, new_keys: list[str], first: int) -> int:
    """Seller values back on the rows of their (Order ID, SKU ID); returns how many were left over."""
    if not layout.seller_cols or not any(old_keys) or old_keys[: len(new_keys)] == new_keys:
        return 0
    saved: dict[str, list[tuple]] = {}
    n_old = len(old_keys)
    for i, key in enumerate(old_keys):
        if key:
            cells = [ws.cell(first + i, c) for c in layout.seller_cols]
            saved[str(key)] = [(c._value, c.data_type, c.number_format) for c in cells]
    for i in range(max(n_old, len(new_keys))):
        key = new_keys[i] if i < len(new_keys) else ""
        values = saved.pop(key, None) if key else None
        for j, c in enumerate(layout.seller_cols):
            cell = ws.cell(first + i, c)
            if values is None:
                cell.value = None
            else:
                cell._value, cell.data_type, cell.number_format = values[j]
    return sum(1 for vals in saved.values() if any(v[0] not in (None, "") for v in vals))


def _table_ok(headers: list) -> bool:
    names = [str(h).strip().lower() for h in headers if h is not None]
    return len(names) == len(headers) and all(names) and len(set(names)) == len(names)


def update_orders(book, ws, settings: Settings, source: str, *, formulas: bool | None = None,
                  new_sheet: bool = False, refresh: Refresh | None = None) -> tuple[Refresh, list[str]]:
    """Refresh the Orders sheet in place; returns the refresh and warnings for the seller.

    ``refresh`` given (a new workbook): its export was just written from A1 by ``write_export``,
    so its rows start at row 2 and it is not computed again.
    """
    layout = read_layout(ws)
    if refresh is None:
        export = export_from_sheet(ws, layout, source, settings)
        refresh = run(export, settings)
        first = export.first_row  # sheet row of the first order row
    else:
        export, first = refresh.export, 2
    warnings: list[str] = []
    if not export.rows:
        warnings.append(f"the {ws.title} sheet has no order rows under its headers - paste the export at A1")
    if formulas is None:  # keep what the workbook had
        col = layout.ours.get("Ship-by deadline")
        cell = ws.cell(first, col) if col else None
        formulas = bool(cell is not None and cell.data_type == "f")
    old_key_col = layout.ours.get(KEY_HEADER)
    # The rows the last refresh keyed: they may reach below a shorter export pasted since.
    old_keys = [v for (v,) in ws.iter_rows(min_row=first, max_row=max(ws.max_row, first), min_col=old_key_col,
                                           max_col=old_key_col, values_only=True)] if old_key_col else []
    while old_keys and old_keys[-1] in (None, ""):
        old_keys.pop()
    old_days_letters = {get_column_letter(layout.ours["Days left"])} if "Days left" in layout.ours else set()
    old_max_row = ws.max_row
    layout = _move_block(ws, layout)
    new_keys = row_keys(export)
    lost = _remap_seller_columns(ws, layout, old_keys, new_keys, first)
    if lost:
        warnings.append(f"{lost} row(s) of your own columns belonged to orders no longer in the export and were "
                        f"dropped (the previous file keeps them)")

    columns = computed_columns(refresh)
    column_of = {f: layout.input_cols[i] for f, i in export.columns.items()}
    live = formula_columns(refresh, first, column_of) if formulas else {}
    if live:
        book.calculation.fullCalcOnLoad = True  # Excel computes them on open
    warnings += formula_warnings(refresh, bool(live))
    n = len(export.rows)
    for col in columns:
        c = layout.ours[col.header]
        head = ws.cell(1, c)
        writer.set_value(head, col.header)
        writer.style_cell(head, "key_head" if col.header == KEY_HEADER else "computed_head")
        if first == 3:
            ws.cell(2, c).value = None
        texts = live.get(col.header)
        for i, value in enumerate(col.values):
            cell = ws.cell(first + i, c)
            if texts is not None and texts[i] is not None:
                writer.set_formula(cell, texts[i])
            else:
                writer.set_value(cell, value)
            if col.style:
                writer.style_cell(cell, col.style)
        for r in range(first + n, old_max_row + 1):  # rows an earlier, longer export left behind
            ws.cell(r, c).value = None
        ws.column_dimensions[get_column_letter(c)].width = col.width
    key_letter = get_column_letter(layout.ours[KEY_HEADER])
    ws.column_dimensions[key_letter].hidden = True

    if new_sheet:
        for c in layout.input_cols:
            writer.style_cell(ws.cell(1, c), "input_head")
            ws.column_dimensions[get_column_letter(c)].width = _width(ws, c, first, n)
    for c in layout.seller_cols:
        if ws.column_dimensions[get_column_letter(c)].width in (None, 13.0):
            ws.column_dimensions[get_column_letter(c)].width = _width(ws, c, first, n)
    ws.row_dimensions[1].height = 30
    for c in range(1, ws.max_column + 1):
        cell = ws.cell(1, c)
        if cell.value is not None and not (cell.alignment and cell.alignment.wrap_text):
            a = cell.alignment
            cell.alignment = Alignment(horizontal=a.horizontal, vertical="top", wrap_text=True, indent=a.indent)

    # Table over everything, the rules we own, frozen header.
    last_row = max(first + n - 1, 2)
    seller_last = max([c for c in layout.seller_cols if ws.cell(1, c).value not in (None, "")], default=0)
    last_col_n = max(layout.ours[KEY_HEADER], seller_last)
    last_col = get_column_letter(last_col_n)
    headers = [ws.cell(1, c).value for c in range(1, last_col_n + 1)]
    writer.remove_table(book, ORDERS_TABLE)
    for tname, ref in list(ws.tables.items()):  # an earlier table over the export (any name), not the seller's own
        lo_col, lo_row, _, _ = range_boundaries(ref)
        if lo_row <= last_row and lo_col <= last_col_n:
            del ws.tables[tname]
    ws.auto_filter.ref = None
    if _table_ok(headers) and first == 2:
        from .layout import TableSpec

        writer.add_table(book, ws, TableSpec(ORDERS_TABLE, f"A1:{last_col}{last_row}", "TableStyleLight1"))
    else:
        ws.auto_filter.ref = f"A1:{last_col}{last_row}"
        if first == 2:
            warnings.append("row 1 has empty or repeated headers: the Orders sheet got a filter, not an Excel Table")
    letter = {h: get_column_letter(c) for h, c in layout.ours.items()}
    rules = orders_rules(first, max(first + n - 1, first), last_col, letter["Risk"], letter["Next auto-cancel"],
                         letter["Days left"])
    apply_rules(ws, rules, old_days_letters | {letter["Days left"]})
    ws.freeze_panes = "B2"
    ws.sheet_properties.tabColor = "C00000"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.scale = PRINT_SCALE
    ws.print_title_rows = "1:1"
    ws.print_title_cols = "A:A"
    return refresh, warnings


def column_width(header: object, values) -> float:
    """Column width from the header and the first values, within 9..42 characters."""
    longest = max((len(str(v)) for v in values if v is not None and v != ""), default=0)
    head = min(len(str(header or "")), 18) + 3  # long headers wrap onto two lines
    return float(min(max(head, longest + 2, 9), 42))


def _width(ws, col: int, first: int, n: int) -> float:
    values = [v for (v,) in ws.iter_rows(min_row=first, max_row=first + min(n, 300) - 1, min_col=col, max_col=col,
                                         values_only=True)]
    return column_width(ws.cell(1, col).value, values)
