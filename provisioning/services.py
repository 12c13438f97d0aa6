"""What a SCIM client's writes do to people and teams. Every change goes through the
services the HR pages use (people.services), so provisioning follows the same rules: a team
move keeps the membership history, deactivation keeps every record."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from allauth.account.models import EmailAddress
from scim2_models import (
    ConflictException,
    EnterpriseUser,
    InvalidValueException,
    Name,
    NoTargetException,
    UniquenessException,
)

from people.models import Role, Team, User
from people.services import (
    PersonExists,
    create_person,
    grant_role,
    move_to_team,
    update_person,
)

from .models import ProvisionedMembership, ProvisionedPerson, ProvisionedTeam


class LastHRAccount(InvalidValueException):
    """Deactivating this person would leave the organisation without an active HR account."""


def ensure_hr_remains(person):
    """HR never loses its last active account: a person with the HR role may be deactivated
    only while another active person holds it too."""
    if not (person.is_active and person.has_role(Role.HR)):
        return
    others = User.objects.active().with_role(Role.HR).exclude(pk=person.pk)
    if not others.exists():
        raise LastHRAccount(detail="This is the last active HR account: it cannot be deactivated.")


def _full_name(resource, *, before=None, fallback=""):
    """full_name is name.formatted, else the given and family names joined, else displayName.
    After a PATCH (`before` is the resource it was applied to) the part that changed wins:
    new given/family names under an unchanged formatted name are joined, and a new
    displayName alone replaces the name."""
    name = resource.name or Name()
    joined = " ".join(
        part.strip() for part in (name.given_name, name.family_name) if part and part.strip()
    )
    display = (resource.display_name or "").strip()
    if before is not None:
        old = before.name or Name()
        if name.formatted == old.formatted:
            if joined and (name.given_name, name.family_name) != (old.given_name, old.family_name):
                return joined
            if display and display != (before.display_name or "").strip():
                return display
    if name.formatted and name.formatted.strip():
        return name.formatted.strip()
    return joined or display or fallback


def _employee_number(resource):
    """An employee number longer than the person's record holds is refused (invalidValue),
    never cut short."""
    enterprise = resource[EnterpriseUser]
    number = ((enterprise.employee_number if enterprise else None) or "").strip()
    ensure_fits(User, employee_number=number)
    return number


# The SCIM attribute each stored field comes from, for the message of a refused value.
ATTRIBUTES = {
    "email": "userName",
    "employee_number": "employeeNumber",
    "full_name": "name",
    "user_name": "userName",
    "external_id": "externalId",
    "given_name": "name.givenName",
    "family_name": "name.familyName",
    "formatted_name": "name.formatted",
    "display_name": "displayName",
    "name": "displayName",
    "display": "members.display",
}


def ensure_fits(model, **values):
    """Every text a client sends must fit the field that keeps it: a longer one is refused
    (invalidValue) before anything is written, never cut short."""
    for name, value in values.items():
        limit = model._meta.get_field(name).max_length
        if limit and isinstance(value, str) and len(value) > limit:
            attribute = ATTRIBUTES.get(name, name)
            raise InvalidValueException(detail=f"{attribute} is longer than {limit} characters")


def _is_email(text):
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def _email(resource):
    """The person's email is their userName; a userName that is not an email address (an
    identity provider may send an opaque one) is kept beside it, and the email is then the
    primary one in `emails`."""
    user_name = (resource.user_name or "").strip()
    if _is_email(user_name):
        return user_name.lower()
    emails = sorted(resource.emails or [], key=lambda email: not email.primary)
    for email in emails:
        if email.value and _is_email(email.value.strip()):
            return email.value.strip().lower()
    raise InvalidValueException(detail="userName must be an email address, or emails must hold one")


def _user_name(resource, email):
    user_name = (resource.user_name or "").strip()
    return "" if user_name.lower() == email else user_name


def _check_unique(*, email, user_name, employee_number, person=None):
    taken = Q(email__iexact=email)
    if user_name:
        taken |= Q(email__iexact=user_name) | Q(provisioning__user_name__iexact=user_name)
    clash = User.objects.filter(taken)
    if person is not None:
        clash = clash.exclude(pk=person.pk)
    if clash.exists():
        raise UniquenessException(detail=f"userName {user_name or email} is already in use")
    if employee_number:
        clash = User.objects.filter(employee_number=employee_number)
        if person is not None:
            clash = clash.exclude(pk=person.pk)
        if clash.exists():
            raise UniquenessException(detail=f"employeeNumber {employee_number} is already in use")


def _manager(resource, person=None):
    """The manager is another User the service shows (not one a client deleted), named by
    id; anyone else is refused (invalidValue). No manager sent means none."""
    enterprise = resource[EnterpriseUser]
    manager = enterprise.manager if enterprise else None
    if not manager or not manager.value:
        return None
    value = manager.value.strip()
    boss = (
        User.objects.exclude(provisioning__deleted_at__isnull=False).filter(pk=value).first()
        if value.isdigit()
        else None
    )
    if boss is None:
        raise InvalidValueException(detail=f"manager {value} is not a known User")
    if person is not None and boss.pk == person.pk:
        raise InvalidValueException(detail="A person cannot be their own manager")
    return boss


def _lead_team(person, boss):
    """The manager leads the person's team: they become one of its supervisors (roles are
    only added, as everywhere). Without a current team there is nothing to lead, and the
    manager is kept all the same."""
    team = person.current_team
    if boss is not None and team is not None:
        grant_role(person=boss, role=Role.SUPERVISOR, team=team)


def _emails(resource):
    """The emails as sent, with the sub-attributes the service publishes (value, type,
    primary), those the client left out left out."""
    kept = []
    for email in resource.emails or []:
        if not email.value:
            continue
        entry = {"value": str(email.value).strip()}
        if email.type is not None:
            entry["type"] = str(getattr(email.type, "value", email.type))
        if email.primary is not None:
            entry["primary"] = email.primary
        kept.append(entry)
    return kept


def _remember(person, resource, *, manager, **extra):
    """Keep what the client sent that people.User has no field for; the manager and emails
    are kept as sent, so the client reads back what it wrote."""
    name = resource.name
    kept = {
        "external_id": resource.external_id or "",
        "user_name": _user_name(resource, person.email),
        "given_name": (name.given_name or "") if name else "",
        "family_name": (name.family_name or "") if name else "",
        "formatted_name": (name.formatted or "").strip() if name else "",
        "display_name": (resource.display_name or "").strip(),
    }
    ensure_fits(ProvisionedPerson, **kept)
    ProvisionedPerson.objects.update_or_create(
        person=person,
        defaults={
            **kept,
            "full_name": person.full_name,
            "manager": manager,
            "emails": _emails(resource),
            **extra,
        },
    )


@transaction.atomic
def provision_person(*, resource):
    """A client creates a person: an agent with a verified email and no password, who signs
    in through single sign-on. No invitation is sent unless SCIM_SEND_INVITATIONS is on. A
    person the client deleted before comes back (same record, same history) instead."""
    email = _email(resource)
    deleted = ProvisionedPerson.objects.filter(
        person__email__iexact=email, deleted_at__isnull=False
    ).first()
    if deleted is not None:
        person = deleted.person
        ProvisionedPerson.objects.filter(pk=person.pk).update(deleted_at=None)
        return replace_person(person=person, resource=resource)
    employee_number = _employee_number(resource)
    _check_unique(
        email=email, user_name=_user_name(resource, email), employee_number=employee_number
    )
    boss = _manager(resource)
    full_name = _full_name(resource, fallback=email)
    ensure_fits(User, email=email, full_name=full_name)
    try:
        person = create_person(
            email=email,
            full_name=full_name,
            role=Role.AGENT,
            employee_number=employee_number,
            invite=settings.SCIM_SEND_INVITATIONS,
        )
    except PersonExists as error:
        raise UniquenessException(detail=f"{error.field} is already in use") from error
    if resource.active is False:
        person.is_active = False
        person.save(update_fields=["is_active"])
    _remember(person, resource, manager=boss)
    _lead_team(person, boss)
    return person


@transaction.atomic
def replace_person(*, person, resource, before=None):
    """A client sets a person's attributes (PUT, or PATCH applied to the current ones). Roles
    and team stay as they are (teams change through Groups). Deactivating closes the account
    as HR's deactivation does — history kept, nothing deleted — and ends their sessions; the
    last active HR account cannot be deactivated."""
    person = User.objects.select_for_update().get(pk=person.pk)
    email = _email(resource)
    employee_number = _employee_number(resource)
    _check_unique(
        email=email,
        user_name=_user_name(resource, email),
        employee_number=employee_number,
        person=person,
    )
    boss = _manager(resource, person)
    full_name = _full_name(resource, before=before, fallback=person.full_name)
    ensure_fits(User, email=email, full_name=full_name)
    is_active = person.is_active if resource.active is None else resource.active
    if person.is_active and not is_active:
        ensure_hr_remains(person)
    if email != person.email:
        person.email = email
        person.save(update_fields=["email"])
        EmailAddress.objects.filter(user=person).delete()
        EmailAddress.objects.create(user=person, email=email, primary=True, verified=True)
    update_person(
        person=person,
        full_name=full_name,
        employee_number=employee_number,
        team=person.current_team,
        roles=list(person.role_names),
        is_active=is_active,
    )
    _remember(person, resource, manager=boss)
    _lead_team(person, boss)
    return person


@transaction.atomic
def delete_person(*, person):
    """DELETE deactivates: the person, their records and their history stay, and SCIM
    answers 404 for them from then on; creating the same userName again brings them back."""
    person = User.objects.select_for_update().get(pk=person.pk)
    ensure_hr_remains(person)
    if person.is_active:
        update_person(
            person=person,
            full_name=person.full_name,
            employee_number=person.employee_number,
            team=person.current_team,
            roles=list(person.role_names),
            is_active=False,
        )
    ProvisionedPerson.objects.update_or_create(
        person=person, defaults={"deleted_at": timezone.now()}
    )


def _set_members(team, resource):
    """Members become exactly those listed: each one added moves into this team (leaving
    their previous one), each one removed leaves it; both keep the history (move_to_team).
    The label (`display`) sent with a member is kept for that membership; one that is the
    person's name, or none, is not, so the member shows the name even after a rename."""
    labels = {
        member.value: (member.display or "").strip()
        for member in resource.members or []
        if member.value
    }
    for label in labels.values():
        ensure_fits(ProvisionedMembership, display=label)
    wanted = set(labels)
    if any(not value.isdigit() for value in wanted):
        raise InvalidValueException(detail="members must be User ids")
    found = {
        str(pk): person
        for pk, person in User.objects.in_bulk([int(value) for value in wanted]).items()
    }
    missing = wanted - found.keys()
    if missing:
        raise NoTargetException(detail=f"No User with id {', '.join(sorted(missing))}")
    current = {
        str(m.person_id): m.person for m in team.memberships.current().select_related("person")
    }
    now = timezone.now()
    for value in sorted(current.keys() - wanted):
        move_to_team(person=current[value], team=None, when=now)
    for value in sorted(wanted - current.keys()):
        move_to_team(person=found[value], team=team, when=now)
    _label_members(team, labels)


