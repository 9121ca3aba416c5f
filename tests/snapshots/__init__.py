"""JSON snapshots of what a seller reads on the Summary and Settings sheets of a refreshed sample.

As python-holidays snapshots its countries: the content of a sheet (labels with their values,
tables as rows under their headers, no cell addresses) for a fixed export and day, kept in
``tests/snapshots/*.json`` and compared by ``tests/test_snapshots.py``. A change in what the
sheet says shows as a diff of the JSON file, to be read and committed on purpose:

    python -m tests.snapshots --update      # rewrite the JSON files, then review `git diff tests/snapshots`
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
TODAY = dt.date(2025, 12, 1)
WHEN = dt.datetime(2025, 12, 1, 9, 30, tzinfo=dt.UTC)
#: snapshot name -> the sample export it is made from (refreshed on TODAY, stamped WHEN).
SAMPLES = {"us": ROOT / "examples" / "sample_us_export.csv"}

Cells = dict[tuple[int, int], Any]


def refreshed_sample(sample: Path, out: Path) -> Path:
    """The sample export refreshed into a new workbook, as `autocancel refresh` writes it."""
    from addin.io.export import read_export
    from addin.pipeline import Settings, run
    from addin.workbook import write_refreshed

    write_refreshed(run(read_export(sample), Settings(today=TODAY)), out, refreshed_at=WHEN)
    return out


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def _cells(ws: Any) -> Cells:
    return {(c.row, c.column): _json(c.value) for row in ws.iter_rows() for c in row if c.value is not None}


def _find(cells: Cells, text: str) -> tuple[int, int]:
    """Where the label is: its exact text, or the end of it (a title that starts with a count)."""
    found = [at for at, v in cells.items() if isinstance(v, str) and (v == text or v.endswith(" " + text))]
    if len(found) != 1:
        raise LookupError(f"{len(found)} cells read {text!r}")
    return found[0]


def _rows_below(cells: Cells, at: tuple[int, int], width: int) -> list[list[Any]]:
    """The rows under ``at`` whose first cell is filled, ``width`` cells each (None when empty)."""
    (r, c), rows = at, []
    while (r + 1, c) in cells:
        r += 1
        rows.append([cells.get((r, c + i)) for i in range(width)])
    return rows


def _pairs(cells: Cells, title: str, width: int = 2) -> dict[str, Any]:
    """A block of labels under its title: label -> value (or the list of values right of it)."""
    block = {}
    for label, *values in _rows_below(cells, _find(cells, title), width):
        while values and values[-1] is None:
            values.pop()
        block[label] = values[0] if len(values) == 1 else values
    return block


def _table(cells: Cells, title: str) -> list[dict[str, Any]]:
    """A table under its title: one dict per row, keyed by the header row's texts."""
    r, c = _find(cells, title)
    width = 0
    while (r + 1, c + width) in cells:
        width += 1
    header = [cells[r + 1, c + i] for i in range(width)]
    return [dict(zip(header, row, strict=True)) for row in _rows_below(cells, (r + 1, c), width)]


def summary_content(ws: Any) -> dict[str, Any]:
    """The Summary as a seller reads it, block by block."""
    cells = _cells(ws)
    first_block = _find(cells, "Orders by risk")[0]
    return {
        "heading": [v for (r, _), v in sorted(cells.items()) if r < first_block],
        "rate": _pairs(cells, "Seller-responsible cancellation rate", 3),
        "orders by risk": _pairs(cells, "Orders by risk"),
        "most urgent open orders": _table(cells, "most urgent open orders"),
        "colours": _pairs(cells, "What the colours mean"),
        "data checks": _table(cells, "Why orders need a data check"),
        "per week": _table(cells, "Orders and seller-responsible cancellations per week"),
    }


def settings_content(ws: Any) -> dict[str, Any]:
    """The Settings a seller edits (label -> value) and the policy's rules table."""
    cells = _cells(ws)
    settings = _pairs(cells, "Setting", 2)
    settings.pop("Setting", None)
    return {"settings": settings, "rules": _table(cells, "Rules of the policy")}


def content(book_path: Path) -> dict[str, Any]:
    book = openpyxl.load_workbook(book_path)
    return {"Summary": summary_content(book["Summary"]), "Settings": settings_content(book["Settings"])}


def path_of(name: str) -> Path:
    return HERE / f"{name}.json"


def load(name: str) -> dict[str, Any]:
    return json.loads(path_of(name).read_text(encoding="utf-8"))


def dump(name: str, doc: dict[str, Any]) -> None:
    path_of(name).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
