"""Reads for the learner's pages: outlines and progress, in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from people.models import by_name

from .models import CoursePage, CourseStep, Enrolment, Reflection, StepCompletion


def live_steps(course):
    """The course's published steps in tree order (moving a page re-orders the course)."""
    return CourseStep.objects.child_of(course).live().order_by("path")


def _count(queryset):
    return Coalesce(
        Subquery(
            queryset.order_by()
            .annotate(group=Value(1))
            .values("group")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def percent(done, total):
    return round(100 * done / total) if total else 0


def learner_courses(person):
    """Live courses, each annotated with its required steps, the ones `person` has done, and
    their enrolment dates. Progress counts required, published steps only."""
    required = CourseStep.objects.live().filter(
        is_required=True, path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1
    )
    done = StepCompletion.objects.filter(
        person=person.pk,
        course=OuterRef("pk"),
        step__is_required=True,
        step__live=True,
    )
    enrolment = Enrolment.objects.filter(person=person.pk, course=OuterRef("pk"))
    new_since_completion = (
        CourseStep.objects.live()
        .filter(
            is_required=True,
            path__startswith=OuterRef("path"),
            depth=OuterRef("depth") + 1,
            first_published_at__gt=OuterRef("completed_at"),
        )
        .exclude(completions__person=person.pk)
    )
    return (
        CoursePage.objects.live()
        .annotate(
            required_steps=_count(required),
            done_steps=_count(done),
            started_at=Subquery(enrolment.values("started_at")[:1]),
            completed_at=Subquery(enrolment.values("completed_at")[:1]),
            last_visited_at=Subquery(enrolment.values("last_visited_at")[:1]),
        )
        .annotate(new_steps=_count(new_since_completion))
        .select_related("cover_image")
        .order_by("path")
    )


@dataclass
class StepState:
    step: CourseStep
    done: bool
    number: int
    new: bool = False  # published after the learner finished the course, not done yet


@dataclass
class Outline:
    steps: list
    required: int
    done_required: int
    resume_step: CourseStep | None
    enrolment: Enrolment | None

    @property
    def completed(self):
        return bool(self.enrolment and self.enrolment.completed_at)

    @property
    def new_steps(self):
        return sum(1 for s in self.steps if s.new)

    @property
    def percent(self):
        """A finished course stays finished: steps published since are new content, announced
        as such, not a progress bar that drops under the learner's feet."""
        return 100 if self.completed else percent(self.done_required, self.required)


_UNREAD = object()


def enrolment_in(course_id, person):
    """The person's enrolment in the course, with the course itself, in one query (None if
    they never opened it)."""
    return (
        Enrolment.objects.select_related("course")
        .filter(person=person.pk, course_id=course_id)
        .first()
    )


def course_outline(course, person, enrolment=_UNREAD):
    """The course's steps with what `person` has done, and where to resume: the step they
    last opened if it is not done yet, otherwise the first step not done. Pass the person's
    `enrolment` (or None) when it has been read already."""
    done = StepCompletion.objects.filter(person=person.pk, step=OuterRef("pk"))
    rows = live_steps(course).annotate(is_done=Exists(done))
    # Each step in its own kind (lesson, quiz, role-play) without a query per kind: only
    # the fields every step shares are read.
    steps = [(row.specific_deferred, row.is_done) for row in rows]
    done_ids = {step.pk for step, is_done in steps if is_done}
    if enrolment is _UNREAD:
        enrolment = Enrolment.objects.filter(person=person.pk, course=course).first()
    finished = enrolment.completed_at if enrolment else None
    states = [
        StepState(
            step,
            step.pk in done_ids,
            n,
            new=bool(
                finished
                and step.pk not in done_ids
                and step.first_published_at
                and step.first_published_at > finished
            ),
        )
        for n, (step, _is_done) in enumerate(steps, start=1)
    ]
    resume = None
    if enrolment and enrolment.last_step_id not in done_ids:
        resume = next((s.step for s in states if s.step.pk == enrolment.last_step_id), None)
    if resume is None:
        resume = next((s.step for s in states if not s.done), None)
    required = [s for s in states if s.step.is_required]
    return Outline(
        steps=states,
        required=len(required),
        done_required=sum(1 for s in required if s.done),
        resume_step=resume,
        enrolment=enrolment,
    )


def lesson_context(lesson, person, enrolment=_UNREAD):
    """What a lesson page shows besides its content: the course outline, the previous and
    next steps, whether it is done, and the learner's own reflections (read only when the
    lesson asks for any)."""
    course = lesson.course
    outline = course_outline(course, person, enrolment)
    index = next((i for i, s in enumerate(outline.steps) if s.step.pk == lesson.pk), None)
    reflections = {}
    if any(item["type"] == "reflection" for item in lesson.body.raw_data):
        reflections = dict(
            Reflection.objects.filter(person=person.pk, lesson=lesson).values_list(
                "block_id", "text"
            )
        )
    if index is None:  # a draft seen in preview: not part of the published course yet
        return {
            "course": course,
            "outline": outline,
            "reflections": reflections,
            "step_number": None,
            "is_done": False,
            "previous_step": None,
            "next_step": None,
        }
    return {
        "course": course,
        "outline": outline,
        "step_number": index + 1,
        "is_done": outline.steps[index].done,
        "previous_step": outline.steps[index - 1].step if index > 0 else None,
        "next_step": outline.steps[index + 1].step if index + 1 < len(outline.steps) else None,
        "reflections": reflections,
    }


def search_course_content(query):
    """Live courses and course steps of every kind (lessons, quizzes, role-plays) matching
    `query`, best first, through Wagtail search."""
    from wagtail.models import Page

    return Page.objects.live().type(CoursePage, CourseStep).specific().search(query)


def with_courses(results):
    """The search results of one page, each step given `.found_in` (its course), in one query
    whatever the number of results."""
    results = list(results)
    parents = {r.path[: -r.steplen] for r in results if isinstance(r, CourseStep)}
    courses = {c.path: c for c in CoursePage.objects.filter(path__in=parents)}
    for result in results:
        result.found_in = (
            courses.get(result.path[: -result.steplen]) if isinstance(result, CourseStep) else None
        )
    return results


def learner_assignments(person, today=None):
    """The person's active assignments, soonest due first, each with its derived status."""
    from .models import Assignment

    return (
        Assignment.objects.active()
        .filter(person=person)
        .with_status(today)
        .select_related("course")
        .order_by("due_on", "course__path")
    )


def already_assigned(*, course, team, people=None):
    """The active assignments of `course` held by `team`'s current members (or by the chosen
    `people` among them): who an assignment of it would leave as they are."""
    from people.models import Membership

    from .models import Assignment

    members = Membership.objects.current().filter(team=team).values("person")
    held = Assignment.objects.active().filter(course=course, person__in=members)
    if people:
        held = held.filter(person__in=[p.pk for p in people])
    return held.select_related("person").order_by(*by_name("person__"))


def managed_assignments(viewer, today=None):
    """The active assignments of the people `viewer` directs: overdue first, then by due
    date. HR sees every team's; a supervisor their teams' (the access policy decides)."""
    from django.db.models import Case, IntegerField, Value, When
    from django.utils import timezone

    from people.models import Membership
    from people.policy import manageable_teams

    from .models import Assignment, AssignmentQuerySet

    today = today or timezone.localdate()
    members = Membership.objects.current().filter(team__in=manageable_teams(viewer))
    return (
        Assignment.objects.active()
        .filter(person__in=members.values("person"))
        .with_status(today)
        .annotate(
            # Sorting on `status` itself would compute every row's status (three look-ups
            # each, at 50,000 agents 2 s); this needs one look-up for the past-due rows, and
            # PostgreSQL computes `status` for the rows of the page only.
            overdue_first=Case(
                When(AssignmentQuerySet.is_overdue(today), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("person", "course")
        .order_by("overdue_first", "due_on", *by_name("person__"))
    )


def onboarding_reach(*, course, days, now=None):
    """Whom a new onboarding rule for `course` within `days` days reaches at once: active
    agents who joined within the last `days` days and have no active assignment of the
    course (those keep theirs). The preview counts them and the rule assigns them."""
    from datetime import timedelta

    from django.utils import timezone

    from people.models import Role, User

    from .models import Assignment

    since = (now or timezone.now()) - timedelta(days=days)
    having_it = Assignment.objects.active().filter(course=course).values("person")
    return (
        User.objects.with_role(Role.AGENT)
        .filter(is_active=True, date_joined__gte=since)
        .exclude(pk__in=having_it)
        .order_by(*by_name())
    )


def filtered_assignments(viewer, data):
    """The form of the assignments list's filters and the active assignments of the people
    `viewer` directs that they select (managed_assignments' order). Filters the form rejects
    are not applied; the form shows why."""
    from django.db.models import Q

    from people.models import Membership

    from .forms import AssignmentFilterForm

    form = AssignmentFilterForm(data or None, viewer=viewer)
    assignments = managed_assignments(viewer)
    if form.is_bound and form.is_valid():
        filters = form.cleaned_data
        if filters["team"]:
            members = Membership.objects.current().filter(team=filters["team"])
            assignments = assignments.filter(person__in=members.values("person"))
        if filters["course"]:
            assignments = assignments.filter(course=filters["course"])
        if filters["status"]:
            assignments = assignments.filter(status=filters["status"])
        if filters["q"]:
            assignments = assignments.filter(
                Q(person__full_name__icontains=filters["q"])
                | Q(person__email__icontains=filters["q"])
            )
    return form, assignments
