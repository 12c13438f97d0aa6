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


ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
UNEXPECTED = "PATCH modify() returned unexpected value for '{}'."
TOO_LONG = "employeeNumber is longer than 30 characters"
# What the checker still reports, each one a limit of what a person or a team stores: its
# random employeeNumber is longer than people.User.employee_number holds (refused with
# invalidValue), one email, a manager and members the checker sends as random people or
# groups.
KNOWN_FAILURES = sorted(
    [
        ("object_query_with_attributes", TOO_LONG),
        ("object_list_with_attributes", TOO_LONG),
        ("search_with_attributes", TOO_LONG),
        ("object_replacement", TOO_LONG),
        ("check_add_attribute", f"Failed to add attribute '{ENTERPRISE}': {TOO_LONG}"),
        (
            "check_add_attribute",
            f"Failed to add attribute '{ENTERPRISE}:employeeNumber': {TOO_LONG}",
        ),
        ("check_add_attribute", UNEXPECTED.format(f"{ENTERPRISE}:manager")),
        ("check_add_attribute", UNEXPECTED.format("members")),
        ("check_remove_attribute", TOO_LONG),
        ("check_replace_attribute", UNEXPECTED.format("emails")),
        ("check_replace_attribute", f"Failed to replace attribute '{ENTERPRISE}': {TOO_LONG}"),
        (
            "check_replace_attribute",
            f"Failed to replace attribute '{ENTERPRISE}:employeeNumber': {TOO_LONG}",
        ),
        ("check_replace_attribute", UNEXPECTED.format(f"{ENTERPRISE}:manager")),
        ("check_replace_attribute", UNEXPECTED.format("members")),
    ]
)


def test_the_compliance_checker_finds_only_the_known_failures(remote):
    """Only known failures: a new one fails this test. The checker draws random values, so a
    run may hit fewer of the known ones (an employee number short enough, say); drop a known
    failure once it never shows, and the xfail once none is left."""
    results = check_server(remote)
    failures = sorted(
        (r.title, (r.reason or "").splitlines()[0]) for r in results if r.status in FAILED
    )
    assert results
    assert [failure for failure in failures if failure not in KNOWN_FAILURES] == []
    pytest.xfail(
        "scim2-tester 0.5.2 still reports "
        + "; ".join(f"{title}: {reason}" for title, reason in KNOWN_FAILURES)
    )


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
