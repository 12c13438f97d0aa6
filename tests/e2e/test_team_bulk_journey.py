"""Journey: a supervisor ticks two agents on Mi equipo, chooses to move their due date,
reads how many people and emails it touches, and confirms.

Elements are found by their names and values, not by their text, so the journey reads the
same in Spanish and English."""

from datetime import date, timedelta

import pytest

from courses.models import Assignment
from courses.services import assign_course

from .conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_supervisor_extends_the_due_date_of_two_agents(
    page, supervisor, agent, teammate, team, user_factory, course_factory
):
    from people.models import Role

    bystander = user_factory(roles=[Role.AGENT], team=team, full_name="Pablo Ortega")
    course = course_factory(title="Cortesía telefónica", slug="cortesia-telefonica", lessons=1)
    soon, later = date.today() + timedelta(days=5), date.today() + timedelta(days=19)
    assign_course(actor=supervisor, course=course, team=team, due_on=soon)
    sign_in(page, supervisor)
    page.get_by_role("link", name="Mi equipo").first.click()
    bulk = page.locator("#team-bulk")
    # "Select all" appears with JavaScript and ticks every row; unticking one leaves it mixed.
    select_all = bulk.locator("select-all input[type=checkbox]")
    select_all.check()
    assert bulk.locator("input[name=people]:checked").count() == 3
    bulk.locator(f"input[name=people][value='{bystander.pk}']").uncheck()
    assert select_all.evaluate("box => box.indeterminate")
    bulk.locator("select[name=action]").select_option("extend")
    bulk.locator("select[name=course]").select_option(label="Cortesía telefónica")
    bulk.locator("input[name=due_on]").fill(later.isoformat())
    bulk.locator("button[type=submit]").click()
    summary = page.locator("#bulk-summary")
    assert "2" in summary.locator(".bulk-summary__people strong").inner_text()
    assert "2" in summary.locator(".bulk-summary__emails").inner_text()
    assert summary.get_by_text("Lucía Fernández").is_visible()
    assert summary.get_by_text("Pablo Ortega").count() == 0
    assert axe_violations(page) == []
    assert Assignment.objects.filter(due_on=later).count() == 0  # nothing before confirming
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/equipo/")
    assert page.locator(".messages, [role=status]").first.is_visible()
    moved = set(Assignment.objects.filter(due_on=later).values_list("person", flat=True))
    assert moved == {agent.pk, teammate.pk}
    assert Assignment.objects.get(person=bystander).due_on == soon
