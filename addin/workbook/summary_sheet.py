"""The Summary sheet: the dashboard a shop owner reads in ten seconds, as data.

``summary_content(refresh, input_name=...)`` returns every cell (A1 reference, value, style),
the column widths, the chart and the page setup; a writer only applies them. Layout:

- rows 1-2: title and the "Last refreshed" stamp (market, today, policy, input file);
- left: the seller-responsible cancellation rate with a traffic light against the target, the
  projected rate if every Overdue order is auto-cancelled, orders, cancellations by who;
- middle: orders per Risk, in the Risk colours of the Orders sheet;
- right: the 20 most urgent open orders (Order ID, next auto-cancel, days left, risk);
- below: orders and seller-responsible cancellations per day (per week past 31 days), as a
  table and a chart. It prints on one landscape page.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..pipeline import Refresh
from ..report import urgent_orders
from .layout import SUMMARY, Cell, ChartSpec, PageSpec, SheetContent

TOP = 20
DAILY_UP_TO = 31  # days spanned; past that, weeks
MAX_WEEKS = 26
WIDTHS = {"A": 2, "B": 44, "C": 14, "D": 17, "E": 3, "F": 14, "G": 9, "H": 3,
          "I": 22, "J": 19, "K": 10, "L": 12, "M": 2}


def light(rate: float, target: float, orders: int) -> tuple[str, str]:
    """(text, style) of the traffic light for a rate against the target."""
    if not orders:
        return "No orders", "light_grey"
    if rate > target:
        return "Above target", "light_red"
    if rate > 0.8 * target:
        return "Close to target", "light_amber"
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


def stamp(refresh: Refresh, input_name: str | None, refreshed_at: dt.datetime | None) -> str:
    st, s = refresh.settings, refresh.summary
    when = (refreshed_at or dt.datetime.now().astimezone()).strftime("%d %b %Y %H:%M %Z").strip()
    parts = [f"Last refreshed {when}", f"{st.market.name} ({st.market.code})", f"today {s.today:%a %d %b %Y}",
             f"policy {st.policy.name}"]
    if input_name:
        parts.append(f"input {input_name}")
    return "   ·   ".join(parts)


def summary_content(refresh: Refresh, input_name: str | None = None,
                    refreshed_at: dt.datetime | None = None) -> SheetContent:
    """Every cell, width, chart and the page setup of the Summary sheet for one refresh."""
    s, st = refresh.summary, refresh.settings
    target = st.target
    c = SheetContent(widths=dict(WIDTHS), show_grid=False, tab_color="1F3864")
    cells: list[Cell] = [
        ("B1", "Auto-cancel guard: orders TikTok Shop will cancel, and your cancellation rate", "title"),
        ("B2", stamp(refresh, input_name, refreshed_at), "subtitle"),
    ]
    c.heights[1] = 30

    def section(ref_cols: str, row: int, title: str) -> None:
        first, *rest = ref_cols
        cells.append((f"{first}{row}", title, "section"))
        cells.extend((f"{k}{row}", None, "section") for k in rest)

    # -- the rate ------------------------------------------------------------------------------
    section("BCD", 4, "Seller-responsible cancellation rate")
    window = f"last {s.window_days} days" if s.window_days else "every order in the file"
    text, style = light(s.seller_responsible_rate, target, s.orders)
    ptext, pstyle = light(s.projected_rate, target, s.orders)
    row = 5
    cells += [(f"B{row}", f"Rate now ({window})", "big_label"), (f"C{row}", s.seller_responsible_rate, "pct_big"),
              (f"D{row}", text, style)]
    c.heights[row] = 24
    row += 1
    cells += [(f"B{row}", "Target: at most", "stat_label"), (f"C{row}", target, "pct")]
    row += 1
    cells += [(f"B{row}", "If every Overdue order is auto-cancelled", "stat_label"),
              (f"C{row}", s.projected_rate, "pct_bold"), (f"D{row}", ptext, pstyle)]
    row += 1
    cells += [(f"B{row}", "Orders", "stat_label"), (f"C{row}", s.orders, "int")]
    row += 1
    cells += [(f"B{row}", "Cancelled orders", "stat_label"), (f"C{row}", s.cancelled, "int")]
    for who, n in s.cancelled_by.items():
        row += 1
        cells += [(f"B{row}", f"by {who}", "label_indent"), (f"C{row}", n, "int")]
    row += 1
    cells += [(f"B{row}", "Seller-responsible cancellations", "text_bold"), (f"C{row}", s.seller_responsible, "int_bold")]
    row += 1
    if s.first_order:
        cells.append((f"B{row}", (f"Orders placed {s.first_order:%d %b %Y} to {s.last_order:%d %b %Y}; rates count "
                                  "orders, not SKU rows"), "note"))
    left_end = row

    # -- risks ---------------------------------------------------------------------------------
    section("FG", 4, "Orders by risk")
    row = 5
    for risk, n in s.risk_counts.items():
        cells += [(f"F{row}", risk, f"risk_label:{risk}"), (f"G{row}", n, "int")]
        row += 1
    cells += [(f"F{row}", "All orders", "text_bold"), (f"G{row}", sum(s.risk_counts.values()), "int_bold")]
    mid_end = row

    # -- most urgent ---------------------------------------------------------------------------
    section("IJKL", 4, f"{TOP} most urgent open orders")
    cells += [("I5", "Order ID", "head"), ("J5", "Next auto-cancel", "head"), ("K5", "Days left", "head_right"),
              ("L5", "Risk", "head_center")]
    a = refresh.assessment
    row = 5
    # Open orders with a deadline running (an order in transit without an EDD has none: not urgent).
    urgent = [i for i in urgent_orders(refresh, len(refresh.orders))
              if not (a.risk[i] == "On track" and np.isnan(a.days_left[i]))][:TOP]
    for i in urgent:
        row += 1
        deadline = a.next_deadline[i]
        days = a.days_left[i]
        cells += [
            (f"I{row}", refresh.orders.ids[i], "id"),
            (f"J{row}", None if np.isnat(deadline) else deadline.astype(object), "date"),
            (f"K{row}", None if np.isnan(days) else int(days), "int"),
            (f"L{row}", a.risk[i], f"risk:{a.risk[i]}"),
        ]
    if not urgent:
        row += 1
        cells.append((f"I{row}", "No open orders: nothing can be auto-cancelled.", "note"))
    row += 1
    cells.append((f"I{row}", "All orders: filter the Orders sheet by Risk or sort by Days left.", "note"))
    right_end = row

    # -- per day / week ------------------------------------------------------------------------
    unit, rows, truncated = periods(s.per_day)
    top = max(left_end, mid_end) + 2
    title = "Orders and seller-responsible cancellations per " + unit
    section("BCD", top, title)
    head = top + 1
    cells += [(f"B{head}", "Day" if unit == "day" else "Week (from Monday)", "head"),
              (f"C{head}", "Orders", "head_right"), (f"D{head}", "Seller cancels", "head_right")]
    r = head
    for day, orders, cancels in rows:
        r += 1
        cells += [(f"B{r}", day, "day" if unit == "day" else "week"), (f"C{r}", orders, "int"),
                  (f"D{r}", cancels, "int")]
    if not rows:
        cells.append((f"B{head + 1}", "No order dates could be read.", "note"))
        r = head + 1
    elif truncated:
        r += 1
        cells.append((f"B{r}", f"Last {MAX_WEEKS} weeks shown.", "note"))
    table_end = r
    chart_top = max(right_end + 2, top)
    if rows:
        sheet = f"'{SUMMARY}'"
        n0, n1 = head + 1, head + len(rows)
        c.charts.append(ChartSpec(
            anchor=f"F{chart_top}",
            title=f"Orders (bars) and seller-responsible cancellations (line) per {unit}",
            categories=f"{sheet}!$B${n0}:$B${n1}",
            bars=[(f"{sheet}!$C${head}", f"{sheet}!$C${n0}:$C${n1}")],
            lines=[(f"{sheet}!$D${head}", f"{sheet}!$D${n0}:$D${n1}")],
            y_title="Orders", y2_title="Seller cancels",
            y_major=_step(max(o for _, o, _ in rows)), y2_major=_step(max(c for _, _, c in rows)),
            width_cm=16.5, height_cm=8.0,
        ))
    chart_rows = 17 if rows else 0
    last = max(table_end, chart_top + chart_rows, right_end)
    c.cells = cells
    c.page = PageSpec(print_area=f"A1:M{last}")
    return c
