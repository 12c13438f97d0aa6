from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

INVITATION = "people/email/invitation"

APP = "allauth.account"


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by HR, never by signing up; account emails are rendered here and
    sent by the task queue."""

    def is_open_for_signup(self, request):
        return False

    def pre_authenticate(self, request, **credentials):
        """An address of a domain that must use single sign-on is refused before its password
        is checked, with the button to use instead (people.sso.SsoDomain).

        A failed sign-in counts against the account from this address
        (`login_failed_from_address`), the account from anywhere and the address
        (`login_failed`, allauth's own); an attempt refused by any limit uses up none of them,
        so a guesser hammering a locked account does not lock a floor out, and a successful
        sign-in gives all three back (allauth rolls back `_login_failed_rl_usage`)."""
        from .sso import refuse_password

        refuse_password(credentials.get("email"))
        account_key = self._get_login_attempts_cache_key(request, **credentials)
        address_key = f"{ratelimit.get_ip(request)}|{account_key}"
        limits = [("login_failed_from_address", address_key), ("login_failed", account_key)]
        for action, key in limits:
            if not ratelimit.consume(request, app=APP, action=action, key=key, dry_run=True):
                raise self.validation_error("too_many_login_attempts")
        from_address = ratelimit.consume(
            request, app=APP, action="login_failed_from_address", key=address_key
        )
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            if from_address:
                from_address.rollback()
            raise
        if from_address and self._login_failed_rl_usage:
            self._login_failed_rl_usage.usage.extend(from_address.usage)

    def _delete_login_attempts_cached_email(self, request, **credentials):
        """A password reset clears the account's failures, from this address too."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        account_key = self._get_login_attempts_cache_key(request, **credentials)
        ratelimit.clear(
            request,
            app=APP,
            action="login_failed_from_address",
            key=f"{ratelimit.get_ip(request)}|{account_key}",
        )

    def send_mail(self, template_prefix, email, context):
        from .services import queue_email

        message = self.render_mail(
            template_prefix, email, {"email": email, "site_url": settings.SITE_URL, **context}
        )
        invited = context.get("person") if template_prefix == INVITATION else None
        queue_email(message=message, template=template_prefix, person=invited)

    def is_reauthentication_required(self, *, app, **kwargs):
        """allauth asks for the password again before any change to a person's second
        factor; enrolling the first authenticator app within ACCOUNT_REAUTHENTICATION_TIMEOUT
        of signing in is the exception (people.two_factor.enrolling_right_after_sign_in):
        staff are sent there straight from the sign-in page. Removing it and making new
        recovery codes still ask."""
        from allauth.core import context

        from .two_factor import enrolling_right_after_sign_in

        if app == "allauth.mfa" and enrolling_right_after_sign_in(context.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_logout_redirect_url(self, request):
        """Signing out ends the Actitud session; then, so that the company session ends too,
        the sign-out page sends the browser to the IdP it signed in with: after OIDC, to its
        end_session_endpoint (RP-initiated logout); after SAML, to its SingleLogoutService
        with a LogoutRequest (SP-initiated single logout; the IdP answers at the SLS
        address). An IdP that offers neither: the sign-out is local. (allauth asks for this
        address before it ends the session, which still knows the provider.)"""
        end_session = oidc_end_session_url(request) or saml_logout_url(request)
        if end_session:
            request._sso_end_session_url = end_session
            return reverse("people:sso_signed_out")
        return super().get_logout_redirect_url(request)

    def logout(self, request):
        end_session = getattr(request, "_sso_end_session_url", None)
        super().logout(request)
        if end_session:
            request.session[SSO_END_SESSION_KEY] = end_session


SSO_PROVIDER_KEY = "sso_provider_id"
SSO_END_SESSION_KEY = "sso_end_session_url"
SSO_SAML_SESSION_KEY = "sso_saml_session"


def sso_button_label(provider):
    """What the sign-in button calls an identity provider: HR's label, else the app's name."""
    from .sso import IdentityProvider

    rules = IdentityProvider.rules_for(provider.sub_id)
    return rules.label or provider.name


def oidc_end_session_url(request):
    """The IdP's end_session_endpoint for the OIDC app this session signed in with, with
    client_id and post_logout_redirect_uri (Actitud's sign-in page); None otherwise."""
    provider_id = request.session.get(SSO_PROVIDER_KEY)
    if not provider_id:
        return None
    from allauth.socialaccount.providers.openid_connect.views import (
        OpenIDConnectOAuth2Adapter,
    )

    try:
        oidc = OpenIDConnectOAuth2Adapter(request, provider_id)
        endpoint = oidc.openid_config.get("end_session_endpoint")
        client_id = oidc.get_provider().app.client_id
    except Exception:  # noqa: BLE001 - an unreachable IdP must not stop a local sign-out
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "client_id": client_id,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("account_login")),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def saml_logout_url(request):
    """The address of a LogoutRequest (HTTP-Redirect binding) for the SAML sign-in of this
    session, at the SingleLogoutService its IdP advertises (metadata, or `slo_url`); None
    when the session did not sign in through SAML or the IdP has no such service."""
    saml_session = request.session.get(SSO_SAML_SESSION_KEY)
    if not saml_session:
        return None
    from allauth.socialaccount.adapter import get_adapter
    from allauth.socialaccount.providers.saml.utils import build_auth

    try:
        provider = get_adapter().get_provider(request, saml_session["provider_id"])
        auth = build_auth(request, provider)
        if not auth.get_slo_url():
            return None
        return auth.logout(
            return_to=request.build_absolute_uri(reverse("account_login")),
            name_id=saml_session.get("name_id"),
            session_index=saml_session.get("session_index"),
            nq=saml_session.get("nq"),
            name_id_format=saml_session.get("name_id_format"),
            spnq=saml_session.get("spnq"),
        )
    except Exception:  # noqa: BLE001 - an unreachable IdP must not stop a local sign-out
        return None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on by HR's rules (people.sso): a login is matched to a person by verified
    email or employee number; someone unknown is refused unless the provider creates people
    on first sign-in; the mapped claims set name, employee number and team; every sign-in and
    refusal is written to the SSO audit (people.sso.SignInEvent)."""

    def pre_social_login(self, request, sociallogin):
        from . import sso_login

        provider_id = sociallogin.provider.sub_id
        rules = sso_login.IdentityProvider.rules_for(provider_id)
        claims = sso_login.claims_of(sociallogin)
        emails = sso_login.verified_emails(sociallogin)
        email = emails[0] if emails else sociallogin.user.email
        if not sociallogin.is_existing:
            person = sso_login.match_person(rules, claims, emails)
            if person is not None:
                sociallogin.connect(request, person)
            elif not rules.create_people or not emails:
                reason = "unknown person" if emails else "no verified email"
                sso_login.record(
                    provider_id=provider_id,
                    outcome=sso_login.SignInOutcome.REFUSED,
                    email=email,
                    reason=reason,
                )
                raise ImmediateHttpResponse(
                    render(
                        request,
                        "people/sso/refused.html",
                        {
                            "reason": "unknown",
                            "provider_name": sso_button_label(sociallogin.provider),
                        },
                        status=403,
                    )
                )
        if sociallogin.is_existing:
            sso_login.apply_claims(sociallogin.user, rules, claims)

    def is_open_for_signup(self, request, sociallogin):
        """Only a provider whose rules create people on first sign-in lets anyone in whom
        HR did not create (pre_social_login refuses the others first)."""
        from .sso import IdentityProvider

        return IdentityProvider.rules_for(sociallogin.provider.sub_id).create_people

    def save_user(self, request, sociallogin, form=None):
        """A person created on first sign-in is an agent with no password, their claims
        applied, recorded in the audit as created."""
        from . import sso_login
        from .models import Role
        from .services import grant_role

        person = super().save_user(request, sociallogin, form=form)
        rules = sso_login.IdentityProvider.rules_for(sociallogin.provider.sub_id)
        claims = sso_login.claims_of(sociallogin)
        sso_login.apply_claims(person, rules, claims)
        grant_role(person=person, role=Role.AGENT)
        sso_login.record(
            provider_id=sociallogin.provider.sub_id,
            outcome=sso_login.SignInOutcome.CREATED,
            email=person.email,
            person=person,
        )
        request._sso_created = True
        return person

    def populate_user(self, request, sociallogin, data):
        person = super().populate_user(request, sociallogin, data)
        person.full_name = (
            data.get("name")
            or " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
        )[:150]
        return person

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        """An answer from the IdP that Actitud turns down (a token for another audience, a
        tampered or expired assertion, an error from the IdP) shows the refusal page and is
        written to the audit with its reason."""
        from . import sso_login

        extra = extra_context or {}
        reason = (
            extra.get("saml_last_error_reason")
            or "; ".join(extra.get("saml_errors") or [])
            or (f"{exception}: {exception.__cause__}" if exception and exception.__cause__ else "")
            or (str(exception) if exception else "")
            or str(error or "")
        )
        sso_login.record(
            provider_id=getattr(provider, "sub_id", "") or "",
            outcome=sso_login.SignInOutcome.REFUSED,
            reason=reason,
        )
        if str(error) == "cancelled":
            return
        raise ImmediateHttpResponse(
            render(
                request,
                "people/sso/refused.html",
                {
                    "reason": "invalid",
                    "provider_name": sso_button_label(provider) if provider else "",
                },
                status=403,
            )
        )
