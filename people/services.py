"""Writes to people, teams and roles. Each function is one use case, atomic."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str

from .importing import plan_import, read_import
from .models import Membership, PeopleImport, Role, User


class PersonExists(Exception):
    """Someone already has this email (or employee number): perhaps added a moment ago by a
    second click. `field` names the form field that clashes."""

    def __init__(self, field):
        super().__init__(field)
        self.field = field


class AlreadyConfirmed(Exception):
    """The import was confirmed before; confirming it again would do nothing."""


@transaction.atomic
def move_to_team(*, person, team, when=None):
    """A person belongs to at most one team at a time: joining a team closes the current
    membership, so the history of moves is kept. Moving to the current team changes nothing."""
    when = when or timezone.now()
    current = Membership.objects.select_for_update().filter(person=person).current().first()
    if current and current.team_id == (team.pk if team else None):
        return current
    if current:
        current.ended_at = when
        current.save(update_fields=["ended_at"])
    person.__dict__.pop("current_membership", None)
    if team is None:
        return None
    return Membership.objects.create(person=person, team=team, started_at=when)


def grant_role(*, person, role, team=None):
    """Add a role to a person (roles are only added here, never taken away). A supervisor given
    a team becomes one of its supervisors; anyone else given a team joins it."""
    person.groups.add(Group.objects.get(name=role))
    person.__dict__.pop("role_names", None)
    if team is not None:
        if role == Role.SUPERVISOR:
            team.supervisors.add(person)
        else:
            move_to_team(person=person, team=team)


@transaction.atomic
def create_person(*, email, full_name, role=Role.AGENT, team=None, employee_number="", invite=True):
    """Create a person with an unusable password and a verified email address; once the
    transaction commits, they are sent an invitation with a link to choose their password.

    The email and the employee number are unique in the database, so of two simultaneous
    requests for one person, one creates them and the other raises PersonExists."""
    try:
        with transaction.atomic():
            person = User.objects.create_user(
                email=email, full_name=full_name, employee_number=employee_number
            )
    except IntegrityError as error:
        if User.objects.filter(email__iexact=email).exists():
            raise PersonExists("email") from error
        if employee_number and User.objects.filter(employee_number=employee_number).exists():
            raise PersonExists("employee_number") from error
        raise
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=True)
    grant_role(person=person, role=role, team=team)
    if invite:
        transaction.on_commit(lambda: send_invitation(person=person))
    return person


@transaction.atomic
def update_person(*, person, full_name, employee_number, team, roles, is_active):
    """HR edits a person: roles become exactly `roles`, and a change of team is a move that
    keeps the history. A deactivated person can no longer sign in; their records stay."""
    person.full_name = full_name
    person.employee_number = employee_number
    person.is_active = is_active
    person.save(update_fields=["full_name", "employee_number", "is_active"])
    person.groups.set(Group.objects.filter(name__in=roles))
    person.__dict__.pop("role_names", None)
    if Role.SUPERVISOR not in roles:
        person.supervised_teams.clear()
    move_to_team(person=person, team=team)
    return person


def invitation_url(person):
    """An absolute link where `person` chooses a password. It is allauth's password-reset link,
    valid for PASSWORD_RESET_TIMEOUT and spent once a password is set."""
    token = default_token_generator.make_token(person)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(person), "key": token},
    )
    return settings.SITE_URL.rstrip("/") + path


def send_invitation(*, person):
    """Email `person` a welcome with the link to choose their password (sent by the task
    queue)."""
    context = {
        "person": person,
        "invitation_url": invitation_url(person),
        "site_url": settings.SITE_URL,
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
    }
    get_adapter().send_mail("people/email/invitation", person.email, context)


@transaction.atomic
def confirm_import(*, people_import, by):
    """Apply every valid row of an uploaded CSV in one transaction: either all of them go in or
    none do. Rows are validated again against the database as it is now; rows that change
    nothing are left alone, so importing the same file twice changes nothing. A file can be
    confirmed once."""
    locked = PeopleImport.objects.select_for_update().get(pk=people_import.pk)
    if locked.confirmed_at is not None:
        raise AlreadyConfirmed
    plan = plan_import(read_import(locked.content))
    created = updated = 0
    for row in plan.rows:
        if row.status == row.NEW:
            create_person(
                email=row.email,
                full_name=row.full_name,
                role=row.role,
                team=row.team,
                employee_number=row.employee_number,
            )
            created += 1
        elif row.status == row.UPDATE:
            person = row.person
            person.full_name = row.full_name
            if row.employee_number:
                person.employee_number = row.employee_number
            person.save(update_fields=["full_name", "employee_number"])
            grant_role(person=person, role=row.role, team=row.team)
            updated += 1
    locked.confirmed_at = timezone.now()
    locked.summary = {
        "created": created,
        "updated": updated,
        "unchanged": plan.count(plan.UNCHANGED),
        "skipped": plan.count(plan.ERROR),
        "confirmed_by": by.pk,
    }
    locked.save(update_fields=["confirmed_at", "summary"])
    return locked


def send_templated_email(*, template_prefix, to, context):
    """Queue one of our emails: `<prefix>_subject.txt`, `<prefix>_message.txt` and, when it
    exists, `<prefix>_message.html`, rendered in Spanish by the account adapter (the same path
    as the invitations) and sent by the task queue. `to` is an address or a list of them."""
    from django.utils import translation

    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
    with translation.override("es"):
        get_adapter().send_mail(template_prefix, to, context)
