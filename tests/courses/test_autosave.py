"""Wagtail's autosave must not leave stray pages or drafts behind (issue 11, item 3): typing a
title into a new lesson does not store a page behind the editor's back, and a late autosave
after "Aprobar y publicar" does not put a draft on top of the live version."""

from http import HTTPStatus

from django.urls import reverse

from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from courses.models import LessonPage
from people.models import Role
from tests.admin_forms import form_autosaves

from .conftest import lessons_of

pytestmark = pytest.mark.django_db

AUTOSAVE = {"HTTP_ACCEPT": "application/json"}  # how Wagtail's w-autosave controller posts


def lesson_form(title, slug, **extra):
    """What a lesson's editor page posts (a JavaScript-built StreamField included)."""
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "",
            "objectives": streamfield([]),
            "body": streamfield([("text", rich_text("<p>Escucha antes de responder.</p>"))]),
            "estimated_minutes": "10",
            "is_required": "on",
            "comments": inline_formset([]),
            **extra,
        }
    )


def test_an_abandoned_new_lesson_leaves_nothing_and_the_next_attempt_works(client, editor, course):
    add = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk])
    client.force_login(editor)
    form_page = client.get(add).content.decode()
    data = lesson_form("Escucha activa", "escucha-activa")
    client.post(add, data, **AUTOSAVE)  # typing the title; then the tab is closed
    assert not Page.objects.filter(slug="escucha-activa").exists()

    response = client.post(add, data)  # the next attempt, same title
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[-3000:]
    assert LessonPage.objects.child_of(course).filter(slug="escucha-activa").count() == 1
    assert not form_autosaves(form_page)  # the browser does not autosave either


def test_a_slug_already_in_use_is_explained_in_spanish(client, editor, course):
    add = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk])
    client.force_login(editor)
    response = client.post(add, lesson_form("Lección 1", "leccion-1"))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "already in use" not in html
    assert "La dirección «leccion-1» ya la usa otra página en el mismo lugar" in html


def test_approve_and_publish_leaves_the_lesson_live_with_no_newer_draft(
    client, editor, user_factory, course
):
    reviewer = user_factory(roles=[Role.EDITOR], full_name="Revisora")
    lesson = lessons_of(course)[0]
    lesson.title = "Lección 1 revisada"
    submitted = lesson.save_revision(user=editor)
    state = lesson.get_workflow().start(lesson, editor)
    client.force_login(reviewer)
    edit = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    form_page = client.get(edit).content.decode()
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[lesson.pk, "approve", state.current_task_state.pk],
    )
    assert client.post(approve, {"comment": ""}).status_code == HTTPStatus.FOUND
    client.post(  # the editor page's autosave, still in flight
        edit,
        lesson_form(
            "Lección 1 revisada",
            lesson.slug,
            loaded_revision_id=str(submitted.pk),
            loaded_revision_created_at=submitted.created_at.isoformat(),
        ),
        **AUTOSAVE,
    )

    lesson.refresh_from_db()
    assert lesson.live and lesson.live_revision == submitted
    assert lesson.latest_revision == submitted
    assert not lesson.has_unpublished_changes
    assert not form_autosaves(form_page)
