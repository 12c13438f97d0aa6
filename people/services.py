"""Writes to people, teams and roles. Each function is one use case, atomic."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import IntegrityError, router, transaction
from django.db.models.signals import m2m_changed
from django.urls import reverse
from django.utils import timezone, translation

from allauth.account.adapter import get_adapter
from allauth.account.forms import EmailAwarePasswordResetTokenGenerator, default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str

from .adapters import INVITATION
from .importing import plan_import, read_import
from .models import (
    EmailStatus,
    ImportStatus,
    Membership,
    OutgoingEmail,
    PeopleImport,
    Role,
    Team,
    User,
)
from .signals import memberships_created


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
    """Create a person with an unusable password and a verified email address, and queue in
    the same transaction an invitation with a link to choose their password: the person and
    their invitation exist together or not at all.

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
        send_invitation(person=person)
    return person


@transaction.atomic
def update_person(*, person, full_name, employee_number, team, roles, is_active):
    """HR edits a person: roles become exactly `roles`, and a change of team is a move that
    keeps the history. A deactivated person can no longer sign in and their open sessions
    end (end_sessions); their records stay."""
    was_active = User.objects.filter(pk=person.pk, is_active=True).exists()
    person.full_name = full_name
    person.employee_number = employee_number
    person.is_active = is_active
    person.save(update_fields=["full_name", "employee_number", "is_active"])
    person.groups.set(Group.objects.filter(name__in=roles))
    person.__dict__.pop("role_names", None)
    if Role.SUPERVISOR not in roles:
        person.supervised_teams.clear()
    move_to_team(person=person, team=team)
    if was_active and not is_active:
        end_sessions(person=person)
    return person


def end_sessions(*, person):
    """Sign a person out everywhere: delete every live session that belongs to them (its row
    and its cached copy), so none can come back if the account is reactivated. Sessions carry
    no user column, so the live ones are read once; this runs when an account is closed."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    live = Session.objects.filter(expire_date__gt=timezone.now())
    for key, data in live.values_list("session_key", "session_data").iterator(chunk_size=500):
        store = store_class(key)
        if str(store.decode(data).get(SESSION_KEY)) == str(person.pk):
            store.delete(key)


class _NewPersonTokenGenerator(EmailAwarePasswordResetTokenGenerator):
    """allauth's password-reset token for a person just created with their one verified
    address: allauth hashes in the person's addresses, read with two queries per person; here
    the only one is known, which keeps a large import's invitations cheap. The same token."""

    def _make_hash_value(self, user, timestamp):
        return PasswordResetTokenGenerator._make_hash_value(self, user, timestamp) + user.email


def invitation_url(person, *, just_created=False):
    """An absolute link where `person` chooses a password. It is allauth's password-reset link,
    valid for PASSWORD_RESET_TIMEOUT and spent once a password is set."""
    generator = default_token_generator
    if just_created and type(generator) is EmailAwarePasswordResetTokenGenerator:
        generator = _NewPersonTokenGenerator()
    token = generator.make_token(person)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(person), "key": token},
    )
    return settings.SITE_URL.rstrip("/") + path


def _invitation_context(person, *, just_created=False):
    return {
        "person": person,
        "invitation_url": invitation_url(person, just_created=just_created),
        "site_url": settings.SITE_URL,
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
    }


def send_invitation(*, person, just_created=False):
    """Email `person` a welcome with the link to choose their password (sent by the task
    queue; one that cannot be sent is listed for HR, who can send it again with a fresh link)."""
    get_adapter().send_mail(
        INVITATION, person.email, _invitation_context(person, just_created=just_created)
    )


IMPORT_BATCH = 500


def _progress_cache():
    """Where a running import reports its progress: outside the database, because the rows
    themselves only become visible when the import's single transaction commits."""
    return caches["progress" if "progress" in settings.CACHES else "default"]


def _progress_key(pk):
    return f"people-import-progress:{pk}"


def import_progress(people_import):
    """Rows of the file handled so far: all of them once done, none before it starts."""
    if people_import.status == ImportStatus.DONE:
        return people_import.rows_total
    if people_import.status == ImportStatus.RUNNING:
        return min(
            _progress_cache().get(_progress_key(people_import.pk), 0), people_import.rows_total
        )
    return 0


@transaction.atomic
def confirm_import(*, people_import, by):
    """Confirming queues the import for the task queue, once: confirming it again while it is
    queued, running or done raises AlreadyConfirmed (a failed import may be confirmed again).
    The task applies it (execute_import) after this transaction commits."""
    from .outbox import enqueue
    from .tasks import run_people_import

    locked = PeopleImport.objects.select_for_update().get(pk=people_import.pk)
    if locked.status not in (ImportStatus.PREVIEW, ImportStatus.FAILED):
        raise AlreadyConfirmed
    locked.status = ImportStatus.QUEUED
    locked.rows_total = len(read_import(locked.content).rows)
    locked.confirmed_at = timezone.now()
    locked.error = ""
    locked.summary = {"confirmed_by": by.pk}
    locked.save(update_fields=["status", "rows_total", "confirmed_at", "error", "summary"])
    enqueue(run_people_import, import_id=locked.pk)  # in this transaction (people.outbox)
    return locked


