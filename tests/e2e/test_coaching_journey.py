"""Journey: a supervisor follows the critical-choice count on Mi equipo straight to the
choice in the agent's role-play, writes feedback shared with the agent about that choice, and
nudges the agent to repeat the role-play."""

import re

import pytest

from certification.models import CoachingNote, NoteKind, Retake
from people.models import Notification
from scenarios.services import choose, start_run
from tests.certification.activities import es

from .conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_supervisor_opens_a_critical_choice_shares_feedback_and_nudges(
    page, supervisor, agent, course_factory, scenario_factory
):
    course = course_factory(title="Trato telefónico", slug="trato-telefonico", lessons=1)
    scenario = scenario_factory(course=course)
    run = start_run(person=agent, scenario=scenario)
    choose(run=run, line_key="inicio", choice_key="insulto")

    sign_in(page, supervisor)
    page.get_by_role("link", name="Mi equipo").first.click()
    page.locator("a[href$='#critical-1']").click()
    page.wait_for_url(re.compile(r"/equipo/juegos-de-rol/\d+/#critical-1$"))
    critical = page.locator("#critical-1")
    assert critical.is_visible()
    assert (
        "«Si no sabe leer una factura, no es mi problema.»"
        in page.locator("#choice-1").inner_text()
    )
    assert axe_violations(page) == []

    note_link = es("Write a note about choice %(number)s") % {"number": 1}
    page.get_by_role("link", name=note_link).click()
    page.wait_for_url(re.compile(r"\?position=1#notes$"))
    form = page.locator(".coaching-note-form")
    assert form.get_by_label(es("About")).input_value() == "1"
    form.locator("textarea[name=text]").fill("Nunca culpes al cliente: reconoce su enfado primero.")
    form.locator(f"input[name=kind][value={NoteKind.SHARED}]").check()
    form.get_by_role("button").click()
    page.get_by_text(es("The feedback was shared with the agent.")).wait_for()
    assert "Nunca culpes al cliente" in page.locator("#choice-1").inner_text()

    page.get_by_role("link", name=es("Send a nudge")).click()
    assert axe_violations(page) == []
    page.get_by_role("button", name=es("Send the nudge")).click()
    message = es("%(name)s was reminded to repeat “%(title)s”.") % {
        "name": agent.full_name,
        "title": scenario.title,
    }
    page.get_by_text(message).wait_for()

    note = CoachingNote.objects.get(person=agent)
    assert (note.kind, note.run_id, note.position) == (NoteKind.SHARED, run.pk, 1)
    assert Retake.objects.get(person=agent).step_id == scenario.pk
    assert Notification.objects.filter(person=agent, kind=Notification.Kind.NUDGE).count() == 1
