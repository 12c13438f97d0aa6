"""Journey 4: an editor writes a lesson in the Wagtail admin, publishes it, and an agent
finds it in the course."""

import pytest

from courses.models import LessonPage

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_editor_writes_and_publishes_a_lesson_an_agent_then_reads(
    page, browser, live_server, editor, agent, course_factory
):
    course = course_factory(title="Cortesía", slug="cortesia", lessons=1)
    sign_in(page, editor)
    page.goto(f"/admin/pages/add/courses/lessonpage/{course.pk}/")
    page.locator("#id_title").fill("Saludar con nombre")
    page.locator("#id_summary").fill("Cómo presentarte al descolgar.")
    body = page.locator("[data-contentpath=body]")
    body.get_by_role("button", name="Insertar un bloque").first.click()
    page.get_by_role("option", name="Texto").first.click()
    editor_box = body.locator("[contenteditable=true]").first
    editor_box.click()
    editor_box.press_sequentially("Di tu nombre y el de la empresa antes que nada.", delay=10)
    page.wait_for_timeout(300)  # Draftail writes its state to the hidden input on change
    page.get_by_role("button", name="Más acciones").last.click()
    page.get_by_role("button", name="Publicar").click()
    page.wait_for_url("**/admin/pages/**")
    lesson = LessonPage.objects.get(title="Saludar con nombre")
    assert lesson.live

    learner = browser.new_context(base_url=live_server.url).new_page()
    sign_in(learner, agent)
    learner.goto(course.url)
    learner.get_by_role("link", name="Saludar con nombre").click()
    assert "Di tu nombre y el de la empresa" in learner.content()
    learner.context.close()
