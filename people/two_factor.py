"""Two factors for the people who see everyone (allauth.mfa).

Who must use a second factor is the access policy's rule (`people.policy.must_use_second_factor`);
this module applies it: a middleware that keeps such a person on the enrolment pages until
their session has passed a second factor, allauth's adapter and form hooks, and the receivers
that keep the session's record of that in step with the person's authenticators.
"""

import time

from django import forms
from django.conf import settings
from django.core import checks
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

from allauth.account.internal.flows.login import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    get_authentication_records,
    record_authentication,
)
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base.forms import AuthenticateForm as CodeForm
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.webauthn.forms import AddWebAuthnForm, AuthenticateWebAuthnForm, EditWebAuthnForm

from .policy import must_use_second_factor

SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
ENROLMENT_NEXT_SESSION_KEY = "second_factor_next"  # the page asked for before enrolment


def passed_second_factor(request):
    """Whether this session has passed a second factor: allauth records one when a code is
    entered at sign-in or re-authentication, and `record_enrolment` when one is enrolled."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def has_second_factor(person):
    """Whether `person` has enrolled a second factor: an authenticator app or a security key
    (a passkey) counts; recovery codes alone do not (allauth deletes them with the last)."""
    return Authenticator.objects.filter(user_id=person.pk, type__in=SECOND_FACTORS).exists()


def has_security_key(person):
    return Authenticator.objects.filter(
        user_id=person.pk, type=Authenticator.Type.WEBAUTHN
    ).exists()


class SecondFactorRequiredMiddleware:
    """A person who must use a second factor (people.policy) reaches no page until their
    session has passed one: without an authenticator they are sent to enrol, with one (a
    session that skipped the code) to confirm it, with the app's code or, having only keys,
    with a key. Meanwhile only the second-factor pages, sign-out, re-authentication, the
    language switch, static files, the health check and the SCIM API (bearer tokens, no
    session) answer. Agents pass through; they may opt in."""

    OPEN_PREFIXES = ("/static/", "/health/", "/i18n/", "/scim/", "/favicon.ico")
    OPEN_URL_NAMES = ("mfa_index", "account_logout", "account_reauthenticate")

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def __call__(self, request):
        return self.redirect_to_second_factor(request) or self.get_response(request)

    def open_paths(self):
        if self._open_paths is None:
            self._open_paths = self.OPEN_PREFIXES + tuple(
                reverse(name) for name in self.OPEN_URL_NAMES
            )
        return self._open_paths

    def redirect_to_second_factor(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.path_info.startswith(self.open_paths()):
            return None
        if passed_second_factor(request) or not must_use_second_factor(user):
            return None
        next_url = request.get_full_path()
        factors = set(
            Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS)
            .values_list("type", flat=True)
            .distinct()
        )
        if factors:
            only_keys = factors == {Authenticator.Type.WEBAUTHN}
            target = reverse("mfa_reauthenticate_webauthn" if only_keys else "mfa_reauthenticate")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': next_url})}")
        if request.method == "GET" and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}
        ):
            request.session[ENROLMENT_NEXT_SESSION_KEY] = next_url
        return HttpResponseRedirect(reverse("mfa_activate_totp"))


ENROLMENT_URL_NAMES = ("mfa_activate_totp", "mfa_add_webauthn")


def enrolling_right_after_sign_in(request):
    """Whether `request` enrols a first second factor (an authenticator app or a security
    key) within ACCOUNT_REAUTHENTICATION_TIMEOUT of signing in with the password: then
    allauth need not ask for the password a second time."""
    from allauth.account import app_settings as account_settings

    match = getattr(request, "resolver_match", None)
    if request is None or match is None or match.url_name not in ENROLMENT_URL_NAMES:
        return False
    if has_second_factor(request.user):
        return False
    signed_in = [
        record["at"]
        for record in get_authentication_records(request, request.user)
        if record.get("method") == "password" and "at" in record
    ]
    return bool(signed_in) and (
        time.time() - signed_in[-1] < account_settings.REAUTHENTICATION_TIMEOUT
    )


def page_after_enrolment(request):
    """Where the person was going when they were sent to enrol (else home)."""
    return request.session.get(ENROLMENT_NEXT_SESSION_KEY) or reverse("home")


class SecondFactorAdapter(DefaultMFAAdapter):
    """allauth.mfa's adapter with the site's wording."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _(
            "That code is not right, or it has already been used. Enter the code your app "
            "shows now, or one of your recovery codes."
        ),
    }


