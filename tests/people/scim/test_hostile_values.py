"""What a hostile or careless client sends in a SCIM string — a value longer than the record
holds, a NUL character — is refused with 400 invalidValue and nothing is written, on every
attribute the service stores, on SQLite and on PostgreSQL (which refuses NUL in text and
over-long values with a database error, a 500, unless the service checks first)."""

import pytest

from people.models import Team, User
from provisioning.models import ProvisionedMembership, ProvisionedPerson, ProvisionedTeam

pytestmark = pytest.mark.django_db

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LONG = "A" * 5001


def user(**changes):
    body = {
        "schemas": [USER, ENTERPRISE],
        "userName": "nueva.persona@example.com",
        "name": {"givenName": "Nueva", "familyName": "Persona"},
        "displayName": "Nueva Persona",
        "externalId": "ext-1",
        "emails": [{"value": "nueva.persona@example.com", "type": "work", "primary": True}],
        ENTERPRISE: {"employeeNumber": "E-1"},
    }
    for path, value in changes.items():
        target = body
        *parents, leaf = path.split(".")
        for parent in parents:
            target = target[ENTERPRISE if parent == "enterprise" else parent]
        target[leaf] = value
    return body


USER_FIELDS = [
    "userName",
    "displayName",
    "externalId",
    "name.givenName",
    "name.familyName",
    "name.formatted",
    "enterprise.employeeNumber",
]


@pytest.mark.parametrize("value", [LONG, "Nue\0va"], ids=["overlong", "nul"])
@pytest.mark.parametrize("field", USER_FIELDS)
def test_a_hostile_user_value_is_invalid_value_and_nothing_is_created(scim, field, value):
    if field == "userName" and value == LONG:
        value = "a" * 5001 + "@example.com"
    response = scim.post("Users", user(**{field: value}))
    assert response.status_code == 400, response.content[:300]
    assert response.json()["scimType"] == "invalidValue"
    assert not ProvisionedPerson.objects.exists()
    assert not User.objects.filter(email__startswith="nueva").exists()


@pytest.mark.parametrize("value", [LONG, "Nue\0va"], ids=["overlong", "nul"])
@pytest.mark.parametrize("field", ["displayName", "externalId", "name.givenName"])
def test_a_hostile_value_in_a_put_leaves_the_person_as_they_were(scim, agent, field, value):
    before = (agent.full_name, agent.email)
    body = user(**{field: value}) | {"userName": agent.email}
    body["emails"] = [{"value": agent.email, "primary": True}]
    response = scim.put(f"Users/{agent.pk}", body)
    assert response.status_code == 400, response.content[:300]
    agent.refresh_from_db()
    assert (agent.full_name, agent.email) == before


@pytest.mark.parametrize("value", [LONG, "Equipo\0"], ids=["overlong", "nul"])
@pytest.mark.parametrize("field", ["displayName", "externalId"])
def test_a_hostile_group_value_is_invalid_value_and_no_team_is_created(scim, field, value):
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName": "Equipo nuevo",
        field: value,
    }
    before = Team.objects.count()
    response = scim.post("Groups", body)
    assert response.status_code == 400, response.content[:300]
    assert response.json()["scimType"] == "invalidValue"
    assert Team.objects.count() == before
    assert not ProvisionedTeam.objects.exists()


@pytest.mark.parametrize("value", [LONG, "Rosa\0"], ids=["overlong", "nul"])
def test_a_hostile_member_label_is_refused(scim, team, agent, value):
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [
            {"op": "add", "path": "members", "value": [{"value": str(agent.pk), "display": value}]}
        ],
    }
    response = scim.patch(f"Groups/{team.pk}", body)
    assert response.status_code == 400, response.content[:300]
    assert not ProvisionedMembership.objects.exists()


def test_a_filter_with_a_nul_is_refused_not_a_server_error(scim):
    response = scim.get("Users", {"filter": 'userName eq "a\0b"'})
    assert response.status_code == 400, response.content[:300]


@pytest.mark.parametrize("path", ["Users/%00", "Groups/1%00", "Users/" + "9" * 30, "%00"])
def test_a_hostile_path_is_answered_and_audited(scim, scim_client, path):
    response = scim.get(path)
    assert response.status_code in (400, 404), response.content[:300]
    assert scim_client.requests.filter(status=response.status_code).exists()
