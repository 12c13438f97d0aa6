"""What a single sign-on login means for Actitud: which person it is, what its claims change.

The rules (docstrings below) are HR's per provider (people.sso.IdentityProvider); the
allauth adapter (people.adapters.SocialAccountAdapter) calls these at each SSO sign-in."""

from django.db import transaction

from allauth.socialaccount.providers.saml.provider import SAMLProvider

from .models import Team, User
from .services import move_to_team
from .sso import IdentityProvider, SignInEvent, SignInOutcome


def claims_of(sociallogin):
    """The login's claims as one flat dict: for OIDC the ID token's claims over the userinfo
    response's; for SAML each attribute's first value."""
    data = sociallogin.account.extra_data or {}
    if "id_token" in data or "userinfo" in data:
        return {**(data.get("userinfo") or {}), **(data.get("id_token") or {})}
    return {
        key: (value[0] if isinstance(value, list) and value else value)
        for key, value in data.items()
    }


def claim(claims, names):
    """The value of the first of `names` (comma-separated claim or attribute names) the
    login carries, as stripped text; '' when none is present."""
    for name in filter(None, (part.strip() for part in (names or "").split(","))):
        value = claims.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def verified_emails(sociallogin):
    return [address.email.lower() for address in sociallogin.email_addresses if address.verified]


def match_person(rules, claims, emails):
    """The person a login is: the one whose email address is one of the login's verified
    addresses, else (when the provider allows it) the one whose employee number is the
    login's employee number claim. An address the IdP does not vouch for never matches."""
    if emails:
        person = User.objects.filter(email__in=emails).first()
        if person:
            return person
    number = claim(claims, rules.employee_number_claim)
    if rules.match_by_employee_number and number:
        return User.objects.filter(employee_number=number).first()
    return None


@transaction.atomic
def apply_claims(person, rules, claims):
    """The claims the provider maps set the person's name, employee number and team: an
    empty or missing claim changes nothing; a team is only joined if HR created it (a move
    keeps the history, as HR's moves do); an employee number another person has is ignored."""
    changed = []
    name = claim(claims, rules.name_claim)
    if not name and rules.name_claim:
        name = " ".join(filter(None, [claim(claims, "given_name"), claim(claims, "family_name")]))
    if name and name != person.full_name:
        person.full_name = name[: User._meta.get_field("full_name").max_length]
        changed.append("full_name")
    number = claim(claims, rules.employee_number_claim)[
        : User._meta.get_field("employee_number").max_length
    ]
    taken = User.objects.filter(employee_number=number).exclude(pk=person.pk).exists()
    if number and number != person.employee_number and not taken:
        person.employee_number = number
        changed.append("employee_number")
    if changed:
        person.save(update_fields=changed)
    team_name = claim(claims, rules.team_claim)
    team = Team.objects.filter(name__iexact=team_name).first() if team_name else None
    if team and not person.supervised_teams.exists():
        move_to_team(person=person, team=team)
    return person


def record(*, provider_id, outcome, email="", person=None, reason=""):
    """Write the audit entry of an SSO sign-in or refusal."""
    return SignInEvent.objects.create(
        provider_id=provider_id[:100],
        outcome=outcome,
        email=(email or "")[:254],
        person=person,
        reason=str(reason)[:500],
    )


class SamlProvider(SAMLProvider):
    """allauth's SAML provider (settings: SOCIALACCOUNT_PROVIDERS["saml"]["provider_class"]),
    which also keeps what the IdP needs to end this sign-in's session there: the NameID, its
    qualifiers and format, and the SessionIndex of the assertion (SAML single logout)."""

    package = SAMLProvider.get_package()  # its URLs stay allauth's

    def sociallogin_from_response(self, request, response):
        sociallogin = super().sociallogin_from_response(request, response)
        sociallogin.saml_session = {
            "provider_id": self.sub_id,
            "name_id": response.get_nameid(),
            "name_id_format": response.get_nameid_format(),
            "nq": response.get_nameid_nq(),
            "spnq": response.get_nameid_spnq(),
            "session_index": response.get_session_index(),
        }
        return sociallogin


def on_sso_sign_in(sender, request, user, sociallogin=None, **kwargs):
    """user_logged_in receiver: an SSO sign-in is written to the audit, and the session
    remembers its provider, and for SAML its NameID and SessionIndex (for the sign-out at the
    IdP of people.adapters: OIDC RP-initiated logout, SAML single logout)."""
    if sociallogin is None:
        return
    from .adapters import SSO_PROVIDER_KEY, SSO_SAML_SESSION_KEY

    provider = sociallogin.provider
    if provider.id == "openid_connect":
        request.session[SSO_PROVIDER_KEY] = provider.sub_id
    saml_session = getattr(sociallogin, "saml_session", None)
    if provider.id == "saml" and saml_session:
        request.session[SSO_SAML_SESSION_KEY] = saml_session
    if not getattr(request, "_sso_created", False):
        record(
            provider_id=provider.sub_id,
            outcome=SignInOutcome.SIGNED_IN,
            email=user.email,
            person=user,
        )


__all__ = [
    "IdentityProvider",
    "SignInOutcome",
    "apply_claims",
    "claims_of",
    "match_person",
    "record",
    "verified_emails",
]
