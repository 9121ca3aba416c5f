"""The sample exports look like TikTok's: what a user opening them, or a parser reading them, would notice."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from addin.pipeline import calendar_for
from tools.samples import (
    EDD_COLUMN,
    SAMPLE_TODAY,
    US_COLUMNS,
    columns_for,
    generate_rows,
    write_csv,
    write_xlsx,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
US_TIME = "%m/%d/%Y %I:%M:%S %p"
SEA_TIME = "%d/%m/%Y %H:%M:%S"
TIME_COLS = ("Created Time", "Paid Time", "RTS Time", "Shipped Time", "Delivered Time", "Cancelled Time")
ID_COLS = ("Order ID", "SKU ID", "Package ID", "Zipcode")
I = {c: i for i, c in enumerate(US_COLUMNS)}  # noqa: E741


@pytest.fixture(scope="module")
def rows() -> list[list[str]]:
    return list(generate_rows(400, today=SAMPLE_TODAY, seed=7))


def col(rows: list[list[str]], name: str) -> list[str]:
    return [r[I[name]] for r in rows]


def orders(rows: list[list[str]]) -> dict[str, list[list[str]]]:
    by_id: dict[str, list[list[str]]] = defaultdict(list)
    for r in rows:
        by_id[r[I["Order ID"]]].append(r)
    return by_id


def parse_us(v: str) -> dt.datetime:
    return dt.datetime.strptime(v.strip(), US_TIME)


def test_us_headers_58_in_order(tmp_path: Path) -> None:
    assert len(US_COLUMNS) == 58 and len(set(US_COLUMNS)) == 58
    assert US_COLUMNS[:6] == ("Order ID", "Order Status", "Order Substatus", "Cancelation/Return Type",
                              "Normal or Pre-order", "SKU ID")  # fmt: skip
    assert US_COLUMNS[26:34] == ("Created Time", "Paid Time", "RTS Time", "Shipped Time", "Delivered Time",
                                 "Cancelled Time", "Cancel By", "Cancel Reason")  # fmt: skip
    assert US_COLUMNS[-3:] == ("Seller Note", "Shipping Information", "Combined Listing")
    path = write_csv(tmp_path / "x.csv", 30, today=SAMPLE_TODAY)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfOrder ID,Order Status,")  # UTF-8 with BOM
    assert raw.count(b"\r\n") >= 31 and b"\n" not in raw.replace(b"\r\n", b"")
    with path.open(encoding="utf-8-sig", newline="") as f:
        header, *data = list(csv.reader(f))
    assert tuple(header) == US_COLUMNS
    assert len(data) == 30 and all(len(r) == 58 for r in data)


def test_exact_row_counts() -> None:
    for n in (1, 2, 7, 1000):
        got = list(generate_rows(n, today=SAMPLE_TODAY, seed=3))
        assert len(got) == n and all(len(r) == 58 for r in got)
    assert list(generate_rows(0, today=SAMPLE_TODAY)) == []


def test_timestamps_and_long_ids_end_with_a_tab(rows: list[list[str]]) -> None:
    for r in rows:
        for c in TIME_COLS:
            assert r[I[c]].endswith("\t"), (c, r[I[c]])
        assert re.fullmatch(r"57\d{16}\t", r[I["Order ID"]])
        assert re.fullmatch(r"\d{19}\t", r[I["SKU ID"]])
        assert re.fullmatch(r"\d{5}\t", r[I["Zipcode"]])
        assert r[I["Package ID"]] == "" or re.fullmatch(r"\d{18}\t", r[I["Package ID"]])
    assert "\t" in col(rows, "RTS Time")  # an empty time cell is just a tab
    assert any(z.startswith("0") for z in col(list(generate_rows(3000, today=SAMPLE_TODAY)), "Zipcode"))


def test_us_times_parse_month_first_and_stay_in_window(rows: list[list[str]]) -> None:
    export_moment = dt.datetime.combine(SAMPLE_TODAY, dt.time(23, 59, 59))
    for r in rows:
        created = parse_us(r[I["Created Time"]])
        assert SAMPLE_TODAY - dt.timedelta(days=46) <= created.date() <= SAMPLE_TODAY
        for c in TIME_COLS:
            if r[I[c]].strip():
                assert created <= parse_us(r[I[c]]) <= export_moment, (c, r[I[c]])
    # unpadded 12-hour hour, zero-padded date, as "09/15/2025 7:44:26 AM"
    assert any(re.fullmatch(r"\d\d/\d\d/\d{4} \d:\d\d:\d\d [AP]M\t", v) for v in col(rows, "Created Time"))


def test_created_on_weekends_and_holidays() -> None:
    created = [parse_us(r[I["Created Time"]]).date() for r in generate_rows(400, today=SAMPLE_TODAY)]
    assert {5, 6} <= {d.weekday() for d in created}
    assert dt.date(2025, 11, 27) in created  # Thanksgiving
    labor = [parse_us(r[I["Created Time"]]).date() for r in generate_rows(400, today=dt.date(2025, 9, 22))]
    assert dt.date(2025, 9, 1) in labor  # Labor Day


def test_both_cancel_spellings_and_cancel_fields(rows: list[list[str]]) -> None:
    statuses = set(col(rows, "Order Status"))
    assert {"Canceled", "Cancelled", "Completed", "Shipped", "To ship"} <= statuses
    cancelled = [o[0] for o in orders(rows).values() if o[0][I["Order Status"]] in ("Canceled", "Cancelled")]
    assert 0.04 < sum(r[I["Order Status"]] == "Cancelled" for r in cancelled) / len(cancelled) < 0.45  # ~1 in 5
    for r in cancelled:
        assert r[I["Cancelation/Return Type"]] == "Cancel"
        assert r[I["Cancelled Time"]].strip() and r[I["Cancel By"]] in ("System", "User", "Seller")
        assert r[I["Cancel Reason"]]
    reasons = {(r[I["Cancel By"]], r[I["Cancel Reason"]]) for r in cancelled}
    assert ("System", "Customer overdue to pay") in reasons
    assert ("System", "Seller did not ship in time") in reasons
    assert any(by == "User" for by, _ in reasons)
    for r in cancelled:  # overdue to pay: never paid
        if r[I["Cancel Reason"]] == "Customer overdue to pay":
            assert r[I["Paid Time"]] == "\t"


def test_statuses_consistent_with_times(rows: list[list[str]]) -> None:
    def has(r: list[str], c: str) -> bool:
        return bool(r[I[c]].strip())

    seen = set()
    for r in rows:
        st, sub = r[I["Order Status"]], r[I["Order Substatus"]]
        seen.add((st, sub))
        if st == "Unpaid":
            assert not has(r, "Paid Time")
            assert SAMPLE_TODAY - parse_us(r[I["Created Time"]]).date() <= dt.timedelta(days=1)
        if st == "To ship":
            assert sub in ("Awaiting shipment", "Awaiting collection")
            assert has(r, "RTS Time") == (sub == "Awaiting collection") and not has(r, "Shipped Time")
        if st == "Shipped":
            assert sub == "In transit" and has(r, "Shipped Time") and not has(r, "Delivered Time")
        if st == "Completed":
            assert sub in ("Delivered", "Completed") and has(r, "Delivered Time")
        if st not in ("Canceled", "Cancelled"):
            assert not has(r, "Cancelled Time") and r[I["Cancel By"]] == ""
    assert {("Unpaid", "Unpaid"), ("On hold", "On hold"), ("To ship", "Awaiting shipment"),
            ("To ship", "Awaiting collection"), ("Shipped", "In transit"), ("Completed", "Delivered"),
            ("Completed", "Completed")} <= seen  # fmt: skip


def test_to_ship_orders_overdue_and_nearly_due(rows: list[list[str]]) -> None:
    cal = calendar_for("US")
    to_ship = [o[0] for o in orders(rows).values() if o[0][I["Order Status"]] == "To ship"]
    created = np.array([parse_us(r[I["Created Time"]]).date() for r in to_ship], dtype="datetime64[D]")
    age = cal.working_days_between(created, np.datetime64(SAMPLE_TODAY, "D"))
    assert (age > 9).any()  # overdue under the 7-working-day rule
    assert np.isin(age, [5, 6]).any()  # due within 1-2 working days


def test_multi_sku_orders_share_order_fields(rows: list[list[str]]) -> None:
    by_id = orders(rows)
    multi = [o for o in by_id.values() if len(o) > 1]
    assert 0.2 < len(multi) / len(by_id) < 0.4
    assert max(len(o) for o in by_id.values()) <= 4
    shared = ("Order Status", "Order Substatus", "Created Time", "Paid Time", "Cancelled Time", "Order Amount",
              "Recipient", "Buyer Message")  # fmt: skip
    for o in multi:
        for c in shared:
            assert len({r[I[c]] for r in o}) == 1, c
        assert len({r[I["SKU ID"]] for r in o}) == len(o)
    # an order's rows are consecutive, newest order first
    ids = [k for k, _ in itertools.groupby(col(rows, "Order ID"))]
    assert len(ids) == len(by_id)
    created = [parse_us(by_id[k][0][I["Created Time"]]) for k in ids]
    assert created == sorted(created, reverse=True)


def test_awkward_text_cells(rows: list[list[str]]) -> None:
    messages = [m for m in col(rows, "Buyer Message") if m]
    assert {"=", "+", "-", "@"} <= {m[0] for m in messages}
    assert any(not m.isascii() for m in messages)
    notes = col(rows, "Seller Note")
    assert sum(bool(n) for n in notes) < len(notes) * 0.2
    assert all(re.fullmatch(r"\(\+1\)\d{3}\*{5}\d\d", p) for p in col(rows, "Phone #"))
    assert len(set(col(rows, "State"))) > 10 and set(col(rows, "Country")) == {"United States"}
    assert all(re.fullmatch(r"\d+\.\d\d", v) for v in col(rows, "Order Amount"))


def test_deterministic_and_edd_column() -> None:
    a = list(generate_rows(500, today=SAMPLE_TODAY, seed=11))
    assert a == list(generate_rows(500, today=SAMPLE_TODAY, seed=11))
    assert a != list(generate_rows(500, today=SAMPLE_TODAY, seed=12))
    with_edd = list(generate_rows(500, today=SAMPLE_TODAY, seed=11, with_edd=True))
    assert [r[:58] for r in with_edd] == a
    assert columns_for("US", with_edd=True) == (*US_COLUMNS, EDD_COLUMN)
    for r in with_edd:
        edd = r[58]
        if r[I["Order Status"]] in ("Unpaid", "Canceled", "Cancelled"):
            assert edd == ""
        else:
            days = (dt.datetime.strptime(edd, "%m/%d/%Y").date() - parse_us(r[I["Created Time"]]).date()).days
            assert 5 <= days <= 8


def test_sea_csv_layout() -> None:
    th = columns_for("TH")
    assert len(th) == 63
    assert {"Province", "District", "Zipcode", "Detail Address", "Additional address information"} <= set(th)
    assert not {"State", "City", "Address Line 1", "Address Line 2"} & set(th)
    keep = ("Order ID", "Order Status", "Order Substatus", "Cancelation/Return Type", "SKU ID", *TIME_COLS,
            "Cancel By", "Cancel Reason", "Buyer Message", "Package ID", "Seller Note")  # fmt: skip
    for market in ("TH", "VN", "MY", "ID", "PH", "SG"):
        cols = columns_for(market)
        assert set(keep) <= set(cols)
        got = list(generate_rows(200, today=SAMPLE_TODAY, market=market))
        assert all(len(r) == len(cols) for r in got)
        j = {c: i for i, c in enumerate(cols)}
        for r in got:
            dt.datetime.strptime(r[j["Created Time"]].strip(), SEA_TIME)
            assert r[j["Created Time"]].endswith("\t")
            prefix = {"TH": "THB ", "VN": "", "MY": "MYR ", "ID": "IDR ", "PH": "PHP ", "SG": "SGD "}[market]
            assert re.fullmatch(re.escape(prefix) + r"\d+(\.\d\d)?", r[j["Order Amount"]])  # VN: plain numbers


def test_xlsx_has_description_row_and_text_cells(tmp_path: Path) -> None:
    import openpyxl

    path = write_xlsx(tmp_path / "th.xlsx", 60, today=SAMPLE_TODAY, market="TH")
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb.worksheets[0]
    got = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    header, desc, *data = got
    assert tuple(header) == columns_for("TH")
    assert desc[0] == "รหัสคำสั่งซื้อ / Platform unique order ID."
    assert len(data) == 60
    for r in data:
        assert all(v is None or isinstance(v, str) for v in r)  # xlsx stores "" as an empty cell
        assert isinstance(r[0], str) and r[0].strip().isdigit() and r[0].startswith("57")
    assert any(isinstance(v, str) and v.startswith("=") for r in data for v in r)  # text, not a formula
    plain = write_xlsx(tmp_path / "th2.xlsx", 5, today=SAMPLE_TODAY, market="TH", description_row=False)
    wb = openpyxl.load_workbook(plain, read_only=True)
    assert sum(1 for _ in wb.worksheets[0].iter_rows()) == 6
    wb.close()


@pytest.mark.parametrize(
    ("name", "write", "rows", "kwargs"),
    [
        ("sample_us_export.csv", write_csv, 400, {}),
        ("sample_us_export_with_edd.csv", write_csv, 400, {"with_edd": True}),
        ("sample_th_export.xlsx", write_xlsx, 150, {"market": "TH"}),
        ("sample_vn_export.xlsx", write_xlsx, 150, {"market": "VN"}),
        ("sample_id_export.csv", write_csv, 150, {"market": "ID"}),
    ],
)
def test_bundled_examples_are_up_to_date(tmp_path: Path, name: str, write, rows: int, kwargs: dict) -> None:
    fresh = write(tmp_path / name, rows, today=SAMPLE_TODAY, seed=7, **kwargs)
    assert fresh.read_bytes() == (EXAMPLES / name).read_bytes(), "re-run examples/make_samples.py"


def test_vietnam_and_indonesia_in_their_own_layouts_and_languages() -> None:
    vn, id_ = columns_for("VN"), columns_for("ID")
    assert len(vn) == 54 and {"Province", "District", "Commune", "Checked Status", "Checked Marked by"} <= set(vn)
    assert "Zipcode" not in vn and "Taxes" not in vn
    assert {"Province", "Regency and City", "Districts", "Villages", "Purchase Channel", "Zipcode"} <= set(id_)
    for market, local in (("VN", {"Cần vận chuyển", "Đã hoàn tất", "Đã hủy"}), ("ID", {"Perlu dikirim", "Selesai"})):
        cols = columns_for(market)
        got = list(generate_rows(300, today=SAMPLE_TODAY, market=market))
        assert local <= {r[cols.index("Order Status")] for r in got}
        assert not {"To ship", "Completed", "Canceled"} & {r[cols.index("Order Status")] for r in got}


def test_cash_on_delivery_orders_have_no_paid_time_until_delivered() -> None:
    for market, cod in (("VN", "Thanh toán khi giao hàng"), ("ID", "COD"), ("TH", "Cash on delivery")):
        cols = columns_for(market)
        j = {c: i for i, c in enumerate(cols)}
        got = [r for r in generate_rows(600, today=SAMPLE_TODAY, market=market) if r[j["Payment Method"]] == cod]
        assert got
        for r in got:
            assert r[j["Paid Time"]] == r[j["Delivered Time"]]  # both a tab, or both the delivery moment
        assert any(r[j["Paid Time"]] == "\t" and r[j["Cancelled Time"]] == "\t" for r in got)  # confirmed, not paid
