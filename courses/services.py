"""Writes for learners: enrolment, progress and reflections."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from people.text import plain_text

from .models import (
    Assignment,
    AssignmentEvent,
    CourseStep,
    Enrolment,
    Reflection,
    StepCompletion,
    StepStart,
    TeamAssignment,
)
from .selectors import live_steps

MAX_REFLECTION_LENGTH = 5000


def record_visit(*, person, course, step=None, enrolment=None):
    """A person is enrolled in a course the first time they open it or one of its steps; the
    step they open becomes the place to resume. Pass the `enrolment` already read, if any,
    to save reading it again; it is returned updated."""
    changes = {"last_visited_at": timezone.now()}
    if step is not None:
        changes["last_step"] = step
    if enrolment is None:
        enrolment, created = Enrolment.objects.get_or_create(
            person=person, course=course, defaults=changes
        )
        if created:
            return enrolment
    Enrolment.objects.filter(pk=enrolment.pk).update(**changes)
    for field, value in changes.items():
        setattr(enrolment, field, value)
    return enrolment


@dataclass
class StepResult:
    completion: StepCompletion
    course_completed: bool
    next_step: CourseStep | None
    enrolment: Enrolment | None = None


@transaction.atomic
def complete_step(*, person, step, event=None):
    """Marking a step done is idempotent. The course is completed, once, when every step that
    counts for progress (courses.models.COUNTS_FOR_PROGRESS: required, published) is done;
    then `lifecycle.course_completed` is sent after commit, with `event` (the lifecycle
    event that finished the step, if any).
    Steps are finished through `courses.lifecycle.finish`, which calls this."""
    from .lifecycle import announce_course_completed

    course = step.course
    enrolment, _ = Enrolment.objects.select_for_update().get_or_create(person=person, course=course)
    completion, _ = StepCompletion.objects.get_or_create(
        person=person, step=step, defaults={"course": course}
    )
    steps = list(live_steps(course).only("pk", "path", "is_required", "live"))
    done_ids = set(
        StepCompletion.objects.filter(person=person, course=course).values_list(
            "step_id", flat=True
        )
    )
    just_completed = False
    counting = [s for s in steps if s.counts_for_progress]
    if enrolment.completed_at is None and all(s.pk in done_ids for s in counting):
        enrolment.completed_at = timezone.now()
        enrolment.save(update_fields=["completed_at"])
        just_completed = True
        record_completion(person=person, course=course)
        announce_course_completed(person=person, course=course, enrolment=enrolment, event=event)
    position = next((i for i, s in enumerate(steps) if s.pk == step.pk), len(steps))
    pending = [s for s in steps[position + 1 :] + steps[:position] if s.pk not in done_ids]
    following = pending[0] if pending else None
    return StepResult(
        completion=completion,
        course_completed=just_completed,
        next_step=following.specific if following else None,
        enrolment=enrolment,
    )


def _lesson_name(lesson, person):
    """The prefix of a lesson's lifecycle event keys for one person (courses.lifecycle)."""
    return f"lesson-{lesson.pk}-person-{person.pk}"


def _insert_start(*, person, step, course_id, now):
    """Write the person's StepStart of `step` unless there is one, in one statement; True
    when this call wrote it (of two first opens at once, one writes)."""
    table = StepStart._meta.db_table
    sql = (
        f"INSERT INTO {table} (person_id, step_id, course_id, started_at)"  # noqa: S608
        " VALUES (%s, %s, %s, %s) ON CONFLICT (person_id, step_id) DO NOTHING RETURNING id"
    )
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [person.pk, step.pk, course_id, stamp])
        return cursor.fetchone() is not None


def start_lesson(*, person, lesson, enrolment, now=None):
    """The person opened the lesson: the first time, and only then, the lesson's "started"
    is reported to its lifecycle (courses.lifecycle.start), with the enrolment's
    registration. Returns whether this was the first time."""
    from . import lifecycle

    now = now or timezone.now()
    # One transaction for the row and what the lifecycle's listeners write with it; no
    # savepoint of its own inside a caller's (nothing in it is meant to fail alone).
    with transaction.atomic(savepoint=False):
        if not _insert_start(person=person, step=lesson, course_id=enrolment.course_id, now=now):
            return False
        lifecycle.start(
            person=person,
            step=lesson,
            key=f"{_lesson_name(lesson, person)}:started",
            registration=lifecycle.registration_for("enrolment", enrolment.pk),
            at=now,
            course_id=enrolment.course_id,
        )
    return True