def execute_import(*, import_id):
    """Apply every valid row of a confirmed CSV in one transaction: either all of them go in,
    with the invitations of the people they add, or none do (the import is then marked
    failed and can be confirmed again). Rows are validated again against the database as it
    is now; rows that change nothing are left alone. An import is applied once: a second
    run (a retried task, a second worker) finds it done, or waits for the first one's lock
    and then finds it done."""
    with transaction.atomic():
        claimed = PeopleImport.objects.filter(
            pk=import_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
        ).update(status=ImportStatus.RUNNING, started_at=timezone.now())
    if not claimed:
        return None
    try:
        with transaction.atomic():
            locked = PeopleImport.objects.select_for_update().get(pk=import_id)
            if locked.status != ImportStatus.RUNNING:
                return locked
            summary = _apply_import(locked)
            locked.status = ImportStatus.DONE
            locked.finished_at = timezone.now()
            locked.summary = {**locked.summary, **summary}
            locked.save(update_fields=["status", "finished_at", "summary"])
    except Exception as error:
        PeopleImport.objects.filter(pk=import_id, status=ImportStatus.RUNNING).update(
            status=ImportStatus.FAILED, finished_at=timezone.now(), error=repr(error)[:2000]
        )
        raise
    finally:
        _progress_cache().delete(_progress_key(import_id))
    return locked


def _apply_import(people_import):
    plan = plan_import(read_import(people_import.content))
    new = [row for row in plan.rows if row.status == row.NEW]
    updates = [row for row in plan.rows if row.status == row.UPDATE]
    done = len(plan.rows) - len(new) - len(updates)  # unchanged and skipped rows
    cache, key = _progress_cache(), _progress_key(people_import.pk)
    cache.set(key, done, timeout=3600)
    for start in range(0, len(new), IMPORT_BATCH):
        batch = new[start : start + IMPORT_BATCH]
        _create_imported_people(batch)
        done += len(batch)
        cache.set(key, done, timeout=3600)
    for number, row in enumerate(updates, start=1):
        person = row.person
        person.full_name = row.full_name
        if row.employee_number:
            person.employee_number = row.employee_number
        person.save(update_fields=["full_name", "employee_number"])
        grant_role(person=person, role=row.role, team=row.team)
        if number % 100 == 0 or number == len(updates):
            cache.set(key, done + number, timeout=3600)
    return {
        "created": len(new),
        "updated": len(updates),
        "unchanged": plan.count(plan.UNCHANGED),
        "skipped": plan.count(plan.ERROR),
    }


def _create_imported_people(rows):
    """create_person for many rows in a few queries: the people, their verified addresses,
    roles and teams are inserted in bulk; the receivers other apps connect to role and team
    changes (onboarding courses, a team's standing assignments) are sent the same signals a
    one-by-one save sends; and each person's invitation is queued in this transaction, with
    the rows it belongs to. (Bulk inserts send no model signals: what other apps hear
    instead is people added to each role's group at once, and memberships_created.)"""
    db = router.db_for_write(User)
    people = []
    for row in rows:
        person = User(email=row.email, full_name=row.full_name, employee_number=row.employee_number)
        person.set_unusable_password()
        people.append(person)
    User.objects.bulk_create(people)
    pairs = list(zip(people, rows, strict=True))
    EmailAddress.objects.bulk_create(
        EmailAddress(user=person, email=person.email, primary=True, verified=True)
        for person in people
    )
    groups = dict(
        Group.objects.filter(name__in={row.role for row in rows}).values_list("name", "pk")
    )
    UserGroup = User.groups.through
    UserGroup.objects.bulk_create(
        UserGroup(user_id=person.pk, group_id=groups[row.role]) for person, row in pairs
    )
    now = timezone.now()
    memberships, supervising = [], []
    for person, row in pairs:
        if row.team is None:
            continue
        if row.role == Role.SUPERVISOR:
            supervising.append(Team.supervisors.through(team_id=row.team.pk, user_id=person.pk))
        else:
            memberships.append(Membership(person=person, team=row.team, started_at=now))
    Team.supervisors.through.objects.bulk_create(supervising)
    Membership.objects.bulk_create(memberships)
    for name, pk in groups.items():  # as group.user_set.add(*its new members) would
        members = {person.pk for person, row in pairs if row.role == name}
        m2m_changed.send(
            sender=UserGroup, instance=Group(pk=pk, name=name), action="post_add",
            reverse=True, model=User, pk_set=members, using=db,
        )  # fmt: skip
    memberships_created.send(sender=Membership, memberships=memberships)
    for person in people:
        send_invitation(person=person, just_created=True)


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
