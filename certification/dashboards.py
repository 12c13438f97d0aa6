"""The supervisor's "Mi equipo": reads from every app, aggregated in a fixed number of
queries whatever the size of the team."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from attitude.selectors import overall_by_person, team_profile
from courses.selectors import learner_courses, managed_assignments, percent
from people.models import Membership, User, by_name
from people.policy import can_view_records
from quizzes.models import Attempt
from scenarios.models import Run

from .forms import CoachingNoteForm
from .models import CoachingNote
from .services import add_coaching_note


@login_required
def team_dashboard(request):
    """Each team I supervise: members × assigned courses with status (overdue first), each
    member's overall attitude and critical choices, and the team's attitude profile."""
    if not request.user.is_supervisor:
        raise PermissionDenied
    teams = list(
        request.user.supervised_teams.order_by("name").prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.current()
                .exclude(person=request.user)
                .select_related("person")
                .order_by(*by_name("person__")),
                to_attr="current_memberships",
            )
        )
    )
    member_ids = [m.person_id for team in teams for m in team.current_memberships]
    assignments = {}
    for assignment in managed_assignments(request.user).filter(person__in=member_ids):
        assignments.setdefault(assignment.person_id, []).append(assignment)
    attitude = overall_by_person(member_ids)
    for team in teams:
        for membership in team.current_memberships:
            membership.assignments = assignments.get(membership.person_id, [])
            membership.overall, membership.critical = attitude.get(membership.person_id, (None, 0))
            membership.overdue = sum(1 for a in membership.assignments if a.status == "vencido")
        team.current_memberships.sort(key=lambda m: (-m.overdue, m.person.full_name))
        team.attitude = team_profile([m.person_id for m in team.current_memberships])
    return render(request, "certification/team_dashboard.html", {"teams": teams})


@login_required
def agent_detail(request, pk):
    """One agent for their supervisor or HR: progress, attempts, role-plays, coaching notes
    (which the agent never sees)."""
    person = get_object_or_404(User, pk=pk)
    viewer = request.user
    if person.pk == viewer.pk or not (viewer.is_supervisor or viewer.is_hr):
        raise PermissionDenied
    if not can_view_records(viewer, person):
        raise Http404
    form = CoachingNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if form.first_submission(viewer):
                add_coaching_note(person=person, author=viewer, text=form.cleaned_data["text"])
                messages.success(request, _("The note was saved. The agent does not see it."))
        return redirect("certification:agent_detail", pk=person.pk)
    courses = list(learner_courses(person))
    for course in courses:
        course.progress = percent(course.done_steps, course.required_steps)
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
            "notes": CoachingNote.objects.filter(person=person).select_related("author"),
            "form": form,
        },
    )
