"""The learner's course pages read a fixed number of queries, however many courses, lessons
and completions there are (issue 17: the lesson page took 21)."""

from django.urls import reverse

import pytest

from courses.models import Reflection
from courses.services import complete_step

from .conftest import lessons_of

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def _learner_with(course_factory, agent, *, courses, lessons):
    """`courses` courses of `lessons` lessons each; the agent has done all lessons but the
    last of each and written a reflection in each lesson done."""
    made = [
        course_factory(title=f"Curso {n}", slug=f"curso-{n}", lessons=lessons)
        for n in range(1, courses + 1)
    ]
    for course in made:
        for lesson in lessons_of(course)[:-1]:
            complete_step(person=agent, step=lesson)
            block = next(b for b in lesson.body if b.block_type == "reflection")
            Reflection.objects.create(person=agent, lesson=lesson, block_id=block.id, text="Sí.")
    return made


@pytest.fixture(params=[(1, 2), (5, 6)], ids=["1 course of 2 lessons", "5 courses of 6"])
def learner_courses(request, course_factory, agent, client):
    courses, lessons = request.param
    made = _learner_with(course_factory, agent, courses=courses, lessons=lessons)
    client.force_login(agent)
    return made


def test_the_lesson_page_reads_a_fixed_number_of_queries(
    client, learner_courses, django_assert_max_num_queries
):
    lesson = lessons_of(learner_courses[-1])[0]
    client.get(lesson.url)  # the first visit enrols; the ones after it are the usual case
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(lesson.url)
    assert "Sí.</textarea>" in response.content.decode()


def test_the_first_visit_to_a_lesson_fits_too(
    client, learner_courses, django_assert_max_num_queries
):
    lesson = lessons_of(learner_courses[-1])[-1]
    lesson.course.enrolments.all().delete()
    # Enrolling reads the course and creates the enrolment in a savepoint (+5), this first
    # request of the test finds the site caches empty (+2), and the lesson's start is queued
    # as an xAPI statement (+2: its insert, and the titles on an empty cache).
    with django_assert_max_num_queries(MAX_QUERIES + 9):
        response = client.get(lesson.url)
    assert response.status_code == 200


def test_the_course_outline_reads_a_fixed_number_of_queries(
    client, learner_courses, django_assert_max_num_queries
):
    course = learner_courses[-1]
    client.get(course.url)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(course.url)
    assert response.context["outline"].done_required == len(lessons_of(course)) - 1


def test_my_learning_reads_a_fixed_number_of_queries(
    client, learner_courses, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("courses:my_learning"))
    assert len(response.context["in_progress"]) == len(learner_courses)
