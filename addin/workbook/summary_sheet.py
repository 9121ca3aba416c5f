"""The Summary sheet: the dashboard a shop owner reads in ten seconds, as data.

``summary_content(refresh, input_name=...)`` returns every cell (A1 reference, value, style),
the column widths, the chart and the page setup; a writer only applies them. Layout:

- rows 1-2: title and the "Last refreshed" stamp, on the market's clock (market, today, policy,
  input file); row 3 is left empty and tall for the template's buttons (``BUTTON_ROW``);
- left: the seller-responsible cancellation rate with a traffic light against the target, the
  projected rate if every Overdue order is auto-cancelled, orders, cancellations by who, and a
  note when the delivery rule cannot be counted (no estimated-delivery-date column);
- middle: orders per Risk, in the Risk colours of the Orders sheet;
- right: the 20 most urgent open orders: Order ID, next auto-cancel, days left, risk, what to do
  (from the milestone the order must reach next) and its product and SKU;
- below: what each colour means, why orders need a data check (counted by reason), then orders
  and seller-responsible cancellations per day (per week past 31 days), as a table and a chart.
  It prints on one landscape page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import numpy as np

from ..core.assess import (
    AT_RISK,
    CANCELLED_RISK,
    CHECK_DATA,
    DONE,
    DUE_TODAY,
    ON_TRACK,
    OVERDUE,
    PRE_ORDER,
    TIKTOK_FULFILS,
    UNPAID_RISK,
)
from ..core.rules import Milestone
from ..core.summary import AMBER, GREEN, RED, judge
from ..report import urgent_orders
from .layout import SUMMARY, Cell, ChartSpec, PageSpec, SheetContent
from .values import cell_value

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..core.policies import Threshold
    from ..pipeline import Refresh

#: Rows the per-day chart covers below its anchor.
CHART_ROWS = 17
TOP = 20
DAILY_UP_TO = 31  # days spanned; past that, weeks
MAX_WEEKS = 26
MAX_REASONS = 8
PRODUCT_CHARS = 48  # what the Product (SKU) column shows of a long product name
#: Row 3 stays empty and this tall (points): the template's Load export / Paste export / Refresh
#: buttons sit there, where no export can reach.
BUTTON_ROW, BUTTON_ROW_HEIGHT = 3, 30
#: Characters of a reason on one line of column B (44 wide), and a line's height in points.
REASON_LINE, LINE_HEIGHT = 50, 15
WIDTHS = {
    "A": 2,
    "B": 44,
    "C": 14,
    "D": 17,
    "E": 3,
    "F": 14,
    "G": 9,
    "H": 3,
    "I": 20,
    "J": 17,
    "K": 9,
    "L": 11,
    "M": 27,
    "N": 44,
    "O": 2,
}

#: What each Risk means, in a seller's words: the Summary's legend and the template's Instructions.
RISK_MEANING: dict[str, str] = {
    OVERDUE: "The auto-cancel deadline has passed and the order has not moved on. Act now.",
    DUE_TODAY: "TikTok cancels it at the end of today unless it moves.",
    AT_RISK: "A few working days left (Settings > At-risk days).",
    CHECK_DATA: "A date or status could not be read: the Data issue column says which cell.",
    PRE_ORDER: "A pre-order: its clock starts at the date you ship it by (Data issue says which column to add).",
    ON_TRACK: "The deadline is further away.",
    TIKTOK_FULFILS: "Fulfilled by TikTok: TikTok ships it, no deadline of yours.",
    UNPAID_RISK: "Not paid yet: no shipping clock runs.",
    DONE: "Delivered or completed.",
    CANCELLED_RISK: "Already cancelled; counts in the rate when it was the seller's fault.",
}

#: What the seller does for an open order, by the next milestone the policy wants it to reach
#: (Awaiting collection = shipment arranged, tracking uploaded; In transit = the carrier has it).
NEXT_STEP: dict[Milestone, str] = {
    Milestone.AWAITING_COLLECTION: "Arrange shipment",
    Milestone.IN_TRANSIT: "Hand to the carrier",
    Milestone.DELIVERED: "Chase the delivery",
}
ARRANGE_AND_HAND_OVER = "Arrange shipment, hand over"
FIX_DATA = "Fix the data (Orders > Data issue)"


def light(rate: float, thresholds: tuple[Threshold, ...], orders: int) -> tuple[str, str]:
    """(text, style) of the traffic light.

    TikTok's own lines for the market (addin.core.policies), and amber from 80% of the first line
    on, so the seller sees it coming.
    """
    if not orders:
        return "No orders", "light_grey"
    _, colour = judge(rate, thresholds)
    if colour == RED:
        return "Penalty line crossed", "light_red"
    if colour == AMBER:
        return "Above TikTok's aim", "light_amber"
    if thresholds and rate > 0.8 * thresholds[0].rate:
        return "Close to the line", "light_amber"
    return "Within target", "light_green"


def periods(per_day: list[tuple[dt.date, int, int]]) -> tuple[str, list[tuple[dt.date, int, int]], bool]:
    """("day" or "week", rows of (first day, orders, seller-responsible), truncated?) for the table."""
    if not per_day:
        return "day", [], False
    first, last = per_day[0][0], per_day[-1][0]
    counts = {d: (o, c) for d, o, c in per_day}
    if (last - first).days < DAILY_UP_TO:
        days = [first + dt.timedelta(n) for n in range((last - first).days + 1)]
        return "day", [(d, *counts.get(d, (0, 0))) for d in days], False
    weeks: dict[dt.date, list[int]] = {}
    start = first - dt.timedelta(first.weekday())
    while start <= last:
        weeks[start] = [0, 0]
        start += dt.timedelta(7)
    for d, o, c in per_day:
        w = weeks[d - dt.timedelta(d.weekday())]
        w[0] += o
        w[1] += c
    rows = [(w, o, c) for w, (o, c) in weeks.items()]
    return "week", rows[-MAX_WEEKS:], len(rows) > MAX_WEEKS


def _step(top: int) -> int:
    """A whole-number axis step giving about five ticks (counts have no fractions)."""
    return max(1, -(-top // 5))


def next_step(refresh: Refresh, order: int) -> str:
    """What to do for one order: its next milestone under the policy (Check data: fix the data)."""
    if refresh.assessment.risk[order] == CHECK_DATA:
        return FIX_DATA
    reached = int(refresh.orders.reached[order])
    ahead = [r.milestone for r in refresh.settings.applied_policy.rules if r.milestone > reached]
    if not ahead:
        return ""
    target = min(ahead)
    if target == Milestone.IN_TRANSIT and reached < Milestone.AWAITING_COLLECTION:
        return ARRANGE_AND_HAND_OVER
    return NEXT_STEP[Milestone(target)]


def products(refresh: Refresh, orders: list[int]) -> dict[int, str]:
    """Each order's first row as "Product name (Seller SKU)", "+ N more" for its other rows."""
    names, skus = refresh.export.column("product_name"), refresh.export.column("seller_sku")
    if names is None and skus is None:
        return {}
    row_order = refresh.orders.row_order
    wanted = set(orders)
    rows: dict[int, list[int]] = {}
    for row in np.flatnonzero(np.isin(row_order, list(wanted))):
        rows.setdefault(int(row_order[row]), []).append(int(row))
    out = {}
    for order, its_rows in rows.items():
        first = its_rows[0]
        name = str(names[first] or "").strip() if names is not None else ""
        sku = str(skus[first] or "").strip() if skus is not None else ""
        more = f" + {len(its_rows) - 1} more" if len(its_rows) > 1 else ""
        tail = f" ({sku}){more}" if name and sku else more
        name = name or sku
        room = PRODUCT_CHARS - len(tail)
        out[order] = (name if len(name) <= room else name[: max(room - 1, 8)].rstrip() + "…") + tail
    return out


