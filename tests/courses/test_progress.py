"""Enrolment, progress, completion and resuming."""

from http import HTTPStatus

from django.urls import reverse

import pytest

from courses.models import Enrolment, StepCompletion

from .conftest import lessons_of

pytestmark = pytest.mark.django_db


def complete(client, lesson):
    return client.post(f"{lesson.url}completar/")


def test_opening_a_course_enrols_once(client, agent, course):
    client.force_login(agent)
    client.get(course.url)
    client.get(course.url)
    assert Enrolment.objects.filter(person=agent, course=course).count() == 1


def test_marking_a_lesson_done_moves_on_and_twice_changes_nothing(client, agent, course):
    first, second, _ = lessons_of(course)
    client.force_login(agent)
    client.get(first.url)
    response = complete(client, first)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == second.url
    complete(client, first)
    assert StepCompletion.objects.filter(person=agent).count() == 1
    html = client.get(course.url).content.decode()
    assert "1 de 3 pasos · 33 %" in html


def test_the_last_required_step_completes_the_course_exactly_once(client, agent, course_factory):
    course = course_factory(lessons=3, optional=1)
    first, second, optional = lessons_of(course)
    client.force_login(agent)
    complete(client, first)
    response = complete(client, second)
    assert response.url == course.url
    enrolment = Enrolment.objects.get(person=agent, course=course)
    completed_at = enrolment.completed_at
    assert completed_at is not None
    complete(client, optional)
    complete(client, second)
    enrolment.refresh_from_db()
    assert enrolment.completed_at == completed_at
    assert "Has completado este curso" in client.get(course.url).content.decode()


def test_unpublished_steps_do_not_count(client, agent, course):
    first, second, third = lessons_of(course)
    third.unpublish()
    client.force_login(agent)
    complete(client, first)
    complete(client, second)
    assert Enrolment.objects.get(person=agent, course=course).completed_at is not None


def test_resuming_after_signing_out_and_in(client, agent, course):
    first, second, _ = lessons_of(course)
    client.force_login(agent)
    complete(client, first)
    client.get(second.url)
    client.logout()
    client.force_login(agent)
    html = client.get(course.url).content.decode()
    assert "Continuar donde lo dejé" in html
    assert f'href="{second.url}"' in html.split("Continuar donde lo dejé")[0].rsplit("<a", 1)[1]


def test_a_new_learner_is_offered_to_start(client, agent, course):
    client.force_login(agent)
    html = client.get(course.url).content.decode()
    assert "Empezar el curso" in html


def test_progress_is_personal(client, agent, teammate, course):
    first = lessons_of(course)[0]
    client.force_login(agent)
    complete(client, first)
    client.force_login(teammate)
    assert "0 de 3 pasos" in client.get(course.url).content.decode()


def test_my_learning_lists_courses_in_progress_first_with_their_progress(
    client, agent, course_factory
):
    started = course_factory(title="Curso empezado", lessons=4)
    course_factory(title="Curso nuevo", lessons=2)
    client.force_login(agent)
    complete(client, lessons_of(started)[0])
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert html.index("Curso empezado") < html.index("Curso nuevo")
    assert "1 de 4 pasos · 25 %" in html
    assert "0 de 2 pasos · 0 %" in html


def test_completing_needs_a_post(client, agent, course):
    client.force_login(agent)
    response = client.get(f"{lessons_of(course)[0].url}completar/")
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert not StepCompletion.objects.exists()


@pytest.mark.parametrize("which", ["catalog", "course", "lesson", "complete"])
def test_anonymous_visitors_are_sent_to_sign_in(client, catalog, course, which):
    lesson = lessons_of(course)[0]
    url = {
        "catalog": catalog.url,
        "course": course.url,
        "lesson": lesson.url,
        "complete": f"{lesson.url}completar/",
    }[which]
    response = client.post(url) if which == "complete" else client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))
    assert not StepCompletion.objects.exists() and not Enrolment.objects.exists()


def test_lesson_pages_make_the_same_queries_for_short_and_long_courses(
    client, agent, course_factory, django_assert_max_num_queries
):
    client.force_login(agent)
    for size in (3, 30):
        course = course_factory(title=f"Curso {size}", lessons=size)
        lesson = lessons_of(course)[1]
        client.get(lesson.url)  # warm the session and enrolment
        with django_assert_max_num_queries(21):
            assert client.get(lesson.url).status_code == HTTPStatus.OK


def test_my_learning_makes_the_same_queries_for_few_or_many_courses(
    client, agent, course_factory, django_assert_max_num_queries
):
    client.force_login(agent)
    for count in (2, 12):
        while len(client.get(reverse("courses:my_learning")).context["others"]) < count:
            course_factory(title=f"Curso {count}-{_next()}", lessons=2)
        with django_assert_max_num_queries(8):  # + the assignments
            client.get(reverse("courses:my_learning"))


_counter = iter(range(10_000))


def _next():
    return next(_counter)
