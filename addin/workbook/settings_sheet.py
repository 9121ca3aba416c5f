"""The Settings sheet: the workbook is the configuration.

``settings_content(settings)`` lays the sheet out (a setting per row, then the policy's rules as
an editable table); ``read_settings(book)`` reads it back, with the Holidays sheet's two lists of
the seller's own days, into a :class:`addin.pipeline.Settings`. A value that cannot be used raises
:class:`WorkbookError` naming the sheet and cell, e.g. ``Settings!B5: unknown market 'XX' ...``.

Rows are found by their label in column A, so a seller who inserts a row does not break it.
Defined names (``Market``, ``Policy``, ``Today``, ``AtRiskDays``, ``WindowDays``, ``RateTarget``,
``EddColumn``, ``Weekend``) point at the value cells for formulas.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import fields as dataclass_fields

from ..errors import AutocancelError
from ..markets import MARKETS, UnknownMarket, get_market
from ..pipeline import Settings
from ..rules import (
    EVENTS,
    FULFILMENTS,
    KINDS,
    ORDER_TYPES,
    PRESETS,
    SHIPPING,
    UNITS,
    Milestone,
    Policy,
    PolicyError,
    Rule,
)
from ..summary import BUYER_FAULT_REASONS
from .layout import SETTINGS, Cell, PageSpec, SheetContent, TableSpec, is_blank


class WorkbookError(AutocancelError):
    """The workbook cannot be read or written; the message names the file, sheet or cell and why."""


TITLE_ROW, HEAD_ROW, FIRST_ROW = 1, 4, 5

#: (label in column A, defined name, style of the value cell, help text)
SETTING_ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("Market", "Market", "editable",
     "Market code: decides the weekend, public holidays, the shop's clock and the rate target. "
     + ", ".join(sorted(MARKETS))),
    ("Policy", "Policy", "editable",
     "Name of the rule set below: market default (the market's TikTok rules), or built in: " + ", ".join(PRESETS)
     + ". Type another built-in name to switch; edit the rules to make your own."),
    ("Today", "Today", "editable_date", "Blank: the market's today. A date: count as if it were that day."),
    ("At-risk days", "AtRiskDays", "editable_int", "An order is At risk with this many working days or fewer left."),
    ("Window days", "WindowDays", "editable_int",
     "Rate over orders created in the last N days. Blank: the market's (SEA 7 days; US not stated by TikTok: "
     + "every order in the file)."),
    ("Rate target", "RateTarget", "editable_pct",
     "Highest seller-fault cancellation rate you accept. Blank: the market's TikTok lines (US 2.5%, TH/VN 10%, "
     + "ID aim 2.5%)."),
    ("EDD column", "EddColumn", "editable",
     "Header of your estimated-delivery-date column, for the delivery rule. Blank: look for EDD / Estimated Delivery Date."),
    ("Buyer-fault cancel reasons", "BuyerFaultReasons", "editable",
     "Cancellations with these reasons are not yours, on top of TikTok's own list (payment overdue, no address, "
     + "risk review, carrier loss...). Separate with ;"),
    ("Weekend (from market)", "Weekend", "readonly",
     "Set by each refresh from the market: Monday..Sunday, 1 = not a working day (Excel WORKDAY.INTL)."),
)
LABELS = {label.lower(): (label, name) for label, name, _, _ in SETTING_ROWS}
RULES_TITLE = "Rules of the policy"
RULE_HEADERS = ("Rule", "Clock starts at", "Days", "Unit", "Order must be", "Kind", "Order type", "Fulfilment",
                "Shipping", "Handling time", "Your column", "Orders from", "Orders to")
RULE_KEYS = tuple(f.name for f in dataclass_fields(Rule))  # same order as RULE_HEADERS
RULE_COLS = "ABCDEFGHIJKLM"
#: The Policy cell's value for "the market's own TikTok rules" (Settings.policy None).
MARKET_DEFAULT = "market default"
RULES_TABLE = "PolicyRules"
MILESTONES = tuple(m.label for m in Milestone if m >= Milestone.AWAITING_COLLECTION)


def settings_rows(settings: Settings) -> list[tuple[str, object, str, str]]:
    """(label, value, style, help) per setting, as the sheet shows them (blank = the default)."""
    values = {
        "Market": settings.market.code,
        "Policy": MARKET_DEFAULT if settings.policy in (None, settings.market_rules.policy) else settings.policy.name,
        "Today": settings.today,
        "At-risk days": settings.at_risk_days,
        "Window days": settings.window_days,
        "Rate target": settings.rate_target,
        "EDD column": settings.edd_column or None,
        "Buyer-fault cancel reasons": "; ".join(settings.buyer_fault_reasons),
        "Weekend (from market)": settings.market.weekend,
    }
    return [(label, values[label], style, help_) for label, _, style, help_ in SETTING_ROWS]


def rule_rows(policy: Policy) -> list[tuple]:
    """The policy's rules as rows of RULE_KEYS values (blank where a condition is the default)."""
    def cell(value: object) -> object:
        return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value

    return [tuple(cell(r.as_mapping().get(k)) for k in RULE_KEYS) for r in policy.rules]


