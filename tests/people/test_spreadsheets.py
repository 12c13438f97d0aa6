"""The one export writer: what a person opening the file in Excel (Spanish or English) or
LibreOffice sees — the delimiter their spreadsheet expects, accents intact, real dates and
numbers, a bold frozen header with an autofilter and sensible widths, and never a formula."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

from django.utils import translation

import pytest
from openpyxl import load_workbook

from people.spreadsheets import Column, export_response

COLUMNS = [
    Column("Nombre", width=30),
    Column("Fecha", kind="date"),
    Column("Momento", kind="datetime"),
    Column("Cantidad", kind="number"),
    Column("Avance", kind="percent"),
    Column("Estado", choices=[("vigente", "valid"), ("vencido", "expired")]),
]
LATE = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
ROWS = [
    ("José Núñez", date(2026, 3, 2), LATE, 2.5, 0.75, "vigente"),
    ("=HYPERLINK(\"http://x\")", None, None, 3, None, "vencido"),
    ("@SUM(A1)", LATE, None, Decimal("1.25"), 1, None),
]  # fmt: skip


def body(response):
    return b"".join(response.streaming_content)


def csv_rows(language):
    with translation.override(language):
        response = export_response(fmt="csv", filename="informe", columns=COLUMNS, rows=iter(ROWS))
    raw = body(response)
    assert raw.startswith("\ufeff".encode())
    assert response["Content-Disposition"] == 'attachment; filename="informe.csv"'
    delimiter = ";" if language == "es" else ","
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def test_spanish_csv_uses_semicolons_and_decimal_commas():
    rows = csv_rows("es")
    assert rows[0] == ["Nombre", "Fecha", "Momento", "Cantidad", "Avance", "Estado"]
    # 23:30 UTC on 1 March is 00:30 on 2 March in Madrid.
    assert rows[1] == ["José Núñez", "2026-03-02", "2026-03-02 00:30", "2,5", "75%", "valid"]
    assert rows[3][1] == "2026-03-02" and rows[3][3] == "1,25" and rows[3][4] == "100%"


def test_english_csv_uses_commas_and_decimal_points():
    rows = csv_rows("en")
    assert rows[1][3:5] == ["2.5", "75%"]
    assert rows[3][3] == "1.25"


def test_formula_looking_text_is_neutralised_and_empty_cells_stay_empty():
    rows = csv_rows("es")
    assert rows[2] == ['\'=HYPERLINK("http://x")', "", "", "3", "", "expired"]
    assert rows[3][0] == "'@SUM(A1)" and rows[3][5] == ""


def xlsx_sheet(language="es"):
    with translation.override(language):
        response = export_response(
            fmt="xlsx", filename="informe", columns=COLUMNS, rows=iter(ROWS), sheet_title="Informe"
        )
    assert response["Content-Disposition"] == 'attachment; filename="informe.xlsx"'
    return load_workbook(io.BytesIO(body(response)))["Informe"]


def test_xlsx_has_a_bold_frozen_header_with_autofilter_and_widths():
    sheet = xlsx_sheet()
    assert [cell.value for cell in sheet[1]] == [str(c.label) for c in COLUMNS]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F4"
    assert sheet.column_dimensions["A"].width == 30
    assert sheet.column_dimensions["B"].width >= 10


def test_xlsx_cells_are_dates_numbers_and_text_never_formulas():
    sheet = xlsx_sheet()
    name, day, moment, quantity, progress, status = sheet[2]
    assert day.is_date and day.value == datetime(2026, 3, 2)
    assert moment.is_date and moment.value == datetime(2026, 3, 2, 0, 30)
    assert quantity.data_type == "n" and quantity.value == 2.5
    assert progress.data_type == "n" and progress.value == 0.75 and progress.number_format == "0%"
    assert name.value == "José Núñez" and status.value == "valid"
    formula = sheet["A3"]
    assert formula.data_type == "s" and formula.value == '\'=HYPERLINK("http://x")'
    assert sheet["B3"].value is None
    assert sheet["B4"].value == datetime(2026, 3, 2)  # a datetime in a date column: its day
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_choice_labels_are_read_in_the_language_of_the_request():
    from certification.models import CertificateStatus

    columns = [Column("Estado", choices=CertificateStatus.choices)]
    for language, label in (("es", "vigente"), ("en", "valid")):
        with translation.override(language):
            response = export_response(
                fmt="csv", filename="x", columns=columns, rows=iter([("vigente",)])
            )
        # The body is written later, in whatever language is active then.
        with translation.override("en" if language == "es" else "es"):
            assert body(response).decode("utf-8-sig").splitlines()[1] == label


def test_unknown_kinds_and_formats_are_refused():
    with pytest.raises(ValueError):
        Column("X", kind="money")
    with pytest.raises(ValueError):
        export_response(fmt="pdf", filename="x", columns=[Column("X")], rows=[])
