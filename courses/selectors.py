"""Reads for the learner's pages: outlines and progress, in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from people.models import by_name

from .models import (
    CoursePage,
    CourseStep,
    Enrolment,
    Reflection,
    StepCompletion,
    StepStart,
    counting_steps,
)


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
    their enrolment dates. Progress counts required, published steps only (counting_steps)."""
    required = CourseStep.objects.filter(
        counting_steps(), path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1
    )
    done = StepCompletion.objects.filter(
        counting_steps("step__"), person=person.pk, course=OuterRef("pk")
    )
    enrolment = Enrolment.objects.filter(person=person.pk, course=OuterRef("pk"))
    new_since_completion = CourseStep.objects.filter(
        counting_steps(),
        path__startswith=OuterRef("path"),
        depth=OuterRef("depth") + 1,
        first_published_at__gt=OuterRef("completed_at"),
    ).exclude(completions__person=person.pk)
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
    started: bool = False  # opened before (a StepStart; kept for lessons)


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
    started = StepStart.objects.filter(person=person.pk, step=OuterRef("pk"))
    rows = list(live_steps(course).annotate(is_done=Exists(done), is_started=Exists(started)))
    # Each step in its own kind (lesson, quiz, role-play) without a query per kind: only
    # the fields every step shares are read.
    steps = [(row.specific_deferred, row.is_done) for row in rows]
    started_ids = {row.pk for row in rows if row.is_started}
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
            started=step.pk in started_ids,
        )
        for n, (step, _is_done) in enumerate(steps, start=1)
    ]
    resume = None
    if enrolment and enrolment.last_step_id not in done_ids:
        resume = next((s.step for s in states if s.step.pk == enrolment.last_step_id), None)
    if resume is None:
        resume = next((s.step for s in states if not s.done), None)
    required = [s for s in states if s.step.counts_for_progress]
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
            "is_started": True,  # a draft in preview: nothing to report
            "previous_step": None,
            "next_step": None,
        }
    return {
        "course": course,
        "outline": outline,
        "step_number": index + 1,
        "is_done": outline.steps[index].done,
        "is_started": outline.steps[index].started,
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


@dataclass
class NextStep:
    """The one thing to do next: a step of a course, its number in the course, and the due
    date of the course's assignment (None when the course is not assigned)."""

    step: CourseStep
    number: int
    course: CoursePage
    due_on: date | None = None


def _urgency(due_on, last_visited_at):
    """Overdue first, then the soonest due, then the most recently visited (a course that is
    not assigned comes after every assigned one)."""
    visited = last_visited_at.timestamp() if last_visited_at else 0
    return (due_on is None, due_on or date.max, -visited)


def next_step(person, today=None):
    """The first unfinished required step of the most urgent course the person has to do —
    their assigned courses not completed and the courses they opened and have not finished:
    overdue first, then the soonest due, then the most recently visited. None when nothing is
    assigned or in progress. Three queries whatever the number of courses or steps."""
    from django.db.models import Q
    from django.utils import timezone

    from .models import AssignmentStatus

    today = today or timezone.localdate()
    candidates = {}  # course id → [course, due_on, last_visited_at]
    assignments = (
        learner_assignments(person, today)
        .filter(course__live=True)
        .exclude(status=AssignmentStatus.COMPLETED)
    )
    for assignment in assignments:
        candidates[assignment.course_id] = [assignment.course, assignment.due_on, None]
    open_enrolments = Enrolment.objects.filter(
        person=person.pk, completed_at__isnull=True, course__live=True
    ).select_related("course")
    for enrolment in open_enrolments:
        entry = candidates.setdefault(enrolment.course_id, [enrolment.course, None, None])
        entry[2] = enrolment.last_visited_at
    if not candidates:
        return None
    in_courses = Q()
    for course, _due, _visited in candidates.values():
        in_courses |= Q(path__startswith=course.path, depth=course.depth + 1)
    done = StepCompletion.objects.filter(person=person.pk, step=OuterRef("pk"))
    steps_by_course = {}
    for row in (
        CourseStep.objects.live().filter(in_courses).annotate(is_done=Exists(done)).order_by("path")
    ):
        steps_by_course.setdefault(row.path[: -row.steplen], []).append(row)
    for course, due_on, _visited in sorted(
        candidates.values(), key=lambda entry: _urgency(entry[1], entry[2])
    ):
        steps = steps_by_course.get(course.path, [])
        for number, row in enumerate(steps, start=1):
            if row.counts_for_progress and not row.is_done:
                return NextStep(
                    step=row.specific_deferred,
                    number=number,
                    course=course,
                    due_on=due_on,
                )
    return None


def due_soon(person, today=None, within_days=14):
    """The person's assignments still to finish that are overdue or due within
    `within_days` days, soonest first, each with its derived status."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import AssignmentStatus

    today = today or timezone.localdate()
    return (
        learner_assignments(person, today)
        .filter(course__live=True, due_on__lte=today + timedelta(days=within_days))
        .exclude(status=AssignmentStatus.COMPLETED)
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


@dataclass
class LearningSummary:
    """One person's assigned learning at a glance, for their supervisor."""

    nearest_due: object = None  # the soonest due date of a course not completed yet
    oldest_overdue: object = None  # the earliest due date already missed
    required: int = 0
    done: int = 0
    last_activity: object = None
    today: object = None

    @property
    def days_overdue(self):
        return (self.today - self.oldest_overdue).days if self.oldest_overdue else 0

    @property
    def percent(self):
        return percent(self.done, self.required) if self.required else None


def learning_summaries(people, today=None):
    """{person id: LearningSummary} for `people` (ids or a QuerySet already limited by the
    access policy), in two queries whatever their number.

    - nearest due: the soonest due date among their active assignments not completed;
    - days overdue: days since the earliest due date they missed (an active assignment past
      its due date whose course is not completed, as `AssignmentQuerySet.is_overdue` says);
    - progress: required published steps done over required published steps, across the
      courses of their active assignments; a completed course counts as fully done (as on
      Mi aprendizaje: steps published after completion are new content, not lost progress);
    - last activity: the latest of a course visit, a step done, or a scored quiz or role-play.
    """
    from django.db.models import Case, F, Max, Min, Q, Sum, When
    from django.utils import timezone

    from attitude.models import EvidenceRecord
    from people.models import User

    from .models import Assignment, AssignmentQuerySet

    today = today or timezone.localdate()
    required = CourseStep.objects.filter(
        counting_steps(),
        path__startswith=OuterRef("course__path"),
        depth=OuterRef("course__depth") + 1,
    )
    done = StepCompletion.objects.filter(
        counting_steps("step__"), person=OuterRef("person"), course=OuterRef("course")
    )
    completed = Enrolment.objects.filter(
        person=OuterRef("person"), course=OuterRef("course"), completed_at__isnull=False
    )
    rows = (
        Assignment.objects.active()
        .filter(person__in=people)
        .annotate(
            required_steps=_count(required),
            done_steps=_count(done),
            is_completed=Exists(completed),
        )
        .values("person")
        .annotate(
            nearest_due=Min("due_on", filter=Q(is_completed=False)),
            oldest_overdue=Min("due_on", filter=AssignmentQuerySet.is_overdue(today)),
            required=Sum("required_steps"),
            done=Sum(
                Case(
                    When(is_completed=True, then=F("required_steps")),
                    default=F("done_steps"),
                )
            ),
        )
        .order_by()
    )
    summaries = {
        row["person"]: LearningSummary(
            nearest_due=row["nearest_due"],
            oldest_overdue=row["oldest_overdue"],
            required=row["required"] or 0,
            done=row["done"] or 0,
            today=today,
        )
        for row in rows
    }

    def latest(queryset, field):
        return Subquery(
            queryset.filter(person=OuterRef("pk"))
            .order_by()
            .values("person")
            .annotate(at=Max(field))
            .values("at")
        )

    # The latest of three dates is taken here rather than with Greatest(): on PostgreSQL
    # GREATEST skips NULLs, on SQLite MAX() of a NULL is NULL, and most people lack one.
    for person, *dates in (
        User.objects.filter(pk__in=people)
        .annotate(
            visited=latest(Enrolment.objects, "last_visited_at"),
            stepped=latest(StepCompletion.objects, "completed_at"),
            scored=latest(EvidenceRecord.objects, "recorded_at"),
        )
        .values_list("pk", "visited", "stepped", "scored")
    ):
        known = [d for d in dates if d is not None]
        if known:
            summaries.setdefault(person, LearningSummary(today=today)).last_activity = max(known)
    return summaries


@dataclass
class BulkPlan:
    """What a bulk action will do, for its confirmation page and then for the service: the
    people it gives the course to (assign) or the assignments it acts on (the others), how
    many people it touches, how many emails it sends, and how many it leaves as they are."""

    action: str
    course: object = None
    due_on: object = None
    people: list = None  # assign: who gets the course
    assignments: list = None  # extend, withdraw, remind
    unchanged: list = None  # people (assign) or assignments (extend) already so
    email_count: int = 0  # the emails it sends, as each person's preferences decide

    @property
    def label(self):
        from .models import BulkAction

        return BulkAction(self.action).label

    @property
    def person_count(self):
        if self.people is not None:
            return len(self.people)
        return len({a.person_id for a in self.assignments})

    @property
    def names(self):
        """The people touched, in Spanish order of name (the page lists the first ones)."""
        people = self.people if self.people is not None else [a.person for a in self.assignments]
        return sorted({p.pk: p for p in people}.values(), key=lambda p: p.full_name.lower())


def bulk_plan(*, action, people=(), assignments=(), course=None, due_on=None, today=None):
    """Whom a bulk action reaches, from the people or the assignments ticked (both already
    limited by the access policy, through the form's choices):
    - assign `course` by `due_on`: the people ticked, or the people of the assignments
      ticked, except those who already have it active (they keep theirs);
    - change the due date, withdraw, remind: the assignments ticked, or, for people ticked,
      their active assignment of `course` (any course for a reminder when none is chosen);
      completed ones are left out, and a due date already `due_on` stays as it is.
    The emails are counted as `notify` will send them: assigning emails everyone it gives
    the course to; a new date or a reminder emails those who want that kind by email;
    withdrawing emails no one. Four queries at most, whatever the number ticked."""
    from people.models import Channel, Notification
    from people.notifications import people_wanting

    from .models import Assignment, AssignmentStatus, BulkAction
    from .notifications import reminder_kind

    def emails(kind, rows):
        wanting = people_wanting({a.person_id for a in rows}, kind, Channel.EMAIL)
        return sum(1 for a in rows if a.person_id in wanting)

    today = today or timezone.localdate()
    if action == BulkAction.ASSIGN:
        chosen = {p.pk: p for p in people}
        for assignment in assignments:
            chosen.setdefault(assignment.person_id, assignment.person)
        having = set(
            Assignment.objects.active()
            .filter(course=course, person__in=list(chosen))
            .values_list("person", flat=True)
        )
        given = [p for pk, p in chosen.items() if pk not in having]
        wanting = people_wanting({p.pk for p in given}, Notification.Kind.ASSIGNED, Channel.EMAIL)
        return BulkPlan(
            action=action,
            course=course,
            due_on=due_on,
            people=given,
            unchanged=[p for pk, p in chosen.items() if pk in having],
            email_count=sum(1 for p in given if p.pk in wanting),
        )
    if people:
        rows = Assignment.objects.active().filter(person__in=[p.pk for p in people])
        if course is not None:
            rows = rows.filter(course=course)
    else:
        rows = Assignment.objects.filter(pk__in=[a.pk for a in assignments]).active()
    rows = list(
        rows.with_status(today)
        .exclude(status=AssignmentStatus.COMPLETED)
        .select_related("person", "course")
        .order_by(*by_name("person__"), "course__path")
    )
    unchanged, count = [], 0
    if action == BulkAction.EXTEND:
        unchanged = [a for a in rows if a.due_on == due_on]
        rows = [a for a in rows if a.due_on != due_on]
        count = emails(Notification.Kind.DUE_DATE_CHANGED, rows)
    elif action == BulkAction.REMIND:
        for kind in {reminder_kind(a) for a in rows}:
            count += emails(kind, [a for a in rows if reminder_kind(a) == kind])
    return BulkPlan(
        action=action,
        course=course,
        due_on=due_on,
        assignments=rows,
        unchanged=unchanged,
        email_count=count,
    )
