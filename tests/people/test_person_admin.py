"""HR adds and edits people one by one."""

from http import HTTPStatus

from django.core import mail
from django.urls import reverse

import pytest

from people.models import Role, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_hr_adds_a_person_who_is_invited(client, hr, team, django_capture_on_commit_callbacks):
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("people:person_create"),
            {
                "email": "Nuevo.Agente@Empresa.es",
                "full_name": "Nuevo Agente",
                "role": Role.AGENT,
                "team": team.pk,
                "employee_number": "E-77",
            },
        )
    person = User.objects.get(email="nuevo.agente@empresa.es")
    assert response.url == reverse("people:person_detail", args=[person.pk])
    assert person.current_team == team and person.is_agent
    assert [m.to for m in mail.outbox] == [["nuevo.agente@empresa.es"]]
    assert "/cuenta/password/reset/key/" in mail.outbox[0].body


def test_adding_someone_twice_is_refused_at_the_field(client, hr, agent):
    client.force_login(hr)
    response = client.post(
        reverse("people:person_create"),
        {"email": agent.email.upper(), "full_name": "Otra", "role": Role.AGENT},
    )
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Ya existe una persona con este correo" in html
    assert 'aria-describedby="id_email_error"' in html
    assert 'aria-invalid="true"' in html


def test_hr_moves_an_agent_and_changes_roles(client, hr, agent, team, other_team):
    client.force_login(hr)
    response = client.post(
        reverse("people:person_edit", args=[agent.pk]),
        {
            "full_name": "Lucía Fernández",
            "employee_number": "E-5",
            "is_active": "on",
            "roles": [Role.AGENT, Role.SUPERVISOR],
            "team": other_team.pk,
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    agent = User.objects.get(pk=agent.pk)
    assert agent.current_team == other_team
    assert {r.value for r in agent.roles} == {Role.AGENT, Role.SUPERVISOR}
    assert agent.memberships.count() == 2


def test_a_closed_account_cannot_sign_in(client, hr, agent):
    client.force_login(hr)
    client.post(
        reverse("people:person_edit", args=[agent.pk]),
        {"full_name": agent.full_name, "employee_number": "", "roles": [Role.AGENT]},
    )
    client.logout()
    assert not client.login(email=agent.email, password=PASSWORD)
    agent.refresh_from_db()
    assert agent.memberships.count() == 1  # records stay


@pytest.mark.parametrize("viewer", ["agent", "supervisor", "editor"])
def test_only_hr_edits_people(request, client, viewer, agent):
    client.force_login(request.getfixturevalue(viewer))
    response = client.get(reverse("people:person_edit", args=[agent.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN
