"""Exports of exactly the filtered rows, streamed: rows are read from the database in
chunks (a server-side cursor on PostgreSQL) as plain tuples, never model instances, and
written out as they come, so memory stays flat however many there are."""

import csv
import io
import tempfile
from itertools import islice

from django.db.models.functions import TruncDate
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CertificateStatus


def header():
    return [
        _("Person"),
        _("Email"),
        _("Programme"),
        _("Issued"),
        _("Expires"),
        _("Status"),
        _("Code"),
    ]


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A text cell that a spreadsheet would read as a formula gets a leading single quote
    (OWASP's advice), so it shows as the text it is; numbers, dates and other text are
    returned unchanged, so a numeric column stays numeric."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# Rows fetched from the database at a time, and CSV rows written per chunk of the response.
CHUNK_SIZE = 2000


def safe_rows(certificates):
    """Every export writes these: the rows with each cell through `spreadsheet_safe`. Not a
    generator itself, so `rows` reads its labels now, in the request's language."""
    return ([spreadsheet_safe(value) for value in row] for row in rows(certificates))


def rows(certificates):
    """Header and status labels are read in the request's language, and the dates' time zone
    is fixed, before streaming starts: the body is written after the view has returned."""
    labels = header()
    statuses = {value: str(label) for value, label in CertificateStatus.choices}
    return _rows(_values(certificates), labels, statuses)


def _values(certificates):
    """The export's columns as tuples, the dates cut in the current time zone by the
    database (what `timezone.localtime(...).date()` gives, without an object per row)."""
    zone = timezone.get_current_timezone()
    return certificates.annotate(
        issued_on=TruncDate("issued_at", tzinfo=zone),
        expires_on=TruncDate("expires_at", tzinfo=zone),
    ).values_list(
        "person__full_name",
        "person__email",
        "programme__name",
        "issued_on",
        "expires_on",
        "status",
        "code",
    )


def _rows(values, labels, statuses):
    yield labels
    for name, email, programme, issued, expires, status, code in values.iterator(
        chunk_size=CHUNK_SIZE
    ):
        yield (
            name,
            email,
            programme,
            issued.isoformat(),
            expires.isoformat(),
            statuses.get(status, status),
            code,
        )


def csv_response(certificates, filename):
    response = StreamingHttpResponse(
        _csv_chunks(safe_rows(certificates)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _csv_chunks(rows):
    """The BOM, then the rows CHUNK_SIZE at a time: one write to the client per chunk,
    not per row."""
    yield "\ufeff"  # so spreadsheet programs read the accents as UTF-8
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        writer.writerows(chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _text_cell(sheet, value):
    """openpyxl stores any string that starts with "=" as a formula; such a cell is typed as
    a string explicitly, so no cell of ours is ever a formula. (`spreadsheet_safe` has
    already quoted those; this holds even if it had not.) Other values go in as they are:
    a cell object per value would double the cost of a row."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_response(certificates, filename):
    """openpyxl's write-only workbook keeps one row in memory at a time and spools to a
    temporary file, which is streamed back. openpyxl is imported here, not with the module:
    it is ~9 MB (~20 MB with numpy, which it loads when installed) that a worker serving no
    XLSX never needs."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Certificates"))
    for row in safe_rows(certificates):
        sheet.append([_text_cell(sheet, value) for value in row])
    spool = tempfile.SpooledTemporaryFile(max_size=2 * 1024 * 1024)
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def protect_wagtail_exports():
    """Wagtail's admin exports (site history, aging and locked pages, workflows, redirects,
    form submissions, any viewset's `list_export`) go through `SpreadsheetExportMixin`, which
    escapes no formula in CSV. Every value they write passes through `spreadsheet_safe`
    first, as ours do. The mixin is not public API: tests/certification/test_export_formulas
    pins this on the site history."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    preprocess = SpreadsheetExportMixin.preprocess_field_value
    if getattr(preprocess, "spreadsheet_safe", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        return spreadsheet_safe(preprocess(self, field, spreadsheet_safe(value), export_format))

    preprocess_field_value.spreadsheet_safe = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
