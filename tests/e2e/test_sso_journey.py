"""Journeys through single sign-on, in Chromium, against the suite's real identity providers
(tests/people/sso/idps.py: the certified node `oidc-provider` and a pysaml2 IdP, on loopback):
an agent signs in through each IdP and lands on Inicio; signing out ends the IdP's session
too; a domain that must use SSO cannot sign in or reset with a password; a tampered or expired
SAML assertion, an OIDC ID token for another audience and an unknown person are refused with a
clear page and an audit entry. The pages are checked with axe in Spanish and English."""

import json
from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialApp

from people.models import Role, User
from people.services import invitation_url
from people.sso import IdentityProvider, SignInEvent, SsoDomain
from tests.people.sso.idps import (
    ADMIN_APP_ID,
    OIDC_ID,
    SAML_ID,
    SECRET,
    WRONG_AUDIENCE_ID,
    saml_sp,
)

from .conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def ana(user_factory, team):
    """An agent HR created, known to both IdPs by this email address."""
    return user_factory(
        roles=[Role.AGENT], team=team, full_name="Ana", email="ana.agente@empresa.test"
    )


def in_language(page, language):
    # The first page of a test process also loads the URLs and templates: on a busy machine
    # that takes longer than the usual 10 seconds.
    page.goto("/cuenta/login/", timeout=30_000)
    origin = page.url.split("/cuenta/")[0]
    page.context.add_cookies([{"name": "django_language", "value": language, "url": origin + "/"}])
    page.goto("/cuenta/login/")


def sign_in_at_oidc_idp(page, login):
    """oidc-provider's own sign-in form (devInteractions: any password)."""
    page.wait_for_selector("input[name=login]")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any")
    page.click("button[type=submit]")


def sign_in_at_saml_idp(page, username):
    page.wait_for_selector("input[name=username]")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "any")
    page.click("button[type=submit]")


def test_an_agent_signs_in_through_the_oidc_idp_lands_on_inicio_and_signs_out_of_both(
    page, sso_apps, ana
):
    in_language(page, "en")
    buttons = page.locator("main .sso-button")
    assert buttons.first.inner_text() == "Sign in with Empresa"
    assert page.locator("main button").first.inner_text().startswith("Sign in with")
    page.get_by_role("button", name="Sign in with Empresa", exact=True).click()
    sign_in_at_oidc_idp(page, "ana")
    page.wait_for_url("**/inicio/")
    ana.refresh_from_db()
    assert ana.full_name == "Ana Agente" and ana.employee_number == "E-100"
    event = SignInEvent.objects.get()
    assert (event.provider_id, event.outcome, event.person) == (OIDC_ID, "signed_in", ana)

    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    # Actitud's session is over; the IdP asks to confirm the end of its own (RP-initiated).
    confirm = page.get_by_role("button", name="Yes, sign me out")
    confirm.wait_for()
    assert page.url.startswith(sso_apps["openid_connect"]["APPS"][0]["settings"]["server_url"])
    confirm.click()
    page.wait_for_url("**/cuenta/login/")
    page.goto("/inicio/")
    assert "/cuenta/login/" in page.url
    # The IdP's session ended too: signing in again asks for the company password.
    page.get_by_role("button", name="Sign in with Empresa", exact=True).click()
    page.wait_for_selector("input[name=login]")


def test_an_agent_signs_in_through_the_saml_idp_and_the_attributes_set_the_team(
    page, sso_apps, ana, other_team
):
    IdentityProvider.objects.create(
        provider_id=SAML_ID, label="Empresa SAML", team_claim="urn:oid:2.5.4.11"
    )
    other_team.name = "Equipo Norte Bis"
    other_team.save()
    in_language(page, "en")
    page.get_by_role("button", name="Sign in with Empresa SAML").click()
    sign_in_at_saml_idp(page, "ana")
    page.wait_for_url("**/inicio/")
    ana.refresh_from_db()
    assert (ana.full_name, ana.employee_number) == ("Ana Agente", "E-100")
    assert ana.current_team.name == "Equipo Norte"
    event = SignInEvent.objects.get()
    assert (event.provider_id, event.outcome, event.person) == (SAML_ID, "signed_in", ana)


