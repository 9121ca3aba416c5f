"""The ``autocancel`` command: the same refresh as the Excel button, on any machine.

Errors a seller can fix (a missing file, a missing column, a bad setting) print one line on
stderr naming the file and what is wrong, and exit with status 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import numpy as np

from . import __version__
from .core.calendar import weekend_text
from .core.detect import choose_market
from .core.markets import get_market
from .core.policies import PRESETS, get_policy
from .errors import AutocancelError
from .io.export import polars_usable, read_export
from .io.policy_file import load_policy_file
from .pipeline import Refresh, Settings, calendar_for, run
from .progress import Progress
from .report import text_report

if TYPE_CHECKING:
    from .workbook.refresh import Refreshed

EXIT_BAD_INPUT = 2


class UsageError(AutocancelError):
    """A command-line value that cannot be used."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-12-01") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days (1 or more)")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="autocancel",
        description="TikTok Shop auto-cancel deadlines, risk flags and cancellation rate from an order export.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--market", help="market code, e.g. US, GB, TH (default: found from the export, else US)")
    group = options.add_mutually_exclusive_group()
    group.add_argument("--policy", help=f"built-in policy (default: the market's TikTok rules): {', '.join(PRESETS)}")
    group.add_argument("--policy-file", type=Path, help="your own rules, TOML or JSON")
    options.add_argument("--today", type=_date, help="count from this date (YYYY-MM-DD) instead of today")
    options.add_argument("--window-days", type=_positive, help="rate over orders created in the last N days")
    options.add_argument("--at-risk-days", type=int, help="At risk within this many working days (default 2)")
    options.add_argument("--sheet", help="sheet to read in a workbook (default Orders, else the first)")
    options.add_argument("--edd-column", help="header of your estimated delivery date column")
    common = argparse.ArgumentParser(add_help=False, parents=[options])
    common.add_argument("input", type=Path, help="order export (.csv, .xlsx) or workbook (.xlsx, .xlsm)")

    check = sub.add_parser("check", parents=[common], help="print deadlines, risks and the rate")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    refresh = sub.add_parser("refresh", parents=[common], help="write a refreshed workbook")
    refresh.add_argument(
        "-o",
        "--output",
        type=Path,
        help="workbook to write (default: INPUT_refreshed.xlsx for an export; "
        "a workbook with a Settings sheet is refreshed in place)",
    )
    refresh.add_argument(
        "--formulas",
        action="store_true",
        help="write the deadline columns as live WORKDAY.INTL formulas over the Holidays sheet",
    )
    refresh.add_argument(
        "--by-urgency",
        action="store_true",
        help="a workbook: sort the Orders rows most urgent first (your own columns move with them)",
    )
    load = sub.add_parser(
        "load",
        parents=[options],
        help="bring today's export into a workbook (replacing the old one whole), then refresh",
    )
    load.add_argument("workbook", type=Path, help="the workbook to update (.xlsx or .xlsm, ours or the template)")
    load.add_argument("input", type=Path, help="today's order export (.csv, .xlsx)")
    load.add_argument("-o", "--output", type=Path, help="write the updated workbook here instead of in place")
    load.add_argument(
        "--formulas",
        action="store_true",
        help="write the deadline columns as live WORKDAY.INTL formulas over the Holidays sheet",
    )
    load.add_argument(
        "--by-urgency",
        action="store_true",
        help="sort the Orders rows most urgent first (your own columns move with them)",
    )
    hol = sub.add_parser("holidays", help="list the non-working days of a market")
    hol.add_argument("market")
    hol.add_argument("year", type=int)
    return parser


def settings_from_args(args: argparse.Namespace, base: Settings | None = None) -> Settings:
    """Command-line options over ``base`` (the workbook's own Settings, or the defaults)."""
    settings = base or Settings()
    if args.market:
        settings = dataclasses.replace(settings, market=get_market(args.market))
    if args.policy:
        settings = dataclasses.replace(settings, policy=get_policy(args.policy))
    if args.policy_file:
        settings = dataclasses.replace(settings, policy=load_policy_file(args.policy_file))
    if args.at_risk_days is not None and args.at_risk_days < 0:
        raise UsageError("--at-risk-days must be 0 or more")
    given = {name: getattr(args, name) for name in ("today", "window_days", "at_risk_days", "edd_column")}
    return dataclasses.replace(settings, **{name: value for name, value in given.items() if value is not None})


