"""The audit log HR reads at /aprendizaje/registro/: the assignment events kept here, and the
events of every app that registers a source through the Wagtail hook
`register_audit_log_source` (certification does, in its wagtail_hooks.py). Courses never
imports the apps above it; they plug in.

A hook returns an `AuditSource`. Its `entries(query)` answers a QuerySet shaped by
`audit_values`, so every source's rows combine in one UNION, ordered and paginated in the
database.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, F, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from .models import AssignmentEvent

HOOK = "register_audit_log_source"
COLUMNS = (
    "log_at",
    "log_actor",
    "log_action",
    "log_person",
    "log_subject",
    "log_detail",
    "log_ref",
    "log_source",
)


@dataclass(frozen=True)
class AuditSource:
    """One kind of audited event: `key` names it in the URL (?source=), `actions` labels
    its action codes, `entries(query)` returns its rows matching the search (person, subject
    or author), and `link(ref)`, when given, the address of a row's record."""

    key: str
    label: str
    actions: dict
    entries: Callable[[str], QuerySet]
    link: Callable[[str], str] | None = None
    # The path from an entry to the person it is about ("assignment__person"), when there is
    # one: the export adds their employee number and current team.
    person: str | None = None


def audit_values(queryset, *, source, at, actor, action, person, subject, detail, ref=None):
    """A source's rows as the log's columns, in one fixed order (a UNION matches columns by
    position): each argument is a field path or an expression."""

    def expression(value):
        if value is None:
            return Value(None, output_field=CharField())
        return F(value) if isinstance(value, str) else value

    columns = dict(
        zip(
            COLUMNS,
            [
                expression(at),
                expression(actor),
                expression(action),
                expression(person),
                expression(subject),
                expression(detail),
                expression(ref),
                Value(source, output_field=CharField()),
            ],
            strict=True,
        )
    )
    return queryset.annotate(**columns).values(*COLUMNS)


def _assignment_entries(query):
    events = AssignmentEvent.objects.all()
    if query:
        events = events.filter(
            Q(assignment__person__full_name__icontains=query)
            | Q(assignment__person__email__icontains=query)
            | Q(assignment__course__title__icontains=query)
            | Q(actor__full_name__icontains=query)
        )
    return audit_values(
        events,
        source="assignments",
        at="at",
        actor="actor__full_name",
        action="action",
        person="assignment__person__full_name",
        subject="assignment__course__title",
        detail="detail",
    )


ASSIGNMENTS = AuditSource(
    key="assignments",
    label=_("Assignments"),
    actions=dict(AssignmentEvent.Action.choices),
    entries=_assignment_entries,
    person="assignment__person",
)


def audit_sources():
    """Assignments first, then every registered source, in hook order."""
    return [ASSIGNMENTS] + [make() for make in hooks.get_hooks(HOOK)]


def audit_entries(sources, query, with_person=False):
    """The rows of `sources` matching `query`, newest first, as one QuerySet of dicts; with
    `with_person`, each also has the employee number and current team of the person it is
    about (`log_employee_number`, `log_team`; the export's columns, which the page does not
    pay for)."""
    querysets = [source.entries(query).order_by() for source in sources]
    if with_person:
        querysets = [
            _with_person(qs, source) for qs, source in zip(querysets, sources, strict=True)
        ]
    combined = querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]
    return combined.order_by("-log_at")


def _with_person(entries, source):
    from people.models import current_team_name

    if source.person is None:
        return entries.annotate(
            log_employee_number=Value(None, output_field=CharField()),
            log_team=Value(None, output_field=CharField()),
        )
    return entries.annotate(
        log_employee_number=F(f"{source.person}__employee_number"),
        log_team=current_team_name(source.person),
    )


def describe(rows, sources):
    """The rows of one page, with their action labelled and their record's address."""
    by_key = {source.key: source for source in sources}
    described = []
    for row in rows:
        source = by_key[row["log_source"]]
        described.append(
            {
                **row,
                "action_label": source.actions.get(row["log_action"], row["log_action"]),
                "source_label": source.label,
                "url": source.link(row["log_ref"]) if source.link and row["log_ref"] else "",
            }
        )
    return described
