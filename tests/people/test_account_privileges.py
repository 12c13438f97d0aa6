"""Only superusers grant privileges or touch a superuser's account (issue 15, item 1).

Privileges are superuser status, staff status, group membership and model permissions; a
superuser's account is their email and password. Every non-superuser role is tried against
every privilege through real POSTs to Wagtail's user admin (edit, create, bulk actions) and to
our own /rrhh/ edit page; the superuser still can.
"""

from http import HTTPStatus

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

import pytest

from people.models import Role, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ROLES = [Role.AGENT, Role.SUPERVISOR, Role.HR, Role.EDITOR]
NEW_PASSWORD = "clave-del-atacante-2026"


@pytest.fixture
def privileged_group(db):
    """A group that grants everything about users: joining it is a privilege."""
    group = Group.objects.create(name="Administración de cuentas")
    group.permissions.set(Permission.objects.filter(content_type__app_label="people"))
    return group


def edit_payload(person, **changes):
    """What Wagtail's user edit form posts for `person`, with `changes` on top."""
    data = {
        "email": person.email,
        "full_name": person.full_name,
        "employee_number": person.employee_number,
        "groups": [group.pk for group in person.groups.all()],
    }
    if person.is_active:
        data["is_active"] = "on"
    if person.is_superuser:
        data["is_superuser"] = "on"
    data.update(changes)
    return data


def snapshot(person):
    person = User.objects.get(pk=person.pk)
    return {
        "email": person.email,
        "password": person.password,
        "is_superuser": person.is_superuser,
        "is_staff": person.is_staff,
        "is_active": person.is_active,
        "groups": set(person.groups.values_list("name", flat=True)),
        "permissions": set(person.user_permissions.values_list("codename", flat=True)),
    }


def attempts(privileged_group):
    """What an attacker posts for each privilege."""
    return {
        "is_superuser": {"is_superuser": "on"},
        "is_staff": {"is_staff": "on"},
        "groups": {"groups": [privileged_group.pk]},
        "user_permissions": {
            "user_permissions": list(Permission.objects.values_list("pk", flat=True)[:20])
        },
        "password": {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        "email": {"email": "atacante@example.com"},
        "remove_superuser": {"is_superuser": ""},
        "deactivate": {"is_active": ""},
    }


CASES = [
    *[
        (privilege, target)
        for privilege in ("is_superuser", "is_staff", "groups", "user_permissions")
        for target in ("self", "someone_else")
    ],
    *[
        (privilege, "superuser")
        for privilege in ("password", "email", "remove_superuser", "deactivate", "groups")
    ],
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("privilege", "target_kind"), CASES)
def test_no_other_role_grants_a_privilege_in_the_wagtail_user_admin(
    client, user_factory, team, superuser, privileged_group, role, privilege, target_kind
):
    viewer = user_factory(roles=[role], team=team)
    target = {
        "self": viewer,
        "someone_else": user_factory(roles=[Role.AGENT], team=team),
        "superuser": superuser,
    }[target_kind]
    before = snapshot(target)

    client.force_login(viewer)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[target.pk]),
        edit_payload(target, **attempts(privileged_group)[privilege]),
    )

    assert response.status_code in {HTTPStatus.FOUND, HTTPStatus.FORBIDDEN}
    assert snapshot(target) == before
    if privilege == "password":
        assert not client.login(email=superuser.email, password=NEW_PASSWORD)


@pytest.mark.parametrize("role", ROLES)
def test_no_other_role_creates_a_superuser_or_a_privileged_person(
    client, user_factory, team, privileged_group, role
):
    viewer = user_factory(roles=[role], team=team)
    client.force_login(viewer)
    client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "cuenta.nueva@example.com",
            "full_name": "Cuenta Nueva",
            "employee_number": "",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [privileged_group.pk],
        },
    )
    assert not User.objects.filter(email="cuenta.nueva@example.com").exists()


@pytest.mark.parametrize("role", ROLES)
def test_no_other_role_uses_the_bulk_actions_on_accounts(
    client, user_factory, team, superuser, privileged_group, role
):
    viewer = user_factory(roles=[role], team=team)
    before = {"viewer": snapshot(viewer), "superuser": snapshot(superuser)}
    client.force_login(viewer)
    assign = reverse("wagtail_bulk_action", args=["people", "user", "assign_role"])
    client.post(f"{assign}?id={viewer.pk}", {"role": privileged_group.pk})
    deactivate = reverse("wagtail_bulk_action", args=["people", "user", "set_active_state"])
    client.post(f"{deactivate}?id={superuser.pk}", {"mark_as_active": "False"})
    assert {"viewer": snapshot(viewer), "superuser": snapshot(superuser)} == before


