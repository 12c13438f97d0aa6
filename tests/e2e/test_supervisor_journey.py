"""Journey 2: a supervisor assigns a course to the team with a due date and sees it."""

from datetime import date, timedelta

import pytest

from courses.models import Assignment

from .conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_supervisor_assigns_a_course_to_the_team(page, supervisor, agent, teammate, course_factory):
    course_factory(title="Cortesía telefónica", slug="cortesia-telefonica", lessons=1)
    sign_in(page, supervisor)
    page.get_by_role("link", name="Mi equipo").first.click()
    page.get_by_role("link", name="Asignar un curso").click()
    assert axe_violations(page) == []
    page.get_by_label("Curso").select_option(label="Cortesía telefónica")
    page.get_by_label("Fecha límite").fill((date.today() + timedelta(days=10)).isoformat())
    page.get_by_label("Nota para quienes lo harán").fill("Antes de la campaña de invierno.")
    page.get_by_role("button", name="Asignar", exact=True).click()
    page.get_by_text("Se asignó «Cortesía telefónica» a 2 personas.").wait_for()
    table = page.locator("table")
    assert table.get_by_text("Lucía Fernández", exact=True).is_visible()
    assert table.get_by_text("sin iniciar").count() == 2
    assert axe_violations(page) == []
    assert Assignment.objects.filter(person__in=[agent, teammate]).count() == 2