_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_ROW = re.compile(r",? row \d+")


def issue_reasons(data_issue: Iterable[object]) -> list[tuple[str, int]]:
    """(reason, orders) behind the Data issue texts, most frequent first.

    Cell rows and the values themselves are taken out, so "Created Time, row 7: '32/13/2025' is
    not a date" and the same on row 9 count as one reason.
    """
    counts: Counter[str] = Counter()
    for text in data_issue:
        if text:
            counts.update({_reason(m) for m in str(text).split("; ") if m.strip()})
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _reason(message: str) -> str:
    """One Data issue message without its cell.

    A cell's value (quoted after "row N") is one of many; a message about no cell (a column to add,
    a policy) keeps its quoted names, which say what to do.
    """
    without_row = _ROW.sub("", message)
    if without_row == message:
        return message.strip()
    return _QUOTED.sub("a value", without_row).strip()


def delivery_rule_uncounted(refresh: Refresh) -> bool:
    """The policy has a rule counted from the estimated delivery date but the export has no such column."""
    return any(r.start == "edd" for r in refresh.settings.applied_policy.rules) and "edd" not in refresh.export.columns


def stamp(refresh: Refresh, input_name: str | None, refreshed_at: dt.datetime | None) -> str:
    """The "Last refreshed" line, on the market's own clock (the one that decides TikTok's today)."""
    st, s = refresh.settings, refresh.summary
    moment = refreshed_at or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a naive time is this computer's
    city = st.market.timezone.rsplit("/", 1)[-1].replace("_", " ")  # America/Los_Angeles: Los Angeles
    when = f"{moment.astimezone(ZoneInfo(st.market.timezone)):%d %b %Y %H:%M} {city} time"
    found = st.market_reason.partition(": ")[2]  # "market TH: Country 'ไทย' on 4 of 4 rows, ..."
    parts = [
        f"Last refreshed {when}",
        f"{st.market.name} ({st.market.code}" + (f", from {found})" if found else ")"),
        f"today {s.today:%a %d %b %Y}",
        f"policy {st.applied_policy.name}",
    ]
    if input_name:
        parts.append(f"input {input_name}")
    parts += [f"WARNING: {w}" for w in refresh.warnings]  # e.g. the file looks like another market's
    return "   ·   ".join(parts)


def _section(cells: list[Cell], ref_cols: str, row: int, title: str) -> None:
    """A section title over the columns ``ref_cols`` of ``row`` (its band over all of them)."""
    cells.append((f"{ref_cols[0]}{row}", title, "section"))
    cells.extend((f"{k}{row}", None, "section") for k in ref_cols[1:])


def _rate_cells(refresh: Refresh, cells: list[Cell], heights: dict[int, float]) -> int:
    """The seller-responsible rate and its counts, from row 4 of columns B-D; returns the last row."""
    s, st = refresh.summary, refresh.settings
    _section(cells, "BCD", 4, "Seller-responsible cancellation rate")
    window = f"last {s.window_days} days" if s.window_days else "every order in the file"
    text, style = light(s.seller_responsible_rate, s.thresholds, s.orders)
    ptext, pstyle = light(s.projected_rate, s.thresholds, s.orders)
    row = 5
    cells += [
        (f"B{row}", f"Rate now ({window})", "big_label"),
        (f"C{row}", s.seller_responsible_rate, "pct_big"),
        (f"D{row}", text, style),
    ]
    heights[row] = 24
    row += 1
    first = s.thresholds[0] if s.thresholds else None
    line = "TikTok's line: from" if first is not None and first.at_or_above else "Target: at most"
    cells += [(f"B{row}", line, "stat_label"), (f"C{row}", st.target, "pct")]
    if s.light != GREEN:  # what TikTok does at this rate, in its own words
        row += 1
        cells.append((f"B{row}", f"TikTok: {s.verdict}", "note"))
    row += 1
    cells += [
        (f"B{row}", "If every Overdue order is auto-cancelled", "stat_label"),
        (f"C{row}", s.projected_rate, "pct_bold"),
        (f"D{row}", ptext, pstyle),
    ]
    row += 1
    cells += [(f"B{row}", "Orders", "stat_label"), (f"C{row}", s.orders, "int")]
    row += 1
    cells += [(f"B{row}", "Cancelled orders", "stat_label"), (f"C{row}", s.cancelled, "int")]
    for who, n in s.cancelled_by.items():
        row += 1
        cells += [(f"B{row}", f"by {who}", "label_indent"), (f"C{row}", n, "int")]
    row += 1
    cells += [
        (f"B{row}", "Seller-responsible cancellations", "text_bold"),
        (f"C{row}", s.seller_responsible, "int_bold"),
    ]
    row += 1
    if s.first_order:
        cells.append(
            (
                f"B{row}",
                (
                    f"Orders placed {s.first_order:%d %b %Y} to {s.last_order:%d %b %Y}; rates count "
                    "orders, not SKU rows"
                ),
                "note",
            )
        )
    if delivery_rule_uncounted(refresh):
        row += 1
        edd = st.edd_column or "Estimated Delivery Date"
        cells.append(
            (
                f"B{row}",
                (
                    f"Delivery rule not counted: the orders have no '{edd}' column. Add one right of "
                    "the Orders sheet (or name yours in Settings > EDD column)."
                ),
                "note",
            )
        )
    return row


