"""Who must pass a second factor before any page opens (people.policy.must_use_second_factor,
applied by people.two_factor.SecondFactorRequiredMiddleware): HR, supervisors (a setting),
editors and superusers; agents may opt in. Sessions here are Django's own (the marker), so
a force_login is a session that has not passed a second factor."""

from http import HTTPStatus

from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from people.models import Role
from tests.people.second_factor import (
    ENROLS,
    SECRET,
    code_for_a_while,
    enrol_through_the_page,
    has_app,
    sign_in_with_password,
    with_authenticator_app,
)

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]

ENROL = "/cuenta/2fa/totp/activate/"

# Every page that shows other people's records or the admin, by URL name (and the person
# whose records it opens, when it needs one), plus the role's own landing pages.
STAFF_PAGES = [
    ("home", None),
    ("people:hr_home", None),
    ("certification:hr_dashboard", None),
    ("certification:progress_matrix", None),
    ("certification:hr_list", None),
    ("people:failed_emails", None),
    ("people:import_upload", None),
    ("people:person_detail", "agent"),
    ("people:scheduled_reports", None),
    ("certification:team_dashboard", None),
    ("certification:agent_detail", "agent"),
    ("attitude:person_profile", "agent"),
    ("certification:calendar", None),
    ("courses:team_assignments", None),
    ("courses:audit_log", None),
    ("wagtailadmin_home", None),
    ("wagtailadmin_explore_root", None),
    ("wagtailusers_users:index", None),
]


def page_url(name, whose, agent):
    return reverse(name, args=[agent.pk]) if whose else reverse(name)


@pytest.fixture
def person_of(user_factory, team, superuser):
    def make(role):
        if role == "superuser":
            return superuser
        return user_factory(roles=[role], team=team)

    return make


REQUIRED = [Role.HR, Role.SUPERVISOR, Role.EDITOR, "superuser"]


@pytest.mark.parametrize("role", REQUIRED)
def test_staff_without_a_second_factor_are_sent_to_enrol(client, person_of, role):
    person = person_of(role)
    sign_in_with_password(client, person)
    response = client.get(reverse("home"))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == ENROL
    client.cookies["django_language"] = "en"
    page = client.get(response.url)
    assert page.status_code == HTTPStatus.OK
    assert "needs a second step before anything else opens" in page.content.decode()


def test_an_agent_is_not_sent_to_enrol(client, agent):
    sign_in_with_password(client, agent)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("certification:guidance")
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("role", [*REQUIRED, Role.AGENT])
@pytest.mark.parametrize(("name", "whose"), STAFF_PAGES)
def test_every_staff_page_waits_for_the_second_factor(client, person_of, agent, role, name, whose):
    """The matrix: for each role, each staff page either sends the person to enrol first
    (the roles that must) or answers as it always did (an agent: its own 403 or redirect)."""
    person = person_of(role)
    client.force_login(person)
    response = client.get(page_url(name, whose, agent))
    sent_to_enrol = response.status_code == HTTPStatus.FOUND and response.url == ENROL
    assert sent_to_enrol == (role != Role.AGENT)


@ENROLS
@pytest.mark.parametrize("role", REQUIRED)
def test_after_enrolling_the_pages_open(client, person_of, agent, role):
    person = person_of(role)
    sign_in_with_password(client, person)
    secret, response = enrol_through_the_page(client)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("mfa_view_recovery_codes")
    assert has_app(person)
    for name, whose in STAFF_PAGES:
        response = client.get(page_url(name, whose, agent))
        held = response.status_code == HTTPStatus.FOUND and "/cuenta/2fa/" in response.url
        assert not held, name


def test_the_admin_is_closed_before_enrolment(client, editor):
    sign_in_with_password(client, editor)
    for path in ["/admin/", "/admin/pages/", "/admin/documents/"]:
        response = client.get(path)
        assert (response.status_code, response.url) == (HTTPStatus.FOUND, ENROL), path


def test_meanwhile_only_enrolment_sign_out_and_static_answer(client, hr):
    sign_in_with_password(client, hr)
    assert client.get(reverse("mfa_index")).status_code == HTTPStatus.OK
    assert client.get(ENROL).status_code == HTTPStatus.OK
    assert client.get("/health/").status_code != HTTPStatus.FOUND
    assert client.get("/static/css/site.css").status_code == HTTPStatus.OK
    # SCIM (bearer tokens, not sessions) is never sent to enrol.
    assert client.get("/scim/v2/Users").status_code != HTTPStatus.FOUND
    response = client.post(reverse("account_logout"))
    assert response.status_code == HTTPStatus.FOUND
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


@ENROLS
def test_enrolment_leads_back_to_the_page_asked_for(client, hr):
    sign_in_with_password(client, hr)
    client.get(reverse("certification:progress_matrix"))
    enrol_through_the_page(client)
    page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert f'href="{reverse("certification:progress_matrix")}"' in page


def test_a_supervisor_need_not_enrol_when_the_setting_is_off(client, supervisor, settings):
    settings.MFA_REQUIRED_FOR_SUPERVISORS = False
    sign_in_with_password(client, supervisor)
    response = client.get(reverse("certification:team_dashboard"))
    assert response.status_code == HTTPStatus.OK


def test_enrolled_staff_whose_session_skipped_the_code_must_enter_one(client, hr):
    """A session that signed in without the code (no such door in production: the test
    client's force_login) is asked for a code, and only then opens the pages."""
    with_authenticator_app(hr)
    client.force_login(hr)
    target = reverse("people:hr_home")
    response = client.get(target)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("mfa_reauthenticate"))
    response = client.post(response.url, {"code": code_for_a_while(SECRET), "next": target})
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(target).status_code == HTTPStatus.OK


@ENROLS
def test_removing_the_app_sends_required_staff_to_enrol_again(client, hr):
    """Decision: a required person may remove their app (a new phone), and is sent straight
    back to enrol a new one before any other page opens."""
    sign_in_with_password(client, hr)
    enrol_through_the_page(client)
    assert client.get(reverse("people:hr_home")).status_code == HTTPStatus.OK
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == HTTPStatus.FOUND
    assert not has_app(hr)
    response = client.get(reverse("people:hr_home"))
    assert (response.status_code, response.url) == (HTTPStatus.FOUND, ENROL)


@ENROLS
def test_an_agent_may_opt_in_from_the_profile(client, agent):
    sign_in_with_password(client, agent)
    profile = client.get(reverse("attitude:my_profile")).content.decode()
    assert f'href="{reverse("mfa_index")}"' in profile
    enrol_through_the_page(client)
    assert has_app(agent)
    client.post(reverse("account_logout"))
    response = sign_in_with_password(client, agent)
    assert response.url == reverse("mfa_authenticate")


def test_nobody_is_sent_to_enrol_when_enforcement_is_off_and_deploy_refuses_it(
    client, hr, settings
):
    settings.MFA_ENFORCED = False
    sign_in_with_password(client, hr)
    assert client.get(reverse("people:hr_home")).status_code == HTTPStatus.OK
    with pytest.raises(SystemCheckError, match="MFA_ENFORCED"):
        call_command("check", deploy=True, tags=["security"], fail_level="ERROR")


@ENROLS
def test_the_staff_pages_ask_no_more_queries_for_it(client, hr):
    """The requirement costs the page no query once the session has passed: the session,
    already read, says so; the roles are read once per request, as the pages do anyway."""
    sign_in_with_password(client, hr)
    enrol_through_the_page(client)
    client.get(reverse("people:hr_home"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("people:hr_home"))
    assert not any("mfa_authenticator" in query["sql"] for query in queries.captured_queries)
