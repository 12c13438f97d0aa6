"""The daily notifications about assignments, run by `manage.py send_notifications`
(cron or a systemd timer). Emails go out through the task queue; each is sent once."""

from datetime import timedelta

from django.utils import timezone

from people.models import Role, User
from people.services import send_templated_email

from .models import Assignment, AssignmentStatus, DigestSent

REMINDER_DAYS = 3


def _send(person, template, context):
    send_templated_email(
        template_prefix=f"courses/email/{template}",
        to=person.email,
        context={**context, "person": person},
    )


def _open_assignments(today):
    return (
        Assignment.objects.active()
        .with_status(today)
        .exclude(status=AssignmentStatus.COMPLETED)
        .filter(person__is_active=True, person__wants_reminders=True)
        .select_related("person", "course")
    )


def send_due_reminders(today=None):
    """A reminder `REMINDER_DAYS` days before the due date (or on any later run before it),
    once per assignment, to people who have not turned reminders off."""
    today = today or timezone.localdate()
    due = _open_assignments(today).filter(
        reminded_on__isnull=True,
        due_on__gte=today,
        due_on__lte=today + timedelta(days=REMINDER_DAYS),
    )
    sent = 0
    for assignment in due:
        _send(assignment.person, "reminder", {"assignment": assignment})
        Assignment.objects.filter(pk=assignment.pk).update(reminded_on=today)
        sent += 1
    return sent


def send_overdue_notices(today=None):
    """One notice the first day an assignment is overdue (or the first run after)."""
    today = today or timezone.localdate()
    late = _open_assignments(today).filter(overdue_notice_on__isnull=True, due_on__lt=today)
    sent = 0
    for assignment in late:
        _send(assignment.person, "overdue", {"assignment": assignment})
        Assignment.objects.filter(pk=assignment.pk).update(overdue_notice_on=today)
        sent += 1
    return sent


def send_weekly_digests(today=None):
    """Each supervisor gets their teams' picture once a week: overdue assignments by name
    and counts per status. Supervisors without teams or with reminders off get nothing."""
    from .selectors import managed_assignments

    today = today or timezone.localdate()
    sent = 0
    supervisors = (
        User.objects.with_role(Role.SUPERVISOR)
        .filter(is_active=True, wants_reminders=True, supervised_teams__isnull=False)
        .distinct()
    )
    for supervisor in supervisors:
        assignments = list(managed_assignments(supervisor, today))
        if not assignments:
            continue
        names = {
            AssignmentStatus.OVERDUE: "overdue",
            AssignmentStatus.IN_PROGRESS: "in_progress",
            AssignmentStatus.NOT_STARTED: "not_started",
            AssignmentStatus.COMPLETED: "completed",
        }
        counts = dict.fromkeys(names.values(), 0)
        for assignment in assignments:
            counts[names[assignment.status]] += 1
        overdue = [a for a in assignments if a.status == AssignmentStatus.OVERDUE]
        week = today - timedelta(days=today.weekday())
        _, new = DigestSent.objects.get_or_create(person=supervisor, week=week)
        if new:
            _send(supervisor, "digest", {"counts": counts, "overdue": overdue, "today": today})
            sent += 1
    return sent