def test_an_oidc_app_a_superuser_adds_in_the_admin_shows_its_button_and_signs_an_agent_in(
    page, oidc_idp, ana, superuser, client
):
    """No IdP in the environment: the superuser adds one in the Wagtail admin (allauth's
    SocialApp record), and the sign-in page offers it and signs Ana in through it."""
    client.force_login(superuser)
    response = client.post(
        "/admin/snippets/socialaccount/socialapp/add/",
        {
            "provider": "openid_connect",
            "provider_id": ADMIN_APP_ID,
            "name": "Empresa Admin",
            "client_id": ADMIN_APP_ID,
            "secret": SECRET,
            "settings": json.dumps({"server_url": oidc_idp.issuer}),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    app = SocialApp.objects.get()
    assert (app.provider, app.provider_id) == ("openid_connect", ADMIN_APP_ID)

    in_language(page, "es")
    assert page.locator("main .sso-button").all_inner_texts() == ["Entrar con Empresa Admin"]
    page.get_by_role("button", name="Entrar con Empresa Admin").click()
    sign_in_at_oidc_idp(page, "ana")
    page.wait_for_url("**/inicio/")
    event = SignInEvent.objects.get()
    assert (event.provider_id, event.outcome, event.person) == (ADMIN_APP_ID, "signed_in", ana)
    ana.refresh_from_db()
    assert ana.full_name == "Ana Agente"


def test_a_domain_that_must_use_sso_cannot_sign_in_or_reset_with_a_password(page, sso_apps, ana):
    provider = IdentityProvider.objects.create(provider_id=OIDC_ID, label="Empresa")
    SsoDomain.objects.create(domain="empresa.test", identity_provider=provider)
    in_language(page, "en")
    page.fill("input[name=login]", ana.email)
    page.fill("input[name=password]", "una-clave-de-prueba-9")
    page.click("main form[action='/cuenta/login/'] button[type=submit]")
    alert = page.get_by_text("use the “Sign in with Empresa” button")
    alert.wait_for()
    assert "/cuenta/login/" in page.url
    assert axe_violations(page) == []

    page.goto("/cuenta/password/reset/")
    page.fill("input[name=email]", ana.email)
    page.click("main button[type=submit]")
    page.get_by_text("use the “Sign in with Empresa” button").wait_for()
    assert "/cuenta/password/reset/" in page.url


def test_an_agent_signs_out_after_a_saml_sign_in_and_the_idp_ends_its_session_too(
    page, sso_apps, saml_idp, ana
):
    """SP-initiated single logout: Actitud ends its session, sends the IdP a LogoutRequest
    for Ana's NameID and SessionIndex, and the IdP answers at Actitud's SLS address."""
    saml_idp.sessions.clear()
    saml_idp.logout_requests.clear()
    in_language(page, "en")
    page.get_by_role("button", name="Sign in with Empresa SAML").click()
    sign_in_at_saml_idp(page, "ana")
    page.wait_for_url("**/inicio/")
    assert list(saml_idp.sessions.values()) == ["ana"]

    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/cuenta/login/")
    (logout_request,) = saml_idp.logout_requests
    assert logout_request["name_id"] == ana.email
    assert len(logout_request["session_indexes"]) == 1
    assert saml_idp.sessions == {}
    page.goto("/inicio/")
    assert "/cuenta/login/" in page.url
    # The IdP's session ended too: signing in again asks for the company password.
    page.get_by_role("button", name="Sign in with Empresa SAML").click()
    page.wait_for_selector("input[name=username]")


def test_signing_out_at_the_saml_idp_ends_the_actitud_session(page, sso_apps, saml_idp, ana):
    """IdP-initiated logout: the IdP sends the browser to Actitud's SLS with a LogoutRequest
    for Ana; Actitud ends her session and answers the IdP with a LogoutResponse."""
    saml_idp.logout_responses.clear()
    in_language(page, "en")
    page.get_by_role("button", name="Sign in with Empresa SAML").click()
    sign_in_at_saml_idp(page, "ana")
    page.wait_for_url("**/inicio/")
    entity_id, _, sls = saml_sp(page.url.split("/inicio/")[0])
    page.goto(saml_idp.logout_request_url(sls, entity_id, "ana"))
    page.wait_for_url(f"{saml_idp.url}/slo/redirect?*")
    assert len(saml_idp.logout_responses) == 1
    page.goto("/inicio/")
    assert "/cuenta/login/" in page.url


@pytest.mark.parametrize(("mode", "reason"), [("tampered", "signature"), ("expired", "expired")])
def test_a_tampered_or_expired_saml_assertion_is_refused_with_a_page_and_an_audit_entry(
    page, sso_apps, saml_mode, ana, mode, reason
):
    saml_mode(mode)
    in_language(page, "en")
    page.get_by_role("button", name="Sign in with Empresa SAML").click()
    sign_in_at_saml_idp(page, "ana")
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    assert heading.inner_text() == "We could not sign you in"
    assert "could not be trusted" in page.locator("main").inner_text()
    event = SignInEvent.objects.get()
    assert (event.provider_id, event.outcome) == (SAML_ID, "refused")
    assert reason in event.reason.lower()
    page.goto("/inicio/")
    assert "/cuenta/login/" in page.url


def test_an_oidc_id_token_for_another_audience_is_refused_with_a_page_and_an_audit_entry(
    page, sso_apps, ana
):
    in_language(page, "en")
    page.get_by_role("button", name="Sign in with Otra app").click()
    sign_in_at_oidc_idp(page, "ana")
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    assert heading.inner_text() == "We could not sign you in"
    event = SignInEvent.objects.get()
    assert (event.provider_id, event.outcome) == (WRONG_AUDIENCE_ID, "refused")
    assert "audience" in event.reason.lower()
    page.goto("/inicio/")
    assert "/cuenta/login/" in page.url


def test_someone_the_idp_knows_but_actitud_does_not_is_refused_when_people_are_not_created(
    page, sso_apps
):
    in_language(page, "en")
    page.get_by_role("button", name="Sign in with Empresa", exact=True).click()
    sign_in_at_oidc_idp(page, "carla")
    page.get_by_role("heading", name="We could not sign you in").wait_for()
    assert "do not have an account in Actitud" in page.locator("main").inner_text()
    event = SignInEvent.objects.get()
    assert (event.outcome, event.email, event.reason) == (
        "refused",
        "carla.nueva@empresa.test",
        "unknown person",
    )


def test_with_people_created_on_first_sign_in_a_new_agent_joins_the_claimed_team(
    page, sso_apps, team
):
    IdentityProvider.objects.create(provider_id=OIDC_ID, create_people=True, team_claim="team")
    in_language(page, "en")
    page.get_by_role("button", name="Sign in with Empresa", exact=True).click()
    sign_in_at_oidc_idp(page, "carla")
    page.wait_for_url("**/inicio/")
    event = SignInEvent.objects.get()
    carla = event.person
    assert event.outcome == "created"
    assert (carla.email, carla.full_name, carla.employee_number) == (
        "carla.nueva@empresa.test",
        "Carla Nueva",
        "E-300",
    )
    assert carla.role_names == {Role.AGENT} and carla.current_team == team
    assert not carla.has_usable_password()


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_sso_pages_pass_axe(page, sso_apps, language):
    in_language(page, language)
    assert page.locator("main .sso-button").count() == 3
    assert axe_violations(page) == [], "login"
    page.locator("main .sso-button").first.click()
    sign_in_at_oidc_idp(page, "carla")
    page.get_by_role("heading", level=1).wait_for()
    assert "/cuenta/oidc/" in page.url
    assert axe_violations(page) == [], "refused"


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_sso_signed_out_and_password_refusal_pages_pass_axe(
    page, sso_apps, oidc_idp, ana, user_factory, language
):
    in_language(page, language)
    # The IdP's end-session endpoint answers 204, so the browser stays on the signed-out
    # page that sends it there.
    page.route(f"{oidc_idp.issuer}/session/end**", lambda route: route.fulfill(status=204))
    page.click(f"main form[action='/cuenta/oidc/{OIDC_ID}/login/'] button")
    sign_in_at_oidc_idp(page, "ana")
    page.wait_for_url("**/inicio/")
    page.locator(".account-menu summary").click()
    page.click(".account-menu form[action='/cuenta/logout/'] button")
    page.wait_for_url("**/cuenta/sso/salida/")
    page.get_by_role("heading", level=1).wait_for()
    assert page.locator(f"main a[href^='{oidc_idp.issuer}/session/end']").count() == 1
    assert axe_violations(page) == [], "signed out"

    # allauth's page for a sign-in address opened by a link rather than the button.
    page.goto(f"/cuenta/oidc/{OIDC_ID}/login/")
    page.get_by_role("heading", level=1).wait_for()
    assert axe_violations(page) == [], "continue to the IdP"

    # The invitation link of a domain that must use SSO.
    provider = IdentityProvider.objects.create(provider_id=OIDC_ID, label="Empresa")
    SsoDomain.objects.create(domain="empresa.test", identity_provider=provider)
    newcomer = User.objects.create_user(email="nuevo@empresa.test", full_name="Nuevo")
    page.goto(urlsplit(invitation_url(newcomer)).path)
    page.locator("main .sso-button").wait_for()
    assert page.locator("main input[type=password]").count() == 0
    assert axe_violations(page) == [], "invitation refused"
