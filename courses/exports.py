"""The exports of the assignments list and of the audit log, through the one export writer
(people/spreadsheets.py): the rows the page's filters select, every page of them, read from
the database as tuples in chunks and streamed."""

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import current_team_name
from people.spreadsheets import Column, export_response

from .models import AssignmentStatus, Enrolment

CHUNK_SIZE = 2000


def _filename(stem):
    return f"{stem}-{timezone.localdate().isoformat()}"


def assignment_columns():
    return [
        Column(_("Person"), width=28),
        Column(_("Employee number"), width=14),
        Column(_("Email"), width=30),
        Column(_("Team"), width=20),
        Column(_("Course"), width=30),
        Column(_("Assigned"), kind="date"),
        Column(_("Due"), kind="date"),
        Column(_("Status"), choices=AssignmentStatus.choices, width=14),
        Column(_("Completed"), kind="date"),
        Column(_("Assigned by"), width=24),
    ]


def assignment_values(assignments):
    """The assignments as tuples in the columns' order: the current team and the course's
    completion read by subqueries, so the export takes the same queries for any number."""
    completed = Enrolment.objects.filter(
        person=OuterRef("person"), course=OuterRef("course"), completed_at__isnull=False
    ).values("completed_at")[:1]
    return assignments.annotate(
        team_name=current_team_name(), completed_on=Subquery(completed)
    ).values_list(
        "person__full_name",
        "person__employee_number",
        "person__email",
        "team_name",
        "course__title",
        "created_at",
        "due_on",
        "status",
        "completed_on",
        "assigned_by__full_name",
    )


def assignments_response(assignments, fmt):
    return export_response(
        fmt=fmt,
        filename=_filename(_("assignments")),
        columns=assignment_columns(),
        rows=assignment_values(assignments).iterator(chunk_size=CHUNK_SIZE),
        sheet_title=_("Assignments"),
        chunk_size=CHUNK_SIZE,
    )


def audit_columns():
    return [
        Column(_("When"), kind="datetime"),
        Column(_("Who"), width=24),
        Column(_("What"), width=22),
        Column(_("Person"), width=28),
        Column(_("Employee number"), width=14),
        Column(_("Team"), width=20),
        Column(_("Course or programme"), width=30),
        Column(_("Detail"), width=40),
        Column(_("Events"), width=16),
    ]


def _audit_rows(entries, sources):
    """Each entry of the audit log with its action and source labelled (labels read now, in
    the request's language: the body is written after the view returned)."""
    actions = {
        (source.key, code): str(label)
        for source in sources
        for code, label in source.actions.items()
    }
    kinds = {source.key: str(source.label) for source in sources}
    system = _("the system")

    def rows():
        for entry in entries.iterator(chunk_size=CHUNK_SIZE):
            source = entry["log_source"]
            yield (
                entry["log_at"],
                entry["log_actor"] or system,
                actions.get((source, entry["log_action"]), entry["log_action"]),
                entry["log_person"],
                entry["log_employee_number"],
                entry["log_team"],
                entry["log_subject"],
                entry["log_detail"],
                kinds.get(source, source),
            )

    return rows()


def audit_response(entries, sources, fmt):
    return export_response(
        fmt=fmt,
        filename=_filename(_("audit-log")),
        columns=audit_columns(),
        rows=_audit_rows(entries, sources),
        sheet_title=_("Audit log"),
        chunk_size=CHUNK_SIZE,
    )
