"""Journey: HR filters the certificates, exports them as XLSX and opens the file (real date
cells, bold frozen header), then asks to receive the same filtered report weekly by email."""

import io
from datetime import datetime, timedelta

from django.utils import timezone

import pytest
from openpyxl import load_workbook

from certification.models import Certificate, Programme
from people.models import ScheduledReport

from .conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_hr_exports_xlsx_and_saves_a_weekly_report(page, hr, agent, teammate, team):
    programme = Programme.objects.create(name="Agente certificado")
    now = timezone.now()
    valid = Certificate.objects.create(
        person=agent, programme=programme, expires_at=now + timedelta(days=200)
    )
    Certificate.objects.create(person=teammate, programme=programme, expires_at=now - timedelta(1))
    sign_in(page, hr)
    page.goto("/rrhh/certificados/")
    page.get_by_label("Estado").select_option("vigente")
    page.get_by_role("button", name="Filtrar").click()
    assert "status=vigente" in page.url

    with page.expect_download() as download:
        page.get_by_role("link", name="Exportar XLSX").click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Persona", "Número de empleado", "Correo electrónico", "Equipo"]
    assert all(cell.font.b for cell in sheet[1]) and sheet.freeze_panes == "A2"
    assert sheet.max_row == 2  # the filter holds: only the valid certificate
    row = sheet[2]
    assert row[0].value == "Lucía Fernández" and row[3].value == "Equipo Norte"
    issued, expires = row[5], row[6]
    assert issued.is_date and isinstance(issued.value, datetime)
    assert expires.is_date and expires.value.date() == timezone.localtime(valid.expires_at).date()
    assert row[7].data_type == "s" and row[7].value == "vigente"
    assert row[8].value == valid.code

    page.locator("main a[href^='/informes/nuevo/certificates/']").click()
    assert "vigente" in page.locator("main").inner_text()  # the filters it will keep
    assert axe_violations(page) == []
    page.locator("input[value=semanal]").check()
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url("**/informes/")
    assert "Certificados" in page.locator("main table").inner_text()
    report = ScheduledReport.objects.get(owner=hr)
    assert report.filters == {"status": "vigente"} and report.frequency == "semanal"
    assert axe_violations(page) == []
