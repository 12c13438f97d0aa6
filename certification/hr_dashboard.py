"""HR's certification dashboard: rates per programme and team, expiries, overdue work.
Everything is aggregated in the database; the filters live in the URL."""

from datetime import timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import AssignmentStatus
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


def _bars(rows, key):
    """Horizontal bar geometry (percent of a 300px track) for a simple SVG chart."""
    return [
        {**row, "width": round(3 * (row[key] or 0)), "y": 8 + 30 * i} for i, row in enumerate(rows)
    ]


def dashboard_data(filters, now=None):
    """Rates are agents holding a valid certificate over all agents in scope; the scope is
    narrowed by team, and certificates by programme and issue dates."""
    now = now or timezone.now()
    agents = User.objects.with_role(Role.AGENT).filter(is_active=True)
    if filters.get("team"):
        members = Membership.objects.current().filter(team=filters["team"])
        agents = agents.filter(pk__in=members.values("person"))
    if filters.get("status"):  # count holders of expired or revoked certificates instead
        valid = Certificate.objects.with_status(now).filter(status=filters["status"])
    else:
        valid = Certificate.objects.current(now)
    if filters.get("issued_from"):
        valid = valid.filter(issued_at__date__gte=filters["issued_from"])
    if filters.get("issued_to"):
        valid = valid.filter(issued_at__date__lte=filters["issued_to"])
    programmes = Programme.objects.filter(is_active=True)
    if filters.get("programme"):
        programmes = programmes.filter(pk=filters["programme"].pk)
        valid = valid.filter(programme=filters["programme"])
    total = agents.count()
    per_programme = [
        {
            "name": p.name,
            "certified": p.certified,
            "total": total,
            "rate": round(100 * p.certified / total) if total else None,
        }
        for p in programmes.annotate(
            certified=Count(
                "certificates__person",
                filter=Q(certificates__in=valid, certificates__person__in=agents),
                distinct=True,
            )
        )
    ]
    teams = (
        Team.objects.all()
        if not filters.get("team")
        else Team.objects.filter(pk=filters["team"].pk)
    )
    holder = valid.filter(person=OuterRef("person"))
    per_team = [
        {
            "name": t.name,
            "certified": t.certified,
            "total": t.member_count,
            "rate": round(100 * t.certified / t.member_count) if t.member_count else None,
        }
        for t in teams.annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__ended_at__isnull=True, memberships__person__in=agents),
                distinct=True,
            ),
            certified=Count(
                "memberships",
                filter=Q(
                    memberships__ended_at__isnull=True,
                    memberships__person__in=agents,
                    memberships__in=Membership.objects.annotate(ok=Exists(holder)).filter(ok=True),
                ),
                distinct=True,
            ),
        ).order_by("name")
    ]
    expiring = valid.filter(person__in=agents)
    overdue = managed_assignments_for_hr(agents)
    return {
        "per_programme": per_programme,
        "per_team": per_team,
        "team_bars": _bars(per_team, "rate"),
        "expiring": [
            {
                "days": days,
                "count": expiring.filter(expires_at__lte=now + timedelta(days=days)).count(),
            }
            for days in (30, 60, 90)
        ],
        "overdue_count": overdue.count(),
        "overdue": overdue[:20],
    }


def managed_assignments_for_hr(agents):
    from courses.models import Assignment

    return (
        Assignment.objects.active()
        .filter(person__in=agents)
        .with_status()
        .filter(status=AssignmentStatus.OVERDUE)
        .select_related("person", "course")
        .order_by("due_on")
    )


@login_required
def hr_dashboard(request):
    if not can_manage_people(request.user):
        raise PermissionDenied
    form = DashboardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    query = request.GET.copy()
    return render(
        request,
        "certification/hr_dashboard.html",
        {"form": form, "querystring": query.urlencode(), **dashboard_data(filters)},
    )
