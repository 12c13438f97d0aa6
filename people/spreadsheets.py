"""The one writer of every export (certificates, progress matrix, assignments, audit log):
CSV or XLSX from a list of `Column`s and an iterable of rows, streamed.

The rules it keeps for every export:
- CSV is UTF-8 with a BOM (so Excel reads the accents) and uses the delimiter the
  spreadsheet programs of the interface language expect: ``;`` in Spanish (where ``,`` is the
  decimal separator), ``,`` in English; numbers are written with that language's decimal mark.
- XLSX (openpyxl's write-only workbook, one row in memory at a time, spooled to a temporary
  file) has a bold, frozen header row with an autofilter, the columns' widths, and real date,
  date-time, number and percentage cells.
- A text cell that a spreadsheet would run as a formula is neutralised (`spreadsheet_safe`),
  and no XLSX cell is ever stored as a formula.
- Labels, choice labels, the delimiter and the time zone are read when `export_response` is
  called, in the request's language and zone: the body is written after the view returned.

Rows are sequences of values in the columns' order; pass them as a generator (for example
from ``values_list(...).iterator(chunk_size=...)``) so memory stays flat however many there
are. A date column takes ``date`` or ``datetime`` values (a datetime is cut to its local
date); a percentage column takes a fraction (0.75 is 75 %).
"""

import csv
import datetime
import io
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header

KINDS = ("text", "date", "datetime", "number", "percent")
FORMATS = ("csv", "xlsx")

# Rows written per chunk of a CSV response (one write to the client per chunk, not per row).
CHUNK_SIZE = 2000

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_safe(value):
    """A text cell that a spreadsheet would read as a formula gets a leading single quote
    (OWASP's advice), so it shows as the text it is; numbers, dates and other text are
    returned unchanged, so a numeric column stays numeric."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    """One column of an export: its header (a lazy translation is fine), the kind of its
    cells, its width in characters in XLSX (None: from the header), and optionally the
    labels of its stored values (``SomeChoices.choices``), shown in the interface language."""

    label: str
    kind: str = "text"
    width: int | None = None
    choices: tuple | list | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown column kind {self.kind!r}; one of {KINDS}")


def delimiter():
    """The CSV delimiter of the active language: Spanish Excel splits on ";"."""
    return "," if (translation.get_language() or "es").startswith("en") else ";"


def export_response(*, fmt, filename, columns, rows, sheet_title=None, chunk_size=None):
    """A streamed download of `rows` under the headers of `columns`, as ``filename.csv`` or
    ``filename.xlsx`` (`fmt` "csv" or "xlsx"). `sheet_title` names the XLSX sheet (default:
    the file name); `chunk_size` is the number of CSV rows per write (default CHUNK_SIZE)."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; one of {FORMATS}")
    columns = list(columns)
    plan = _Plan(columns)
    if fmt == "xlsx":
        return _xlsx_response(plan, rows, filename, sheet_title or filename)
    return _csv_response(plan, rows, filename, chunk_size or CHUNK_SIZE)