def _check(args: argparse.Namespace) -> int:
    refresh = _refresh(args, Progress(enabled=False) if args.json else Progress())
    if args.json:
        write_json(refresh, sys.stdout)
    else:
        sys.stdout.write(text_report(refresh))
    return 0


def _refresh(args: argparse.Namespace, progress: Progress) -> Refresh:
    """Assess an export; a workbook of ours brings its own Settings, which the options override."""
    from .workbook import is_our_workbook, workbook_settings
    from .workbook.refresh import workbook_export

    ours = is_our_workbook(args.input) and args.sheet is None
    base = workbook_settings(args.input) if ours else None
    settings = settings_from_args(args, base)
    progress.stage(f"Reading {args.input.name}")
    if ours:  # read as `refresh` reads it: the export part of Orders, the seller's EDD column by name
        export = workbook_export(args.input, settings)
    else:
        export = read_export(args.input, args.sheet, settings.edd_column, progress.update)
    if base is None and not args.market:  # a new export says its market; a given one is checked by run()
        choice = choose_market(export, None)
        settings = dataclasses.replace(settings, market=choice.market, market_reason=choice.reason)
        progress.close()
        _note(f"note: {choice.reason}")
    for warning in export.warnings:  # what the reader had to cut or leave out, by row and column
        progress.close()
        _note(f"note: {warning}")
    progress.stage(f"Working out deadlines for {len(export.rows):,} rows")
    try:
        refresh = run(export, settings)
    finally:
        progress.close()
    for warning in refresh.warnings:
        _note(f"warning: {warning}")
    return refresh


def write_json(refresh: Refresh, out: TextIO) -> None:
    """The ``check --json`` document, dates as YYYY-MM-DD, null where there is none.

    ``{"orders": {order id: {ship_by, delivery, next_deadline, days_left, risk}}, "summary": {...}}``.

    The orders are encoded column-wise by polars: a million orders as a Python dict each, then
    ``json.dump``, took 12 s of a 41 s ``check``; this takes about one.
    """
    a = refresh.assessment
    if not polars_usable():  # a child forked after polars was loaded: one dict per order, as before
        orders = {
            oid: {
                "ship_by": None if np.isnat(a.ship_by[i]) else str(a.ship_by[i]),
                "delivery": None if np.isnat(a.delivery[i]) else str(a.delivery[i]),
                "next_deadline": None if np.isnat(a.next_deadline[i]) else str(a.next_deadline[i]),
                "days_left": None if a.days_left[i] != a.days_left[i] else int(a.days_left[i]),
                "risk": a.risk[i],
            }
            for i, oid in enumerate(_json_ids(refresh))
        }
        json.dump({"orders": orders, "summary": refresh.summary.as_json()}, out, ensure_ascii=False)
        out.write("\n")
        return
    import polars as pl

    frame = pl.DataFrame(
        {
            "id": pl.Series(_json_ids(refresh), dtype=pl.String),
            "ship_by": a.ship_by,
            "delivery": a.delivery,
            "next_deadline": a.next_deadline,
            "days_left": pl.Series(a.days_left, dtype=pl.Float64, nan_to_null=True).cast(pl.Int64),
            "risk": pl.Series(a.risk, dtype=pl.String),
        }
    ).with_columns(pl.col("ship_by", "delivery", "next_deadline").cast(pl.Date).dt.strftime("%Y-%m-%d"))
    key = pl.struct("id").struct.json_encode()  # {"id":"..."}: the ID as a JSON string, cut out below
    opening = len('{"id":')  # what json_encode writes before the ID's JSON string ("}" after it)
    entry = pl.concat_str(
        key.str.slice(opening, key.str.len_chars() - opening - 1),
        pl.lit(":"),
        pl.struct("ship_by", "delivery", "next_deadline", "days_left", "risk").struct.json_encode(),
    )
    body: str = frame.select(entry.str.join(",")).item() if len(frame) else ""
    out.write('{"orders": {')
    out.write(body)
    out.write('}, "summary": ')
    out.write(json.dumps(refresh.summary.as_json(), ensure_ascii=False))
    out.write("}\n")


