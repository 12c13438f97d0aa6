"""What a client writes is what it reads back (RFC 7644 §3.5.2: the response is the resource
as stored): an employee number as long as an HR system's GUID, the manager it names, the
emails as it lists them, and the label it gives a team's member."""

import importlib
import uuid
from http import HTTPStatus

import pytest

from people.models import Membership, Role, User
from provisioning.models import ProvisionedPerson

pytestmark = pytest.mark.django_db

PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
BASE = "http://testserver/scim/v2/"


def patch_body(*operations):
    return {"schemas": [PATCH], "Operations": list(operations)}


# Employee number -------------------------------------------------------------------------
def test_an_employee_number_as_long_as_a_guid_is_kept_whole(scim):
    number = str(uuid.uuid4())
    response = scim.post(
        "Users",
        {
            "schemas": [USER, ENTERPRISE],
            "userName": "guid@example.com",
            ENTERPRISE: {"employeeNumber": number},
        },
    )
    assert response.status_code == HTTPStatus.CREATED, response.content
    assert response.json()[ENTERPRISE]["employeeNumber"] == number
    assert User.objects.get(email="guid@example.com").employee_number == number


def test_an_employee_number_longer_than_the_record_holds_is_invalid_value(scim, agent):
    limit = User._meta.get_field("employee_number").max_length
    response = scim.patch(
        f"Users/{agent.pk}",
        patch_body(
            {"op": "replace", "path": f"{ENTERPRISE}:employeeNumber", "value": "9" * (limit + 1)}
        ),
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == "invalidValue"
    assert response.json()["detail"] == f"employeeNumber is longer than {limit} characters"
    agent.refresh_from_db()
    assert agent.employee_number == ""


# Manager ---------------------------------------------------------------------------------
@pytest.fixture
def loner(user_factory):
    """A person in no team: no supervisor of theirs can stand for a manager."""
    return user_factory(full_name="Sol Suelta")


def test_the_manager_a_client_names_is_kept_for_a_person_without_a_team(scim, loner, user_factory):
    boss = user_factory(full_name="Marta Jefa")
    manager = {"value": str(boss.pk), "$ref": f"{BASE}Users/{boss.pk}"}
    response = scim.patch(
        f"Users/{loner.pk}",
        patch_body({"op": "add", "path": f"{ENTERPRISE}:manager", "value": manager}),
    )
    assert response.status_code == HTTPStatus.OK, response.content
    assert response.json()[ENTERPRISE]["manager"] == manager
    assert scim.get(f"Users/{loner.pk}").json()[ENTERPRISE]["manager"] == manager


def test_a_removed_manager_is_gone(scim, loner, user_factory):
    boss = user_factory()
    scim.patch(
        f"Users/{loner.pk}",
        patch_body({"op": "replace", "path": f"{ENTERPRISE}:manager", "value": str(boss.pk)}),
    )
    response = scim.patch(
        f"Users/{loner.pk}", patch_body({"op": "remove", "path": f"{ENTERPRISE}:manager"})
    )
    assert response.status_code == HTTPStatus.OK
    assert "manager" not in response.json().get(ENTERPRISE, {})
    assert "manager" not in scim.get(f"Users/{loner.pk}").json().get(ENTERPRISE, {})


@pytest.mark.parametrize("value", ["999999", "not-an-id", "self"])
def test_a_manager_that_is_no_other_known_user_is_invalid_value(scim, loner, value):
    value = str(loner.pk) if value == "self" else value
    response = scim.patch(
        f"Users/{loner.pk}",
        patch_body({"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": value}}),
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == "invalidValue"


def test_a_person_no_client_named_a_manager_for_shows_their_teams_supervisor(
    scim, agent, user_factory, team
):
    boss = user_factory(roles=[Role.SUPERVISOR], team=team)
    assert scim.get(f"Users/{agent.pk}").json()[ENTERPRISE]["manager"]["value"] == str(boss.pk)


def test_people_written_before_managers_were_kept_keep_the_manager_they_showed(
    scim, agent, user_factory, team
):
    from django.apps import apps

    migration = importlib.import_module(
        "provisioning.migrations.0003_keep_the_managers_shown_before"
    )
    boss = user_factory(roles=[Role.SUPERVISOR], team=team)
    ProvisionedPerson.objects.create(person=agent)
    assert "manager" not in scim.get(f"Users/{agent.pk}").json().get(ENTERPRISE, {})
    migration.keep_shown_managers(apps, None)
    assert scim.get(f"Users/{agent.pk}").json()[ENTERPRISE]["manager"]["value"] == str(boss.pk)


# Emails ----------------------------------------------------------------------------------
def test_emails_come_back_as_the_client_listed_them(scim, agent):
    emails = [
        {"value": "lucia@casa.example", "type": "home", "primary": False},
        {"value": "lucia.f@example.com", "type": "work"},
    ]
    response = scim.put(
        f"Users/{agent.pk}",
        {"schemas": [USER], "userName": "lucia-f", "emails": emails},
    )
    assert response.status_code == HTTPStatus.OK, response.content
    assert response.json()["emails"] == emails
    assert scim.get(f"Users/{agent.pk}").json()["emails"] == emails
    agent.refresh_from_db()
    # No email is primary, so the first one is the address she signs in with.
    assert agent.email == "lucia@casa.example"


def test_a_sign_in_address_missing_from_the_emails_is_listed_first(scim, agent):
    response = scim.patch(
        f"Users/{agent.pk}",
        patch_body(
            {
                "op": "replace",
                "path": "emails",
                "value": [{"value": "lucia@casa.example", "type": "home", "primary": True}],
            }
        ),
    )
    assert response.status_code == HTTPStatus.OK, response.content
    assert response.json()["emails"] == [
        {"value": agent.email, "type": "work", "primary": False},
        {"value": "lucia@casa.example", "type": "home", "primary": True},
    ]
    assert User.objects.get(pk=agent.pk).email == agent.email  # userName is her address


def test_a_person_no_client_listed_emails_for_has_their_address(scim, agent):
    assert scim.get(f"Users/{agent.pk}").json()["emails"] == [
        {"value": agent.email, "type": "work", "primary": True}
    ]


def test_two_primary_emails_are_invalid_value(scim, agent):
    both = [
        {"value": agent.email, "primary": True},
        {"value": "otra@example.com", "primary": True},
    ]
    response = scim.patch(
        f"Users/{agent.pk}", patch_body({"op": "replace", "path": "emails", "value": both})
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == "invalidValue"


# Members ---------------------------------------------------------------------------------
def test_a_member_keeps_the_label_the_client_gave_it(scim, team, loner):
    member = {
        "value": str(loner.pk),
        "$ref": f"{BASE}Users/{loner.pk}",
        "type": "User",
        "display": "Sol (turno de noche)",
    }
    response = scim.patch(
        f"Groups/{team.pk}", patch_body({"op": "add", "path": "members", "value": [member]})
    )
    assert response.status_code == HTTPStatus.OK, response.content
    assert response.json()["members"] == [member]
    assert scim.get(f"Groups/{team.pk}").json()["members"] == [member]
    assert Membership.objects.current().get(person=loner).team == team


def test_a_member_without_a_label_shows_the_persons_current_name(scim, team, loner):
    scim.patch(
        f"Groups/{team.pk}",
        patch_body({"op": "add", "path": "members", "value": [{"value": str(loner.pk)}]}),
    )
    User.objects.filter(pk=loner.pk).update(full_name="Sol Renombrada")
    (member,) = scim.get(f"Groups/{team.pk}").json()["members"]
    assert member["display"] == "Sol Renombrada"


def test_replacing_the_members_relabels_and_keeps_the_history(scim, team, loner, agent):
    first = [{"value": str(agent.pk), "display": "Lucía"}]
    scim.put(f"Groups/{team.pk}", {"schemas": [GROUP], "displayName": team.name, "members": first})
    second = [{"value": str(loner.pk), "display": "Sol"}]
    response = scim.patch(
        f"Groups/{team.pk}", patch_body({"op": "replace", "path": "members", "value": second})
    )
    assert response.status_code == HTTPStatus.OK
    assert [(m["value"], m["display"]) for m in response.json()["members"]] == [
        (str(loner.pk), "Sol")
    ]
    assert Membership.objects.filter(person=agent, team=team, ended_at__isnull=False).exists()


# Name, displayName, active ---------------------------------------------------------------
def test_a_removed_display_name_is_gone_and_the_name_still_names_the_person(scim):
    created = scim.post(
        "Users",
        {
            "schemas": [USER],
            "userName": "ines@example.com",
            "name": {"givenName": "Inés", "familyName": "Vidal"},
            "displayName": "Inés V.",
        },
    ).json()
    assert (created["name"]["formatted"], created["displayName"]) == ("Inés Vidal", "Inés V.")
    response = scim.patch(
        f"Users/{created['id']}", patch_body({"op": "remove", "path": "displayName"})
    )
    assert response.status_code == HTTPStatus.OK
    assert "displayName" not in response.json()
    assert User.objects.get(pk=created["id"]).full_name == "Inés Vidal"


def test_a_removed_name_is_gone_and_the_display_name_names_the_person(scim):
    created = scim.post(
        "Users",
        {
            "schemas": [USER],
            "userName": "ines@example.com",
            "name": {"formatted": "Inés Vidal Ros"},
            "displayName": "Inés V.",
        },
    ).json()
    response = scim.patch(f"Users/{created['id']}", patch_body({"op": "remove", "path": "name"}))
    assert response.status_code == HTTPStatus.OK
    assert "name" not in response.json()
    assert scim.get(f"Users/{created['id']}").json()["displayName"] == "Inés V."
    assert User.objects.get(pk=created["id"]).full_name == "Inés V."


def test_a_rename_by_hr_shows_in_name_and_display_name(scim):
    created = scim.post(
        "Users", {"schemas": [USER], "userName": "ines@example.com", "displayName": "Inés V."}
    ).json()
    User.objects.filter(pk=created["id"]).update(full_name="Inés Vidal Ros")
    again = scim.get(f"Users/{created['id']}").json()
    assert (again["name"]["formatted"], again["displayName"]) == ("Inés Vidal Ros",) * 2


def test_active_is_required_and_cannot_be_removed(scim, agent):
    schema = scim.get(f"Schemas/{USER}").json()
    (active,) = [a for a in schema["attributes"] if a["name"] == "active"]
    assert active["required"] is True
    response = scim.patch(f"Users/{agent.pk}", patch_body({"op": "remove", "path": "active"}))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == "invalidValue"
    agent.refresh_from_db()
    assert agent.is_active