@pytest.mark.parametrize("role", ROLES)
def test_no_other_role_sees_the_wagtail_user_admin(client, user_factory, team, superuser, role):
    viewer = user_factory(roles=[role], team=team)
    client.force_login(viewer)
    for url in (
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_users:edit", args=[superuser.pk]),
        reverse("wagtailusers_users:add"),
    ):
        response = client.get(url)
        assert response.status_code in {HTTPStatus.FOUND, HTTPStatus.FORBIDDEN}, url
        assert 'name="is_superuser"' not in response.content.decode()
    admin_home = client.get(reverse("wagtailadmin_home"))
    assert reverse("wagtailusers_users:index") not in admin_home.content.decode()


def test_hr_does_not_edit_a_superusers_account_on_the_hr_pages(client, hr, superuser):
    client.force_login(hr)
    before = snapshot(superuser)
    url = reverse("people:person_edit", args=[superuser.pk])
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    response = client.post(
        url,
        {"full_name": "Otro nombre", "employee_number": "", "roles": [Role.AGENT]},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert snapshot(superuser) == before
    assert User.objects.get(pk=superuser.pk).full_name == "Admin"


def test_hr_still_edits_other_people_on_the_hr_pages(client, hr, agent, team):
    client.force_login(hr)
    response = client.post(
        reverse("people:person_edit", args=[agent.pk]),
        {
            "full_name": "Lucía Fernández Ortiz",
            "employee_number": "",
            "is_active": "on",
            "roles": [Role.AGENT],
            "team": team.pk,
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert User.objects.get(pk=agent.pk).full_name == "Lucía Fernández Ortiz"


# The superuser still can ------------------------------------------------------------------


def test_the_superuser_grants_superuser_status_and_groups(
    client, superuser, agent, privileged_group
):
    client.force_login(superuser)
    page = client.get(reverse("wagtailusers_users:edit", args=[agent.pk])).content.decode()
    assert 'name="is_superuser"' in page and 'name="groups"' in page
    response = client.post(
        reverse("wagtailusers_users:edit", args=[agent.pk]),
        edit_payload(agent, is_superuser="on", groups=[privileged_group.pk]),
    )
    assert response.status_code == HTTPStatus.FOUND
    after = snapshot(agent)
    assert after["is_superuser"] is True
    assert after["groups"] == {privileged_group.name}


def test_the_superuser_removes_superuser_status(client, superuser):
    other = User.objects.create_superuser(
        email="otra.admin@example.com", password=PASSWORD, full_name="Otra Admin"
    )
    client.force_login(superuser)
    payload = edit_payload(other)
    payload.pop("is_superuser")
    response = client.post(reverse("wagtailusers_users:edit", args=[other.pk]), payload)
    assert response.status_code == HTTPStatus.FOUND
    assert snapshot(other)["is_superuser"] is False


def test_the_superuser_changes_a_superusers_email_and_password(client, superuser):
    other = User.objects.create_superuser(
        email="otra.admin@example.com", password=PASSWORD, full_name="Otra Admin"
    )
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[other.pk]),
        edit_payload(
            other,
            email="nueva.admin@example.com",
            password1=NEW_PASSWORD,
            password2=NEW_PASSWORD,
        ),
    )
    assert response.status_code == HTTPStatus.FOUND
    client.logout()
    assert client.login(email="nueva.admin@example.com", password=NEW_PASSWORD)


def test_the_superuser_creates_another_superuser(client, superuser, privileged_group):
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "cuenta.nueva@example.com",
            "full_name": "Cuenta Nueva",
            "employee_number": "",
            "is_superuser": "on",
            "groups": [privileged_group.pk],
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    created = User.objects.get(email="cuenta.nueva@example.com")
    assert created.is_superuser and created.groups.get() == privileged_group


def test_the_superuser_edits_a_superusers_account_on_the_hr_pages(client, superuser, team):
    other = User.objects.create_superuser(
        email="otra.admin@example.com", password=PASSWORD, full_name="Otra Admin"
    )
    client.force_login(superuser)
    response = client.post(
        reverse("people:person_edit", args=[other.pk]),
        {
            "full_name": "Otra Admin Sanz",
            "employee_number": "",
            "is_active": "on",
            "roles": [Role.HR],
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert User.objects.get(pk=other.pk).full_name == "Otra Admin Sanz"
