"""HR's single sign-on rules without a browser: which person a login is, what its claims
change, who is created, which domains cannot use a password, how the environment configures
the IdPs. Logins are allauth's own SocialLogin objects for a configured OIDC app."""

import json
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import translation

import pytest
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialLogin

from people.adapters import SSO_SAML_SESSION_KEY, SocialAccountAdapter
from people.models import Role, Team, User
from people.services import invitation_url
from people.sso import IdentityProvider, SignInEvent, SsoDomain
from people.sso_config import providers, providers_from_environment
from people.sso_login import apply_claims, claim, match_person
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROVIDER = "empresa"


@pytest.fixture
def oidc_app(settings):
    settings.SOCIALACCOUNT_PROVIDERS = providers_from_environment(
        {
            "SSO_OIDC_PROVIDERS": json.dumps(
                [
                    {
                        "id": PROVIDER,
                        "name": "Empresa",
                        "server_url": "https://idp.empresa.test",
                        "client_id": "actitud",
                        "secret": "s",
                    }
                ]
            )
        }
    )


def login(email="ana@empresa.test", verified=True, **claims):
    account = SocialAccount(
        provider=PROVIDER, uid="sub-1", extra_data={"id_token": {"email": email, **claims}}
    )
    return SocialLogin(
        account=account,
        provider=get_adapter().get_provider(None, PROVIDER),
        user=User(email=email),
        email_addresses=[EmailAddress(email=email, verified=verified, primary=True)],
    )


def emails(sociallogin):
    return [a.email for a in sociallogin.email_addresses if a.verified]


# Matching -----------------------------------------------------------------------------------
def test_a_login_is_the_person_with_its_verified_email(user_factory):
    ana = user_factory(email="ana@empresa.test")
    assert match_person(IdentityProvider(), {}, ["ana@empresa.test"]) == ana


def test_an_email_the_idp_does_not_vouch_for_never_matches(oidc_app, user_factory):
    user_factory(email="ana@empresa.test")
    sociallogin = login(verified=False)
    assert match_person(IdentityProvider(), {}, emails(sociallogin)) is None


def test_a_login_is_the_person_with_its_employee_number_unless_hr_turned_it_off(user_factory):
    bruno = user_factory(email="bruno@empresa.test", employee_number="E-200")
    claims = {"employee_number": "E-200"}
    assert match_person(IdentityProvider(), claims, []) == bruno
    assert match_person(IdentityProvider(match_by_employee_number=False), claims, []) is None


def test_the_employee_number_may_come_from_any_of_the_configured_claims(user_factory):
    bruno = user_factory(employee_number="E-200")
    rules = IdentityProvider(employee_number_claim="employeeId, urn:oid:2.16.840.1.113730.3.1.3")
    assert match_person(rules, {"urn:oid:2.16.840.1.113730.3.1.3": "E-200"}, []) == bruno
    assert claim({"b": "2", "a": "1"}, "c, a, b") == "1"
    assert claim({"a": ""}, "a") == ""


# Attribute mapping -------------------------------------------------------------------------
def test_the_claims_set_name_employee_number_and_an_existing_team(user_factory, team):
    ana = user_factory(full_name="Ana")
    rules = IdentityProvider(team_claim="team")
    apply_claims(
        ana, rules, {"name": "Ana Agente", "employee_number": "E-1", "team": "equipo norte"}
    )
    ana.refresh_from_db()
    assert (ana.full_name, ana.employee_number, ana.current_team) == ("Ana Agente", "E-1", team)


def test_an_employee_number_claim_is_kept_whole_up_to_what_the_record_holds(user_factory):
    ana = user_factory(full_name="Ana")
    number = "WID-" + "f" * 32  # a Workday-style worker id: longer than 30 characters
    apply_claims(ana, IdentityProvider(), {"employee_number": number})
    assert User.objects.get(pk=ana.pk).employee_number == number


def test_a_team_hr_did_not_create_or_a_taken_employee_number_changes_nothing(user_factory, team):
    user_factory(employee_number="E-1")
    ana = user_factory(full_name="Ana", roles=[Role.AGENT], team=team)
    apply_claims(ana, IdentityProvider(team_claim="team"), {"employee_number": "E-1", "team": "X"})
    ana.refresh_from_db()
    assert (ana.employee_number, ana.current_team) == ("", team)
    assert not Team.objects.filter(name="X").exists()


