"""Exports of exactly the filtered rows, streamed: rows are read from the database in
chunks (a server-side cursor on PostgreSQL) as plain tuples, never model instances, and
written out as they come by the one export writer (people/spreadsheets.py), so memory stays
flat however many there are."""

from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import current_team_name
from people.spreadsheets import (  # noqa: F401 (spreadsheet_safe: its old home, still imported)
    FORMULA_TRIGGERS,
    Column,
    export_response,
    protect_wagtail_exports,
    spreadsheet_safe,
)

from .models import CertificateStatus

# Rows fetched from the database at a time, and CSV rows written per chunk of the response.
CHUNK_SIZE = 2000


def columns():
    """The certificate export's columns, in the request's language."""
    return [
        Column(_("Person"), width=28),
        Column(_("Employee number"), width=14),
        Column(_("Email"), width=30),
        Column(_("Team"), width=20),
        Column(_("Programme"), width=28),
        Column(_("Issued"), kind="date"),
        Column(_("Expires"), kind="date"),
        Column(_("Status"), choices=CertificateStatus.choices),
        Column(_("Code"), width=24),
    ]


def header():
    return [str(column.label) for column in columns()]


def values(certificates):
    """The export's columns as tuples, the dates cut in the current time zone by the
    database (what `timezone.localtime(...).date()` gives, without an object per row)."""
    zone = timezone.get_current_timezone()
    return certificates.annotate(
        issued_on=TruncDate("issued_at", tzinfo=zone),
        expires_on=TruncDate("expires_at", tzinfo=zone),
        team_name=current_team_name(),
    ).values_list(
        "person__full_name",
        "person__employee_number",
        "person__email",
        "team_name",
        "programme__name",
        "issued_on",
        "expires_on",
        "status",
        "code",
    )


def response(certificates, fmt, filename):
    """The certificates as a streamed CSV or XLSX download."""
    return export_response(
        fmt=fmt,
        filename=filename,
        columns=columns(),
        rows=values(certificates).iterator(chunk_size=CHUNK_SIZE),
        sheet_title=_("Certificates"),
        chunk_size=CHUNK_SIZE,
    )


def csv_response(certificates, filename):
    return response(certificates, "csv", filename)


def xlsx_response(certificates, filename):
    return response(certificates, "xlsx", filename)
