"""The Settings sheet: the workbook is the configuration.

``settings_content(settings)`` lays the sheet out (a setting per row, then the policy's rules as
an editable table); ``read_settings(book)`` reads it back, with the Holidays sheet's two lists of
the seller's own days, into a :class:`addin.pipeline.Settings`. A value that cannot be used raises
:class:`WorkbookError` naming the sheet and cell, e.g. ``Settings!B5: unknown market 'XX' ...``.

Rows are found by their label in column A, so a seller who inserts a row does not break it.
Defined names (``Market``, ``Policy``, ``Today``, ``AtRiskDays``, ``WindowDays``, ``RateTarget``,
``EddColumn``, ``Weekend``) point at the value cells for formulas.

Below the rules, the **Statuses** table maps the seller's own status texts (another
language, a renamed column value) to our status names; it is read into ``Settings.statuses``.

After a refresh the sheet shows what that refresh used: :func:`settings_updates` lists the cells
to write back (an option given to the command, a rules table that now reads "custom").
"""

from __future__ import annotations

import re
from dataclasses import fields as dataclass_fields
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.markets import MARKETS, UnknownMarket, get_market
from ..core.policies import PRESETS
from ..core.rules import (
    EVENTS,
    FULFILMENTS,
    KINDS,
    ORDER_TYPES,
    SHIPPING,
    UNITS,
    Milestone,
    Policy,
    PolicyError,
    Rule,
)
from ..core.summary import BUYER_FAULT_REASONS
from ..errors import WorkbookError
from ..pipeline import Settings
from .grid import Grid, cell_date
from .holidays_sheet import read_extra_days
from .layout import SETTINGS, Cell, PageSpec, SheetContent, TableSpec, is_blank

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Mapping

    from ..core.markets import Market
    from .grid import Book

HEAD_ROW, FIRST_ROW = 4, 5

#: (label in column A, defined name, style of the value cell, help text)
SETTING_ROWS: tuple[tuple[str, str, str, str], ...] = (
    (
        "Market",
        "Market",
        "editable",
        "Market code: decides the weekend, public holidays, the shop's clock and the rate target. "
        + ", ".join(sorted(MARKETS)),
    ),
    (
        "Policy",
        "Policy",
        "editable",
        "Name of the rule set below: market default (the market's TikTok rules), or built in: "
        + ", ".join(PRESETS)
        + ". Type another built-in name to switch; edit the rules to make your own.",
    ),
    ("Today", "Today", "editable_date", "Blank: the market's today. A date: count as if it were that day."),
    ("At-risk days", "AtRiskDays", "editable_int", "An order is At risk with this many working days or fewer left."),
    (
        "Window days",
        "WindowDays",
        "editable_int",
        (
            "Rate over orders created in the last N days. Blank: the market's (SEA 7 days; US not stated by TikTok: "
            "every order in the file)."
        ),
    ),
    (
        "Rate target",
        "RateTarget",
        "editable_pct",
        (
            "Highest seller-fault cancellation rate you accept. Blank: the market's TikTok lines (US 2.5%, TH/VN 10%, "
            "ID aim 2.5%)."
        ),
    ),
    (
        "EDD column",
        "EddColumn",
        "editable",
        (
            "Header of your estimated-delivery-date column, for the delivery rule. Blank: look for EDD / "
            "Estimated Delivery Date."
        ),
    ),
    (
        "Buyer-fault cancel reasons",
        "BuyerFaultReasons",
        "editable",
        (
            "Cancellations with these reasons are not yours, on top of TikTok's own list (payment overdue, no address, "
            "risk review, carrier loss...). Separate with ;"
        ),
    ),
    (
        "Weekend (from market)",
        "Weekend",
        "readonly",
        "Set by each refresh from the market: Monday..Sunday, 1 = not a working day (Excel WORKDAY.INTL).",
    ),
)
LABELS = {label.lower(): (label, name) for label, name, _, _ in SETTING_ROWS}
RULES_TITLE = "Rules of the policy"
RULE_HEADERS = (
    "Rule",
    "Clock starts at",
    "Days",
    "Unit",
    "Order must be",
    "Kind",
    "Order type",
    "Fulfilment",
    "Shipping",
    "Handling time",
    "Your column",
    "Orders from",
    "Orders to",
)
RULE_KEYS = tuple(f.name for f in dataclass_fields(Rule))  # same order as RULE_HEADERS
RULE_COLS = "ABCDEFGHIJKLM"
#: The Policy cell's value for "the market's own TikTok rules" (Settings.policy None).
MARKET_DEFAULT = "market default"
RULES_TABLE = "PolicyRules"
MILESTONES = tuple(m.label for m in Milestone if m >= Milestone.AWAITING_COLLECTION)
#: What a blank cell of a rule is called in the message that names it.
RULE_PARTS = ("rule name", "start event", "number of days", "unit", "milestone")
CUSTOM = "custom"
RULE_ROWS = (
    max(len(p.rules) for p in PRESETS.values()) + 3
)  # rows of the rules table: the longest built-in policy, and spare rows
#: A blank setting means what a new workbook says.
DEFAULTS = Settings()
#: A rate typed above 1 is a percentage (2.5 = 2.5%).
PERCENT = 100
#: Rates this close are the same rate (what was typed vs what was read back).
_SAME_RATE = 1e-12
#: Dates "Today" may hold: the years python-holidays knows (see addin.core.calendar).
TODAY_YEARS = (1950, 2100)