def settings_content(settings: Settings) -> SheetContent:
    """The whole Settings sheet for these settings."""
    c = SheetContent(widths={"A": 28, "B": 26, "C": 14, "D": 12, "E": 22, "F": 58,
                             **{k: 14 for k in RULE_COLS[6:]}},
                     tab_color="7F7F7F", show_grid=False, page=PageSpec(fit_height=0))
    cells: list[Cell] = [
        ("A1", "Settings", "title"),
        ("A2", ("Yellow cells are yours to edit; every refresh reads them back. Options given to the "
                "autocancel command override them for that run only."), "subtitle"),
        (f"A{HEAD_ROW}", "Setting", "head"), (f"B{HEAD_ROW}", "Value", "head"),
        (f"C{HEAD_ROW}", "What it does", "head"),
    ]
    for k in "DEF":
        cells.append((f"{k}{HEAD_ROW}", None, "head"))
    row = FIRST_ROW
    for (label, value, style, help_), (_, name, _, _) in zip(settings_rows(settings), SETTING_ROWS):
        cells += [(f"A{row}", label, "text_bold"), (f"B{row}", value, style), (f"C{row}", help_, "note")]
        c.merges.append(f"C{row}:F{row}")
        c.names[name] = f"$B${row}"
        row += 1
    c.validations.append((f"B{FIRST_ROW}", sorted(MARKETS)))
    row += 1
    cells.append((f"A{row}", RULES_TITLE, "section"))
    cells.append((f"B{row}", ("Each rule: from the start event, this many days; the order must have reached "
                              "the milestone by then or TikTok cancels it."), "note"))
    row += 1
    head = row
    for k, h in zip(RULE_COLS, RULE_HEADERS):
        cells.append((f"{k}{row}", h, "head_center" if k == "C" else "head"))
    rules = rule_rows(settings.applied_policy)
    for rule in rules:
        row += 1
        for k, v in zip(RULE_COLS, rule):
            cells.append((f"{k}{row}", v, "editable_center" if k == "C" else "editable"))
    last = max(row, head + 1)
    c.tables.append(TableSpec(RULES_TABLE, f"A{head}:{RULE_COLS[-1]}{last}", "TableStyleMedium2"))
    c.validations += [
        (f"B{head + 1}:B{head + 40}", list(EVENTS)),
        (f"D{head + 1}:D{head + 40}", list(UNITS)),
        (f"E{head + 1}:E{head + 40}", list(MILESTONES)),
        (f"F{head + 1}:F{head + 40}", list(KINDS)),
        (f"G{head + 1}:G{head + 40}", list(ORDER_TYPES)),
        (f"H{head + 1}:H{head + 40}", list(FULFILMENTS)),
        (f"I{head + 1}:I{head + 40}", list(SHIPPING)),
        (f"J{head + 1}:J{head + 40}", ["yes", "no"]),
    ]
    row = last + 2
    cells.append((f"A{row}", ("Kind: cancel (TikTok cancels the order) or warn (a penalty or refund request, never "
                              "Overdue). Blank conditions mean normal orders you fulfil, any shipping type. Start events: "
                              "column = Your column (e.g. a pre-order's expected ship date), rts = RTS Time, "
                              "created = order placed, paid, shipped, edd = your estimated delivery "
                              "date column. Units: working (the market's working days and the Holidays sheet) "
                              "or calendar days."), "note"))
    c.cells = cells
    return c


