"""Fixtures every market's tests share: the command run in-process, local exports.

The status tests count on the seed `standard` rules (7 working days), so the market's calendar shows in
the dates; each market's own TikTok rules are tested in tests/rules.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from addin.cli import main
from tests.markets.cases import LOCAL_HEADERS

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def check(capsys):
    """``check(path, *options)`` -> (exit code, the --json document or None, stderr)."""

    def run(path: Path, *options: str) -> tuple[int, dict | None, str]:
        code = main(["check", str(path), "--json", *options])
        out = capsys.readouterr()
        return code, (json.loads(out.out) if code == 0 else None), out.err

    return run


@pytest.fixture
def local_export(export_file):
    """``local_export(rows, **cells)``: a CSV of those rows, each with the market's own cells added."""

    def make(rows: list[dict], **cells: str) -> Path:
        return export_file([{**cells, **r} for r in rows], LOCAL_HEADERS)

    return make
