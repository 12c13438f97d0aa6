"""Progress toward certification: the requirements rule read by the database (one home for
one person and for many), "Mis certificados" with what is done and what is missing, and the
person × requirement matrix for HR and supervisors (who may open it, for each role:
tests/people/test_policy_matrix.py)."""

import csv
import io
from datetime import timedelta
from http import HTTPStatus

from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

import pytest

from attitude.models import ServiceDimension
from attitude.selectors import profile_for
from certification import matrix
from certification.models import Certificate, DimensionMinimum, Programme
from certification.services import requirements
from courses.models import Enrolment
from people.models import Role
from quizzes.models import Attempt, QuizPage
from tests.attitude.test_profile import evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(course_factory):
    return [
        course_factory(title="Conceptos", slug="conceptos", lessons=1),
        course_factory(title="Cortesía", slug="cortesia", lessons=1),
    ]


@pytest.fixture
def quiz(courses):
    quiz = QuizPage(title="Evaluación de cortesía", slug="evaluacion", pass_mark=60)
    courses[1].add_child(instance=quiz)
    quiz.save_revision().publish()
    return quiz


@pytest.fixture
def programme(courses, quiz):
    programme = Programme.objects.create(
        name="Agente certificado", min_quiz_percent=70, min_attitude_percent=60
    )
    programme.courses.set(courses)
    programme.save()
    DimensionMinimum.objects.create(
        programme=programme, dimension=ServiceDimension.objects.get(slug="cortesia"), min_percent=60
    )
    return programme


def complete(person, course):
    Enrolment.objects.update_or_create(
        person=person, course=course, defaults={"completed_at": timezone.now()}
    )


def attempt(person, quiz, score, number=1):
    return Attempt.objects.create(
        person=person, quiz=quiz, number=number, submitted_at=timezone.now(), score=score
    )


def met(person, programme):
    return dict(requirements(person, programme).items)


# The rule --------------------------------------------------------------------------------


def test_each_requirement_is_met_as_the_rule_says(agent, programme, courses, quiz):
    labels = [label for label, _ in requirements(agent, programme).items]
    assert labels == [
        "Curso «Conceptos» completado",
        "Curso «Cortesía» completado",
        "«Evaluación de cortesía» con un 70 % o más",
        "Actitud global del 60 % o más",
        "Cortesía del 60 % o más",
    ]
    assert not any(met(agent, programme).values())
    complete(agent, courses[0])
    attempt(agent, quiz, 0.69)
    assert list(met(agent, programme).values()) == [True, False, False, False, False]
    attempt(agent, quiz, 0.7, number=2)  # the best attempt counts, 70 % is enough
    assert met(agent, programme)["«Evaluación de cortesía» con un 70 % o más"]


def test_without_a_programme_minimum_the_quiz_needs_its_pass_mark(agent, programme, quiz):
    programme.min_quiz_percent = None
    programme.save()
    attempt(agent, quiz, 0.6)
    assert met(agent, programme)["«Evaluación de cortesía» con un 60 % o más"]


@pytest.mark.parametrize("offset", [0, 1])
def test_attitude_is_met_exactly_when_the_profile_shows_the_minimum(agent, programme, offset):
    activity = Page.objects.get(depth=2)
    evidence(agent, activity, "a1", {"cortesia": 0.8, "fiabilidad": 0.45, "seguridad": 0.3})
    other = activity.add_child(instance=Page(title="Otra actividad", slug="otra"))
    evidence(agent, other, "a2", {"comunicacion": 1.0}, count=2)  # not enough evidence
    profile = profile_for(agent)
    assert profile.overall_percent is not None
    programme.min_attitude_percent = profile.overall_percent + offset
    programme.save()
    DimensionMinimum.objects.filter(programme=programme).update(min_percent=80 + offset)
    result = met(agent, programme)
    overall = f"Actitud global del {profile.overall_percent + offset} % o más"
    assert result[overall] is (offset == 0)
    assert result[f"Cortesía del {80 + offset} % o más"] is (offset == 0)


def test_a_dimension_needs_sufficient_evidence(agent, programme):
    evidence(agent, Page.objects.get(depth=2), "a1", {"cortesia": 1.0}, count=2)
    assert not met(agent, programme)["Cortesía del 60 % o más"]
    assert not met(agent, programme)["Actitud global del 60 % o más"]


# Mis certificados ------------------------------------------------------------------------


def english(client):
    """New wording is asserted in English (its msgid): the Spanish catalogue gains it when
    the lead merges the lane's translations."""
    client.cookies["django_language"] = "en"
    return client


