import datetime as dt
import zipfile

import openpyxl
import pytest

from addin.io.export import ExportError, read_export


def test_csv_as_tiktok_writes_it(export_file):
    path = export_file(
        [
            {
                "Order ID": "576543210987654321",
                "Order Status": "To ship",
                "SKU ID": "1729382756473829101",
                "Created Time": "09/15/2025 7:44:26 AM",
                "Buyer Message": "=1+1",
            }
        ]
    )
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
    with pytest.raises(ExportError, match=r"broken\.xlsx"):
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
    path.write_bytes(
        "Order ID,Order Status,Created Time,Buyer Message\r\n1,To ship,09/15/2025,Café crème\r\n".encode("cp1252")
    )
    assert next(iter(read_export(path).rows))[3] == "Café crème"


# -- bad input: hand-built files as a hostile or unlucky seller would have them -------------------
HEAD = "Order ID,Order Status,Created Time"


def xlsx(path, sheet_data: str, *, compress=zipfile.ZIP_DEFLATED, extra: str = ""):
    """A minimal .xlsx around ``sheet_data`` (the <sheetData> body), strings inline."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook {ns} {rel}><sheets><sheet name="Orders" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet {ns}><sheetData>{sheet_data}</sheetData>'
        f"{extra}</worksheet>",
    }
    with zipfile.ZipFile(path, "w", compress) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return path


def cells(row: int, *values) -> str:
    out = "".join(f'<c r="{chr(65 + i)}{row}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{row}">{out}</row>'


ORDERS_XML = cells(1, "Order ID", "Order Status", "Created Time") + "".join(
    cells(r, f"57800000000000000{r}", "To ship", "11/20/2025 10:00:00 AM") for r in range(2, 5)
)


def test_blank_and_comma_only_rows_are_skipped_and_rows_keep_their_own_numbers(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text(f"{HEAD}\n1,To ship,11/20/2025\n,,\n\n\t,\t,\t\n2,Shipped,11/21/2025\n,,\n")
    export = read_export(path)
    assert export.column("order_id") == ["1", "2"] and len(export.rows) == 2
    assert [export.sheet_row(i) for i in range(2)] == [2, 6]  # the CSV's own rows 2 and 6
    assert [r[0] for r in export.rows] == ["1", "2"]


def test_a_row_with_no_order_id_still_reaches_the_orders(tmp_path):
    path = tmp_path / "noid.csv"
    path.write_text(f"{HEAD}\n1,To ship,11/20/2025\n,To ship,11/20/2025\n")
    assert read_export(path).column("order_id") == ["1", ""]


@pytest.mark.parametrize(
    "description",
    [
        ["Platform unique order ID.", "Order status.", "Order creation time."],
        ["ID đơn hàng duy nhất của nền tảng.", "Trạng thái đơn hàng.", "Thời gian tạo đơn hàng."],
        ["ID pesanan unik platform.", "Status pesanan.", "Waktu pembuatan pesanan."],
        ["平台唯一订单号", "订单状态", "订单创建时间"],
        ["หมายเลขคำสั่งซื้อ", "สถานะ", "เวลาที่สร้าง"],
    ],
)
def test_the_description_row_is_recognised_in_any_language_and_is_no_order(tmp_path, description):
    path = tmp_path / "desc.csv"
    path.write_text(
        f"{HEAD},Province\n" + ",".join(description) + ",Tỉnh\n1,To ship,20/11/2025,Hà Nội\n", encoding="utf-8"
    )
    export = read_export(path)
    assert export.skipped_description_row and export.column("order_id") == ["1"] and export.sheet_row(0) == 3
    assert export.headers[-1] == "Province" and export.rows[0][-1] == "Hà Nội"  # a column TikTok adds passes


def test_a_first_order_without_a_created_time_is_not_mistaken_for_a_description(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(f"{HEAD}\nA-1,To ship,\n2,To ship,11/20/2025\n")
    assert read_export(path).column("order_id") == ["A-1", "2"]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-8", b"\xef\xbb\xbf"),
    ],
)
def test_excel_unicode_text_is_read_with_or_without_a_bom(tmp_path, encoding, bom):
    path = tmp_path / "unicode.txt"
    text = "Order ID\tOrder Status\tCreated Time\tBuyer Message\r\n1\tTo ship\t11/20/2025\tส่งด่วน, ขอบคุณ\r\n"
    path.write_bytes(bom + text.encode(encoding))
    export = read_export(path)
    assert export.column("order_id") == ["1"] and export.rows[0][3] == "ส่งด่วน, ขอบคุณ"


def test_a_cp1252_csv_whose_first_accent_is_past_64_kb_is_read(tmp_path):
    path = tmp_path / "late.csv"
    body = "".join(f"{i},To ship,11/20/2025,plain\r\n" for i in range(1, 4001))
    assert len(body) > 65536
    path.write_bytes((f"{HEAD},Buyer Message\r\n" + body + "4001,To ship,11/20/2025,Crème brûlée\r\n").encode("cp1252"))
    export = read_export(path)
    assert len(export.rows) == 4001 and list(export.rows)[-1][3] == "Crème brûlée"


def test_a_file_that_is_no_text_is_refused_in_one_line(tmp_path):
    path = tmp_path / "bin.csv"
    path.write_bytes(f"{HEAD}\r\n".encode() + b"1,\x81\x8d\xff\xfe\xc3,x\r\n")
    with pytest.raises(ExportError, match=r"bin\.csv: not text in UTF-8, UTF-16 or Windows-1252") as err:
        read_export(path)
    assert "\n" not in str(err.value)


def test_a_cell_over_131072_characters_is_read_and_the_cut_is_named(tmp_path):
    path = tmp_path / "long.csv"
    long = "x" * 200_000
    path.write_text(f"{HEAD},Buyer Message\n1,To ship,11/20/2025,ok\n2,To ship,11/20/2025,{long}\n")
    export = read_export(path)
    assert list(export.rows)[1][3] == long  # kept whole in the reader
    assert len(export.warnings) == 1
    assert "Buyer Message, row 3" in export.warnings[0] and "200,000" in export.warnings[0]
    assert "167,233" in export.warnings[0]  # 200,000 - 32,767 characters Excel will not keep


def test_cells_right_of_the_header_are_reported_not_silently_dropped(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(f"{HEAD}\n1,To ship,11/20/2025,note,more\n2,To ship,11/20/2025\n")
    export = read_export(path)
    assert export.warnings == [
        (
            f"{path}, row 2: 2 cell(s) right of the last header (column C) are not copied - "
            "give them a header to keep them"
        )
    ]


def test_a_header_past_column_xfd_is_cut_there_with_a_message(tmp_path):
    path = tmp_path / "huge_header.csv"
    path.write_text(HEAD + "," + ",".join(f"h{i}" for i in range(100_055)) + "\n1,To ship,11/20/2025\n")
    export = read_export(path)
    assert len(export.headers) == 16_384 and export.headers[-1] == "h16380"
    assert "100,058 columns" in export.warnings[0] and "XFD" in export.warnings[0]


@pytest.mark.slow
def test_more_rows_than_excel_holds_are_refused_in_one_line(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text(HEAD + "\n" + "1,To ship,11/20/2025\n" * 1_048_576)
    with pytest.raises(ExportError, match=r"many\.csv: more than Excel's 1,048,576 rows"):
        read_export(path)


def test_one_stray_value_at_xfd1048576_reads_only_the_used_cells(tmp_path):
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>stray</t></is></c></row>'
    export = read_export(xlsx(tmp_path / "far.xlsx", ORDERS_XML + far))
    assert export.column("order_id") == ["578000000000000002", "578000000000000003", "578000000000000004", ""]
    assert export.sheet_row(3) == 1_048_576 and export.sheet_row(2) == 4
    assert len(export.rows[3]) == 3  # cut to the header's width
    assert "right of the last header" in export.warnings[0] and "1048576" in export.warnings[0]


def test_a_note_far_below_the_orders_is_one_row_not_a_million(tmp_path):
    note = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>checked by Ann</t></is></c></row>'
    export = read_export(xlsx(tmp_path / "note.xlsx", ORDERS_XML + note))
    assert len(export.rows) == 4 and export.column("order_id")[-1] == "checked by Ann"
    assert export.sheet_row(3) == 1_048_576


def test_a_sheet_xml_that_inflates_like_a_bomb_is_refused_before_it_is_read(tmp_path):
    path = xlsx(tmp_path / "bomb.xlsx", ORDERS_XML + " " * (50 << 20))
    assert path.stat().st_size < 1 << 20
    with pytest.raises(ExportError, match=r"bomb\.xlsx: part xl/worksheets/sheet1\.xml inflates to over"):
        read_export(path)


def test_a_sheet_of_more_rows_than_excel_is_refused_before_it_is_read(tmp_path):
    rows = "".join(f'<row r="{r}"/>' for r in range(5, 1_048_600))
    with pytest.raises(ExportError, match=r"rows\.xlsx: more than Excel's 1,048,576 rows"):
        read_export(xlsx(tmp_path / "rows.xlsx", ORDERS_XML + rows))


def test_the_cell_reader_gives_what_calamine_gives(tmp_path):
    """The same sheet read both ways (a far stray cell sends it to the cell reader)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Orders"
    ws.append(["Order ID", "Order Status", "Created Time", "Paid Time", "Order Amount", "Gift"])
    ws.append(["578000000000000001", "To ship", dt.datetime(2025, 3, 4, 9, 30), dt.date(2025, 3, 5), 26.6, True])
    ws.append([578000000000000002, "Đã hủy", "02/03/2025 10:00:00\t", None, 7, False])
    ws.cell(3, 4).value = 45000
    ws.cell(3, 4).number_format = "dd/mm/yyyy"
    book.save(tmp_path / "near.xlsx")
    ws.cell(1_048_576, 16_384).value = "far"
    book.save(tmp_path / "far.xlsx")
    near, far = read_export(tmp_path / "near.xlsx"), read_export(tmp_path / "far.xlsx")
    assert list(far.rows)[:2] == list(near.rows)
    assert list(near.rows)[1][3] == dt.date(2023, 3, 15)


def test_an_input_name_with_bytes_that_are_not_utf8_is_named_in_the_message(tmp_path):
    import os

    name = os.fsdecode(b"caf\xe9.csv")
    path = tmp_path / name
    path.write_text("no,headers\n")
    with pytest.raises(ExportError) as err:
        read_export(path)
    assert "caf\ufffd.csv" in str(err.value)
    str(err.value).encode("utf-8")  # printable on any terminal


def test_a_file_name_too_long_for_the_file_system_is_one_line(tmp_path):
    with pytest.raises(ExportError, match="cannot be read"):
        read_export(tmp_path / ("x" * 300 + ".csv"))


@pytest.mark.parametrize(
    "stray",
    [
        '<row><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',  # a row without its number (fuzz find)
        '<row r="5"><c r="C1048576" t="inlineStr"><is><t>x</t></is></c></row>',  # a cell placed below its row
        '<row r="5"><c r="B5x" t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>y</t></is></c></row>',
    ],
)
def test_cells_placed_oddly_are_read_by_the_cell_reader_within_memory(tmp_path, stray):
    from addin.io.xlsx_cells import Book, needs_cell_reader

    path = xlsx(tmp_path / "odd.xlsx", ORDERS_XML + stray)
    book = Book(str(path), "odd.xlsx")
    assert needs_cell_reader(book, "xl/worksheets/sheet1.xml")
    book.close()
    export = read_export(path)
    assert export.column("order_id")[:3] == ["578000000000000002", "578000000000000003", "578000000000000004"]


def test_a_damaged_cell_is_one_line_even_when_the_library_says_more(tmp_path):
    # calamine's message for this cell ends in a line break (a fuzz find)
    path = xlsx(tmp_path / "bool.xlsx", ORDERS_XML + '<row r="9"><c r="A9" t="b"><v>2</v></c></row>')
    with pytest.raises(ExportError) as err:
        read_export(path)
    assert "\n" not in str(err.value) and str(err.value).startswith(f"{path}: cannot be read")


def test_a_header_with_a_line_break_stays_on_one_line_in_the_message(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text('"Order\nNumber?",Status\n1,To ship\n')
    with pytest.raises(ExportError) as err:
        read_export(path)
    assert "\n" not in str(err.value) and "Order Number?" in str(err.value)
