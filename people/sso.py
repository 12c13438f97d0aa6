"""HR's rules for single sign-on, and the record of every SSO sign-in and refusal.

The identity providers themselves are allauth apps (settings SSO_OIDC_PROVIDERS /
SSO_SAML_PROVIDERS, or SocialApp records in the admin). Here, per provider: whether a person
unknown to Actitud is created on first sign-in (off unless HR says so), whether a login may be
matched by employee number, which claim or attribute carries name, employee number and team;
and which email domains must sign in through it (their people never use a password:
password_refusal)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The names OIDC IdPs, Entra ID and SAML IdPs (LDAP/eduPerson OIDs) use most.
NAME_CLAIMS = (
    "name, urn:oid:2.16.840.1.113730.3.1.241, "
    "http://schemas.microsoft.com/identity/claims/displayname"
)
EMPLOYEE_NUMBER_CLAIMS = (
    "employee_number, employeeNumber, employee_id, urn:oid:2.16.840.1.113730.3.1.3, "
    "http://schemas.microsoft.com/identity/claims/employeeid"
)


class IdentityProvider(models.Model):
    """HR's rules for one identity provider. A provider configured but without a row here
    follows the defaults: nobody is created, matching by verified email and by the
    employee number claim, the usual claim names (NAME_CLAIMS, EMPLOYEE_NUMBER_CLAIMS), no team."""

    provider_id = models.CharField(
        _("provider id"),
        max_length=100,
        unique=True,
        help_text=_("The id of the OIDC or SAML app, as in the sign-in address (e.g. «entra»)."),
    )
    label = models.CharField(
        _("name on the button"),
        max_length=100,
        blank=True,
        help_text=_("Shown as «Sign in with …». Empty: the app's name."),
    )
    create_people = models.BooleanField(
        _("create people on first sign-in"),
        default=False,
        help_text=_(
            "Someone the IdP knows but Actitud does not becomes an agent on first sign-in. "
            "Off: only people HR created can sign in."
        ),
    )
    match_by_employee_number = models.BooleanField(
        _("match by employee number"),
        default=True,
        help_text=_("A login whose employee number claim matches a person signs them in."),
    )
    name_claim = models.CharField(
        _("name claims"),
        max_length=500,
        default=NAME_CLAIMS,
        blank=True,
        help_text=_(
            "Claims or SAML attributes with the full name, separated by commas: "
            "the first one present counts."
        ),
    )
    employee_number_claim = models.CharField(
        _("employee number claims"),
        max_length=500,
        default=EMPLOYEE_NUMBER_CLAIMS,
        blank=True,
        help_text=_("Claims or SAML attributes with the employee number, separated by commas."),
    )
    team_claim = models.CharField(
        _("team claims"),
        max_length=500,
        blank=True,
        help_text=_(
            "Claims or SAML attributes with the name of the team, separated by commas. "
            "Empty: single sign-on never moves people between teams."
        ),
    )

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["provider_id"]

    def __str__(self):
        return self.label or self.provider_id

    @classmethod
    def rules_for(cls, provider_id):
        """The saved rules of a provider, or the defaults (unsaved)."""
        return cls.objects.filter(provider_id=provider_id).first() or cls(provider_id=provider_id)


class SsoDomainQuerySet(models.QuerySet):
    def for_email(self, email):
        """The rule for the domain of `email`, or None."""
        domain = (email or "").rpartition("@")[2].strip().lower()
        if not domain:
            return None
        return self.select_related("identity_provider").filter(domain=domain).first()


class SsoDomain(models.Model):
    """An email domain whose people must sign in through an identity provider: signing in
    with a password and asking for a password reset are refused for its addresses."""

    domain = models.CharField(
        _("email domain"), max_length=253, unique=True, help_text=_("e.g. empresa.com")
    )
    identity_provider = models.ForeignKey(
        IdentityProvider,
        verbose_name=_("identity provider"),
        on_delete=models.CASCADE,
        related_name="domains",
    )

    objects = SsoDomainQuerySet.as_manager()

    class Meta:
        verbose_name = _("domain that must use single sign-on")
        verbose_name_plural = _("domains that must use single sign-on")
        ordering = ["domain"]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)


@dataclass(frozen=True)
class PasswordRefusal:
    message: str
    provider_id: str


def password_refusal(email):
    """The rule for passwords of a domain that must use single sign-on (SsoDomain): its
    addresses never use a password in Actitud — not to sign in, not to ask for a reset, not
    to choose one from an invitation or reset link, not to set one once signed in through
    the IdP. The refusal names the button to use instead (and which IdP it starts); None
    for any other address."""
    rule = SsoDomain.objects.for_email(email)
    if rule is None:
        return None
    message = gettext(
        "People at %(domain)s sign in with their company account: use the "
        "“Sign in with %(provider)s” button."
    ) % {"domain": rule.domain, "provider": str(rule.identity_provider)}
    return PasswordRefusal(message=message, provider_id=rule.identity_provider.provider_id)


def refuse_password(email):
    """Raise password_refusal's message as a ValidationError, if `email` gets one."""
    refusal = password_refusal(email)
    if refusal is not None:
        raise ValidationError(refusal.message, code="sso_domain")


class SignInOutcome(models.TextChoices):
    SIGNED_IN = "signed_in", _("Signed in")
    CREATED = "created", _("Created on first sign-in")
    REFUSED = "refused", _("Refused")


class SignInEvent(models.Model):
    """One single sign-on attempt that reached Actitud: who, through which provider, and
    what happened (a refusal keeps the reason the IdP's answer was turned down)."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    provider_id = models.CharField(_("provider id"), max_length=100)
    outcome = models.CharField(_("outcome"), max_length=20, choices=SignInOutcome.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    email = models.CharField(_("email address"), max_length=254, blank=True)
    person = models.ForeignKey(
        "people.User",
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sign_in_events",
    )

    class Meta:
        verbose_name = _("single sign-on event")
        verbose_name_plural = _("single sign-on events")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.provider_id} {self.outcome}"