STATUSES_TITLE = "Your status spellings"
STATUS_HEADERS = ("Your status text", "Means")
STATUSES_TABLE = "Statuses"
STATUS_ROWS = 8  # yellow rows to type into, at least
#: The drop-down of the "Means" column: the status names the core knows (it checks them).
STATUS_CHOICES = (
    "Unpaid",
    "On hold",
    "To ship",
    "Awaiting shipment",
    "Awaiting collection",
    "In transit",
    "Delivered",
    "Completed",
    "Cancelled",
)


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


def rule_rows(policy: Policy) -> list[tuple[object, ...]]:
    """The policy's rules as rows of RULE_KEYS values (blank where a condition is the default)."""

    def cell(value: object) -> object:
        return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value

    return [tuple(cell(r.as_mapping().get(k)) for k in RULE_KEYS) for r in policy.rules]


def settings_content(settings: Settings) -> SheetContent:
    """The whole Settings sheet for these settings."""
    c = SheetContent(
        widths={"A": 28, "B": 26, "C": 14, "D": 12, "E": 22, "F": 58, **dict.fromkeys(RULE_COLS[6:], 14)},
        tab_color="7F7F7F",
        show_grid=False,
        page=PageSpec(fit_height=0),
    )
    cells: list[Cell] = [
        ("A1", "Settings", "title"),
        (
            "A2",
            (
                "Yellow cells are yours to edit; every refresh reads them back. An option given to the "
                "autocancel command is written here, so the sheet shows what the last refresh used (but --today: "
                "the Summary shows the day counted)."
            ),
            "subtitle",
        ),
        (f"A{HEAD_ROW}", "Setting", "head"),
        (f"B{HEAD_ROW}", "Value", "head"),
        (f"C{HEAD_ROW}", "What it does", "head"),
    ]
    cells.extend((f"{k}{HEAD_ROW}", None, "head") for k in "DEF")
    row = FIRST_ROW
    for (label, value, style, help_), (_, name, _, _) in zip(settings_rows(settings), SETTING_ROWS, strict=True):
        cells += [(f"A{row}", label, "text_bold"), (f"B{row}", value, style), (f"C{row}", help_, "note")]
        c.merges.append(f"C{row}:F{row}")
        c.names[name] = f"$B${row}"
        row += 1
    c.validations.append((f"B{FIRST_ROW}", sorted(MARKETS)))
    row += 1
    cells.append((f"A{row}", RULES_TITLE, "section"))
    cells.append(
        (
            f"B{row}",
            (
                "Each rule: from the start event, this many days; the order must have reached "
                "the milestone by then or TikTok cancels it."
            ),
            "note",
        )
    )
    row += 1
    head = row
    for k, h in zip(RULE_COLS, RULE_HEADERS, strict=True):
        cells.append((f"{k}{row}", h, "head_center" if k == "C" else "head"))
    rules = rule_rows(settings.applied_policy)
    for i in range(max(len(rules), RULE_ROWS)):  # yellow rows to spare: another policy may have more rules
        row += 1
        rule = rules[i] if i < len(rules) else (None,) * len(RULE_KEYS)
        for k, v in zip(RULE_COLS, rule, strict=True):
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
    cells.append(
        (
            f"A{row}",
            (
                "Kind: cancel (TikTok cancels the order) or warn (a penalty or refund request, never "
                "Overdue). Blank conditions mean normal orders you fulfil, any shipping type. Start events: "
                "column = Your column (e.g. a pre-order's expected ship date), rts = RTS Time, "
                "created = order placed, paid, shipped, edd = your estimated delivery "
                "date column. Units: working (the market's working days and the Holidays sheet) "
                "or calendar days."
            ),
            "note",
        )
    )
    cells += _statuses_cells(c, settings.statuses, row + 2)
    c.cells = cells
    return c


