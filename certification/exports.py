"""Exports of exactly the filtered rows, streamed: rows are read from the database in
chunks and written out as they come, so memory stays flat however many there are."""

import csv
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

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


def safe_rows(certificates):
    """Every export writes these: the rows with each cell through `spreadsheet_safe`. Not a
    generator itself, so `rows` reads its labels now, in the request's language."""
    return ([spreadsheet_safe(value) for value in row] for row in rows(certificates))


def rows(certificates):
    """Header and status labels are read in the request's language before streaming starts:
    the body is written after the view has returned."""
    labels = header()
    statuses = {value: str(label) for value, label in CertificateStatus.choices}
    return _rows(certificates, labels, statuses)


def _rows(certificates, labels, statuses):
    yield labels
    for c in certificates.iterator(chunk_size=500):
        yield [
            c.person.full_name,
            c.person.email,
            c.programme.name,
            timezone.localtime(c.issued_at).date().isoformat(),
            timezone.localtime(c.expires_at).date().isoformat(),
            statuses.get(c.status, c.status),
            c.code,
        ]


class _Echo:
    def write(self, value):
        return value


def csv_response(certificates, filename):
    writer = csv.writer(_Echo())
    body = (writer.writerow(row) for row in safe_rows(certificates))
    response = StreamingHttpResponse(_with_bom(body), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _with_bom(body):
    yield "\ufeff"  # so spreadsheet programs read the accents as UTF-8
    yield from body


def _text_cell(sheet, value):
    """openpyxl stores any string that starts with "=" as a formula; a text cell is typed
    as a string explicitly, so no cell of ours is ever a formula."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def xlsx_response(certificates, filename):
    """openpyxl's write-only workbook keeps one row in memory at a time and spools to a
    temporary file, which is streamed back."""
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