class AuthenticateForm(CodeForm):
    """allauth's sign-in code form; `has_app` says whether the person has an authenticator
    app, so the page asks for its code or, with only a key, offers the code field for a
    recovery code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_app = Authenticator.objects.filter(
            user_id=self.user.pk, type=Authenticator.Type.TOTP
        ).exists()
        if not self.has_app:
            self.fields["code"].label = _("Recovery code")


KEY_NOT_ACCEPTED = _(
    "Your security key was not accepted: it may not be one of yours, or the request expired. "
    "Try again, or use another way."
)


def key_error(error):
    """allauth reports a key it refuses with the wrong code's message ("incorrect_code");
    say it of the key. Other errors (too many attempts) pass unchanged."""
    if getattr(error, "code", None) == "incorrect_code":
        return forms.ValidationError(KEY_NOT_ACCEPTED, code="incorrect_code")
    return error


class AuthenticateKeyForm(AuthenticateWebAuthnForm):
    """allauth's sign-in form for a security key; `has_key` says whether the person has
    one, so the page offers the key only to those who can use it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_key = has_security_key(self.user)

    def clean_credential(self):
        try:
            return super().clean_credential()
        except forms.ValidationError as error:
            raise key_error(error) from error


class ActivateAuthenticatorForm(ActivateTOTPForm):
    """allauth's TOTP enrolment form; `required` says whether the person's role requires it,
    so the page can explain why they were sent here."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.required = must_use_second_factor(self.user)
        self.fields["code"].label = _("Code from the app")
        self.fields["code"].help_text = _("Six digits; a new code appears every 30 seconds.")
        self.fields["code"].widget.attrs.update(inputmode="numeric", autocomplete="one-time-code")


class AddKeyForm(AddWebAuthnForm):
    """allauth's form to add a security key; `required` as on ActivateAuthenticatorForm."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.required = must_use_second_factor(self.user) and not has_second_factor(self.user)
        self.fields["name"].label = _("Name of the key")
        self.fields["name"].help_text = _(
            "So you can tell your keys apart, for example “Blue YubiKey” or “Work laptop”."
        )

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            raise key_error(error) from error


class EditKeyForm(EditWebAuthnForm):
    """allauth's form to rename a security key, with the site's label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Name of the key")


def record_enrolment(sender, request, user, authenticator, **kwargs):
    """Enrolling an authenticator app or a security key proves the person holds it (they
    typed its code, or touched the key in the browser's WebAuthn ceremony), and
    allauth let them enrol only just after signing in or confirming it was them: the session
    counts as having passed a second factor just now, as allauth counts a code entered to
    confirm it is them — so the recovery codes it made can be shown next."""
    if authenticator.type in SECOND_FACTORS and request is not None:
        record_authentication(
            request,
            user,
            "mfa",
            id=authenticator.pk,
            type=authenticator.type,
            reauthenticated=True,
        )


def forget_removed_factor(sender, request, user, authenticator, **kwargs):
    """Removing the last second factor (the app, or the last key) ends what it proved: the
    session no longer counts as having passed a second factor, so a person whose role
    requires one is sent to enrol a new one (a new phone, a new key) before any other page
    opens. Removing one of several (a lost key, while the app remains) keeps the session
    the person proved at sign-in and just now confirmed again to remove it."""
    if authenticator.type not in SECOND_FACTORS or request is None:
        return
    if has_second_factor(user):
        return
    records = get_authentication_records(request, user)
    if records:
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            record for record in records if record.get("method") != "mfa"
        ]


def connect_signals():
    from allauth.mfa import signals

    signals.authenticator_added.connect(record_enrolment, dispatch_uid="mfa_record_enrolment")
    signals.authenticator_removed.connect(
        forget_removed_factor, dispatch_uid="mfa_forget_removed_factor"
    )


@checks.register(checks.Tags.security, deploy=True)
def check_second_factor_enforced(app_configs=None, **kwargs):
    """A deployed site requires the second factor of its staff: MFA_ENFORCED=0 is for a
    local look at the demo only."""
    if settings.MFA_ENFORCED:
        return []
    return [
        checks.Error(
            "MFA_ENFORCED is off: HR, supervisors, editors and superusers could reach other "
            "people's records with a password alone.",
            hint="Unset MFA_ENFORCED (it defaults to on).",
            id="people.E001",
        )
    ]