@transaction.atomic
def complete_lesson(*, person, lesson, now=None):
    """The person marks the lesson done: its lifecycle finishes COMPLETED (a lesson has no
    score; the duration runs from its first opening, when known), which completes the step
    and, once, the course. Marking it again reports the same event again (same key) and
    changes nothing else. Returns the StepResult."""
    from . import lifecycle

    now = now or timezone.now()
    course = lesson.course
    enrolment, _ = Enrolment.objects.get_or_create(person=person, course=course)
    started = (
        StepStart.objects.filter(person=person, step=lesson)
        .values_list("started_at", flat=True)
        .first()
    )
    return lifecycle.finish(
        person=person,
        step=lesson,
        key=f"{_lesson_name(lesson, person)}:completed",
        registration=lifecycle.registration_for("enrolment", enrolment.pk),
        at=now,
        outcome=lifecycle.Outcome(
            status=lifecycle.Status.COMPLETED,
            duration=now - started if started else None,
        ),
        course_id=course.pk,
    )


def save_reflection(*, person, lesson, block_id, text):
    """A reflection is private to its author, kept as plain text (any markup is removed) and
    at most 5,000 characters; an empty answer deletes it."""
    clean = plain_text(text, MAX_REFLECTION_LENGTH)
    if not clean:
        Reflection.objects.filter(person=person, lesson=lesson, block_id=block_id).delete()
        return None
    reflection, _ = Reflection.objects.update_or_create(
        person=person, lesson=lesson, block_id=block_id, defaults={"text": clean}
    )
    return reflection


class AssignmentRefused(Exception):
    """The actor may not assign to that team or person; the message says why."""


def _log(assignment, action, actor=None, detail=""):
    AssignmentEvent.objects.create(
        assignment=assignment, action=action, actor=actor, detail=str(detail)[:300]
    )


def _notify_new_assignment(assignment, kind=None, params=None):
    """The person is told of a new assignment (on the site and by email), in the
    transaction that creates it; `kind` and `params` say why when it is not a plain
    assignment (a refresher)."""
    from people.models import Notification
    from people.notifications import notify

    from .notifications import assignment_params

    notify(
        person=assignment.person,
        kind=kind or Notification.Kind.ASSIGNED,
        params=assignment_params(assignment, **(params or {})),
        url=assignment.course.url or "",
        email=("courses/email/assigned", {"assignment": assignment}),
    )


def _give(*, person, course, due_on, note, actor, team_assignment=None, notify=True, notice=None):
    """One person's assignment; an active one for the same course is kept as it is. The
    database allows one active assignment per person and course, so of two simultaneous
    assignments one is created (and announced, once, in the same transaction) and the other
    finds it. `notice` is `(kind, params)` for an assignment with a reason of its own."""
    active = Assignment.objects.active().filter(person=person, course=course)
    existing = active.first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                person=person,
                course=course,
                due_on=due_on,
                note=note,
                assigned_by=actor,
                team_assignment=team_assignment,
            )
    except IntegrityError:
        existing = active.first()
        if existing is None:
            raise
        return existing, False
    _log(assignment, AssignmentEvent.Action.CREATED, actor, f"{course.title} · {due_on}")
    if notify:
        _notify_new_assignment(assignment, *(notice or ()))
    return assignment, True


@transaction.atomic
def assign_course(*, actor, course, team, due_on, people=None, note="", notify=True):
    """Assign `course` by `due_on` to chosen members of `team`, or to the whole team when no
    one is chosen — which also reaches people who join the team later. Supervisors assign
    within the teams they supervise, HR to any team. A person who already has the course
    assigned keeps their assignment. Returns the new personal assignments."""
    from people.models import Membership, User
    from people.policy import manageable_teams

    if not manageable_teams(actor).filter(pk=team.pk).exists():
        raise AssignmentRefused("team")
    members = Membership.objects.current().filter(team=team).values_list("person", flat=True)
    chosen = User.objects.filter(pk__in=members)
    team_assignment = None
    if people:
        chosen = chosen.filter(pk__in=[p.pk for p in people])
        if chosen.count() != len(people):
            raise AssignmentRefused("people")
    else:
        team_assignment = TeamAssignment.objects.create(
            team=team,
            course=course,
            due_on=due_on,
            days_allowed=max(1, (due_on - timezone.localdate()).days),
            note=note,
            assigned_by=actor,
        )
    created = []
    for person in chosen:
        assignment, new = _give(
            person=person,
            course=course,
            due_on=due_on,
            note=note,
            actor=actor,
            team_assignment=team_assignment,
            notify=notify,
        )
        if new:
            created.append(assignment)
    return created


