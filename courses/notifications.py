"""The daily notifications about assignments, run by `manage.py send_notifications`
(cron or a systemd timer). Each is a people.notifications notice (on the site, and by email
to whoever wants it), written in the same transaction that records it as sent, so each
goes out once however often the command runs."""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from people.models import Notification, Role, User
from people.notifications import notify

from .models import Assignment, AssignmentStatus, DigestSent

REMINDER_DAYS = 3

Kind = Notification.Kind


def assignment_params(assignment, **extra):
    """What an assignment's notification text needs (see people.notifications.MESSAGES)."""
    return {"course": assignment.course.title, "due_on": assignment.due_on, **extra}


def reminder_kind(assignment):
    """A manager's reminder of an assignment is the overdue notice once it is past due (as
    the daily overdue notice would say), the due-soon reminder before."""
    if assignment.status == AssignmentStatus.OVERDUE:
        return Notification.Kind.OVERDUE
    return Notification.Kind.DUE_SOON


def _open_assignments(today):
    return (
        Assignment.objects.active()
        .with_status(today)
        .exclude(status=AssignmentStatus.COMPLETED)
        .filter(person__is_active=True)
        .select_related("person", "course")
    )


def _tell_once(assignment, marker, today, kind, template):
    """Stamp `marker` and notify in one transaction, only if no run stamped it first."""
    with transaction.atomic():
        claimed = Assignment.objects.filter(pk=assignment.pk, **{f"{marker}__isnull": True})
        if not claimed.update(**{marker: today}):
            return False
        notify(
            person=assignment.person,
            kind=kind,
            params=assignment_params(assignment),
            url=assignment.course.url or "",
            email=(f"courses/email/{template}", {"assignment": assignment}),
        )
    return True


def send_due_reminders(today=None):
    """A reminder `REMINDER_DAYS` days before the due date (or on any later run before it),
    once per assignment; by email to those who have not turned that channel off."""
    today = today or timezone.localdate()
    due = _open_assignments(today).filter(
        reminded_on__isnull=True,
        due_on__gte=today,
        due_on__lte=today + timedelta(days=REMINDER_DAYS),
    )
    return sum(_tell_once(a, "reminded_on", today, Kind.DUE_SOON, "reminder") for a in due)


def send_overdue_notices(today=None):
    """One notice the first day an assignment is overdue (or the first run after)."""
    today = today or timezone.localdate()
    late = _open_assignments(today).filter(overdue_notice_on__isnull=True, due_on__lt=today)
    return sum(_tell_once(a, "overdue_notice_on", today, Kind.OVERDUE, "overdue") for a in late)


def send_weekly_digests(today=None):
    """Each supervisor gets their teams' picture once a week: overdue assignments by name
    and counts per status. Supervisors without teams or assignments get nothing."""
    from .selectors import managed_assignments

    today = today or timezone.localdate()
    sent = 0
    supervisors = (
        User.objects.with_role(Role.SUPERVISOR)
        .filter(is_active=True, supervised_teams__isnull=False)
        .distinct()
    )
    names = {
        AssignmentStatus.OVERDUE: "overdue",
        AssignmentStatus.IN_PROGRESS: "in_progress",
        AssignmentStatus.NOT_STARTED: "not_started",
        AssignmentStatus.COMPLETED: "completed",
    }
    for supervisor in supervisors:
        assignments = list(managed_assignments(supervisor, today))
        if not assignments:
            continue
        counts = dict.fromkeys(names.values(), 0)
        for assignment in assignments:
            counts[names[assignment.status]] += 1
        overdue = [a for a in assignments if a.status == AssignmentStatus.OVERDUE]
        week = today - timedelta(days=today.weekday())
        with transaction.atomic():
            _, new = DigestSent.objects.get_or_create(person=supervisor, week=week)
            if not new:
                continue
            notify(
                person=supervisor,
                kind=Kind.DIGEST,
                params={"overdue": counts["overdue"]},
                url=reverse("courses:team_assignments"),
                email=(
                    "courses/email/digest",
                    {"counts": counts, "overdue": overdue, "today": today},
                ),
            )
        sent += 1
    return sent
