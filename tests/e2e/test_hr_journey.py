"""Journey 3: HR filters the certificates, exports them as CSV and opens a verification page."""

from datetime import timedelta

from django.utils import timezone

import pytest

from certification.models import Certificate, Programme

from .conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_hr_filters_exports_and_verifies(page, hr, agent, teammate, course_factory):
    programme = Programme.objects.create(name="Agente certificado")
    programme.courses.set([course_factory(lessons=1)])
    now = timezone.now()
    valid = Certificate.objects.create(
        person=agent, programme=programme, expires_at=now + timedelta(days=200)
    )
    Certificate.objects.create(person=teammate, programme=programme, expires_at=now - timedelta(1))
    sign_in(page, hr)
    page.get_by_role("link", name="RRHH").first.click()
    page.get_by_role("link", name="Certificados").click()
    page.get_by_label("Estado").select_option("vigente")
    page.get_by_role("button", name="Filtrar").click()
    assert "status=vigente" in page.url  # the filters stay in the URL
    rows = page.locator("tbody tr")
    assert rows.count() == 1 and "Lucía Fernández" in rows.first.inner_text()
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Exportar CSV").click()
    exported = open(download.value.path(), encoding="utf-8-sig").read().splitlines()
    assert len(exported) == 2 and valid.code in exported[1] and "Javier" not in exported[1]
    page.get_by_role("link", name="Verificar").click()
    page.get_by_role("heading", name="Verificación del certificado").wait_for()
    assert "vigente" in page.locator("main").inner_text()
    assert axe_violations(page) == []


def test_a_revoked_certificate_shows_not_valid_to_anyone_verifying_it(
    page, hr, agent, course_factory
):
    from certification import services

    programme = Programme.objects.create(name="Agente certificado")
    programme.courses.set([course_factory(lessons=1)])
    certificate = Certificate.objects.create(
        person=agent, programme=programme, expires_at=timezone.now() + timedelta(days=200)
    )
    services.reissue(certificate=certificate, actor=hr)
    page.goto(f"/verificar/{certificate.code}/")  # signed out, as an employer would
    banner = page.locator(".verdict")
    assert banner.is_visible()
    text = banner.inner_text()
    assert "NO VÁLIDO" in text and "más reciente" in text
    assert banner.bounding_box()["y"] < page.get_by_text("Titular", exact=True).bounding_box()["y"]
    assert axe_violations(page) == []
    page.goto("/verificar/codigo-inventado/")
    assert "Ningún certificado tiene el código" in page.locator("main").inner_text()


def test_every_row_of_the_dashboard_team_chart_is_visible(page, hr):
    from people.models import Team

    for n in range(12):
        Team.objects.create(name=f"Equipo {n:02d}")
    sign_in(page, hr)
    page.goto("/rrhh/panel/")
    chart = page.locator("#teams-heading ~ .chart-with-table svg")
    box = chart.bounding_box()
    tracks = chart.locator("rect.bar-track")
    labels = chart.locator("text.bar-label")
    assert tracks.count() == labels.count() == Team.objects.count()
    for row in [*tracks.all(), *labels.all()]:
        row_box = row.bounding_box()
        assert (
            box["y"] <= row_box["y"]
            and row_box["y"] + row_box["height"] <= box["y"] + box["height"] + 0.5
        )
    assert labels.last.text_content() == "Equipo 11"
