"""The SCIM endpoints' rules and every error path: tokens, uniqueness, filters, PATCH
targets, versions, deactivation (history kept, sessions ended, the last HR account kept),
and query counts that do not grow with the data."""

from http import HTTPStatus

from django.test import Client
from django.urls import reverse

import pytest

from people.models import Membership, OutgoingEmail, Role, User
from provisioning.models import ScimClient, ScimRequest

pytestmark = pytest.mark.django_db

PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"


def patch_body(*operations):
    return {"schemas": [PATCH], "Operations": list(operations)}


@pytest.mark.parametrize("header", [None, "Bearer nope", "Bearer scim_nope", "Basic dXNlcjpwYXNz"])
def test_a_missing_or_bad_token_is_401_with_www_authenticate(client, scim_client, header):
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/scim/v2/Users", **headers)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == "401"


def test_a_revoked_token_is_refused(scim, scim_client):
    assert scim.get("Users").status_code == HTTPStatus.OK
    scim_client.revoke()
    assert scim.get("Users").status_code == HTTPStatus.UNAUTHORIZED


def test_only_the_tokens_hash_is_stored(scim_client):
    stored = ScimClient.objects.get(pk=scim_client.pk)
    assert scim_client.token not in (stored.token_hash, stored.token_hint, stored.name)
    assert len(stored.token_hash) == 64


def test_writes_need_no_csrf_token(scim_client, agent):
    strict = Client(enforce_csrf_checks=True)
    response = strict.patch(
        f"/scim/v2/Users/{agent.pk}",
        data=patch_body({"op": "replace", "path": "displayName", "value": "Lucía Gómez"}),
        content_type="application/scim+json",
        HTTP_AUTHORIZATION=f"Bearer {scim_client.token}",
    )
    assert response.status_code == HTTPStatus.OK


def test_each_request_is_audited_and_marks_the_client_used(scim, scim_client, agent):
    scim.get(f"Users/{agent.pk}")
    scim.get("Users/999999")
    rows = list(ScimRequest.objects.order_by("at").values_list("method", "resource", "status"))
    assert rows == [("GET", f"Users/{agent.pk}", 200), ("GET", "Users/999999", 404)]
    scim_client.refresh_from_db()
    assert scim_client.last_used_at is not None


def test_discovery(scim):
    config = scim.get("ServiceProviderConfig")
    assert config["Content-Type"] == "application/scim+json"
    assert config.json()["patch"]["supported"] is True
    assert config.json()["etag"]["supported"] is True
    types = {t["id"]: t for t in scim.get("ResourceTypes").json()["Resources"]}
    assert types.keys() == {"User", "Group"}
    assert types["User"]["schemaExtensions"][0]["schema"] == (
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    )
    schemas = [s["id"] for s in scim.get("Schemas").json()["Resources"]]
    assert USER in schemas
    assert scim.get(f"Schemas/{USER}").json()["id"] == USER


def test_a_created_person_is_an_agent_without_an_invitation(scim, mailoutbox):
    response = scim.post(
        "Users",
        {
            "schemas": [USER],
            "userName": "Pedro.Soto@Example.com",
            "name": {"givenName": "Pedro", "familyName": "Soto"},
            "externalId": "hr-42",
        },
    )
    assert response.status_code == HTTPStatus.CREATED
    assert response["ETag"] == response.json()["meta"]["version"]
    assert response["Location"] == response.json()["meta"]["location"]
    person = User.objects.get(email="pedro.soto@example.com")
    assert person.full_name == "Pedro Soto"
    assert person.role_names == {Role.AGENT}
    assert not person.has_usable_password()
    assert mailoutbox == []
    assert not OutgoingEmail.objects.exists()
    assert person.emailaddress_set.get().verified


def test_a_duplicate_username_is_409_uniqueness(scim, agent):
    response = scim.post("Users", {"schemas": [USER], "userName": agent.email.upper()})
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["scimType"] == "uniqueness"


