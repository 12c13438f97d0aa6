"""Editors write lessons in the admin; a change goes through review before it goes live."""

from http import HTTPStatus

from django.urls import reverse

from wagtail.models import Workflow

import pytest

from people.models import Role

from .conftest import lessons_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("which", ["course", "lesson"])
def test_the_editor_opens_course_and_lesson_editors(client, editor, course, which):
    page = course if which == "course" else lessons_of(course)[0]
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == HTTPStatus.OK


def test_the_editor_can_add_a_lesson_to_a_course(client, editor, course):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk])
    assert client.get(url).status_code == HTTPStatus.OK


def test_a_lesson_change_goes_through_review_and_then_goes_live(
    client, editor, user_factory, agent, course
):
    reviewer = user_factory(roles=[Role.EDITOR], full_name="Revisora")
    lesson = lessons_of(course)[0]
    lesson.title = "Lección 1 revisada"
    revision = lesson.save_revision(user=editor)

    workflow = lesson.get_workflow()
    assert workflow == Workflow.objects.get(name="Revisión")
    state = workflow.start(lesson, editor)
    client.force_login(agent)
    assert "Lección 1 revisada" not in client.get(lesson.url).content.decode()

    task_state = state.current_task_state
    task = task_state.task.specific
    assert task.user_can_access_editor(lesson, reviewer)
    task.on_action(task_state, user=reviewer, action_name="approve")

    lesson.refresh_from_db()
    assert lesson.live_revision == revision
    assert "Lección 1 revisada" in client.get(lesson.url).content.decode()


def test_an_agent_may_not_review(agent, editor, course):
    lesson = lessons_of(course)[0]
    lesson.save_revision(user=editor)
    state = lesson.get_workflow().start(lesson, editor)
    task = state.current_task_state.task.specific
    assert not task.user_can_access_editor(lesson, agent)
    assert [action[0] for action in task.get_actions(lesson, agent)] == []


def test_searching_finds_a_lesson_by_its_content(client, agent, course):
    lesson = lessons_of(course)[0]
    lesson.body = [{"type": "text", "value": "<p>La servucción une al cliente y al personal.</p>"}]
    lesson.save_revision().publish()
    client.force_login(agent)
    response = client.get(reverse("courses:search"), {"q": "servucción"})
    assert lesson.title in response.content.decode()
    empty = client.get(reverse("courses:search"), {"q": "palabrainexistente"})
    assert "No se ha encontrado nada" in empty.content.decode()


def test_the_editor_previews_a_draft_lesson(rf, editor, course):
    from courses.models import LessonPage

    draft = course.add_child(
        instance=LessonPage(title="Borrador", slug="borrador", body=[], live=False)
    )
    request = rf.get("/")
    request.user = editor
    response = draft.make_preview_request(original_request=request)
    assert response.status_code == HTTPStatus.OK
    assert "Borrador" in response.content.decode()
