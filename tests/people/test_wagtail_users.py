"""The Wagtail admin's user pages work with our user model."""

from http import HTTPStatus

import pytest

from people.models import Role, User

pytestmark = pytest.mark.django_db


def test_the_superuser_edits_a_person_in_the_wagtail_admin(client, superuser, agent):
    client.force_login(superuser)
    page = client.get(f"/admin/users/edit/{agent.pk}/")
    assert page.status_code == HTTPStatus.OK
    assert 'name="full_name"' in page.content.decode()
    assert 'name="first_name"' not in page.content.decode()

    response = client.post(
        f"/admin/users/edit/{agent.pk}/",
        {
            "email": agent.email,
            "full_name": "Lucía Fernández Ortiz",
            "employee_number": "E-42",
            "is_active": "on",
            "groups": [agent.groups.get().pk],
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    agent.refresh_from_db()
    assert (agent.full_name, agent.employee_number) == ("Lucía Fernández Ortiz", "E-42")
    assert agent.has_role(Role.AGENT)


def test_the_superuser_creates_a_person_in_the_wagtail_admin(client, superuser):
    client.force_login(superuser)
    response = client.post(
        "/admin/users/new/",
        {"email": "nueva@example.com", "full_name": "Nueva Persona", "employee_number": ""},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert User.objects.get(email="nueva@example.com").full_name == "Nueva Persona"