def test_invalid_json_is_invalid_syntax(scim):
    response = scim.post("Users", "{not json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == "invalidSyntax"


def test_filters(scim, agent, team, user_factory):
    user_factory(full_name="Otra Persona")
    by_name = scim.get("Users", {"filter": f'userName eq "{agent.email.upper()}"'}).json()
    assert [r["id"] for r in by_name["Resources"]] == [str(agent.pk)]
    groups = scim.get("Groups", {"filter": 'displayName eq "Equipo Norte"'}).json()
    assert [g["id"] for g in groups["Resources"]] == [str(team.pk)]


@pytest.mark.parametrize(
    "expression",
    ['nickName eq "x"', 'userName sw "a"', 'userName eq "a" or userName eq "b"', "userName eq"],
)
def test_an_unsupported_filter_is_invalid_filter(scim, expression):
    response = scim.get("Users", {"filter": expression})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == "invalidFilter"


def test_pagination(scim, user_factory):
    for _ in range(5):
        user_factory()
    page = scim.get("Users", {"startIndex": 2, "count": 2}).json()
    assert page["totalResults"] == User.objects.count() == 6  # five and the HR fixture
    assert page["startIndex"] == 2
    assert page["itemsPerPage"] == 2
    everyone = [r["id"] for r in scim.get("Users").json()["Resources"]]
    assert [r["id"] for r in page["Resources"]] == everyone[1:3]


def test_a_patch_of_an_unknown_attribute_is_refused(scim, agent):
    response = scim.patch(
        f"Users/{agent.pk}", patch_body({"op": "replace", "path": "shoeSize", "value": "42"})
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == "invalidPath"


def test_removing_a_member_that_is_not_one_is_no_target(scim, team, agent):
    response = scim.patch(
        f"Groups/{team.pk}",
        patch_body({"op": "replace", "path": 'members[value eq "999"].display', "value": "x"}),
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == "noTarget"


def test_if_match_guards_writes(scim, agent):
    version = scim.get(f"Users/{agent.pk}")["ETag"]
    body = patch_body({"op": "replace", "path": "displayName", "value": "Lucía Gómez"})
    stale = scim.patch(f"Users/{agent.pk}", body, HTTP_IF_MATCH='W/"stale"')
    assert stale.status_code == HTTPStatus.PRECONDITION_FAILED
    fresh = scim.patch(f"Users/{agent.pk}", body, HTTP_IF_MATCH=version)
    assert fresh.status_code == HTTPStatus.OK
    assert fresh["ETag"] != version
    assert scim.get(f"Users/{agent.pk}", HTTP_IF_NONE_MATCH=fresh["ETag"]).status_code == 304


def test_deactivation_keeps_the_history_and_ends_the_session(scim, agent, hr):
    browser = Client()
    browser.force_login(agent)
    response = scim.patch(
        f"Users/{agent.pk}", patch_body({"op": "Replace", "path": "active", "value": "False"})
    )
    assert response.status_code == HTTPStatus.OK
    agent.refresh_from_db()
    assert not agent.is_active
    assert Membership.objects.filter(person=agent, ended_at__isnull=True).exists()
    page = browser.get(reverse("people:notifications"))
    assert page.status_code == HTTPStatus.FOUND


def test_the_last_active_hr_account_cannot_be_deactivated(scim, hr):
    body = patch_body({"op": "replace", "value": {"active": False}})
    refused = scim.patch(f"Users/{hr.pk}", body)
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert refused.json()["scimType"] == "invalidValue"
    assert scim.delete(f"Users/{hr.pk}").status_code == HTTPStatus.BAD_REQUEST
    hr.refresh_from_db()
    assert hr.is_active


def test_another_hr_account_lets_one_go(scim, hr, user_factory):
    user_factory(roles=[Role.HR])
    body = patch_body({"op": "replace", "value": {"active": False}})
    assert scim.patch(f"Users/{hr.pk}", body).status_code == HTTPStatus.OK


def test_delete_deactivates_and_a_new_create_brings_the_person_back(scim, agent):
    assert scim.delete(f"Users/{agent.pk}").status_code == HTTPStatus.NO_CONTENT
    assert scim.get(f"Users/{agent.pk}").status_code == HTTPStatus.NOT_FOUND
    assert User.objects.filter(pk=agent.pk, is_active=False).exists()
    back = scim.post("Users", {"schemas": [USER], "userName": agent.email, "active": True})
    assert back.status_code == HTTPStatus.CREATED
    assert back.json()["id"] == str(agent.pk)
    assert User.objects.get(pk=agent.pk).is_active


def test_put_replaces_the_person(scim, agent):
    response = scim.put(
        f"Users/{agent.pk}",
        {
            "schemas": [USER],
            "userName": "lucia.nueva@example.com",
            "name": {"formatted": "Lucía Nueva"},
            "active": True,
        },
    )
    assert response.status_code == HTTPStatus.OK
    agent.refresh_from_db()
    assert (agent.email, agent.full_name) == ("lucia.nueva@example.com", "Lucía Nueva")


@pytest.mark.parametrize("endpoint", ["Users", "Groups"])
def test_list_queries_do_not_grow_with_the_data(
    scim, user_factory, team, django_assert_max_num_queries, endpoint
):
    def grow(n):
        for _ in range(n):
            user_factory(roles=[Role.AGENT], team=team)

    grow(2)
    with django_assert_max_num_queries(8):
        assert scim.get(endpoint).status_code == HTTPStatus.OK
    grow(20)
    with django_assert_max_num_queries(8):
        assert scim.get(endpoint).status_code == HTTPStatus.OK


SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"


def search_body(**parameters):
    return {"schemas": [SEARCH], **parameters}


def test_a_search_by_post_filters_and_pages_like_a_get(scim, agent, user_factory):
    for _ in range(3):
        user_factory()
    found = scim.post(
        "Users/.search", search_body(filter=f'userName eq "{agent.email}"', attributes=["userName"])
    )
    assert found.status_code == HTTPStatus.OK
    assert found.json()["Resources"] == [
        {"schemas": [USER], "id": str(agent.pk), "userName": agent.email}
    ]
    page = scim.post("Users/.search", search_body(startIndex=2, count=2)).json()
    assert page["totalResults"] == User.objects.count()
    assert [r["id"] for r in page["Resources"]] == [
        r["id"] for r in scim.get("Users", {"startIndex": 2, "count": 2}).json()["Resources"]
    ]


def test_a_search_leaves_out_the_excluded_attributes(scim, team):
    found = scim.post("Groups/.search", search_body(excludedAttributes=["displayName"])).json()
    assert [g["id"] for g in found["Resources"]] == [str(team.pk)]
    assert "displayName" not in found["Resources"][0]


def test_a_root_search_answers_users_then_groups(scim, hr, team):
    everything = scim.post(".search", search_body(attributes=["externalId"])).json()
    assert everything["totalResults"] == User.objects.count() + 1
    assert [(r["schemas"], r["id"]) for r in everything["Resources"]][-1] == (
        ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        str(team.pk),
    )
    groups_only = scim.post(".search", search_body(filter='displayName eq "Equipo Norte"')).json()
    assert [r["id"] for r in groups_only["Resources"]] == [str(team.pk)]
    second_page = scim.post(".search", search_body(startIndex=2, count=5)).json()
    assert [r["id"] for r in second_page["Resources"]] == [
        r["id"] for r in everything["Resources"]
    ][1:6]


def test_a_search_refuses_a_filter_no_type_answers_and_a_get(scim):
    refused = scim.post(".search", search_body(filter='nickName eq "x"'))
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert refused.json()["scimType"] == "invalidFilter"
    assert scim.get("Users/.search").status_code == HTTPStatus.METHOD_NOT_ALLOWED


@pytest.mark.parametrize("endpoint", [".search", "Users/.search"])
def test_search_queries_do_not_grow_with_the_data(
    scim, user_factory, team, django_assert_max_num_queries, endpoint
):
    def grow(n):
        for _ in range(n):
            user_factory(roles=[Role.AGENT], team=team)

    grow(2)
    with django_assert_max_num_queries(12):
        assert scim.post(endpoint, search_body()).status_code == HTTPStatus.OK
    grow(20)
    with django_assert_max_num_queries(12):
        assert scim.post(endpoint, search_body()).status_code == HTTPStatus.OK


def test_an_employee_number_too_long_to_keep_is_invalid_value(scim):
    enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    limit = User._meta.get_field("employee_number").max_length
    response = scim.post(
        "Users",
        {
            "schemas": [USER, enterprise],
            "userName": "largo@example.com",
            enterprise: {"employeeNumber": "9" * (limit + 1)},
        },
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == "invalidValue"
    assert not User.objects.filter(email="largo@example.com").exists()
