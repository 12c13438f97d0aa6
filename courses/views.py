import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from people.forms import filters_querystring, search_text
from people.models import by_name
from people.policy import can_manage_people, manageable_teams

from . import audit, exports, services
from .forms import AssignForm, BulkActionForm, DueDateForm, OnboardingRuleForm
from .models import Assignment, BulkAction, OnboardingRule
from .selectors import (
    already_assigned,
    bulk_plan,
    filtered_assignments,
    learner_assignments,
    learner_courses,
    managed_assignments,
    onboarding_reach,
    percent,
    search_course_content,
    with_courses,
)
from .services import AssignmentRefused, assign_course

PREVIEW_NAMES = 50  # names listed in a preview; the count covers everyone


@login_required
def my_learning(request):
    """“Mi aprendizaje”: my assignments first (soonest due first), then the courses in
    progress, then the rest of the catalogue."""
    courses = list(learner_courses(request.user))
    for course in courses:
        # A finished course stays at 100 %; steps published since show as new content.
        course.progress = (
            100 if course.completed_at else percent(course.done_steps, course.required_steps)
        )
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
    """The assignments of the teams I direct, overdue first, narrowed by the filters;
    those ticked can be acted on at once (see bulk_action)."""
    _require_manager(request.user)
    form, assignments = filtered_assignments(request.user, request.GET)
    page = Paginator(assignments, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/team_assignments.html",
        {
            "page_obj": page,
            "form": form,
            "querystring": filters_querystring(request),
            "bulk_form": BulkActionForm(actor=request.user),
        },
    )


@login_required
def team_assignments_export(request, fmt):
    """The assignments the filters in the URL select (every page), as CSV or XLSX."""
    _require_manager(request.user)
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    _form, assignments = filtered_assignments(request.user, request.GET)
    return exports.assignments_response(assignments, fmt)


def _bulk_done_message(plan, count):
    if plan.action == BulkAction.ASSIGN:
        text = ngettext(
            "%(count)d person was assigned “%(course)s”.",
            "%(count)d people were assigned “%(course)s”.",
            count,
        )
    elif plan.action == BulkAction.EXTEND:
        text = ngettext(
            "The due date of %(count)d assignment was changed.",
            "The due date of %(count)d assignments was changed.",
            count,
        )
    elif plan.action == BulkAction.WITHDRAW:
        text = ngettext(
            "%(count)d assignment was withdrawn.", "%(count)d assignments were withdrawn.", count
        )
    else:
        text = ngettext("%(count)d reminder was sent.", "%(count)d reminders were sent.", count)
    return text % {"count": count, "course": plan.course.title if plan.course else ""}


@login_required
def bulk_action(request):
    """One action on the people ticked on Mi equipo or the assignments ticked on the list:
    the first POST shows what it will do (how many people, how many emails) and asks to
    confirm; the confirming POST does it, once, and returns to the list it came from."""
    _require_manager(request.user)
    if request.method != "POST":
        return redirect("courses:team_assignments")
    back = (
        "certification:team_dashboard"
        if request.POST.get("origin") == "team"
        else "courses:team_assignments"
    )
    if request.POST.get("confirm") and BulkActionForm.already_submitted(request.POST):
        return redirect(back)  # a repeated confirmation
    form = BulkActionForm(request.POST, actor=request.user)
    if not form.is_valid():
        return render(request, "courses/bulk_action.html", {"form": form, "plan": None})
    data = form.cleaned_data
    plan = bulk_plan(
        action=data["action"],
        people=list(data["people"] or []),
        assignments=list(data["assignments"] or []),
        course=data.get("course"),
        due_on=data.get("due_on"),
    )
    if request.POST.get("confirm"):
        try:
            with transaction.atomic():
                if not form.first_submission(request.user):
                    return redirect(back)  # a repeated confirmation
                count = services.apply_bulk_action(actor=request.user, plan=plan)
        except AssignmentRefused:
            raise PermissionDenied from None
        messages.success(request, _bulk_done_message(plan, count))
        return redirect(back)
    names = plan.names
    return render(
        request,
        "courses/bulk_action.html",
        {
            "form": form,
            "plan": plan,
            "names": names[:PREVIEW_NAMES],
            "more": max(0, len(names) - PREVIEW_NAMES),
            "back": back,
            # The list renders a one-time token; a POST from elsewhere gets one here, so
            # that the confirmation is applied once whatever led to it.
            "token": form.submit_token or secrets.token_urlsafe(),
        },
    )


@login_required
def assign(request):
    _require_manager(request.user)
    form = AssignForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(data["people"]) or None
        already = list(already_assigned(course=data["course"], team=data["team"], people=chosen))
        try:
            with transaction.atomic():
                if not form.first_submission(request.user):
                    return redirect("courses:team_assignments")  # a repeated submit
                created = assign_course(
                    actor=request.user,
                    course=data["course"],
                    team=data["team"],
                    due_on=data["due_on"],
                    people=chosen,
                    note=data["note"],
                )
        except AssignmentRefused:
            raise PermissionDenied from None
        if not already:
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
        # Some already had it: say who, with their dates, and offer to move them.
        return render(
            request,
            "courses/assign_result.html",
            {
                "course": data["course"],
                "due_on": data["due_on"],
                "created": created,
                "already": already,
                "movable": [a for a in already if a.due_on != data["due_on"]],
            },
        )
    return render(request, "courses/assign.html", {"form": form})