def test_without_a_team_claim_sso_never_moves_anyone(user_factory, team, other_team):
    ana = user_factory(roles=[Role.AGENT], team=team)
    apply_claims(ana, IdentityProvider(), {"team": other_team.name})
    assert ana.memberships.current().get().team == team


def test_given_and_family_name_make_the_name_when_there_is_no_name_claim(user_factory):
    ana = user_factory(full_name="Ana")
    apply_claims(ana, IdentityProvider(), {"given_name": "Ana", "family_name": "Agente"})
    assert User.objects.get(pk=ana.pk).full_name == "Ana Agente"


# People created on first sign-in --------------------------------------------------------------
def test_people_are_not_created_on_first_sign_in_unless_hr_says_so(oidc_app, rf):
    adapter = SocialAccountAdapter()
    sociallogin = login()
    assert IdentityProvider._meta.get_field("create_people").default is False
    assert adapter.is_open_for_signup(rf.get("/"), sociallogin) is False
    IdentityProvider.objects.create(provider_id=PROVIDER, create_people=True)
    assert adapter.is_open_for_signup(rf.get("/"), sociallogin) is True


def test_an_unknown_person_is_refused_and_the_refusal_is_audited(oidc_app, rf):
    request = rf.get("/")
    with translation.override("en"), pytest.raises(ImmediateHttpResponse) as refused:
        SocialAccountAdapter().pre_social_login(request, login(email="carla@empresa.test"))
    assert refused.value.response.status_code == 403
    assert b"do not have an account in Actitud" in refused.value.response.content
    event = SignInEvent.objects.get()
    assert (event.provider_id, event.outcome, event.email) == (
        PROVIDER,
        "refused",
        "carla@empresa.test",
    )


def test_a_matched_login_is_connected_to_the_person_and_its_claims_applied(
    oidc_app, rf, user_factory
):
    ana = user_factory(email="ana@empresa.test", full_name="Ana")
    sociallogin = login(name="Ana Agente")
    SocialAccountAdapter().pre_social_login(rf.get("/"), sociallogin)
    assert sociallogin.is_existing and sociallogin.user == ana
    assert SocialAccount.objects.get(provider=PROVIDER, uid="sub-1").user == ana
    assert User.objects.get(pk=ana.pk).full_name == "Ana Agente"


# Domains that must use SSO --------------------------------------------------------------------
@pytest.fixture
def sso_domain(db):
    provider = IdentityProvider.objects.create(provider_id=PROVIDER, label="Empresa")
    return SsoDomain.objects.create(domain=" @Empresa.TEST ", identity_provider=provider)


def test_the_domain_rule_is_found_for_any_case_of_the_address(sso_domain):
    assert sso_domain.domain == "empresa.test"
    assert SsoDomain.objects.for_email("Ana@EMPRESA.test") == sso_domain
    assert SsoDomain.objects.for_email("ana@otra.test") is None
    assert SsoDomain.objects.for_email("") is None