def _risk_cells(refresh: Refresh, cells: list[Cell]) -> int:
    """Orders per risk, from row 4 of columns F-G; returns the last row."""
    counts = refresh.summary.risk_counts
    _section(cells, "FG", 4, "Orders by risk")
    row = 5
    for risk, n in counts.items():
        cells += [(f"F{row}", risk, f"risk_label:{risk}"), (f"G{row}", n, "int")]
        row += 1
    cells += [(f"F{row}", "All orders", "text_bold"), (f"G{row}", sum(counts.values()), "int_bold")]
    return row


def _urgent_cells(refresh: Refresh, cells: list[Cell]) -> int:
    """The most urgent open orders, from row 4 of columns I-N; returns the last row."""
    _section(cells, "IJKLMN", 4, f"{TOP} most urgent open orders")
    cells += [
        ("I5", "Order ID", "head"),
        ("J5", "Next auto-cancel", "head"),
        ("K5", "Days left", "head_right"),
        ("L5", "Risk", "head_center"),
        ("M5", "What to do", "head"),
        ("N5", "Product (SKU)", "head"),
    ]
    a = refresh.assessment
    row = 5
    # Open orders with a deadline running (an order in transit without an EDD has none: not urgent).
    urgent = [
        i
        for i in urgent_orders(refresh, len(refresh.orders))
        if not (a.risk[i] == ON_TRACK and np.isnan(a.days_left[i]))
    ][:TOP]
    product = products(refresh, urgent)
    for i in urgent:
        row += 1
        cells += [
            (f"I{row}", refresh.orders.ids[i], "id"),
            (f"J{row}", cell_value(a.next_deadline[i]), "date"),
            (f"K{row}", cell_value(a.days_left[i], whole=True), "int"),
            (f"L{row}", a.risk[i], f"risk:{a.risk[i]}"),
            (f"M{row}", next_step(refresh, i), "text"),
            (f"N{row}", product.get(i) or None, "text"),
        ]
    if not urgent:
        row += 1
        cells.append((f"I{row}", "No open orders: nothing can be auto-cancelled.", "note"))
    row += 1
    cells.append((f"I{row}", "All orders: filter the Orders sheet by Risk or sort by Days left.", "note"))
    return row


