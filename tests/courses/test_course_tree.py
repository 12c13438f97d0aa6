"""Editors cannot build a broken course tree, and the tree is the course outline."""

from http import HTTPStatus

from wagtail.models import Page

import pytest

from courses.models import CatalogPage, CoursePage, CourseStep, LessonPage
from courses.selectors import course_outline

from .conftest import lessons_of

pytestmark = pytest.mark.django_db


def test_page_types_only_go_where_they_belong():
    assert CatalogPage.allowed_parent_page_models() == [Page]
    assert CatalogPage.allowed_subpage_models() == [CoursePage]
    assert CoursePage.allowed_parent_page_models() == [CatalogPage]
    assert LessonPage in CoursePage.allowed_subpage_models()
    assert LessonPage.allowed_parent_page_models() == [CoursePage]
    assert LessonPage.allowed_subpage_models() == []
    assert not CourseStep.is_creatable


def test_there_is_one_catalogue(catalog):
    root = Page.objects.get(depth=1)
    assert not CatalogPage.can_create_at(root)


def test_a_lesson_cannot_go_under_the_catalogue(catalog, course):
    assert not LessonPage.can_create_at(catalog)
    assert LessonPage.can_create_at(course)
    assert not CoursePage.can_create_at(course)


def test_moving_a_lesson_in_the_tree_reorders_the_course(course, agent):
    first, second, third = lessons_of(course)
    third.move(first, pos="left")
    titles = [state.step.title for state in course_outline(course, agent).steps]
    assert titles == ["Lección 3", "Lección 1", "Lección 2"]


@pytest.mark.parametrize("which", ["catalog", "course", "lesson"])
def test_every_page_type_renders_for_an_agent(client, agent, catalog, course, which):
    page = {"catalog": catalog, "course": course, "lesson": lessons_of(course)[0]}[which]
    client.force_login(agent)
    response = client.get(page.url)
    assert response.status_code == HTTPStatus.OK
    assert page.title in response.content.decode()
