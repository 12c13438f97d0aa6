from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from people.forms import search_text
from people.policy import can_manage_people, manageable_teams

from . import services
from .forms import AssignForm, DueDateForm, OnboardingRuleForm
from .models import Assignment, AssignmentEvent, OnboardingRule
from .selectors import (
    learner_assignments,
    learner_courses,
    managed_assignments,
    percent,
    search_course_content,
)
from .services import AssignmentRefused, assign_course


@login_required
def my_learning(request):
    """“Mi aprendizaje”: my assignments first (soonest due first), then the courses in
    progress, then the rest of the catalogue."""
    courses = list(learner_courses(request.user))
    for course in courses:
        course.progress = percent(course.done_steps, course.required_steps)
    by_id = {course.pk: course for course in courses}
    assignments = [a for a in learner_assignments(request.user) if a.course_id in by_id]
    for assignment in assignments:
        assignment.course_progress = by_id[assignment.course_id]
    assigned = {a.course_id for a in assignments}
    in_progress = [
        c for c in courses if c.started_at and not c.completed_at and c.pk not in assigned
    ]
    others = [c for c in courses if c not in in_progress and c.pk not in assigned]
    return render(
        request,
        "courses/my_learning.html",
        {"assignments": assignments, "in_progress": in_progress, "others": others},
    )


def _require_manager(user):
    if not manageable_teams(user).exists():
        raise PermissionDenied


@login_required
def team_assignments(request):
    """The assignments of the teams I direct, overdue first."""
    _require_manager(request.user)
    page = Paginator(managed_assignments(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "courses/team_assignments.html", {"page_obj": page})


@login_required
def assign(request):
    _require_manager(request.user)
    form = AssignForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if not form.first_submission(request.user):
                    return redirect("courses:team_assignments")  # a repeated submit
                created = assign_course(
                    actor=request.user,
                    course=data["course"],
                    team=data["team"],
                    due_on=data["due_on"],
                    people=list(data["people"]) or None,
                    note=data["note"],
                )
        except AssignmentRefused:
            raise PermissionDenied from None
        messages.success(
            request,
            ngettext(
                "%(count)d person was assigned “%(course)s”.",
                "%(count)d people were assigned “%(course)s”.",
                len(created),
            )
            % {"count": len(created), "course": data["course"].title},
        )
        return redirect("courses:team_assignments")
    return render(request, "courses/assign.html", {"form": form})


def _managed_assignment(request, pk):
    assignment = get_object_or_404(Assignment.objects.active().select_related("person"), pk=pk)
    if not managed_assignments(request.user).filter(pk=pk).exists():
        raise Http404
    return assignment


@login_required
def change_due_date(request, pk):
    assignment = _managed_assignment(request, pk)
    form = DueDateForm(request.POST or None, initial={"due_on": assignment.due_on})
    if request.method == "POST" and form.is_valid():
        services.change_due_date(
            actor=request.user, assignment=assignment, due_on=form.cleaned_data["due_on"]
        )
        messages.success(request, _("The due date was changed."))
        return redirect("courses:team_assignments")
    return render(
        request, "courses/assignment_due_date.html", {"form": form, "assignment": assignment}
    )


@login_required
def withdraw_assignment(request, pk):
    """Withdrawing asks for confirmation first (GET), then happens on POST."""
    assignment = _managed_assignment(request, pk)
    if request.method == "POST":
        services.withdraw(actor=request.user, assignment=assignment)
        messages.success(request, _("The assignment was withdrawn."))
        return redirect("courses:team_assignments")
    return render(request, "courses/assignment_withdraw.html", {"assignment": assignment})


@login_required
def search(request):
    query = search_text(request.GET.get("q"), 200)
    page = None
    if query:
        page = Paginator(search_course_content(query), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/search.html",
        {"query": query, "page_obj": page, "querystring": urlencode({"q": query}) if query else ""},
    )


@login_required
def onboarding_rules(request):
    """HR: the courses every new agent gets, and a form to add one."""
    if not can_manage_people(request.user):
        raise PermissionDenied
    form = OnboardingRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.create_onboarding_rule(
            actor=request.user, course=form.cleaned_data["course"], days=form.cleaned_data["days"]
        )
        messages.success(request, _("New agents will get this course."))
        return redirect("courses:onboarding_rules")
    rules = OnboardingRule.objects.filter(is_active=True).select_related("course", "created_by")
    return render(request, "courses/onboarding_rules.html", {"form": form, "rules": rules})


@login_required
def audit_log(request):
    """HR: every assignment event, searchable by person, course or actor."""
    if not can_manage_people(request.user):
        raise PermissionDenied
    query = search_text(request.GET.get("q"), 100)
    events = AssignmentEvent.objects.select_related(
        "assignment__person", "assignment__course", "actor"
    ).order_by("-at")
    if query:
        events = events.filter(
            Q(assignment__person__full_name__icontains=query)
            | Q(assignment__person__email__icontains=query)
            | Q(assignment__course__title__icontains=query)
            | Q(actor__full_name__icontains=query)
        )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/audit_log.html",
        {"page_obj": page, "query": query, "querystring": urlencode({"q": query}) if query else ""},
    )