def test_my_certificates_is_in_the_agents_navigation(client, agent):
    client.force_login(agent)
    response = client.get(reverse("courses:my_learning"))
    labels = [str(item["label"]) for item in response.context["nav_items"]]
    assert labels[-1] == "Mis certificados"
    assert reverse("certification:mine") in response.content.decode()


def test_my_certificates_says_what_is_done_and_links_what_is_missing(
    client, agent, programme, courses, quiz
):
    complete(agent, courses[0])
    english(client).force_login(agent)
    html = client.get(reverse("certification:mine")).content.decode()
    assert (
        "1 of 2 courses · Evaluación de cortesía ≥ 70 % · Overall attitude ≥ 60 % · "
        "Courtesy ≥ 60 %" in html
    )
    missing = html[html.index("You still need:") : html.index("Done:")]
    assert f'href="{courses[1].url}"' in missing and f'href="{quiz.url}"' in missing
    assert "Course “Conceptos” completed" not in missing
    assert "Course “Conceptos” completed" in html[html.index("Done:") :]
    assert reverse("attitude:my_profile") in missing


def test_my_certificates_shows_a_valid_certificate_beside_its_programme(client, agent, programme):
    Certificate.objects.create(
        person=agent, programme=programme, expires_at=timezone.now() + timedelta(days=30)
    )
    english(client).force_login(agent)
    html = client.get(reverse("certification:mine")).content.decode()
    assert "Your certificate is valid until" in html


# The matrix ------------------------------------------------------------------------------


def _names(response):
    return [person.full_name for person in response.context["page_obj"]]


@pytest.fixture
def standings(agent, teammate, outsider, programme, courses, quiz):
    """Lucía misses everything, Javier one course short, Sofía (another team) is certified."""
    complete(teammate, courses[0])
    attempt(teammate, quiz, 0.9)
    activity = Page.objects.get(depth=2)
    evidence(teammate, activity, "t1", {"cortesia": 0.9})
    for course in courses:
        complete(outsider, course)
    Certificate.objects.create(
        person=outsider, programme=programme, expires_at=timezone.now() + timedelta(days=20)
    )


def test_hr_sees_everyone_most_missing_first(client, hr, agent, standings):
    client.force_login(hr)
    response = client.get(reverse("certification:progress_matrix"))
    assert response.status_code == HTTPStatus.OK
    assert _names(response) == ["Lucía Fernández", "Sofía Herrera", "Javier Moreno"]
    rows = {p.full_name: (p.missing, p.cells) for p in response.context["page_obj"]}
    assert rows["Javier Moreno"] == (1, [True, False, True, True, True])
    assert rows["Lucía Fernández"][0] == 5
    html = english(client).get(reverse("certification:progress_matrix")).content.decode()
    assert "Evaluación de cortesía ≥ 70 %" in html and "valid until" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "certified"}, ["Sofía Herrera"]),
        ({"status": "missing"}, ["Lucía Fernández", "Javier Moreno"]),
        ({"sort": "least_missing"}, ["Javier Moreno", "Sofía Herrera", "Lucía Fernández"]),
        ({"sort": "name"}, ["Javier Moreno", "Lucía Fernández", "Sofía Herrera"]),
        ({"expires_by": "{soon}"}, ["Sofía Herrera"]),
        ({"expires_by": "{today}"}, []),
    ],
)
def test_hr_filters_and_sorts_the_matrix(client, hr, standings, query, expected):
    today = timezone.localdate()
    replace = {"{soon}": str(today + timedelta(days=30)), "{today}": str(today)}
    query = {key: replace.get(value, value) for key, value in query.items()}
    client.force_login(hr)
    assert _names(client.get(reverse("certification:progress_matrix"), query)) == expected


def test_hr_filters_by_team(client, hr, team, standings):
    client.force_login(hr)
    response = client.get(reverse("certification:progress_matrix"), {"team": team.pk})
    assert sorted(_names(response)) == ["Javier Moreno", "Lucía Fernández"]


def test_a_bad_filter_says_so(client, hr, standings):
    client.force_login(hr)
    response = client.get(reverse("certification:progress_matrix"), {"expires_by": "mañana"})
    assert response.status_code == HTTPStatus.OK
    assert "Escribe una fecha válida." in response.content.decode()
    export = client.get(
        reverse("certification:progress_matrix_export", args=["csv"]), {"expires_by": "mañana"}
    )
    assert export.status_code == HTTPStatus.FOUND  # back to the page, which says why
    assert export.url.startswith(reverse("certification:progress_matrix") + "?expires_by=")


