"""Writes to people, teams and roles. Each function is one use case, atomic."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str

from .adapters import INVITATION
from .importing import plan_import, read_import
from .models import EmailStatus, Membership, OutgoingEmail, PeopleImport, Role, User


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
    """Create a person with an unusable password and a verified email address, and queue in
    the same transaction an invitation with a link to choose their password: the person and
    their invitation exist together or not at all."""
    person = User.objects.create_user(
        email=email, full_name=full_name, employee_number=employee_number
    )
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=True)
    grant_role(person=person, role=role, team=team)
    if invite:
        send_invitation(person=person)
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


def _invitation_context(person):
    return {
        "person": person,
        "invitation_url": invitation_url(person),
        "site_url": settings.SITE_URL,
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
    }


def send_invitation(*, person):
    """Email `person` a welcome with the link to choose their password (sent by the task
    queue; one that cannot be sent is listed for HR, who can send it again with a fresh link)."""
    get_adapter().send_mail(INVITATION, person.email, _invitation_context(person))


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
    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
    with translation.override("es"):
        get_adapter().send_mail(template_prefix, to, context)


def queue_email(*, message, template="", person=None):
    """Store a rendered email and queue its sending in the caller's transaction (see
    people.outbox): an email exists exactly when the work that sends it was committed, and its
    outcome stays on record."""
    from .outbox import enqueue
    from .tasks import send_email

    email = OutgoingEmail.objects.create(
        template=template,
        person=person,
        subject=message.subject,
        body=message.body,
        html_body=_html(message),
        to=list(message.to),
        from_email=message.from_email or "",
    )
    enqueue(send_email, email_id=email.pk)
    return email


@transaction.atomic
def resend_emails(*, emails):
    """HR sends emails that could not be sent once more: each is tried EMAIL_MAX_ATTEMPTS
    times again. An invitation is rendered afresh, so its link is valid again for
    PASSWORD_RESET_TIMEOUT. Emails that are no longer "not sent" are left alone. Returns how
    many were queued."""
    from .outbox import enqueue
    from .tasks import send_email

    count = 0
    for email in emails.select_for_update().filter(status=EmailStatus.FAILED):
        fields = {"status": EmailStatus.QUEUED, "attempts": 0, "next_attempt_at": timezone.now()}
        if email.person_id and email.template == INVITATION:
            person = email.person
            with translation.override("es"):
                message = get_adapter().render_mail(
                    INVITATION,
                    person.email,
                    {"email": person.email, **_invitation_context(person)},
                )
            fields.update(subject=message.subject, body=message.body, html_body=_html(message))
        OutgoingEmail.objects.filter(pk=email.pk).update(**fields)
        enqueue(send_email, email_id=email.pk)
        count += 1
    return count


def _html(message):
    return next(
        (content for content, mimetype in message.alternatives if mimetype == "text/html"), ""
    )
