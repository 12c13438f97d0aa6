"""Pages are found by courses.routing in two queries, with Wagtail's own answers: drafts and
unknown paths are not found, a page's own routes answer, view restrictions still apply, and
a site given another root moves every address at once."""

from http import HTTPStatus

from django.contrib.auth.models import Group

from wagtail.models import Page, PageViewRestriction, Site

import pytest

from courses.models import LessonPage
from tests.conftest import lesson_body

from .conftest import lessons_of

pytestmark = pytest.mark.django_db


def test_a_lesson_is_found_and_its_own_route_answers(client, agent, course):
    lesson = lessons_of(course)[0]
    client.force_login(agent)
    assert client.get(lesson.url).status_code == HTTPStatus.OK
    # The lesson's own route (POST only) answers, not a search for a child page.
    response = client.get(f"{lesson.url}completar/")
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_unknown_paths_and_drafts_are_not_found(client, agent, course):
    draft = course.add_child(
        instance=LessonPage(title="Borrador", slug="borrador", body=lesson_body(), live=False)
    )
    client.force_login(agent)
    assert client.get(draft.url_path.removeprefix("/home")).status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"{course.url}no-existe/").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"{lessons_of(course)[0].url}no-existe/").status_code == 404
    assert client.get("/no-existe/del-todo/").status_code == HTTPStatus.NOT_FOUND


def test_a_view_restriction_on_an_ancestor_still_applies(client, agent, editor, course):
    lesson = lessons_of(course)[0]
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Editor")])
    client.force_login(agent)
    assert client.get(lesson.url).status_code != HTTPStatus.OK
    client.force_login(editor)
    assert client.get(lesson.url).status_code == HTTPStatus.OK


def test_a_site_given_another_root_moves_every_address_at_once(client, agent, course):
    lesson = lessons_of(course)[0]
    client.force_login(agent)
    assert client.get(lesson.url).status_code == HTTPStatus.OK  # the site is now cached
    site = Site.objects.get(is_default_site=True)
    site.root_page = Page.objects.get(pk=course.get_parent().pk)  # the catalogue
    site.save()
    assert client.get(lesson.url).status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"/{course.slug}/{lesson.slug}/").status_code == HTTPStatus.OK


def test_a_cached_route_follows_a_rename_an_unpublish_and_a_move(client, agent, course_factory):
    course, other = course_factory(lessons=2), course_factory(title="Otro curso", lessons=1)
    lesson = lessons_of(course)[0]
    client.force_login(agent)
    old_url = lesson.url
    assert client.get(old_url).status_code == HTTPStatus.OK  # the route is now cached
    lesson.slug = "leccion-renombrada"
    lesson.save_revision().publish()
    assert client.get(old_url).status_code == HTTPStatus.NOT_FOUND
    renamed = LessonPage.objects.get(pk=lesson.pk)
    assert client.get(renamed.url).status_code == HTTPStatus.OK
    renamed.move(other, pos="last-child")
    moved = LessonPage.objects.get(pk=lesson.pk)
    gone = client.get(renamed.url)  # Wagtail's automatic redirect, not the stale route
    assert gone.status_code == HTTPStatus.MOVED_PERMANENTLY and gone["Location"] == moved.url
    assert client.get(moved.url).status_code == HTTPStatus.OK
    moved.unpublish()
    assert client.get(moved.url).status_code == HTTPStatus.NOT_FOUND