def assign_newcomer(membership):
    """Someone joining a team gets the team's standing assignments, due after as many days
    as the team had."""
    assign_newcomers([membership])


def assign_newcomers(memberships):
    """assign_newcomer for many memberships, reading each team's standing assignments once."""
    today = timezone.localdate()
    standing = {}
    for team_assignment in TeamAssignment.objects.filter(
        team__in={m.team_id for m in memberships}, withdrawn_at__isnull=True
    ).select_related("course"):
        standing.setdefault(team_assignment.team_id, []).append(team_assignment)
    for membership in memberships:
        for team_assignment in standing.get(membership.team_id, []):
            _give(
                person=membership.person,
                course=team_assignment.course,
                due_on=today + timedelta(days=team_assignment.days_allowed),
                note=team_assignment.note,
                actor=None,
                team_assignment=team_assignment,
            )


def _check_manager(actor, assignment):
    """HR manages every assignment; a supervisor those of the people they may see."""
    from people.policy import can_view_records

    if actor.is_hr:
        return
    if not (actor.is_supervisor and can_view_records(actor, assignment.person)):
        raise AssignmentRefused("person")


@transaction.atomic
def change_due_date(*, actor, assignment, due_on):
    """A manager moves an assignment's due date; the agent is told (on the site and by email,
    in this transaction) and the change is logged. Setting the same date changes nothing."""
    from people.models import Notification
    from people.notifications import notify

    from .notifications import assignment_params

    _check_manager(actor, assignment)
    old = assignment.due_on
    if old == due_on:
        return assignment
    assignment.due_on = due_on
    assignment.save(update_fields=["due_on"])
    _log(assignment, AssignmentEvent.Action.CHANGED, actor, f"{old} → {due_on}")
    notify(
        person=assignment.person,
        kind=Notification.Kind.DUE_DATE_CHANGED,
        params=assignment_params(assignment, previous_on=old),
        url=assignment.course.url or "",
        email=("courses/email/due_date_changed", {"assignment": assignment, "previous": old}),
    )
    return assignment


@transaction.atomic
def move_due_dates(*, actor, assignments, due_on):
    """change_due_date for several assignments at once, all or none: one the actor may not
    manage refuses the whole change."""
    for assignment in assignments:
        _check_manager(actor, assignment)
    return [
        change_due_date(actor=actor, assignment=assignment, due_on=due_on)
        for assignment in assignments
    ]


@transaction.atomic
def withdraw(*, actor, assignment):
    _check_manager(actor, assignment)
    assignment.withdrawn_at = timezone.now()
    assignment.save(update_fields=["withdrawn_at"])
    _log(assignment, AssignmentEvent.Action.WITHDRAWN, actor)
    return assignment


def record_completion(*, person, course):
    """The course's completion closes the person's active assignment (logged once)."""
    for assignment in Assignment.objects.active().filter(person=person, course=course):
        if not assignment.events.filter(action=AssignmentEvent.Action.COMPLETED).exists():
            _log(assignment, AssignmentEvent.Action.COMPLETED, person)


def give_assignment(*, person, course, due_on, note="", actor=None, notice=None):
    """An assignment made by the system (recertification, a refresher, a rule): logged with
    no actor and announced (see _give for `notice`); an active one for the course is kept as
    it is."""
    with transaction.atomic():
        assignment, _ = _give(
            person=person, course=course, due_on=due_on, note=note, actor=actor, notice=notice
        )
    return assignment


class OnboardingRuleExists(Exception):
    """The course already has an active onboarding rule (one per course)."""


@transaction.atomic
def create_onboarding_rule(*, actor, course, days):
    """Create the rule and apply it at once to the people `onboarding_reach` names (agents who
    joined within the last `days` days and lack the course), due `days` after they joined;
    each gets an email. The rule remembers exactly those assignments, for its undo. Only HR
    makes rules, and a course has at most one active rule."""
    from people.policy import can_manage_people

    from .models import OnboardingRule
    from .selectors import onboarding_reach

    if not can_manage_people(actor):
        raise AssignmentRefused("hr")
    if OnboardingRule.objects.filter(course=course, is_active=True).exists():
        raise OnboardingRuleExists(course)
    try:
        with transaction.atomic():
            rule = OnboardingRule.objects.create(course=course, days=days, created_by=actor)
    except IntegrityError:  # the same rule confirmed twice at once
        raise OnboardingRuleExists(course) from None
    created = []
    for person in onboarding_reach(course=course, days=days):
        joined = timezone.localtime(person.date_joined).date()
        assignment, new = _give(person=person, course=course, due_on=joined + timedelta(days=days),
                                note="", actor=actor)  # fmt: skip
        if new:
            created.append(assignment)
    rule.assigned_at_creation.set(created)
    return rule


