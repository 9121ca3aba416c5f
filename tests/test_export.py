import datetime as dt

import openpyxl
import pytest

from addin.export import ExportError, read_export


def test_csv_as_tiktok_writes_it(export_file):
    path = export_file([{"Order ID": "576543210987654321", "Order Status": "To ship", "SKU ID": "1729382756473829101",
                         "Created Time": "09/15/2025 7:44:26 AM", "Buyer Message": "=1+1"}])
    export = read_export(path)
    assert export.headers[:3] == ["Order ID", "Order Status", "Order Substatus"]
    row = export.rows[0]
    assert row[0] == "576543210987654321"  # text, tab stripped, all 18 digits
    assert row[export.headers.index("Created Time")] == "09/15/2025 7:44:26 AM"
    assert row[export.headers.index("Paid Time")] == ""  # an empty time cell is just a tab
    assert row[export.headers.index("Buyer Message")] == "=1+1"
    assert export.first_row == 2


def test_headers_match_whatever_their_case_spacing_and_alias(export_file):
    headers = ["order id", "ORDER  STATUS", "Order Substatus", "Create Time", "Canceled By", "EDD"]
    export = read_export(export_file([{"order id": "1", "ORDER  STATUS": "Shipped", "Create Time": "x"}], headers))
    assert export.columns == {"order_id": 0, "status": 1, "substatus": 2, "created": 3, "cancel_by": 4, "edd": 5}


def test_buyer_message_with_newlines_and_commas_survives(export_file):
    msg = 'Please, "fast"\nsecond line'
    export = read_export(export_file([{"Order ID": "1", "Order Status": "To ship", "Buyer Message": msg}]))
    assert export.rows[0][export.headers.index("Buyer Message")] == msg


@pytest.mark.parametrize("missing", ["Order ID", "Order Status", "Created Time"])
def test_missing_required_column_names_the_file_and_column(export_file, missing):
    headers = [h for h in ["Order ID", "Order Status", "Created Time", "SKU ID"] if h != missing]
    path = export_file([{}], headers)
    with pytest.raises(ExportError) as err:
        read_export(path)
    assert str(path) in str(err.value) and repr(missing) in str(err.value)


def test_missing_unreadable_and_wrong_kind_of_file(tmp_path):
    with pytest.raises(ExportError, match="no such file"):
        read_export(tmp_path / "nope.csv")
    (tmp_path / "orders.pdf").write_bytes(b"%PDF")
    with pytest.raises(ExportError, match="not a CSV or Excel file"):
        read_export(tmp_path / "orders.pdf")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(ExportError, match="broken.xlsx"):
        read_export(tmp_path / "broken.xlsx")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(ExportError, match="empty"):
        read_export(tmp_path / "empty.csv")


def test_xlsx_with_sea_description_row_and_excel_dates(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Order ID", "Order Status", "Created Time", "SKU ID"])
    ws.append(["รหัสคำสั่งซื้อ Platform unique order ID.", "สถานะ Order status", "เวลาที่สร้าง Created time", "SKU"])
    ws.append(["578000000000000001\t", "ที่ต้องจัดส่ง", "02/03/2025 10:00:00\t", "1729000000000000001\t"])
    ws.append(["578000000000000002", "To ship", dt.datetime(2025, 3, 4, 9, 0), 1729000000000000])
    book.save(tmp_path / "th.xlsx")
    export = read_export(tmp_path / "th.xlsx")
    assert export.skipped_description_row and export.first_row == 3
    assert [r[0] for r in export.rows] == ["578000000000000001", "578000000000000002"]
    assert export.rows[1][2] == dt.datetime(2025, 3, 4, 9, 0)
    assert export.rows[1][3] == "1729000000000000"  # a long ID stored as a number reads back as its digits


def test_workbook_prefers_an_orders_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Instructions"
    book.active.append(["Read me"])
    orders = book.create_sheet("Orders")
    orders.append(["Order ID", "Order Status", "Created Time"])
    orders.append(["1", "Shipped", "09/15/2025 7:44:26 AM"])
    book.save(tmp_path / "b.xlsx")
    export = read_export(tmp_path / "b.xlsx")
    assert export.sheet == "Orders" and len(export.rows) == 1
    with pytest.raises(ExportError, match="no sheet 'Nope'"):
        read_export(tmp_path / "b.xlsx", sheet="Nope")


def test_utf8_text_cut_by_the_encoding_sample_is_still_utf8(tmp_path):
    # A Thai buyer message whose 3-byte characters straddle the 64 KB the reader samples.
    path = tmp_path / "th.csv"
    head, start = "Order ID,Order Status,Created Time,Buyer Message", "1,To ship,09/15/2025 7:44:26 AM,"
    before_thai = 3 + len(head) + 2 + len(start) + 2 + len(start)  # BOM, lines and CRLFs, all ASCII
    rows = [head, start + "x" * (65534 - before_thai), start + "ส่งด่วนนะคะ" * 20]
    data = b"\xef\xbb\xbf" + "\r\n".join(rows).encode("utf-8")
    assert data[65534:65537] == "ส".encode()  # the first Thai character spans the sample's end
    path.write_bytes(data)
    export = read_export(path)
    assert list(export.rows)[1][3] == "ส่งด่วนนะคะ" * 20


def test_a_windows_1252_csv_is_read_too(tmp_path):
    path = tmp_path / "old.csv"
    path.write_bytes("Order ID,Order Status,Created Time,Buyer Message\r\n1,To ship,09/15/2025,Café crème\r\n"
                     .encode("cp1252"))
    assert list(read_export(path).rows)[0][3] == "Café crème"