# -- reading back -------------------------------------------------------------------------------
def find_setting_cells(ws) -> dict[str, int]:
    """Label -> row of each setting found in column A (the labels of SETTING_ROWS)."""
    found: dict[str, int] = {}
    for row in range(1, min(ws.max_row, 200) + 1):
        v = ws.cell(row, 1).value
        if isinstance(v, str) and v.strip().lower() in LABELS:
            found.setdefault(LABELS[v.strip().lower()][0], row)
    return found


def _rules_head(ws) -> int | None:
    for row in range(1, min(ws.max_row, 300) + 1):
        if [str(ws.cell(row, k).value or "").strip().lower() for k in (1, 2)] == ["rule", "clock starts at"]:
            return row
    return None


def _int(v: object, where: str, what: str, minimum: int) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        raise WorkbookError(f"{where}: {what} must be a whole number, not {v!r}")
    try:
        f = float(str(v).strip()) if isinstance(v, str) else float(v)
    except ValueError:
        raise WorkbookError(f"{where}: {what} must be a whole number, not {v!r}") from None
    if not f.is_integer() or f < minimum:
        raise WorkbookError(f"{where}: {what} must be a whole number of {minimum} or more, not {v!r}")
    return int(f)


def cell_date(v: object, where: str) -> dt.date:
    """A date cell the seller typed: an Excel date, or text like 2025-12-24."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v.strip())
        except ValueError:
            pass
    raise WorkbookError(f"{where}: {v!r} is not a date (type one like 2025-12-24)")


def _rate(v: object, where: str) -> float:
    text = str(v).strip()
    try:
        f = float(text.rstrip("%")) / 100 if isinstance(v, str) and text.endswith("%") else float(v)
    except (TypeError, ValueError):
        raise WorkbookError(f"{where}: rate target {v!r} is not a percentage like 2.5%") from None
    if 1 < f <= 100:  # typed 2.5 meaning 2.5%
        f /= 100
    if not 0 < f <= 1:
        raise WorkbookError(f"{where}: rate target {v!r} must be above 0% and at most 100%")
    return f


def read_rules(ws) -> tuple[Rule, ...]:
    """The rules table of the Settings sheet, rows until the first blank one."""
    head = _rules_head(ws)
    if head is None:
        return ()
    rules: list[Rule] = []
    row = head + 1
    while row <= ws.max_row:
        values = [ws.cell(row, k).value for k in range(1, len(RULE_KEYS) + 1)]
        if all(is_blank(v) for v in values):
            break
        data = dict(zip(RULE_KEYS, values))
        for key, k in zip(RULE_KEYS[:5], "ABCDE"):
            if is_blank(data[key]):
                raise WorkbookError(f"{SETTINGS}!{k}{row}: the rule needs a {RULE_HEADERS['ABCDE'.index(k)].lower()}")
        data["days"] = _int(data["days"], f"{SETTINGS}!C{row}", "days", 0)
        try:
            rules.append(Rule.from_mapping(data))
        except PolicyError as exc:
            raise WorkbookError(f"{SETTINGS}!A{row}:{RULE_COLS[-1]}{row}: {exc}") from None
        row += 1
    return tuple(rules)


def _policy(name: str, rules: tuple[Rule, ...], where: str, rules_where: str) -> Policy | None:
    key = name.strip().lower()
    if key == MARKET_DEFAULT and (not rules or any(rules == p.rules for p in PRESETS.values())):
        return None  # the market's own rules, whichever market the sheet now says
    if not rules:
        if key in PRESETS:
            return PRESETS[key]
        raise WorkbookError(f"{where}: unknown policy {name!r} and no rules below it: use one of "
                            f"{', '.join(PRESETS)}, or list your rules in the table")
    if key in PRESETS and (rules == PRESETS[key].rules or any(rules == p.rules for p in PRESETS.values())):
        return PRESETS[key]  # the table still shows a built-in policy: the name chooses
    edited = key in PRESETS or key == MARKET_DEFAULT  # a built-in name over changed rules: the seller's own
    try:
        return Policy("custom" if edited else name.strip() or "custom", rules,
                      f"Settings sheet (changed from {name.strip()})" if edited else "Settings sheet")
    except PolicyError as exc:
        raise WorkbookError(f"{rules_where}: {exc}") from None


def read_settings(book, base: Settings | None = None) -> Settings:
    """Settings from the workbook's Settings and Holidays sheets (missing rows keep ``base``'s)."""
    from .holidays_sheet import read_extra_days

    base = base or Settings()
    if SETTINGS not in book.sheetnames:
        raise WorkbookError(f"the workbook has no {SETTINGS} sheet")
    ws = book[SETTINGS]
    rows = find_setting_cells(ws)
    changes: dict = {}

    def value(label: str) -> tuple[object, str]:
        row = rows[label]
        return ws.cell(row, 2).value, f"{SETTINGS}!B{row}"

    if "Market" in rows:
        v, where = value("Market")
        if is_blank(v):
            raise WorkbookError(f"{where}: the market is empty (type a code such as US)")
        try:
            changes["market"] = get_market(str(v))
        except UnknownMarket as exc:
            raise WorkbookError(f"{where}: {exc}") from None
    rules = read_rules(ws)
    if "Policy" in rows:
        v, where = value("Policy")
        name = "" if is_blank(v) else str(v)
        head = _rules_head(ws)
        rules_where = f"{SETTINGS}!A{(head or 0) + 1}" if head else where
        if not name and not rules:
            raise WorkbookError(f"{where}: the policy is empty (type one of {', '.join(PRESETS)})")
        changes["policy"] = _policy(name or "custom", rules, where, rules_where)
    elif rules:
        changes["policy"] = Policy("custom", rules, "Settings sheet")
    if "Today" in rows:
        v, where = value("Today")
        changes["today"] = None if is_blank(v) else cell_date(v, where)
    if "At-risk days" in rows:
        v, where = value("At-risk days")
        changes["at_risk_days"] = 2 if is_blank(v) else _int(v, where, "at-risk days", 0)
    if "Window days" in rows:
        v, where = value("Window days")
        changes["window_days"] = None if is_blank(v) else _int(v, where, "window days", 1)
    if "Rate target" in rows:
        v, where = value("Rate target")
        changes["rate_target"] = None if is_blank(v) else _rate(v, where)
    if "EDD column" in rows:
        v, _ = value("EDD column")
        changes["edd_column"] = None if is_blank(v) else str(v).strip()
    if "Buyer-fault cancel reasons" in rows:
        v, _ = value("Buyer-fault cancel reasons")
        reasons = () if is_blank(v) else tuple(p.strip() for p in re.split(r"[;\n]", str(v)) if p.strip())
        changes["buyer_fault_reasons"] = reasons
    extra_off, extra_working = read_extra_days(book)
    changes["extra_off"], changes["extra_working"] = frozenset(extra_off), frozenset(extra_working)
    return Settings(**{**base.__dict__, **changes})


__all__ = [
    "BUYER_FAULT_REASONS",
    "WorkbookError",
    "read_rules",
    "read_settings",
    "rule_rows",
    "settings_content",
    "settings_rows",
]
