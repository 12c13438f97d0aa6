"""Exports never hand a spreadsheet a formula: a cell that starts with = + - @, a tab or a
carriage return is written with a leading single quote (OWASP's advice), and XLSX cells
are stored as text, never as formulas. Payloads: tests/hostile/payloads.yaml."""

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from certification.exports import spreadsheet_safe
from certification.models import Certificate, Programme
from tests.hostile import payloads

pytestmark = pytest.mark.django_db

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile_certificates(user_factory):
    """One certificate per OWASP payload, the payload in the person's name and the
    programme's name."""
    now = timezone.now()
    made = []
    for n, payload in enumerate(payloads.formula()):
        person = user_factory(full_name=payload)
        programme = Programme.objects.create(name=f"{payload} {n}", validity_months=12)
        made.append(
            Certificate.objects.create(
                person=person, programme=programme, expires_at=now + timedelta(days=30)
            )
        )
    return made


def _export(client, fmt):
    response = client.get(reverse("certification:hr_export", args=[fmt]))
    return b"".join(response.streaming_content)


def test_no_csv_cell_starts_with_a_formula_character(client, hr, hostile_certificates):
    client.force_login(hr)
    body = _export(client, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=";"))  # Spanish
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(TRIGGERS)]
    names = {row[0] for row in rows}
    for payload in payloads.formula():
        expected = "'" + payload if payload.startswith(TRIGGERS) else payload
        assert expected in names, payload


def test_no_xlsx_cell_is_a_formula_or_starts_with_one(client, hr, hostile_certificates):
    client.force_login(hr)
    sheet = load_workbook(io.BytesIO(_export(client, "xlsx"))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells and all(cell.data_type != "f" for cell in cells)
    assert not [c.value for c in cells if isinstance(c.value, str) and c.value.startswith(TRIGGERS)]
    names = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert "'=cmd|' /C calc'!A0" in names and "'-1" in names


def test_numbers_stay_numbers_and_plain_text_is_untouched():
    assert spreadsheet_safe(-3) == -3 and spreadsheet_safe(2.5) == 2.5
    assert spreadsheet_safe("Lucía Fernández") == "Lucía Fernández"
    assert spreadsheet_safe("-1") == "'-1" and spreadsheet_safe("\r=1") == "'\r=1"
    assert spreadsheet_safe("") == "" and spreadsheet_safe(None) is None


@pytest.fixture
def hostile_history(superuser):
    """Wagtail's site history with one entry per OWASP payload, in the object's label and in
    the name of the editor who made it."""
    from wagtail.log_actions import log

    from people.models import User

    for n, payload in enumerate(payloads.formula()):
        editor = User.objects.create_user(email=f"editor{n}@example.com", full_name=payload)
        programme = Programme.objects.create(name=f"{payload} {n}")
        log(instance=programme, action="wagtail.create", user=editor)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_wagtail_admin_report_exports_neutralise_formulas_too(
    client, superuser, hostile_history, fmt
):
    """Wagtail's own exports (site history here; every SpreadsheetExportMixin view) write
    text cells through `spreadsheet_safe` as ours do."""
    client.force_login(superuser)
    response = client.get(reverse("wagtailadmin_reports:site_history"), {"export": fmt})
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    else:
        rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
    cells = [cell for row in rows[1:] for cell in row if isinstance(cell, str)]
    assert len(rows) == len(payloads.formula()) + 1
    assert not [cell for cell in cells if cell.startswith(TRIGGERS)]
    assert {"'=cmd|' /C calc'!A0 1", "'=cmd|' /C calc'!A0"} <= set(cells)  # label, editor


def test_a_certificate_code_never_reads_as_a_formula_in_a_spreadsheet():
    """A code starting with "-" was exported as "'-…" (formula escaping), which HR could copy
    into a verification look-up; one code in 64 started so. Codes now start with a letter or
    digit."""
    from certification.models import new_code

    codes = [new_code() for _ in range(3000)]
    assert all(code[0].isalnum() for code in codes)
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 20 for code in codes)
