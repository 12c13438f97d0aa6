"""The service checked by clients no one in this project wrote, over HTTP against the live
server: python-scim's compliance checker (scim2-tester) and its client (scim2-client)."""

import httpx2
import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_models import (
    EnterpriseUser,
    Group,
    Name,
    PatchOp,
    PatchOperation,
    SearchRequest,
    UniquenessException,
    User,
)
from scim2_tester import Status, check_server

from people.models import Role
from provisioning.models import ScimClient

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FAILED = {Status.ERROR, Status.CRITICAL}


@pytest.fixture
def remote(live_server, user_factory):
    hr = user_factory(roles=[Role.HR], full_name="Rosa RRHH")
    _, token = ScimClient.issue(name="scim2-tester", by=hr)
    http = httpx2.Client(
        base_url=f"{live_server.url}/scim/v2/",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    client = SyncSCIMClient(http)
    client.discover()
    yield client
    http.close()


def test_the_compliance_checker_finds_no_failure(remote):
    """Every check passes, whatever random values the checker draws: employee numbers as
    long as a GUID, the manager, emails and member labels it writes come back as written,
    and removing name or displayName leaves them unassigned."""
    results = check_server(remote)
    failures = [
        (r.title, r.resource_type, (r.reason or "").splitlines()[0])
        for r in results
        if r.status in FAILED
    ]
    assert results
    assert failures == []


def test_a_client_provisions_and_deactivates_a_person(remote):
    ScimUser = User[EnterpriseUser]
    user = ScimUser(
        user_name="marta.ruiz@example.com", name=Name(given_name="Marta", family_name="Ruiz")
    )
    user[EnterpriseUser] = EnterpriseUser(employee_number="4711")
    created = remote.create(user)
    assert created.id
    assert created.name.formatted == "Marta Ruiz"
    assert created[EnterpriseUser].employee_number == "4711"

    found = remote.query(
        ScimUser, query_parameters=SearchRequest(filter='userName eq "marta.ruiz@example.com"')
    )
    assert [r.id for r in found.resources] == [created.id]

    patch = PatchOp[ScimUser](
        operations=[PatchOperation[ScimUser](op="replace", path="active", value=False)]
    )
    remote.modify(ScimUser, created.id, patch)
    assert remote.query(ScimUser, created.id).active is False

    with pytest.raises(UniquenessException):
        remote.create(ScimUser(user_name="MARTA.RUIZ@example.com"))


def test_a_client_manages_a_team(remote):
    team = remote.create(Group(display_name="Equipo Este"))
    assert team.id
    found = remote.query(
        Group, query_parameters=SearchRequest(filter='displayName eq "Equipo Este"')
    )
    assert [g.id for g in found.resources] == [team.id]