def _json_ids(refresh: Refresh) -> list[str]:
    """Order IDs as JSON keys; a row without one is its own entry, named by its sheet row."""
    ids = list(refresh.orders.ids)
    first = np.full(len(ids), len(refresh.export.rows), dtype=np.int64)
    np.minimum.at(first, refresh.orders.row_order, np.arange(len(refresh.orders.row_order)))
    return [oid or f"(no Order ID, row {refresh.export.sheet_row(int(first[i]))})" for i, oid in enumerate(ids)]


def _write(args: argparse.Namespace) -> int:
    from .workbook import is_our_workbook, write_refreshed
    from .workbook.refresh import collector_paused

    if is_our_workbook(args.input):
        # A template-made or refreshed workbook: its Settings sheet, then the options, for this run.
        done = _in_place(args, args.input)
    else:
        progress = Progress()
        with collector_paused():  # the export's millions of strings hold no cycles: no full collections over them
            refresh = _refresh(args, progress)
            output = args.output or args.input.with_name(f"{args.input.stem}_refreshed.xlsx")
            progress.stage(f"Writing {output.name}", len(refresh.export.rows))
            try:
                done = write_refreshed(refresh, output, formulas=args.formulas, progress=progress.update)
            finally:
                progress.close()
    return _done(done)


def _load(args: argparse.Namespace) -> int:
    return _done(_in_place(args, args.workbook, export_path=args.input, sheet=args.sheet))


def _in_place(
    args: argparse.Namespace, workbook: Path, *, export_path: Path | None = None, sheet: str | None = None
) -> Refreshed:
    """Refresh a workbook of ours (``load``: with a new export) under the command's options."""
    from .workbook import refresh_workbook

    return refresh_workbook(
        workbook,
        output=args.output,
        formulas=True if args.formulas else None,
        overrides=lambda base: settings_from_args(args, base),
        by_urgency=args.by_urgency,
        export_path=export_path,
        sheet=sheet,
    )


def _done(done: Refreshed) -> int:
    """One line for the workbook written, then the warnings, one line each."""
    refresh, s = done.refresh, done.refresh.summary
    _say(
        # every order of the file (Summary.orders counts those in the rate's window: 7 days in SEA)
        f"{done.output}: {len(refresh.export.rows)} rows, {sum(s.risk_counts.values())} orders, "
        f"{s.risk_counts['Overdue']} overdue, {s.risk_counts['Due today'] + s.risk_counts['At risk']} at risk"
        + (f" (previous version kept as {done.backup.name})" if done.backup else "")
    )
    for warning in done.warnings:
        _note(f"note: {warning}")
    return 0


def _holidays(args: argparse.Namespace) -> int:
    market = get_market(args.market)
    for day, name in calendar_for(market).non_working_days(args.year):
        _say(f"{day.isoformat()}  {day:%a}  {name}")
    _say(f"Weekend: {weekend_text(market.weekend)}")
    return 0


def _say(line: str) -> None:
    """One line of the command's output, on stdout."""
    sys.stdout.write(f"{line}\n")


def _note(line: str) -> None:
    """One line for the seller on stderr, after the command's name: never mixed into the output."""
    sys.stderr.write(f"autocancel: {line}\n")


def main(argv: list[str] | None = None) -> int:
    """Run the command; the exit status is 0, 2 for input the seller can fix, 130 when interrupted."""
    args = _parser().parse_args(argv)
    handler = {"check": _check, "refresh": _write, "load": _load, "holidays": _holidays}[args.command]
    try:
        return handler(args)
    except AutocancelError as exc:
        _note(str(exc))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `autocancel check ... | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
