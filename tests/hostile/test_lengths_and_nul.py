"""The hostile inputs the hardening issue names one by one: NUL in filters and URL
converters, far-future dates, a 300-character email. Each is refused with a page, never a
server error, on SQLite and PostgreSQL."""

from http import HTTPStatus

from django.urls import reverse

import pytest

from certification.models import CoachingNote
from courses.models import Assignment
from people.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(client, client_for):
    return client_for


@pytest.mark.parametrize(
    "url", ["/rrhh/?q=%00", "/rrhh/?equipo=99999999999999999999", "/aprendizaje/registro/?q=%00",
            "/aprendizaje/buscar/?q=%00", "/rrhh/certificados/?q=%00",
            "/rrhh/panel/?team=%00&issued_from=9999-12-31"],
)  # fmt: skip
def test_nul_and_huge_values_in_filters_answer_a_page(client_for, hr, url):
    client = client_for(hr)
    client.raise_request_exception = False
    assert client.get(url).status_code == HTTPStatus.OK


@pytest.mark.parametrize("url", ["/verificar/%00/", "/certificados/%00/pdf/"])
def test_nul_in_a_certificate_code_is_not_found(client_for, hr, url):
    client = client_for(hr)
    client.raise_request_exception = False
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("due", ["2200-01-01", "9999-12-31"])
def test_far_future_due_dates_are_refused_with_a_message(
    client_for, supervisor, agent, team, course_factory, due
):
    course = course_factory()
    client = client_for(supervisor)
    client.raise_request_exception = False
    response = client.post(
        reverse("courses:assign"), {"course": course.pk, "team": team.pk, "due_on": due}
    )
    assert response.status_code == HTTPStatus.OK
    assert "La fecha límite no puede ser posterior a" in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_huge_person_id_in_assign_is_a_form_error(
    client_for, supervisor, agent, team, course_factory
):
    course = course_factory()
    client = client_for(supervisor)
    client.raise_request_exception = False
    response = client.post(
        reverse("courses:assign"),
        {"course": course.pk, "team": team.pk, "due_on": "2030-01-01",
         "people": ["99999999999999999999"]},
    )  # fmt: skip
    assert response.status_code == HTTPStatus.OK and not Assignment.objects.exists()


def test_a_300_character_email_is_a_form_error(client_for, hr):
    client = client_for(hr)
    client.raise_request_exception = False
    email = "a" * 288 + "@empresa.es"
    response = client.post(
        reverse("people:person_create"),
        {"email": email, "full_name": "Correo Largo", "role": Role.AGENT},
    )
    assert response.status_code == HTTPStatus.OK
    assert "254" in response.content.decode()
    assert not User.objects.filter(full_name="Correo Largo").exists()


def test_a_note_that_is_only_markup_is_a_form_error(client_for, supervisor, agent):
    client = client_for(supervisor)
    client.raise_request_exception = False
    url = reverse("certification:agent_detail", args=[agent.pk])
    response = client.post(url, {"text": "<img src=x onerror=alert(1)>"})
    assert response.status_code == HTTPStatus.OK and not CoachingNote.objects.exists()


@pytest.mark.parametrize("field", ["course", "team"])
def test_a_huge_course_or_team_id_in_assign_is_a_form_error(
    client_for, supervisor, agent, team, course_factory, field
):
    course = course_factory()
    client = client_for(supervisor)
    data = {"course": course.pk, "team": team.pk, "due_on": "2030-01-01"}
    data[field] = "99999999999999999999"
    response = client.post(reverse("courses:assign"), data)
    assert response.status_code == HTTPStatus.OK and not Assignment.objects.exists()