@login_required
def move_due_dates(request):
    """Move the due date of assignments people already had to the date just chosen (POST)."""
    _require_manager(request.user)
    if request.method != "POST":
        return redirect("courses:team_assignments")
    form = DueDateForm(request.POST)
    ids = [pk for pk in request.POST.getlist("assignments") if pk.isdigit()]
    assignments = list(Assignment.objects.active().filter(pk__in=ids).select_related("person"))
    if not form.is_valid() or not assignments:
        messages.error(request, _("Nothing was changed: choose a valid date and people."))
        return redirect("courses:team_assignments")
    try:
        services.move_due_dates(
            actor=request.user, assignments=assignments, due_on=form.cleaned_data["due_on"]
        )
    except AssignmentRefused:
        raise PermissionDenied from None
    messages.success(
        request,
        ngettext(
            "The due date of %(count)d person was changed; they were told by email.",
            "The due date of %(count)d people was changed; they were told by email.",
            len(assignments),
        )
        % {"count": len(assignments)},
    )
    return redirect("courses:team_assignments")


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
        page.object_list = with_courses(page.object_list)
    return render(
        request,
        "courses/search.html",
        {"query": query, "page_obj": page, "querystring": urlencode({"q": query}) if query else ""},
    )


def _require_hr(user):
    if not can_manage_people(user):
        raise PermissionDenied


@login_required
def onboarding_rules(request):
    """HR: the courses every new agent gets. Adding one shows first whom it reaches now and
    creates nothing; "Confirmar" creates it (assigning and emailing those people); the screen
    then offers to undo it."""
    _require_hr(request.user)
    form = OnboardingRuleForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        course, days = form.cleaned_data["course"], form.cleaned_data["days"]
        if request.POST.get("confirm"):
            try:
                rule = services.create_onboarding_rule(actor=request.user, course=course, days=days)
            except services.OnboardingRuleExists:
                form.add_error(
                    "course",
                    _("There is already a rule for “%(course)s”: undo it first to change it.")
                    % {"course": course.title},
                )
                return _render_rules(request, form)
            count = rule.assigned_at_creation.count()
            messages.success(
                request,
                ngettext(
                    "“%(course)s” was assigned now to %(count)d person, who will get an email. "
                    "New agents will get it within %(days)d days of joining.",
                    "“%(course)s” was assigned now to %(count)d people, who will get an email. "
                    "New agents will get it within %(days)d days of joining.",
                    count,
                )
                % {"course": course.title, "count": count, "days": days},
            )
            return redirect(f"{reverse('courses:onboarding_rules')}?nueva={rule.pk}")
        reach = onboarding_reach(course=course, days=days)
        preview = {"count": reach.count(), "people": list(reach[:PREVIEW_NAMES]), "course": course}
    return _render_rules(request, form, preview)


def _render_rules(request, form, preview=None):
    rules = OnboardingRule.objects.filter(is_active=True).select_related("course", "created_by")
    new_rule = request.GET.get("nueva", "")
    just_created = rules.filter(pk=new_rule).first() if new_rule.isdigit() else None
    return render(
        request,
        "courses/onboarding_rules.html",
        {"form": form, "rules": rules, "preview": preview, "just_created": just_created},
    )


@login_required
def undo_onboarding_rule(request, pk):
    """Undoing a rule asks for confirmation first (GET), then happens on POST."""
    _require_hr(request.user)
    rule = get_object_or_404(
        OnboardingRule.objects.select_related("course"), pk=pk, undone_at__isnull=True
    )
    if request.method == "POST":
        withdrawn = services.undo_onboarding_rule(actor=request.user, rule=rule)
        messages.success(
            request,
            ngettext(
                "The rule for “%(course)s” was undone: %(count)d assignment was withdrawn.",
                "The rule for “%(course)s” was undone: %(count)d assignments were withdrawn.",
                len(withdrawn),
            )
            % {"course": rule.course.title, "count": len(withdrawn)},
        )
        return redirect("courses:onboarding_rules")
    assignments = rule.assigned_at_creation.active().select_related("person")
    return render(
        request,
        "courses/onboarding_rule_undo.html",
        {
            "rule": rule,
            "count": assignments.count(),
            "people": [
                a.person for a in assignments.order_by(*by_name("person__"))[:PREVIEW_NAMES]
            ],
        },
    )


@login_required
def audit_log(request):
    """HR: every audited event (assignments, and the sources other apps register), searchable
    by person, course or programme, or author, and narrowed to one source."""
    if not can_manage_people(request.user):
        raise PermissionDenied
    query, chosen, sources, shown = _audit_filters(request.GET)
    page = Paginator(audit.audit_entries(shown, query), 50).get_page(request.GET.get("page"))
    page.object_list = audit.describe(page.object_list, sources)
    params = {k: v for k, v in {"q": query, "source": chosen}.items() if v}
    return render(
        request,
        "courses/audit_log.html",
        {
            "page_obj": page,
            "query": query,
            "sources": sources,
            "chosen": chosen if len(shown) == 1 else "",
            "querystring": urlencode(params),
        },
    )


def _audit_filters(data):
    """The audit log's search, the chosen source, every source and those shown."""
    query = search_text(data.get("q"), 100)
    sources = audit.audit_sources()
    chosen = data.get("source", "")
    shown = [s for s in sources if s.key == chosen] or sources
    return query, chosen, sources, shown


@login_required
def audit_log_export(request, fmt):
    """HR: the audit log's entries the search selects (every page), as CSV or XLSX."""
    if not can_manage_people(request.user):
        raise PermissionDenied
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    query, _chosen, sources, shown = _audit_filters(request.GET)
    entries = audit.audit_entries(shown, query, with_person=True)
    return exports.audit_response(entries, sources, fmt)