def test_the_matrix_is_paginated_keeping_the_filters(client, hr, team, standings, monkeypatch):
    monkeypatch.setattr(matrix, "PER_PAGE", 1)
    client.force_login(hr)
    url = reverse("certification:progress_matrix")
    first = client.get(url, {"team": team.pk, "sort": "name"})
    html = first.content.decode()
    assert _names(first) == ["Javier Moreno"] and "Página 1 de 2" in html  # an existing msgid
    assert f"team={team.pk}&amp;sort=name&amp;page=2" in html
    assert _names(client.get(url, {"team": team.pk, "sort": "name", "page": 2})) == [
        "Lucía Fernández"
    ]


def test_a_supervisor_sees_only_their_teams(client, supervisor, other_team, standings):
    client.force_login(supervisor)
    url = reverse("certification:progress_matrix")
    assert sorted(_names(client.get(url))) == ["Javier Moreno", "Lucía Fernández"]
    response = client.get(url, {"team": other_team.pk})  # not one of theirs
    assert "Sofía Herrera" not in response.content.decode()
    assert response.context["form"].errors["team"]
    export = client.get(reverse("certification:progress_matrix_export", args=["csv"]))
    assert "Sofía Herrera" not in b"".join(export.streaming_content).decode()


def test_the_export_has_the_same_rows(client, hr, team, standings):
    english(client).force_login(hr)
    response = client.get(
        reverse("certification:progress_matrix_export", args=["csv"]), {"team": team.pk}
    )
    assert response.status_code == HTTPStatus.OK
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Person",
        "Email",
        "Employee number",
        "Team",
        "Conceptos",
        "Cortesía",
        "Evaluación de cortesía ≥ 70 %",
        "Overall attitude ≥ 60 %",
        "Courtesy ≥ 60 %",
        "Requirements missing",
        "Certified until",
    ]
    assert rows[1][0] == "Lucía Fernández" and rows[1][3:10] == ["Equipo Norte"] + [
        "missing"
    ] * 5 + ["5"]
    assert rows[2][0] == "Javier Moreno"
    assert rows[2][4:10] == ["done", "missing", "done", "done", "done", "1"]
    assert len(rows) == 3


def test_the_spanish_export_uses_semicolons(client, hr, standings):
    client.force_login(hr)
    response = client.get(reverse("certification:progress_matrix_export", args=["csv"]))
    first = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert first.startswith("Persona;Correo electrónico;Número de empleado;Equipo;")


def test_without_programmes_the_matrix_says_so(client, hr):
    english(client).force_login(hr)
    response = client.get(reverse("certification:progress_matrix"))
    assert "There are no certification programmes yet." in response.content.decode()
    export = client.get(reverse("certification:progress_matrix_export", args=["xlsx"]))
    assert export.status_code == HTTPStatus.NOT_FOUND


def test_the_matrix_and_its_export_make_the_same_queries_for_10_or_100_people(
    client, hr, team, programme, courses, quiz, user_factory, django_assert_max_num_queries
):
    activity = Page.objects.get(depth=2)
    client.force_login(hr)
    for size in (10, 100):
        while team.members.count() < size:
            person = user_factory(roles=[Role.AGENT], team=team)
            n = team.members.count()
            if n % 2:
                complete(person, courses[0])
                attempt(person, quiz, 0.5 + n / 250)
            if n % 3 == 0:
                evidence(person, activity, f"r{person.pk}", {"cortesia": n / 100})
        with django_assert_max_num_queries(17):
            response = client.get(reverse("certification:progress_matrix"), {"team": team.pk})
        assert response.status_code == HTTPStatus.OK
        assert len(response.context["page_obj"]) == min(size, matrix.PER_PAGE)
        with django_assert_max_num_queries(12):
            export = client.get(
                reverse("certification:progress_matrix_export", args=["xlsx"]), {"team": team.pk}
            )
            body = b"".join(export.streaming_content)
        assert body.startswith(b"PK")


def test_my_certificates_reads_as_many_queries_for_a_long_history(
    client, agent, programme, courses, quiz, django_assert_max_num_queries
):
    activity = Page.objects.get(depth=2)
    client.force_login(agent)
    for attempts in (1, 8):
        for number in range(Attempt.objects.filter(person=agent).count() + 1, attempts + 1):
            attempt(agent, quiz, number / 10, number=number)
            other = activity.add_child(
                instance=Page(title=f"Actividad {number}", slug=f"a{number}")
            )
            evidence(agent, other, f"r{number}", {"cortesia": 0.7, "fiabilidad": 0.5})
        complete(agent, courses[attempts % 2])
        with django_assert_max_num_queries(13):
            response = client.get(reverse("certification:mine"))
        assert response.status_code == HTTPStatus.OK