def _label_members(team, labels):
    """Store the labels of the team's current members in three queries, however many."""
    memberships = team.memberships.current().select_related("person")
    wanted = {}
    for membership in memberships:
        label = labels.get(str(membership.person_id), "")
        if label and label != (membership.person.full_name or membership.person.email):
            wanted[membership.pk] = label
    ProvisionedMembership.objects.filter(membership__team=team).exclude(
        membership__in=list(wanted)
    ).delete()
    ProvisionedMembership.objects.bulk_create(
        [ProvisionedMembership(membership_id=pk, display=label) for pk, label in wanted.items()],
        update_conflicts=True,
        unique_fields=["membership"],
        update_fields=["display"],
    )


def _check_team_name(name, team=None):
    name = (name or "").strip()
    if not name:
        raise InvalidValueException(detail="displayName is required")
    ensure_fits(Team, name=name)
    clash = Team.objects.filter(name__iexact=name)
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.exists():
        raise UniquenessException(detail=f"A Group named {name} already exists")
    return name


@transaction.atomic
def provision_team(*, resource):
    """A client creates a team, with the members it lists (each one moved into it)."""
    ensure_fits(ProvisionedTeam, external_id=resource.external_id or "")
    team = Team.objects.create(name=_check_team_name(resource.display_name))
    ProvisionedTeam.objects.create(team=team, external_id=resource.external_id or "")
    _set_members(team, resource)
    return team


@transaction.atomic
def replace_team(*, team, resource):
    """A client renames a team or changes its members (PUT, or PATCH applied)."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    name = _check_team_name(resource.display_name, team)
    ensure_fits(ProvisionedTeam, external_id=resource.external_id or "")
    if name != team.name:
        team.name = name
        team.save(update_fields=["name"])
    ProvisionedTeam.objects.update_or_create(
        team=team, defaults={"external_id": resource.external_id or ""}
    )
    _set_members(team, resource)
    return team


@transaction.atomic
def delete_team(*, team):
    """A team that never had a member is deleted; one with a membership history is kept,
    because that history is what reports are built from: the client is told so (409)."""
    if team.memberships.exists():
        raise ConflictException(
            detail="This team has a membership history and is kept: remove its members instead."
        )
    team.delete()