def test_a_password_sign_in_of_an_sso_domain_is_refused_naming_the_button(
    client, sso_domain, user_factory
):
    ana = user_factory(email="ana@empresa.test")
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        response = client.post(
            reverse("account_login"),
            {"login": ana.email, "password": PASSWORD},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert "use the “Sign in with Empresa” button" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_other_domains_still_sign_in_with_a_password(client, sso_domain, user_factory):
    other = user_factory(email="luis@otra.test")
    response = client.post(reverse("account_login"), {"login": other.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_a_password_reset_for_an_sso_domain_is_refused_and_sends_nothing(
    client, sso_domain, user_factory, mailoutbox
):
    ana = user_factory(email="ana@empresa.test")
    response = client.post(reverse("account_reset_password"), {"email": ana.email})
    assert response.status_code == 200
    assert "Empresa" in response.content.decode()
    assert mailoutbox == []


def invitee(email="ana@empresa.test"):
    """Someone HR created with an invitation to choose a password (no password yet)."""
    return User.objects.create_user(email=email, password=None, full_name="Ana")


def test_the_invitation_link_of_an_sso_domain_offers_the_sso_button_not_a_password(
    client, sso_domain, oidc_app
):
    ana = invitee()
    client.cookies["django_language"] = "en"
    link = urlsplit(invitation_url(ana)).path
    response = client.get(link, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "use the “Sign in with Empresa” button" in html
    assert 'type="password"' not in html
    # The button starts the single sign-on itself.
    login_url = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER})
    assert f'action="{login_url}"' in html


def test_the_invitation_link_of_an_sso_domain_never_sets_a_password(client, sso_domain):
    ana = invitee()
    client.cookies["django_language"] = "en"
    page = client.get(urlsplit(invitation_url(ana)).path)
    response = client.post(
        page["Location"], {"password1": "Una-clave-nueva-9", "password2": "Una-clave-nueva-9"}
    )
    assert response.status_code == 200
    assert "use the “Sign in with Empresa” button" in response.content.decode()
    ana.refresh_from_db()
    assert not ana.has_usable_password()
    assert "_auth_user_id" not in client.session


def test_the_invitation_link_of_other_domains_still_sets_a_password(client, sso_domain):
    luis = invitee("luis@otra.test")
    page = client.get(urlsplit(invitation_url(luis)).path)
    response = client.post(
        page["Location"], {"password1": "Una-clave-nueva-9", "password2": "Una-clave-nueva-9"}
    )
    assert response.status_code == 302
    luis.refresh_from_db()
    assert luis.check_password("Una-clave-nueva-9")


def test_someone_of_an_sso_domain_signed_in_through_it_cannot_set_a_password(
    client_for, sso_domain
):
    ana = invitee()
    client = client_for(ana)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("account_set_password"),
        {"password1": "Una-clave-nueva-9", "password2": "Una-clave-nueva-9"},
    )
    assert "use the “Sign in with Empresa” button" in response.content.decode()
    ana.refresh_from_db()
    assert not ana.has_usable_password()


# Configuration --------------------------------------------------------------------------------
def test_the_environment_configures_oidc_and_saml_apps():
    providers = providers_from_environment(
        {
            "SSO_OIDC_PROVIDERS": json.dumps(
                [
                    {
                        "id": "entra",
                        "server_url": "https://login.microsoftonline.com/t/v2.0",
                        "client_id": "c",
                        "secret": "s",
                    }
                ]
            ),
            "SSO_SAML_PROVIDERS": json.dumps(
                [
                    {
                        "id": "okta",
                        "name": "Okta",
                        "entity_id": "http://www.okta.com/x",
                        "metadata_url": "https://empresa.okta.com/app/x/sso/saml/metadata",
                    }
                ]
            ),
        }
    )
    (oidc,) = providers["openid_connect"]["APPS"]
    assert (oidc["provider_id"], oidc["client_id"], oidc["settings"]["server_url"]) == (
        "entra",
        "c",
        "https://login.microsoftonline.com/t/v2.0",
    )
    (saml,) = providers["saml"]["APPS"]
    assert saml["client_id"] == "okta" and saml["settings"]["advanced"]["want_assertion_signed"]
    assert providers_from_environment({}) == {
        "openid_connect": {"APPS": []},
        "saml": {"provider_class": "people.sso_login.SamlProvider", "APPS": []},
    }


def test_the_login_page_lists_the_idps_first_and_lets_their_origin_in_form_action(client, oidc_app):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert html.index("Sign in with Empresa") < html.index('name="password"')
    assert "https://idp.empresa.test" in response["Content-Security-Policy"]


# SAML single logout -----------------------------------------------------------------------------
def saml_app_settings(settings, **idp):
    settings.SOCIALACCOUNT_PROVIDERS = providers(
        [],
        [
            {
                "id": "okta",
                "name": "Okta",
                "entity_id": "https://idp.empresa.test",
                "sso_url": "https://idp.empresa.test/sso",
                "x509cert": "MIIBsuiteIdPcertificate",
                "advanced": {"allow_single_label_domains": True},  # testserver
                **idp,
            }
        ],
    )


def signed_in_through_saml(client, person):
    client.defaults["HTTP_HOST"] = "testserver"  # as browsers send it (allauth's SAML needs it)
    client.force_login(person)
    session = client.session
    session[SSO_SAML_SESSION_KEY] = {
        "provider_id": "okta",
        "name_id": person.email,
        "name_id_format": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        "nq": None,
        "spnq": None,
        "session_index": "_sesion-1",
    }
    session.save()


def test_the_sp_metadata_gives_the_idp_the_acs_and_single_logout_addresses(client, settings):
    saml_app_settings(settings)
    response = client.get("/cuenta/saml/okta/metadata/")
    assert response.status_code == 200
    metadata = response.content.decode()
    assert 'entityID="http://testserver/cuenta/saml/okta/metadata/"' in metadata
    assert 'Location="http://testserver/cuenta/saml/okta/acs/"' in metadata
    assert "SingleLogoutService" in metadata
    assert 'Location="http://testserver/cuenta/saml/okta/sls/"' in metadata


def test_signing_out_of_a_saml_sign_in_sends_a_logout_request_to_the_idp(
    client, settings, user_factory
):
    saml_app_settings(settings, slo_url="https://idp.empresa.test/slo")
    signed_in_through_saml(client, user_factory(email="ana@empresa.test"))
    response = client.post(reverse("account_logout"))
    assert response["Location"] == reverse("people:sso_signed_out")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert 'href="https://idp.empresa.test/slo?SAMLRequest=' in page


def test_an_idp_without_single_logout_service_gets_a_local_sign_out(client, settings, user_factory):
    saml_app_settings(settings)
    signed_in_through_saml(client, user_factory(email="ana@empresa.test"))
    response = client.post(reverse("account_logout"))
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session


# Who edits the rules -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("viewer", "status"),
    [("agent", 302), ("supervisor", 302), ("editor", 302), ("hr", 200), ("superuser", 200)],
)
def test_hr_and_superusers_edit_the_sso_rules_in_the_admin(client_for, request, viewer, status):
    client = client_for(request.getfixturevalue(viewer))
    for model in ("identityprovider", "ssodomain", "signinevent"):
        response = client.get(f"/admin/snippets/people/{model}/")
        assert response.status_code == status, model


def test_anonymous_people_are_sent_to_sign_in_from_the_sso_admin(client):
    response = client.get("/admin/snippets/people/identityprovider/")
    assert response.status_code == 302 and "/cuenta/login/" in response["Location"]


@pytest.mark.parametrize(("viewer", "status"), [("hr", 302), ("superuser", 200)])
def test_only_superusers_configure_the_idp_apps_in_the_admin(client_for, request, viewer, status):
    client = client_for(request.getfixturevalue(viewer))
    for url in (
        "/admin/snippets/socialaccount/socialapp/",
        "/admin/snippets/socialaccount/socialapp/add/",
    ):
        assert client.get(url).status_code == status, url


def test_an_idp_app_in_the_admin_is_oidc_or_saml_with_the_id_of_its_address(client_for, superuser):
    client = client_for(superuser)
    client.cookies["django_language"] = "en"
    data = {"name": "Google", "client_id": "c", "secret": "s", "settings": "{}"}
    response = client.post(
        "/admin/snippets/socialaccount/socialapp/add/", {**data, "provider": "google"}
    )
    assert response.status_code == 200
    response = client.post(
        "/admin/snippets/socialaccount/socialapp/add/", {**data, "provider": "openid_connect"}
    )
    assert response.status_code == 200
    assert not SocialApp.objects.exists()
    response = client.post(
        "/admin/snippets/socialaccount/socialapp/add/",
        {**data, "provider": "openid_connect", "provider_id": "google"},
    )
    assert response.status_code == 302
    assert SocialApp.objects.get().provider_id == "google"


def test_a_saml_app_added_in_the_admin_requires_signed_assertions_as_the_environment_does(
    client_for, superuser
):
    client = client_for(superuser)
    idp = {"entity_id": "https://idp.empresa.test", "metadata_url": "https://idp.empresa.test/m"}
    response = client.post(
        "/admin/snippets/socialaccount/socialapp/add/",
        {
            "provider": "saml",
            "provider_id": "okta",
            "name": "Okta",
            "client_id": "okta",
            "settings": json.dumps({"idp": idp}),
        },
    )
    assert response.status_code == 302
    settings = SocialApp.objects.get().settings
    assert settings["idp"] == idp
    assert settings["advanced"]["want_assertion_signed"] is True
    assert settings["advanced"]["reject_idp_initiated_sso"] is True
