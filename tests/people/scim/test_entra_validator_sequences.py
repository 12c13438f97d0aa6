"""Microsoft Entra ID's documented SCIM validator requests (tests/people/scim/entra/*.json),
replayed as published, in the order its provisioning service sends them; plus the quirks
Entra is known for ("Replace" capitalised, active as the string "False", a manager as a bare
id, members removed by value)."""

import json
from http import HTTPStatus
from pathlib import Path

import pytest

from people.models import Membership, Role, User
from provisioning.models import ProvisionedPerson

pytestmark = pytest.mark.django_db

REQUESTS = Path(__file__).parent / "entra"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def body(name, **ids):
    text = (REQUESTS / f"{name}.json").read_text()
    for key, value in ids.items():
        text = text.replace("{" + key + "}", str(value))
    return json.loads(text)


def test_user_operations(scim, hr):
    created = scim.post("Users", body("create_user"))
    assert created.status_code == HTTPStatus.CREATED
    assert created["Content-Type"] == "application/scim+json"
    user = created.json()
    assert user["userName"] == "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1"
    assert user["externalId"] == "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"
    assert user["active"] is True
    person = User.objects.get(pk=user["id"])
    assert person.email == "test_user_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"
    assert person.full_name == "givenName familyName"
    assert person.role_names == {Role.AGENT}

    found = scim.get(
        "Users", {"filter": 'userName eq "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1"'}
    ).json()
    assert found["totalResults"] == 1
    assert found["Resources"][0]["id"] == user["id"]
    none = scim.get("Users", {"filter": 'userName eq "non-existent user"'}).json()
    assert none["totalResults"] == 0
    assert none["Resources"] == []

    multi = scim.patch(f"Users/{user['id']}", body("update_user_multi_valued"))
    assert multi.status_code == HTTPStatus.OK
    assert multi.json()["name"]["familyName"] == "updatedFamilyName"
    person.refresh_from_db()
    assert person.email == "updatedemail@microsoft.com"
    assert person.full_name == "givenName updatedFamilyName"

    single = scim.patch(f"Users/{user['id']}", body("update_user_single_valued"))
    assert single.status_code == HTTPStatus.OK
    assert single.json()["userName"] == "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"
    person.refresh_from_db()
    assert person.email == "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"

    disabled = scim.patch(f"Users/{user['id']}", body("disable_user"))
    assert disabled.status_code == HTTPStatus.OK
    assert disabled.json()["active"] is False
    person.refresh_from_db()
    assert not person.is_active

    deleted = scim.delete(f"Users/{user['id']}")
    assert deleted.status_code == HTTPStatus.NO_CONTENT
    assert scim.get(f"Users/{user['id']}").status_code == HTTPStatus.NOT_FOUND
    assert User.objects.filter(pk=user["id"], is_active=False).exists()  # nothing deleted


def test_group_operations(scim, agent):
    created = scim.post("Groups", body("create_group"))
    assert created.status_code == HTTPStatus.CREATED
    group = created.json()
    assert group["displayName"] == "displayName"
    assert group["externalId"] == "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"

    read = scim.get(f"Groups/{group['id']}", {"excludedAttributes": "members"})
    assert read.status_code == HTTPStatus.OK
    assert "members" not in read.json()
    found = scim.get(
        "Groups", {"excludedAttributes": "members", "filter": 'displayName eq "displayName"'}
    ).json()
    assert [g["id"] for g in found["Resources"]] == [group["id"]]

    renamed = scim.patch(f"Groups/{group['id']}", body("update_group_non_member"))
    assert renamed.status_code == HTTPStatus.OK
    assert renamed.json()["displayName"] == (
        "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"
    )

    old_team = agent.current_team
    added = scim.patch(
        f"Groups/{group['id']}", body("update_group_add_members", member_id=agent.pk)
    )
    assert added.status_code == HTTPStatus.OK
    assert [m["value"] for m in added.json()["members"]] == [str(agent.pk)]
    # A team move, as the HR pages make it: the old stay is closed, not deleted.
    stays = Membership.objects.filter(person=agent).order_by("started_at")
    assert [(m.team_id, m.ended_at is None) for m in stays] == [
        (old_team.pk, False),
        (int(group["id"]), True),
    ]

    removed = scim.patch(
        f"Groups/{group['id']}", body("update_group_remove_members", member_id=agent.pk)
    )
    assert removed.status_code == HTTPStatus.OK
    assert "members" not in removed.json()
    assert not Membership.objects.filter(person=agent, ended_at__isnull=True).exists()
    assert Membership.objects.filter(person=agent).count() == 2

    # A team with a membership history is kept (reports are built from it): 409.
    kept = scim.delete(f"Groups/{group['id']}")
    assert kept.status_code == HTTPStatus.CONFLICT
    # Microsoft's "Delete Group" targets a group of its own: one that never had members goes.
    empty = scim.post("Groups", {**body("create_group"), "displayName": "Vacío"}).json()
    assert scim.delete(f"Groups/{empty['id']}").status_code == HTTPStatus.NO_CONTENT
    assert scim.get(f"Groups/{empty['id']}").status_code == HTTPStatus.NOT_FOUND


def test_active_as_the_string_false_deactivates(scim, agent):
    response = scim.patch(f"Users/{agent.pk}", body("disable_user_string_false"))
    assert response.status_code == HTTPStatus.OK
    assert response.json()["active"] is False
    agent.refresh_from_db()
    assert not agent.is_active


def test_a_manager_sent_as_a_bare_id_leads_the_persons_team(scim, agent, user_factory):
    boss = user_factory(full_name="Marta Jefa")
    response = scim.patch(f"Users/{agent.pk}", body("update_user_manager", manager_id=boss.pk))
    assert response.status_code == HTTPStatus.OK
    extension = response.json()[ENTERPRISE]
    assert extension["manager"]["value"] == str(boss.pk)
    boss = User.objects.get(pk=boss.pk)
    assert boss.is_supervisor
    assert agent.current_team in boss.supervised_teams.all()


def test_no_path_replace_with_a_value_object(scim, agent):
    response = scim.patch(
        f"Users/{agent.pk}",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [
                {
                    "op": "Replace",
                    "value": {
                        "displayName": "Lucía F. Gómez",
                        f"{ENTERPRISE}:employeeNumber": "E-77",
                    },
                }
            ],
        },
    )
    assert response.status_code == HTTPStatus.OK, response.content
    agent.refresh_from_db()
    assert agent.full_name == "Lucía F. Gómez"
    assert agent.employee_number == "E-77"
    assert ProvisionedPerson.objects.filter(person=agent).exists()
