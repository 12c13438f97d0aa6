"""Journey: progress toward certification. HR filters the person × requirement matrix and
exports it as XLSX, which the test opens with openpyxl to check the cell types; an agent
opens Mis certificados from the navigation and follows the link to what is missing.

The new pages' wording is asserted in English (its msgids), so the journeys hold before
and after the Spanish catalogue gains it."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.utils import timezone

import pytest
from openpyxl import load_workbook

from certification.models import Certificate, Programme
from courses.models import Enrolment
from people.models import Role

from .conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def in_english(page):
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(page.url))
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": origin}])


@pytest.fixture
def programme(course_factory):
    courses = [
        course_factory(title="Conceptos", slug="conceptos", lessons=1),
        course_factory(title="Cortesía", slug="cortesia", lessons=1),
    ]
    programme = Programme.objects.create(name="Agente certificado")
    programme.courses.set(courses)
    programme.save()
    return programme, courses


def test_hr_filters_the_matrix_and_opens_the_xlsx(
    page, hr, agent, teammate, outsider, team, programme, tmp_path
):
    programme, courses = programme
    Enrolment.objects.create(person=teammate, course=courses[0], completed_at=timezone.now())
    expires = timezone.now() + timedelta(days=100)
    Certificate.objects.create(person=teammate, programme=programme, expires_at=expires)
    sign_in(page, hr)
    in_english(page)
    page.goto("/rrhh/")
    page.get_by_role("link", name="Progress toward certification").click()
    page.get_by_role("heading", name="Progress toward certification").wait_for()
    page.get_by_label("Team").select_option(label=team.name)
    page.get_by_role("button", name="Filter").click()
    assert f"team={team.pk}" in page.url  # the filters stay in the URL, and in the export
    rows = page.locator("table.matrix tbody tr")
    assert rows.count() == 2  # Sofía is in another team
    assert "Lucía Fernández" in rows.first.inner_text()  # missing the most: first
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Export XLSX").click()
    path = tmp_path / "matriz.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(path).active
    header = [cell.value for cell in sheet[1]]
    assert header == [
        "Person",
        "Email",
        "Employee number",
        "Team",
        "Conceptos",
        "Cortesía",
        "Requirements missing",
        "Certified until",
    ]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    lucia, javier = sheet[2], sheet[3]
    assert lucia[0].value == "Lucía Fernández" and lucia[6].value == 2
    assert lucia[6].data_type == "n" and lucia[7].value is None
    assert javier[4].value == "done" and javier[5].value == "missing"
    assert javier[7].is_date and isinstance(javier[7].value, datetime)
    assert javier[7].value.date() == timezone.localtime(expires).date()
    assert sheet.max_row == 3


def test_an_agent_sees_what_is_missing_and_follows_it(page, user_factory, team, programme):
    programme, courses = programme
    agent = user_factory(roles=[Role.AGENT], team=team, full_name="Lucía Fernández")
    Enrolment.objects.create(person=agent, course=courses[0], completed_at=timezone.now())
    sign_in(page, agent)
    in_english(page)
    page.goto("/aprendizaje/")
    page.get_by_role("link", name="My certificates").first.click()
    standing = page.get_by_role("article", name="Agente certificado")
    assert "1 of 2 courses" in standing.inner_text()
    assert axe_violations(page) == []
    standing.get_by_role("link", name="Course “Cortesía” completed").click()
    page.wait_for_url(f"**{courses[1].url}")
    page.get_by_role("heading", name="Cortesía").first.wait_for()