class _Plan:
    """What the writers need, fixed now in the request's language and time zone: the
    labels, the delimiter, and per column one function turning a stored value into the
    cell (one call per cell, as the 100,000-row exports need)."""

    def __init__(self, columns):
        self.columns = columns
        self.labels = [str(column.label) for column in columns]
        self.kinds = [column.kind for column in columns]
        self.zone = timezone.get_current_timezone()
        self.delimiter = delimiter()
        self.decimal_comma = self.delimiter == ";"
        self.labels_of = [
            {value: str(label) for value, label in column.choices} if column.choices else None
            for column in columns
        ]

    def local(self, value):
        """A datetime in the export's time zone, without tzinfo (spreadsheets have none)."""
        if timezone.is_aware(value):
            value = timezone.localtime(value, self.zone)
        return value.replace(tzinfo=None, microsecond=0)

    def converters(self, fmt):
        return [
            self._converter(column, labels, fmt)
            for column, labels in zip(self.columns, self.labels_of, strict=True)
        ]

    def _converter(self, column, labels, fmt):
        convert = getattr(self, f"_{fmt}_{column.kind}")
        if labels is None:
            return convert
        return lambda value: convert(labels.get(value, value))

    # Cells of a CSV: text, the local date/time in ISO order, numbers with the language's
    # decimal mark.
    def _csv_text(self, value):
        if value is None:
            return ""
        return spreadsheet_safe(value if isinstance(value, str) else str(value))

    def _csv_date(self, value):
        if value is None or value == "":
            return ""
        if isinstance(value, datetime.datetime):
            value = self.local(value).date()
        return value.isoformat() if isinstance(value, datetime.date) else self._csv_text(value)

    def _csv_datetime(self, value):
        if value is None or value == "":
            return ""
        if isinstance(value, datetime.datetime):
            return self.local(value).strftime("%Y-%m-%d %H:%M")
        return self._csv_date(value)

    def _decimal(self, text):
        return text.replace(".", ",") if self.decimal_comma else text

    def _csv_number(self, value):
        if value is None or value == "":
            return ""
        if isinstance(value, float):
            return self._decimal(f"{value:g}")
        if isinstance(value, Decimal):
            return self._decimal(str(value))
        return value if isinstance(value, int) else self._csv_text(value)

    def _csv_percent(self, value):
        if value is None or value == "":
            return ""
        if isinstance(value, int | float | Decimal):
            return self._decimal(f"{round(float(value) * 100, 1):g}") + "%"
        return self._csv_text(value)

    # Cells of an XLSX: None for empty, real dates and numbers, text never a formula.
    def _xlsx_text(self, value):
        if value is None or value == "":
            return None
        return spreadsheet_safe(value if isinstance(value, str) else str(value))

    def _xlsx_date(self, value):
        if isinstance(value, datetime.datetime):
            return self.local(value).date()
        return value if isinstance(value, datetime.date) else self._xlsx_text(value)

    def _xlsx_datetime(self, value):
        if isinstance(value, datetime.datetime):
            return self.local(value)
        return value if isinstance(value, datetime.date) else self._xlsx_text(value)

    def _xlsx_number(self, value):
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return value
        return self._xlsx_text(value)

    _xlsx_percent = _xlsx_number


# CSV ------------------------------------------------------------------------------------


def _csv_response(plan, rows, filename, chunk_size):
    response = StreamingHttpResponse(
        _csv_chunks(plan, rows, chunk_size), content_type="text/csv; charset=utf-8"
    )
    # Quoted, and RFC 5987-encoded when not ASCII (a translated file name may have accents).
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.csv")
    return response


def _csv_chunks(plan, rows, chunk_size):
    """The BOM, then the header and the rows chunk_size at a time."""
    yield "\ufeff"  # so spreadsheet programs read the accents as UTF-8
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=plan.delimiter)
    converters = plan.converters("csv")

    def lines():
        yield plan.labels
        for row in rows:
            yield [convert(value) for convert, value in zip(converters, row, strict=True)]

    lines = lines()
    while chunk := list(islice(lines, chunk_size)):
        writer.writerows(chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


# XLSX -----------------------------------------------------------------------------------


def _column_width(column, label):
    if column.width:
        return column.width
    return max(len(label) + 4, {"date": 12, "datetime": 17}.get(column.kind, 10))


def _xlsx_response(plan, rows, filename, sheet_title):
    """openpyxl is imported here, not with the module: it is ~9 MB (~20 MB with numpy, which
    it loads when installed) that a worker serving no XLSX never needs."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    # Sheet titles: at most 31 characters, none of []:*?/\
    title = "".join(c for c in str(sheet_title) if c not in "[]:*?/\\")[:31] or "Export"
    sheet = workbook.create_sheet(title)
    # Widths and the frozen header are written with the sheet's top, before the first row.
    for index, (column, label) in enumerate(zip(plan.columns, plan.labels, strict=True), 1):
        sheet.column_dimensions[get_column_letter(index)].width = _column_width(column, label)
    sheet.freeze_panes = "A2"

    bold = Font(bold=True)
    header = []
    for label in plan.labels:
        cell = WriteOnlyCell(sheet, value=label)
        cell.data_type = "s"
        cell.font = bold
        header.append(cell)
    sheet.append(header)

    formats = {"datetime": "yyyy-mm-dd hh:mm", "percent": "0%"}
    styled = [(index, formats[kind]) for index, kind in enumerate(plan.kinds) if kind in formats]
    converters = plan.converters("xlsx")
    count = 0
    # Every string comes through spreadsheet_safe, so none starts with "=", which openpyxl
    # would store as a formula; only the date-time and percentage cells need a cell object
    # (for their number format): one per value would double the cost of a row.
    for row in rows:
        values = [convert(value) for convert, value in zip(converters, row, strict=True)]
        for index, number_format in styled:
            value = values[index]
            if value is not None and not isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                values[index] = cell
        sheet.append(values)
        count += 1
    last = get_column_letter(max(len(plan.labels), 1))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"

    spool = tempfile.SpooledTemporaryFile(max_size=2 * 1024 * 1024)
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE
    )


# Wagtail's own exports -----------------------------------------------------------------


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
