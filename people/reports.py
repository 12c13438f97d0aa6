"""Scheduled reports: a person saves an export page with its filters (“Recibir por correo”)
and gets it by email every week or month, with a link to the live view and its CSV and XLSX.

Which reports exist is not known here (people is the lowest layer): each app registers its
kinds through the Wagtail hook `register_report_kind`, each returning a `ReportKind` (courses
registers assignments and the audit log; certification the certificates). A kind says who may
receive it, how its filters are read (a form bound to the viewer) and how many rows they
select.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from wagtail import hooks

from .models import ReportFrequency, ScheduledReport

HOOK = "register_report_kind"
EMAIL = "people/email/scheduled_report"


@dataclass(frozen=True)
class ReportKind:
    """One report that can be scheduled. `key` names it in URLs and in the database;
    `view_name` is the URL name of its live page and `export_name` that of its export (which
    takes the format, "csv" or "xlsx"), both read with the saved filters as the query string.
    `form(data, viewer)` returns its filter form bound to `data`; `allowed(viewer)` says whether
    `viewer` may see it at all; `count(viewer, form)` how many rows a valid form selects."""

    key: str
    label: str
    view_name: str
    export_name: str
    form: Callable
    allowed: Callable
    count: Callable


def report_kinds():
    """{key: ReportKind} of every registered kind, in hook order."""
    kinds = {}
    for make in hooks.get_hooks(HOOK):
        kind = make()
        kinds[kind.key] = kind
    return kinds


def report_kind(key):
    """The registered kind called `key`, or None."""
    return report_kinds().get(key)


def kinds_for(viewer):
    """The kinds `viewer` may receive."""
    return [kind for kind in report_kinds().values() if kind.allowed(viewer)]


def clean_filters(kind, data, viewer):
    """The filters of `data` that `kind`'s form knows and accepts, as strings (what travels
    in the URL), or None when the form rejects them."""
    form = kind.form(data, viewer)
    if not form.is_valid():
        return None
    return {
        name: str(data.get(name))
        for name in form.fields
        if data.get(name) not in (None, "") and form.cleaned_data.get(name) not in (None, "")
    }


def _shown(field, value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    choices = getattr(field, "choices", None)
    if choices is not None and not hasattr(field, "queryset"):
        return str(dict(choices).get(value, value))
    return str(value)


def describe_filters(kind, filters, viewer):
    """[(label, value shown)] of the saved filters, in the active language; empty: all rows."""
    form = kind.form(filters, viewer)
    if not form.is_valid():
        return []
    return [
        (str(form.fields[name].label), _shown(form.fields[name], form.cleaned_data[name]))
        for name in form.fields
        if name in filters and form.cleaned_data.get(name) not in (None, "")
    ]


def _query(filters):
    return f"?{urlencode(filters)}" if filters else ""


def live_path(kind, filters):
    return reverse(kind.view_name) + _query(filters)


def export_path(kind, filters, fmt):
    return reverse(kind.export_name, args=[fmt]) + _query(filters)


@transaction.atomic
def schedule_report(*, owner, kind, filters, frequency):
    """A person saves a report they may see, with filters its form accepts, weekly or
    monthly. Saving the same report, filters and frequency again keeps the one there was."""
    if not kind.allowed(owner):
        raise PermissionDenied
    cleaned = clean_filters(kind, filters, owner)
    if cleaned is None:
        raise ValueError("Filters the report does not accept")
    frequency = ReportFrequency(frequency)
    for existing in ScheduledReport.objects.select_for_update().filter(
        owner=owner, kind=kind.key, frequency=frequency
    ):
        if existing.filters == cleaned:
            return existing
    return ScheduledReport.objects.create(
        owner=owner, kind=kind.key, filters=cleaned, frequency=frequency
    )


def delete_scheduled_report(*, report, owner):
    """Only its owner deletes a scheduled report; no more emails of it are sent."""
    if report.owner_id != owner.pk:
        raise PermissionDenied
    report.delete()


def period_of(frequency, today):
    """The period a report is sent for: the ISO week ("2026-W49") or the month ("2026-12")."""
    if frequency == ReportFrequency.WEEKLY:
        year, week, _day = today.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{today.year}-{today.month:02d}"


def send_scheduled_reports(today=None):
    """Every scheduled report not yet sent for the current week or month is sent once: to its
    owner, if still active, still allowed to see the report and its filters still valid for
    them (a team they no longer direct is not), with the rows the filters select today and
    the links to the live view and to its CSV and XLSX. Claiming the period and queueing the
    email happen in one transaction, so running this twice, even at once, sends each period
    once. Returns how many were sent."""
    from .notifications import Kind, notify

    today = today or timezone.localdate()
    kinds = report_kinds()
    sent = 0
    pending = ScheduledReport.objects.select_related("owner").exclude(
        frequency=ReportFrequency.WEEKLY, last_period=period_of(ReportFrequency.WEEKLY, today)
    )
    pending = pending.exclude(
        frequency=ReportFrequency.MONTHLY, last_period=period_of(ReportFrequency.MONTHLY, today)
    )
    for report in pending.iterator():
        kind = kinds.get(report.kind)
        owner = report.owner
        if kind is None or not owner.is_active or not kind.allowed(owner):
            continue
        if not kind.form(report.filters, owner).is_valid():
            continue  # e.g. a team the owner no longer directs: its people are not theirs
        period = period_of(report.frequency, today)
        with transaction.atomic():
            claimed = (
                ScheduledReport.objects.filter(pk=report.pk)
                .exclude(last_period=period)
                .update(last_period=period, last_sent_at=timezone.now())
            )
            if not claimed:
                continue  # another run sent it meanwhile
            with translation.override("es"):  # as every email (send_templated_email)
                form = kind.form(report.filters, owner)
                form.is_valid()
                rows = kind.count(owner, form)
                context = {
                    "report": report,
                    "label": str(kind.label),
                    "frequency": report.get_frequency_display(),
                    "filters": describe_filters(kind, report.filters, owner),
                    "rows": rows,
                    "live_path": live_path(kind, report.filters),
                    "csv_path": export_path(kind, report.filters, "csv"),
                    "xlsx_path": export_path(kind, report.filters, "xlsx"),
                    "period": period,
                }
            notify(
                person=owner,
                kind=Kind.REPORT,
                params={"name": context["label"]},
                url=context["live_path"],
                email=(EMAIL, context),
            )
        sent += 1
    return sent


def describe_reports(reports, viewer):
    """The reports of a list page with their kind, label, filters shown and links; a report
    whose kind is gone or no longer allowed is marked, so its owner can delete it."""
    kinds = report_kinds()
    allowed = {key: kind.allowed(viewer) for key, kind in kinds.items()}
    described = []
    for report in reports:
        kind = kinds.get(report.kind)
        usable = kind is not None and allowed[report.kind]
        described.append(
            {
                "report": report,
                "label": str(kind.label) if kind else report.kind,
                "filters": describe_filters(kind, report.filters, viewer) if usable else [],
                "live_path": live_path(kind, report.filters) if usable else "",
                "usable": usable,
            }
        )
    return described