@transaction.atomic
def undo_onboarding_rule(*, actor, rule):
    """Undoing a rule stops it for new agents and withdraws exactly the assignments it made
    when it was created that are still active, never one a person had already or got
    otherwise; each withdrawal is logged with the actor, and no email is sent. Only HR undoes;
    undoing twice changes nothing. Returns the withdrawn assignments."""
    from django.utils.translation import gettext

    from people.policy import can_manage_people

    from .models import OnboardingRule

    if not can_manage_people(actor):
        raise AssignmentRefused("hr")
    rule = OnboardingRule.objects.select_for_update().get(pk=rule.pk)
    if rule.undone_at is not None:
        return []
    now = timezone.now()
    reason = gettext("Onboarding rule undone: %(course)s") % {"course": rule.course.title}
    withdrawn = list(rule.assigned_at_creation.active().select_for_update())
    for assignment in withdrawn:
        assignment.withdrawn_at = now
        assignment.save(update_fields=["withdrawn_at"])
        _log(assignment, AssignmentEvent.Action.WITHDRAWN, actor, reason)
    rule.is_active = False
    rule.undone_at = now
    rule.save(update_fields=["is_active", "undone_at"])
    return withdrawn


def onboard(person):
    """A person who becomes an agent gets every active onboarding rule's course."""
    onboard_many([person])


def onboard_many(people):
    """Each of `people`, just become agents, gets every active onboarding rule's course (the
    rules are read once, however many people)."""
    from .models import OnboardingRule

    today = timezone.localdate()
    rules = list(OnboardingRule.objects.filter(is_active=True).select_related("course"))
    if not rules:
        return
    for person in people:
        for rule in rules:
            _give(person=person, course=rule.course, due_on=today + timedelta(days=rule.days),
                  note="", actor=None)  # fmt: skip


def _remind(assignment):
    """Tell the person of one assignment again, on the site and by email if they want it."""
    from people.models import Notification
    from people.notifications import notify

    from .notifications import assignment_params, reminder_kind

    kind = reminder_kind(assignment)
    template = "overdue" if kind == Notification.Kind.OVERDUE else "reminder"
    notify(
        person=assignment.person,
        kind=kind,
        params=assignment_params(assignment),
        url=assignment.course.url or "",
        email=(f"courses/email/{template}", {"assignment": assignment}),
    )


@transaction.atomic
def apply_bulk_action(*, actor, plan):
    """Carry out what `selectors.bulk_plan` planned, all or nothing, through the single-item
    services (so each change is checked, logged and announced as it is one by one):
    assigning gives the course to each planned person within their current team; a new due
    date moves each planned assignment and tells its person; withdrawing tells no one; a
    reminder tells each planned assignment's person again (people.notifications.notify: on
    the site, and by email to whoever wants it), in this transaction. Returns
    how many assignments were created or acted on."""
    from people.models import Membership
    from people.policy import manageable_teams

    from .models import BulkAction

    if plan.action == BulkAction.ASSIGN:
        teams = {}
        memberships = Membership.objects.current().filter(
            person__in=[p.pk for p in plan.people], team__in=manageable_teams(actor)
        )
        for membership in memberships.select_related("team"):
            teams.setdefault(membership.team_id, (membership.team, []))[1].append(
                membership.person_id
            )
        by_pk = {p.pk: p for p in plan.people}
        if sum(len(ids) for _, ids in teams.values()) < len(by_pk):
            raise AssignmentRefused("people")
        created = []
        for team, ids in teams.values():
            created += assign_course(
                actor=actor,
                course=plan.course,
                team=team,
                due_on=plan.due_on,
                people=[by_pk[pk] for pk in ids],
            )
        return len(created)
    for assignment in plan.assignments:
        _check_manager(actor, assignment)
    for assignment in plan.assignments:
        if plan.action == BulkAction.EXTEND:
            change_due_date(actor=actor, assignment=assignment, due_on=plan.due_on)
        elif plan.action == BulkAction.WITHDRAW:
            withdraw(actor=actor, assignment=assignment)
        elif plan.action == BulkAction.REMIND:
            _remind(assignment)
    return len(plan.assignments)