def _statuses_cells(c: SheetContent, statuses: tuple[tuple[str, str], ...], title_row: int) -> list[Cell]:
    """The Statuses table: a title row, its header, the pairs in use and a few yellow rows."""
    head = title_row + 1
    cells: list[Cell] = [
        (f"A{title_row}", STATUSES_TITLE, "section"),
        (
            f"B{title_row}",
            (
                "A status your export writes that we do not know (Check data: 'not a status we know'): "
                "type it on the left, choose what it means on the right."
            ),
            "note",
        ),
        (f"A{head}", STATUS_HEADERS[0], "head"),
        (f"B{head}", STATUS_HEADERS[1], "head"),
    ]
    rows = max(len(statuses) + 3, STATUS_ROWS)
    for i in range(rows):
        text, name = statuses[i] if i < len(statuses) else (None, None)
        cells += [(f"A{head + 1 + i}", text, "editable"), (f"B{head + 1 + i}", name, "editable")]
    last = head + rows
    c.tables.append(TableSpec(STATUSES_TABLE, f"A{head}:B{last}", "TableStyleLight12"))
    c.validations.append((f"B{head + 1}:B{last}", list(STATUS_CHOICES)))
    return cells


# -- reading back -------------------------------------------------------------------------------
def find_setting_cells(ws: object) -> dict[str, int]:
    """Label -> row of each setting found in column A (the labels of SETTING_ROWS)."""
    grid = Grid.of(ws)
    found: dict[str, int] = {}
    for row in range(1, grid.max_row + 1):
        v = grid.get(row, 1)
        if isinstance(v, str) and v.strip().lower() in LABELS:
            found.setdefault(LABELS[v.strip().lower()][0], row)
    return found


def _head_row(grid: Grid, headers: tuple[str, ...]) -> int | None:
    want = [h.lower() for h in headers]
    for row in range(1, grid.max_row + 1):
        if [str(grid.get(row, k) or "").strip().lower() for k in range(1, len(want) + 1)] == want:
            return row
    return None


def _rules_head(grid: Grid) -> int | None:
    return _head_row(grid, RULE_HEADERS[:2])


def _int(v: object, where: str, what: str, minimum: int) -> int:
    """A whole number of at least ``minimum`` (typed as a number or as text)."""
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        raise WorkbookError(f"{where}: {what} must be a whole number, not {v!r}")
    try:
        f = float(v.strip()) if isinstance(v, str) else float(v)
    except ValueError:
        raise WorkbookError(f"{where}: {what} must be a whole number, not {v!r}") from None
    if not f.is_integer() or f < minimum:
        raise WorkbookError(f"{where}: {what} must be a whole number of {minimum} or more, not {v!r}")
    return int(f)


def _rate(v: object, where: str) -> float:
    """A rate target typed as 2.5%, 0.025 or 2.5 (meaning 2.5%)."""
    text = str(v).strip()
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        raise WorkbookError(f"{where}: rate target {v!r} is not a percentage like 2.5%")
    try:
        f = float(text.rstrip("%")) / PERCENT if text.endswith("%") else float(text)
    except ValueError:
        raise WorkbookError(f"{where}: rate target {v!r} is not a percentage like 2.5%") from None
    if 1 < f <= PERCENT:  # typed 2.5 meaning 2.5%
        f /= PERCENT
    if not 0 < f <= 1:
        raise WorkbookError(f"{where}: rate target {v!r} must be above 0% and at most 100%")
    return f


