"""The supervisor's "Mi equipo": reads from every app, aggregated in a fixed number of
queries whatever the size of the team."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from attitude import charts
from attitude.models import EvidenceRecord, ServiceDimension
from attitude.selectors import (
    organisation_profile,
    overall_percent,
    overall_trends,
    scores_by_person,
    team_profile,
)
from courses.forms import BulkActionForm
from courses.models import Assignment, AssignmentStatus
from courses.selectors import learner_courses, learning_summaries, managed_assignments, percent
from people.models import Membership, User, by_name
from people.policy import can_edit_coaching_note, can_view_records, visible_people
from quizzes.models import Attempt
from scenarios.models import Run

from .feedback import FOLLOW_UPS_SHOWN, NOTES_PER_PAGE, save_note
from .forms import CoachingNoteForm
from .models import CoachingNote, Retake
from .selectors import latest_critical_reference, review_url


def _members(viewer, today):
    """The current members of each team, those with the most overdue courses first, then in
    Spanish order of name; each annotated with `overdue` and `critical` (critical choices
    in the latest attempt of each activity), counted in the database, and
    `critical_reference`, the attempt or run with the most recent of them."""
    overdue = (
        Assignment.objects.active()
        .filter(person=OuterRef("person"))
        .with_status(today)
        .filter(status=AssignmentStatus.OVERDUE)
    )
    critical = EvidenceRecord.objects.current().filter(person=OuterRef("person"))
    return (
        Membership.objects.current()
        .exclude(person=viewer)
        .select_related("person")
        .only("team", "person", "person__full_name")
        .annotate(
            overdue=Coalesce(
                Subquery(overdue.values("person").annotate(n=Count("pk")).values("n")), 0
            ),
            critical=Coalesce(
                Subquery(critical.values("person").annotate(n=Sum("critical_count")).values("n")),
                0,
            ),
            critical_reference=latest_critical_reference(),
        )
        .order_by("-overdue", *by_name("person__"))
    )


def _team_chart(team_dimensions, organisation):
    """The team's mean per dimension over the organisation's, for the chart beside the
    team's table; each row also gets `.organisation_percent` for that table."""
    for row in team_dimensions:
        mean = organisation.get(row.dimension.pk)
        row.organisation_percent = None if mean is None else round(mean * 100)
    return charts.comparison_radar(
        [row.dimension.label for row in team_dimensions],
        [row.mean for row in team_dimensions],
        [organisation.get(row.dimension.pk) for row in team_dimensions],
    )


@login_required
def team_dashboard(request):
    """Each team I supervise: members with their assigned courses (overdue first), nearest
    due date, days overdue, progress, last activity, overall attitude and its trend, and
    critical choices; the team's attitude profile as a chart and a table beside the
    organisation's mean. People can be selected for a bulk action. A fixed number of queries
    whatever the number of teams, members, assignments or evidence."""
    if not request.user.is_supervisor:
        raise PermissionDenied
    today = timezone.localdate()
    teams = list(
        request.user.supervised_teams.order_by("name").prefetch_related(
            Prefetch(
                "memberships",
                queryset=_members(request.user, today),
                to_attr="current_memberships",
            )
        )
    )
    member_ids = [m.person_id for team in teams for m in team.current_memberships]
    assignments = {}
    for person, title, status in (
        managed_assignments(request.user, today)
        .filter(person__in=member_ids)
        .values_list("person", "course__title", "status")
    ):
        assignments.setdefault(person, []).append(
            {"title": title, "status": status, "label": AssignmentStatus(status).label}
        )
    dimensions = list(ServiceDimension.objects.all())
    scores = scores_by_person(member_ids, dimensions)
    summaries = learning_summaries(member_ids, today) if member_ids else {}
    trends = overall_trends(member_ids, dimensions) if member_ids else {}
    organisation = organisation_profile(dimensions) if member_ids else {}
    for team in teams:
        for membership in team.current_memberships:
            membership.assignments = assignments.get(membership.person_id, [])
            membership.overall = overall_percent(scores.get(membership.person_id, []))
            membership.critical_url = review_url(membership.critical_reference)
            membership.learning = summaries.get(membership.person_id)
            membership.trend = trends.get(membership.person_id)
        team.attitude = team_profile(
            [m.person_id for m in team.current_memberships], scores=scores, dimensions=dimensions
        )
        team.chart = _team_chart(team.attitude, organisation)
        team.chart_id = f"team-chart-{team.pk}"
    follow_ups = list(
        CoachingNote.objects.follow_ups_due(author=request.user, today=today)
        .filter(person__in=visible_people(request.user).values("pk"))
        .select_related("person")[: FOLLOW_UPS_SHOWN + 1]
    )
    return render(
        request,
        "certification/team_dashboard.html",
        {
            "teams": teams,
            "bulk_form": BulkActionForm(actor=request.user),
            "follow_ups": follow_ups,
        },
    )


@login_required
def agent_detail(request, pk):
    """One agent for their supervisor or HR: progress, attempts, role-plays, and the coaching
    notes on them (private ones and shared feedback, read or not yet), newest first."""
    person = get_object_or_404(User, pk=pk)
    viewer = request.user
    if person.pk == viewer.pk or not (viewer.is_supervisor or viewer.is_hr):
        raise PermissionDenied
    if not can_view_records(viewer, person):
        raise Http404
    form = CoachingNoteForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        save_note(request, person, form)
        return redirect("certification:agent_detail", pk=person.pk)
    courses = list(learner_courses(person))
    for course in courses:
        course.progress = percent(course.done_steps, course.required_steps)
    notes = Paginator(
        CoachingNote.objects.filter(person=person)
        .with_history()
        .select_related("attempt__quiz", "run__scenario"),
        NOTES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    for note in notes:
        # The page itself was opened through can_view_records: the viewer coaches the person.
        note.editable = can_edit_coaching_note(viewer, note, may_coach=True)
    return render(
        request,
        "certification/agent_detail.html",
        {
            "person": person,
            "courses": [c for c in courses if c.started_at],
            "attempts": Attempt.objects.submitted()
            .filter(person=person)
            .select_related("quiz")
            .order_by("-submitted_at")[:20],
            "runs": Run.objects.filter(person=person, finished_at__isnull=False)
            .select_related("scenario")
            .order_by("-finished_at")[:20],
            "retakes": Retake.objects.with_done()
            .filter(person=person)
            .select_related("step", "requested_by")[:20],
            "notes": notes,
            "note_form": form,
            "action": request.path,
        },
    )
