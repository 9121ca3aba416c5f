"""Fuzzing the reader and the command with hostile CSV and XLSX bytes.

Each example runs ``autocancel refresh`` in a forked child capped at 2 GB of address space: it
must end with exit 0, or exit 2 and one line on stderr naming the file; never a traceback, a
native abort or a kill by the memory cap; and leave nothing in the folder but the input and the
workbook it wrote. A modest number of examples keeps the suite fast; set
AUTOCANCEL_FUZZ_EXAMPLES (e.g. 2000) for a longer hunt.
"""

from __future__ import annotations

import os
import resource
import tempfile
import zipfile
from pathlib import Path

import pytest
from forked import cli_in_child
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_export import xlsx

EXAMPLES = int(os.environ.get("AUTOCANCEL_FUZZ_EXAMPLES", "50"))
pytestmark = pytest.mark.slow  # each example a forked child under a memory cap
MEMORY_CAP = 2 << 30
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="AUTOCANCEL_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def run_capped(input_path: Path) -> tuple[int, str]:
    """``autocancel refresh input`` in a forked child under the memory cap: (exit code, stderr)."""
    return cli_in_child(
        ["refresh", str(input_path), "--today", "2025-11-20"],
        lambda: resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP)),
    )


def check_run(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        code, err = run_capped(path)
        assert "Traceback" not in err, err
        assert code in (0, 2), (code, err)
        left = sorted(p.name for p in Path(folder).iterdir())
        if code == 2:
            lines = [line for line in err.strip().splitlines() if not line.startswith("autocancel: note:")]
            assert len(lines) == 1 and path.name in lines[0], err
            assert left == [path.name], left
        else:
            assert left == sorted([path.name, "fuzz_refreshed.xlsx"]), left
        assert path.read_bytes() == data  # the input is never touched


HEADERS = [
    "Order ID",
    "Order Status",
    "Order Substatus",
    "Created Time",
    "Paid Time",
    "RTS Time",
    "Shipped Time",
    "Delivered Time",
    "Cancelled Time",
    "Cancel By",
    "Cancel Reason",
    "SKU ID",
    "Buyer Message",
    "Province",
    " Virtual Bundle Seller SKU",
    "",
]
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "\t",
            "576543210987654321\t",
            "To ship",
            "Shipped",
            "Cancelled",
            "Unpaid",
            "Completed",
            "Cần vận chuyển",
            "ที่จะจัดส่ง",
            "09/15/2025 7:44:26 AM\t",
            "25/11/2025",
            "11/25/2025",
            "2025-11-20",
            "45921",
            "31/02/2025",
            "1/1/1899",
            "Seller",
            "=1+1",
            '"',
            "Platform unique order ID.",
            "x" * 40_000,
            "9" * 30,
        ]
    ),
    st.text(max_size=30),
    st.from_regex(r"\d{1,2}/\d{1,2}/\d{2,5}( \d{1,2}:\d{2}:\d{2} [AP]M)?", fullmatch=True),
)


@st.composite
def csv_bytes(draw) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    headers = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=10))
    if draw(st.integers(0, 9)) < 8:  # mostly a real export's columns, so the rows are read too
        headers = ["Order ID", "Order Status", "Created Time", *headers]
    rows = draw(st.lists(st.lists(CELLS, max_size=len(headers) + 2), max_size=12))

    def quote(cell: str) -> str:
        if any(c in cell for c in (delimiter, '"', "\n", "\r")) and draw(st.booleans()):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    text = "\r\n".join(delimiter.join(quote(c) for c in row) for row in [headers, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 3]))):  # now and then a few damaged bytes
        if data:
            at = draw(st.integers(0, len(data) - 1))
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    if draw(st.integers(0, 4)) == 0:  # cut short
        data = data[: draw(st.integers(0, len(data)))]
    return data


def _cell_xml(ref: str, value: str, kind: str) -> str:
    value = value.replace("&", "&amp;").replace("<", "&lt;")
    if kind == "inlineStr":
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{ref}" t="{kind}"><v>{value}</v></c>'


REFS = st.one_of(
    st.builds(
        lambda c, r: f"{c}{r}",
        st.sampled_from(["A", "B", "C", "D", "Z", "CA", "XFD", "XFE"]),
        st.sampled_from([1, 2, 3, 4, 1000, 200_000, 1_048_576, 1_048_577]),
    ),
    st.sampled_from(["", "A", "1", "B5x"]),
)


@st.composite
def xlsx_bytes(draw) -> bytes:
    body = (
        '<row r="1">'
        + "".join(
            _cell_xml(f"{chr(65 + i)}1", h, "inlineStr")
            for i, h in enumerate(["Order ID", "Order Status", "Created Time"])
        )
        + "</row>"
    )
    for r in range(2, 2 + draw(st.integers(0, 6))):
        cells = [
            _cell_xml(
                f"{chr(65 + i)}{r}", draw(CELLS), draw(st.sampled_from(["inlineStr", "n", "s", "b", "d", "e", "str"]))
            )
            for i in range(draw(st.integers(0, 4)))
        ]
        body += f'<row r="{r}">{"".join(cells)}</row>'
    for _ in range(draw(st.integers(0, 2))):  # stray cells, far out or with broken references
        body += f'<row><c r="{draw(REFS)}" t="inlineStr"><is><t>{draw(st.text(max_size=8))}</t></is></c></row>'
    if draw(st.booleans()):  # damaged XML
        at = draw(st.integers(0, len(body)))
        body = body[:at] + draw(st.sampled_from(["<", "&", "\x00", "</row>", "<!DOCTYPE x>", "]]>"])) + body[at:]
    with tempfile.TemporaryDirectory() as folder:
        path = xlsx(
            Path(folder) / "f.xlsx", body, compress=draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
        )
        data = path.read_bytes()
    if draw(st.booleans()):  # damaged zip bytes
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(data) - 1))
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    return data


@FUZZ
@given(csv_bytes())
def test_fuzzed_csv_ends_in_a_workbook_or_one_line(data):
    check_run(data, ".csv")


@FUZZ
@given(xlsx_bytes())
def test_fuzzed_xlsx_ends_in_a_workbook_or_one_line(data):
    check_run(data, ".xlsx")


@settings(max_examples=max(EXAMPLES // 5, 10), deadline=None, derandomize="AUTOCANCEL_FUZZ_EXAMPLES" not in os.environ)
@given(st.binary(max_size=2000), st.sampled_from([".csv", ".xlsx"]))
def test_random_bytes_end_in_one_line(data, suffix):
    check_run(data, suffix)