def read_rules(ws: object, source: str | None = None) -> tuple[Rule, ...]:
    """The rules table of the Settings sheet, rows until the first blank one."""
    grid = Grid.of(ws, SETTINGS, source)
    head = _rules_head(grid)
    if head is None:
        return ()
    at = f"{source}: " if source else ""
    rules: list[Rule] = []
    row = head + 1
    while row <= grid.max_row:
        values = [grid.get(row, k) for k in range(1, len(RULE_KEYS) + 1)]
        if all(is_blank(v) for v in values):
            break
        data = dict(zip(RULE_KEYS, values, strict=True))
        for key, k, part in zip(RULE_KEYS[:5], "ABCDE", RULE_PARTS, strict=True):
            if is_blank(data[key]):
                raise WorkbookError(
                    f"{at}{SETTINGS}!{k}{row}: the rule in row {row} has no {part} (fill it in, or clear the whole row)"
                )
        data["days"] = _int(data["days"], f"{at}{SETTINGS}!C{row}", "days", 0)
        try:
            rules.append(Rule.from_mapping(data))
        except PolicyError as exc:
            raise WorkbookError(f"{at}{SETTINGS}!A{row}:{RULE_COLS[-1]}{row}: {exc}") from None
        row += 1
    return tuple(rules)


def read_statuses(ws: object, source: str | None = None) -> tuple[tuple[str, str], ...]:
    """The Statuses table: (the seller's text, status name) pairs, rows until the first blank one.

    The names are checked by the core, which knows them; a half-filled row is named here.
    """
    grid = Grid.of(ws, SETTINGS, source)
    head = _head_row(grid, STATUS_HEADERS)
    if head is None:
        return ()
    at = f"{source}: " if source else ""
    pairs: list[tuple[str, str]] = []
    for row in range(head + 1, grid.max_row + 1):
        text, name = grid.get(row, 1), grid.get(row, 2)
        if is_blank(text) and is_blank(name):
            break
        if is_blank(text):
            raise WorkbookError(
                f"{at}{SETTINGS}!A{row}: no status text for {str(name).strip()!r} "
                "(type the text your export writes, or clear the row)"
            )
        if is_blank(name):
            raise WorkbookError(
                f"{at}{SETTINGS}!B{row}: what does {str(text).strip()!r} mean? Choose one of "
                f"{', '.join(STATUS_CHOICES)}"
            )
        pairs.append((str(text).strip(), str(name).strip()))
    return tuple(pairs)


def _policy(name: str, rules: tuple[Rule, ...], where: str, rules_where: str) -> Policy | None:
    """The policy the sheet describes; None: the market's own TikTok rules ("market default").

    The name chooses while the table shows a built-in policy; rules of the seller's own under a
    built-in name are "custom": the name must not claim a preset.
    """
    key = name.strip().lower()
    if key == MARKET_DEFAULT and (not rules or any(rules == p.rules for p in PRESETS.values())):
        return None  # the market's own rules, whichever market the sheet now says
    if not rules:
        if key in PRESETS:
            return PRESETS[key]
        raise WorkbookError(
            f"{where}: unknown policy {name!r} and no rules below it: use one of "
            f"{', '.join(PRESETS)}, or list your rules in the table"
        )
    if key in PRESETS and any(rules == p.rules for p in PRESETS.values()):
        return PRESETS[key]  # the table still shows a built-in policy: the name chooses
    if key in ("", CUSTOM):  # "custom" rules typed back to a built-in policy's are that policy
        preset = next((p for p in PRESETS.values() if p.rules == rules), None)
        if preset is not None:
            return preset
    shown = CUSTOM if key in PRESETS or key == MARKET_DEFAULT or not key else name.strip()
    try:
        return Policy(shown, rules, "Settings sheet")
    except PolicyError as exc:
        raise WorkbookError(f"{rules_where}: {exc}") from None


