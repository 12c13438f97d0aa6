"""HR's certification dashboard: rates per programme and team, expiries, overdue work.
Everything is aggregated in the database; the filters live in the URL."""

from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.forms import IdChoiceField
from people.models import Membership, Role, Team, User
from people.policy import can_manage_people

from .models import Certificate, CertificateStatus, Programme


class DashboardFilterForm(forms.Form):
    team = IdChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)
    programme = IdChoiceField(
        label=_("Programme"), queryset=Programme.objects.all(), required=False
    )
    status = forms.ChoiceField(
        label=_("Certificate status"),
        choices=[("", _("valid (default)"))] + CertificateStatus.choices[1:],
        required=False,
        help_text=_(
            "Counts the certificates in this status and filters the list; the rate always "
            "counts valid certificates."
        ),
    )
    issued_from = forms.DateField(
        label=_("Issued from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    issued_to = forms.DateField(
        label=_("Issued until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("issued_from"), cleaned.get("issued_to")
        if start and end and start > end:
            self.add_error("issued_to", _("The end date is before the start date."))
        return cleaned


BAR_TOP, BAR_HEIGHT, BAR_STEP = 8, 20, 30


def bar_chart(rows, key):
    """Horizontal bar geometry (percent of a 300px track) for a simple SVG chart, and the
    chart's height, sized from its rows: the last bar's bottom plus the top margin."""
    bars = [
        {**row, "width": round(3 * (row[key] or 0)), "y": BAR_TOP + BAR_STEP * i}
        for i, row in enumerate(rows)
    ]
    height = bars[-1]["y"] + BAR_HEIGHT + BAR_TOP if bars else 0
    return {"bars": bars, "height": height}


def dashboard_data(filters, now=None):
    """The rate is always the share of agents in scope holding a valid certificate; the scope
    is narrowed by team, and the certificates counted by programme and issue dates. The
    status filter never changes what the rate means: it adds, per programme, the number of
    certificates in that status (expired or revoked) and narrows the list the dashboard
    links to.

    A fixed number of queries, each served by an index or one pass over a table: the
    statuses are plain conditions on the columns (`in_status`, `overdue`), never filters on
    an annotated CASE, which PostgreSQL would evaluate row by row."""
    now = now or timezone.now()
    # The role's id as a constant, not a join on its name: PostgreSQL then knows how many
    # people hold it and plans the look-ups as one hash join instead of one per row.
    role = Group.objects.filter(name=Role.AGENT).values_list("pk", flat=True).first()
    agents = User.objects.filter(groups=role, is_active=True)
    if filters.get("team"):
        members = Membership.objects.current().filter(team=filters["team"])
        agents = agents.filter(pk__in=members.values("person"))
    certificates = Certificate.objects.filter(person__in=agents)
    if filters.get("issued_from"):
        certificates = certificates.filter(issued_at__date__gte=filters["issued_from"])
    if filters.get("issued_to"):
        certificates = certificates.filter(issued_at__date__lte=filters["issued_to"])
    programmes = Programme.objects.filter(is_active=True)
    if filters.get("programme"):
        programmes = programmes.filter(pk=filters["programme"].pk)
        certificates = certificates.filter(programme=filters["programme"])
    valid = certificates.current(now)
    status = filters.get("status") or ""
    total = agents.count()
    per_programme_counts = {
        "certified": _count(
            valid.filter(programme=OuterRef("pk")), "programme", "person", distinct=True
        )
    }
    if status:
        per_programme_counts["in_status"] = _count(
            certificates.in_status(status, now).filter(programme=OuterRef("pk")), "programme"
        )
    per_programme = [
        {
            "name": p.name,
            "certified": p.certified,
            "total": total,
            "rate": round(100 * p.certified / total) if total else None,
            **({"in_status": p.in_status} if status else {}),
        }
        for p in programmes.annotate(**per_programme_counts)
    ]
    teams = (
        Team.objects.all()
        if not filters.get("team")
        else Team.objects.filter(pk=filters["team"].pk)
    )
    # One pass over the current memberships (a correlated count per team would look the
    # agents up once per membership).
    counts = {
        row["team"]: row
        for row in Membership.objects.current()
        .filter(team__in=teams, person__in=agents)
        .values("team")
        .annotate(
            members=Count("pk"),
            certified=Count("pk", filter=Q(Exists(valid.filter(person=OuterRef("person"))))),
        )
        .order_by()
    }
    per_team = []
    for team in teams.order_by("name"):
        row = counts.get(team.pk, {"members": 0, "certified": 0})
        per_team.append(
            {
                "name": team.name,
                "certified": row["certified"],
                "total": row["members"],
                "rate": round(100 * row["certified"] / row["members"]) if row["members"] else None,
            }
        )
    horizons = (30, 60, 90)
    expiring = valid.filter(expires_at__lte=now + timedelta(days=max(horizons))).aggregate(
        **{
            f"within_{days}": Count("pk", filter=Q(expires_at__lte=now + timedelta(days=days)))
            for days in horizons
        }
    )
    overdue = managed_assignments_for_hr(agents)
    return {
        "status": status,
        "per_programme": per_programme,
        "per_team": per_team,
        "team_chart": bar_chart(per_team, "rate"),
        "expiring": [{"days": days, "count": expiring[f"within_{days}"]} for days in horizons],
        "overdue_count": overdue.count(),
        "overdue": overdue[:20],
    }


def _count(queryset, by, field="pk", distinct=False):
    """A correlated subquery counting `queryset`'s rows, grouped by the column `by` it is
    correlated on (0 when there are none)."""
    counted = queryset.order_by().values(by).annotate(n=Count(field, distinct=distinct)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def certificate_list_query(form):
    """The query string of the certificate list for the dashboard's filters: every filter
    kept, and the valid certificates when no status is chosen."""
    params = {}
    if form.is_bound and form.is_valid():
        params = {name: form.data[name] for name in form.fields if form.data.get(name)}
    params.setdefault("status", CertificateStatus.VALID)
    return urlencode(params)


def managed_assignments_for_hr(agents):
    from courses.models import Assignment

    return (
        Assignment.objects.overdue()
        .filter(person__in=agents)
        .select_related("person", "course")
        .order_by("due_on", "pk")
    )


@login_required
def hr_dashboard(request):
    if not can_manage_people(request.user):
        raise PermissionDenied
    form = DashboardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return render(
        request,
        "certification/hr_dashboard.html",
        {"form": form, "list_query": certificate_list_query(form), **dashboard_data(filters)},
    )