def _legend_cells(refresh: Refresh, cells: list[Cell], heights: dict[int, float], row: int) -> int:
    """What the colours mean, then why orders need a data check, from ``row``; returns the last row."""
    _section(cells, "BCD", row, "What the colours mean")
    for risk, meaning in RISK_MEANING.items():
        row += 1
        cells += [(f"B{row}", risk, f"risk_label:{risk}"), (f"C{row}", meaning, "note")]
    reasons = issue_reasons(refresh.assessment.data_issue)
    if reasons:
        row += 2
        _section(cells, "BCD", row, "Why orders need a data check")
        row += 1
        cells += [(f"B{row}", "Reason", "head"), (f"C{row}", "Orders", "head_right")]
        for reason, n in reasons[:MAX_REASONS]:
            row += 1
            cells += [(f"B{row}", reason, "text_wrap"), (f"C{row}", n, "int_top")]
            lines = -(-len(reason) // REASON_LINE)
            if lines > 1:  # a reason is a sentence to act on: shown whole, over as many lines as it takes
                heights[row] = LINE_HEIGHT * lines
        if len(reasons) > MAX_REASONS:
            row += 1
            cells.append(
                (f"B{row}", f"{len(reasons) - MAX_REASONS} more reasons: filter Orders by Data issue.", "note")
            )
    return row


def _period_cells(refresh: Refresh, c: SheetContent, cells: list[Cell], top: int, chart_top: int) -> int:
    """Orders and seller cancels per day or week; returns the last row the table or chart uses.

    The table starts at row ``top`` of columns B-D, the chart at row ``chart_top`` of column F.
    """
    unit, rows, truncated = periods(refresh.summary.per_day)
    _section(cells, "BCD", top, "Orders and seller-responsible cancellations per " + unit)
    head = top + 1
    cells += [
        (f"B{head}", "Day" if unit == "day" else "Week (from Monday)", "head"),
        (f"C{head}", "Orders", "head_right"),
        (f"D{head}", "Seller cancels", "head_right"),
    ]
    r = head
    for day, orders, cancels in rows:
        r += 1
        cells += [
            (f"B{r}", day, "day" if unit == "day" else "week"),
            (f"C{r}", orders, "int"),
            (f"D{r}", cancels, "int"),
        ]
    if not rows:
        cells.append((f"B{head + 1}", "No order dates could be read.", "note"))
        return max(head + 1, chart_top)
    if truncated:
        r += 1
        cells.append((f"B{r}", f"Last {MAX_WEEKS} weeks shown.", "note"))
    sheet = f"'{SUMMARY}'"
    n0, n1 = head + 1, head + len(rows)
    c.charts.append(
        ChartSpec(
            anchor=f"F{chart_top}",
            title=f"Orders (bars) and seller-responsible cancellations (line) per {unit}",
            categories=f"{sheet}!$B${n0}:$B${n1}",
            bars=[(f"{sheet}!$C${head}", f"{sheet}!$C${n0}:$C${n1}")],
            lines=[(f"{sheet}!$D${head}", f"{sheet}!$D${n0}:$D${n1}")],
            y_title="Orders",
            y2_title="Seller cancels",
            y_major=_step(max(o for _, o, _ in rows)),
            y2_major=_step(max(c for _, _, c in rows)),
            width_cm=16.5,
            height_cm=8.0,
        )
    )
    return max(r, chart_top + CHART_ROWS)


def summary_content(
    refresh: Refresh, input_name: str | None = None, refreshed_at: dt.datetime | None = None
) -> SheetContent:
    """Every cell, width, chart and the page setup of the Summary sheet for one refresh."""
    c = SheetContent(widths=dict(WIDTHS), show_grid=False, tab_color="1F3864")
    cells: list[Cell] = [
        ("B1", "Auto-cancel guard: orders TikTok Shop will cancel, and your cancellation rate", "title"),
        ("B2", stamp(refresh, input_name, refreshed_at), "subtitle"),
    ]
    c.heights[1] = 30
    c.heights[BUTTON_ROW] = BUTTON_ROW_HEIGHT
    left_end = _rate_cells(refresh, cells, c.heights)
    mid_end = _risk_cells(refresh, cells)
    right_end = _urgent_cells(refresh, cells)
    row = _legend_cells(refresh, cells, c.heights, max(left_end, mid_end) + 2)
    top = row + 2
    last = max(_period_cells(refresh, c, cells, top, max(right_end + 2, top)), right_end)
    c.cells = cells
    c.page = PageSpec(print_area=f"A1:O{last}")
    return c