def cached_values(path: Path | str, sheet: str = SETTINGS) -> Mapping[tuple[int, int], object]:
    """The values Excel last calculated for one sheet's cells (formulas as their results)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return Grid.of(book[sheet], sheet, str(path)).values if sheet in book.sheetnames else {}
    finally:
        book.close()


def _number(v: object) -> float | None:
    """A number typed as a number or as text; None for anything else."""
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        return None
    try:
        return float(v)
    except ValueError:
        return None


def reasons_in(v: object) -> tuple[str, ...]:
    """The cancel reasons of a cell, separated by ; or a line break."""
    return () if is_blank(v) else tuple(p.strip() for p in re.split(r"[;\n]", str(v)) if p.strip())


def _market(v: object, where: str) -> Market:
    if is_blank(v):
        raise WorkbookError(f"{where}: the market is empty (type a code such as US)")
    try:
        return get_market(str(v))
    except UnknownMarket as exc:
        raise WorkbookError(f"{where}: {exc}") from None


def _today(v: object, where: str) -> dt.date | None:
    day = None if is_blank(v) else cell_date(v, where)
    if day is not None and not TODAY_YEARS[0] <= day.year <= TODAY_YEARS[1]:
        raise WorkbookError(
            f"{where}: Today {day:%Y-%m-%d} is outside {TODAY_YEARS[0]}-{TODAY_YEARS[1]} "
            "(leave it blank for the market's today)"
        )
    return day


#: Setting label -> (Settings field, how its cell is read); Market and Policy are read first.
_READERS: dict[str, tuple[str, Callable[[object, str], object]]] = {
    "Today": ("today", _today),
    "At-risk days": (
        "at_risk_days",
        lambda v, where: DEFAULTS.at_risk_days if is_blank(v) else _int(v, where, "at-risk days", 0),
    ),
    "Window days": ("window_days", lambda v, where: None if is_blank(v) else _int(v, where, "window days", 1)),
    "Rate target": ("rate_target", lambda v, where: None if is_blank(v) else _rate(v, where)),
    "EDD column": ("edd_column", lambda v, _: None if is_blank(v) else str(v).strip()),
    "Buyer-fault cancel reasons": ("buyer_fault_reasons", lambda v, _: reasons_in(v)),
}


class _SettingCells:
    """The value cells of the Settings sheet by label.

    A formula counts as the value Excel calculated for it, read from the workbook's file (a book
    loaded with its formulas holds only their text).
    """

    def __init__(self, grid: Grid, path: Path | str | None, at: str) -> None:
        self.grid, self.path, self.at = grid, path, at
        self.rows = find_setting_cells(grid)
        self._calculated: Mapping[tuple[int, int], object] | None = None

    def value(self, label: str) -> tuple[object, str]:
        """(value, the cell named for messages) of one setting."""
        row = self.rows[label]
        v, where = self.grid.get(row, 2), f"{self.at}{SETTINGS}!B{row}"
        if isinstance(v, str) and v.startswith("="):  # a formula: its calculated value counts
            if self._calculated is None:
                path = self.path
                self._calculated = cached_values(path) if path is not None and Path(path).is_file() else {}
            result = self._calculated.get((row, 2))
            if result is None or (isinstance(result, str) and result.startswith("=")):
                raise WorkbookError(
                    f"{where}: the formula {v} has no calculated value yet: open the workbook in "
                    "Excel and save it, or type the value"
                )
            v = result
        return v, where


def _sheet_policy(cells: _SettingCells, rules: tuple[Rule, ...]) -> Policy | None:
    """The policy the Policy cell and the rules table say (see :func:`_policy`)."""
    v, where = cells.value("Policy")
    name = "" if is_blank(v) else str(v)
    head = _rules_head(cells.grid)
    rules_where = f"{cells.at}{SETTINGS}!A{head + 1}" if head else where
    if not name and not rules:
        raise WorkbookError(f"{where}: the policy is empty (type one of {', '.join(PRESETS)})")
    return _policy(name, rules, where, rules_where)


def read_settings(book: Book, base: Settings | None = None, *, path: Path | str | None = None) -> Settings:
    """Settings from the workbook's Settings and Holidays sheets (missing rows keep ``base``'s).

    ``path``, the workbook's file, is named in the messages; a setting typed as a formula is read
    by the value Excel calculated for it, taken from that file (a workbook loaded with its
    formulas holds only their text).
    """
    base = base or Settings()
    source = str(path) if path is not None else None
    at = f"{source}: " if source else ""
    if SETTINGS not in book.sheetnames:
        raise WorkbookError(f"{at}the workbook has no {SETTINGS} sheet")
    grid = Grid.of(book[SETTINGS], SETTINGS, source)
    cells = _SettingCells(grid, path, at)
    changes: dict[str, Any] = {}  # Settings fields, each of its own type
    if "Market" in cells.rows:
        changes["market"] = _market(*cells.value("Market"))
    rules = read_rules(grid, source)
    if "Policy" in cells.rows:
        changes["policy"] = _sheet_policy(cells, rules)
    elif rules:
        changes["policy"] = Policy(CUSTOM, rules, "Settings sheet")
    for label, (field, read) in _READERS.items():
        if label in cells.rows:
            changes[field] = read(*cells.value(label))
    changes["statuses"] = read_statuses(grid, source)
    extra_off, extra_working = read_extra_days(book, source)
    changes["extra_off"], changes["extra_working"] = frozenset(extra_off), frozenset(extra_working)
    return replace(base, **changes)


# -- writing back what a refresh used ------------------------------------------------------------
#: Settings a refresh writes back to the sheet (Today is not: a date written there would stop the
#: workbook's today moving on; the Summary's stamp shows the day a refresh counted from).
WRITTEN_BACK = (
    "Market",
    "Policy",
    "At-risk days",
    "Window days",
    "Rate target",
    "EDD column",
    "Buyer-fault cancel reasons",
    "Weekend (from market)",
)


def settings_updates(ws: object, settings: Settings) -> list[tuple[str, object]]:
    """(cell, value) to write so the Settings sheet shows what this refresh used.

    Each setting row whose value differs is listed, and the rules table when the policy's rules
    differ from it. Only cells that change are listed, so the seller's formulas and typing stay where they
    already say the same. The rules rows are written over the table's rows and the blank rows
    below it (a longer policy needs free rows there; :func:`settings_content` leaves them).
    """
    grid = Grid.of(ws, SETTINGS)
    rows = find_setting_cells(grid)
    values = {label: value for label, value, _, _ in settings_rows(settings)}
    updates: list[tuple[str, object]] = []
    for label in WRITTEN_BACK:
        if label not in rows:
            continue
        old, new = grid.get(rows[label], 2), values[label]
        if not _same(old, new, label, settings):
            updates.append((f"B{rows[label]}", new))
    head = _rules_head(grid)
    if head is not None and read_rules(grid) != settings.applied_policy.rules:
        wanted = rule_rows(settings.applied_policy)

        def blank(row: int) -> bool:
            return all(is_blank(grid.get(row, k)) for k in range(1, len(RULE_KEYS) + 1))

        old = 0  # the rules shown now: rows down to the first blank one
        while not blank(head + 1 + old):
            old += 1
        below = head + 1 + old  # the next row with something in it (a note, the Statuses table)
        while below <= grid.max_row and blank(below):
            below += 1
        room = max(old, below - head - 2) if below <= grid.max_row else len(wanted)  # one blank row stays
        if len(wanted) > room:
            raise WorkbookError(
                f"{SETTINGS}!A{head + 1}: the rules table has room for {room} rules, the policy "
                f"{settings.applied_policy.name!r} has {len(wanted)}: insert rows below the table"
            )
        for i in range(max(old, len(wanted))):
            rule = wanted[i] if i < len(wanted) else (None,) * len(RULE_KEYS)
            updates += [(f"{k}{head + 1 + i}", v) for k, v in zip(RULE_COLS, rule, strict=True)]
    return updates


def _same(old: object, new: object, label: str, settings: Settings) -> bool:
    """True when the cell already says what the refresh used (a formula that gave it counts)."""
    if isinstance(old, str) and old.startswith("="):
        return True  # the seller's formula stays (its value is what the refresh read)
    if is_blank(old) and (new is None or new == ""):
        return True
    return _SAME.get(label, _same_value)(old, new, settings)


def _same_value(old: object, new: object, _: Settings) -> bool:
    if isinstance(new, int) and not isinstance(old, bool):
        return _number(old) == new
    return old == new


def _same_rate(old: object, new: object, settings: Settings) -> bool:
    if old is None or not isinstance(new, float | int):
        return _same_value(old, new, settings)
    try:
        return abs(_rate(old, "") - new) < _SAME_RATE
    except WorkbookError:
        return False


_SAME: dict[str, Callable[[object, object, Settings], bool]] = {
    "Market": lambda old, _, s: isinstance(old, str) and old.strip().upper() == s.market.code,
    "Policy": lambda old, new, _: isinstance(old, str) and old.strip().lower() == str(new).lower(),
    "Rate target": _same_rate,
    "Buyer-fault cancel reasons": lambda old, _, s: reasons_in(old) == s.buyer_fault_reasons,
}


__all__ = [
    "BUYER_FAULT_REASONS",
    "read_rules",
    "read_settings",
    "read_statuses",
    "rule_rows",
    "settings_content",
    "settings_rows",
    "settings_updates",
]
