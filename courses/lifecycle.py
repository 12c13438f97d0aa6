"""The lifecycle of a course step, in one place.

Every kind of step (lesson, quiz, role-play, SCORM package) reports what happens to it through
the three calls below, and nothing else announces learning activity:

- `start`: the person began an activity (opened a lesson for the first time, started a quiz
  attempt or a role-play run, launched a SCORM package).
- `progress`: something happened inside it (a quiz answer was graded, a role-play decision was
  taken, a SCORM package committed its data).
- `finish`: it ended with an `Outcome` (passed, failed or completed, with a score and a
  duration). An outcome that counts (passed or completed) completes the course step, and the
  course once every required published step is done.

Each call sends `activity_recorded` at once, inside the caller's transaction, for the few
listeners that must write in that same transaction (the xAPI statement queue: nothing may be
lost between the event and its statement). The domain signals `activity_started`,
`activity_progressed`, `activity_finished` and `course_completed` are sent once, after the
transaction commits; a rolled-back event sends nothing. Certification, notifications and
badges listen to those.

Callers that already know the step's course pass `course_id` (saves reading it).

Every event has a `key`, a string that names it uniquely and is the same each time the same
fact is reported (for example "quiz-attempt-12:answered:55"), and a `registration`, a UUID
shared by every event of one attempt, run or launch. Listeners derive stable identifiers from
them (an xAPI statement id is a UUID5 of the key), so a repeated report is recognisable.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

# Sent inside the transaction of the event, with `event`; for writers that must commit with it.
activity_recorded = Signal()
# Sent after commit, once, with `event` (an ActivityEvent).
activity_started = Signal()
activity_progressed = Signal()
activity_finished = Signal()
# Sent after commit, once, with `person`, `course`, `enrolment` and `event` (the finishing event,
# or None when the last step was completed by courses.services.complete_step directly).
course_completed = Signal()

# The namespace of registrations and of identifiers derived from event keys.
NAMESPACE = uuid.UUID("6f1d3f5e-6c1b-4a8e-9a43-3d6a1c0b7e21")


class Kind:
    STARTED = "started"
    PROGRESSED = "progressed"
    FINISHED = "finished"


class Status:
    """How an activity ended. PASSED and COMPLETED complete the course step; FAILED does not."""

    PASSED = "passed"
    FAILED = "failed"
    COMPLETED = "completed"

    COUNTING = frozenset({PASSED, COMPLETED})


@dataclass(frozen=True)
class Outcome:
    status: str  # a Status value
    score: float | None = None  # scaled, 0..1; None when the activity is not scored
    duration: timedelta | None = None
    # Whether this ending completes the course step; by default PASSED and COMPLETED do. A
    # kind of step may say otherwise (a role-play ended by a critical choice is FAILED, and
    # still played through: it completes the step, as every finished run always has).
    completes: bool | None = None

    @property
    def counts(self):
        """Whether this ending completes the course step."""
        if self.completes is not None:
            return self.completes
        return self.status in Status.COUNTING


@dataclass(frozen=True)
class ActivityEvent:
    """One fact of a step's lifecycle.

    `detail` carries what the kind of step knows, with these keys:
    - quiz, progressed (one per graded answer, at submission): "attempt_id", "question_id",
      "question" (its text as the agent saw it), "interaction" ("choice" for single,
      true/false and situational questions, "multiple-choice" or "likert" for rating ones),
      "choices" ([{"id", "text"}] as offered), "response" (the chosen ids; for "likert"
      {option id as text: rating 1..4}), "score" (0..1), "success" (a knowledge question
      answered fully right; None for situational and rating questions; False after a
      critical choice), "critical" (bool), "evidence" ({dimension slug: 0..1}). Built by
      quizzes.services.answer_detail.
    - quiz, started/finished: "attempt_id", "number"; finished adds "critical_count" and
      "auto_submitted".
    - role-play, progressed (one per decision): "run_id", "position", "line_key", "line" (the
      customer's words), "choice_key", "choice" (the agent's words), "score" (0..1 or None),
      "critical" (bool), "evidence" ({dimension slug: 0..1}).
    - role-play, started/finished: "run_id", "number"; finished adds "ending_key" ("" after
      a critical choice), "ending" (the customer's last words at the ending), "outcome" (the
      ending's outcome, "perdido" after a critical choice), "critical". The finished
      outcome is FAILED after a critical choice, else COMPLETED (scenarios.services.outcome_of).
    - lesson: nothing; started is reported once per person (the first opening), finished
      COMPLETED each time the lesson is marked done (same key), with no score.
    - SCORM: "attempt_id", and on progressed the CMI values saved.
    """

    kind: str  # a Kind value
    key: str
    registration: uuid.UUID
    person_id: int
    step_id: int
    course_id: int
    step_type: str  # "lesson", "quiz", "scenario" or "scorm"
    at: datetime
    outcome: Outcome | None = None
    detail: dict = field(default_factory=dict)

    @property
    def uuid(self):
        """A UUID that is the same each time this event is reported."""
        return uuid.uuid5(NAMESPACE, self.key)


def registration_for(prefix, pk):
    """The registration of one attempt, run or launch: a UUID derived from its kind and
    primary key, so it is stable without being stored (for example ("quiz-attempt", 12))."""
    return uuid.uuid5(NAMESPACE, f"{prefix}-{pk}")


def step_type(step):
    """The name listeners use for a step's kind (the model's name without "Page")."""
    return step._meta.model_name.removesuffix("page")


def _course_id(step, course_id):
    """The id of the step's course: given by the caller that has it, or the step's own
    (a query the first time a step instance is asked)."""
    return course_id if course_id is not None else step.course.pk


def _event(kind, *, person, step, key, registration, at, outcome=None, detail=None, course_id=None):
    return ActivityEvent(
        kind=kind,
        key=key,
        registration=registration,
        person_id=person.pk,
        step_id=step.pk,
        course_id=_course_id(step, course_id),
        step_type=step_type(step),
        at=at or timezone.now(),
        outcome=outcome,
        detail=detail or {},
    )


def _announce(signal, event, **extra):
    activity_recorded.send(sender=ActivityEvent, event=event)
    transaction.on_commit(lambda: signal.send(sender=ActivityEvent, event=event, **extra))


def start(*, person, step, key, registration, at=None, detail=None, course_id=None):
    """The person began the activity `step` (a course step's specific page)."""
    event = _event(
        Kind.STARTED,
        person=person,
        step=step,
        key=key,
        registration=registration,
        at=at,
        detail=detail,
        course_id=course_id,
    )
    _announce(activity_started, event)
    return event


def progress(*, person, step, key, registration, at=None, detail=None, course_id=None):
    """Something happened inside the activity (see ActivityEvent.detail)."""
    event = _event(
        Kind.PROGRESSED,
        person=person,
        step=step,
        key=key,
        registration=registration,
        at=at,
        detail=detail,
        course_id=course_id,
    )
    _announce(activity_progressed, event)
    return event


@transaction.atomic
def finish(*, person, step, key, registration, outcome, at=None, detail=None, course_id=None):
    """The activity ended with `outcome`. An outcome that counts completes the step (and the
    course, once, when every required published step is done: then `course_completed` follows
    `activity_finished` after commit). Returns the step's StepResult, or None when the outcome
    does not count."""
    from .services import complete_step

    event = _event(
        Kind.FINISHED,
        person=person,
        step=step,
        key=key,
        registration=registration,
        at=at,
        outcome=outcome,
        detail=detail,
        course_id=course_id,
    )
    _announce(activity_finished, event)
    if not outcome.counts:
        return None
    return complete_step(person=person, step=step, event=event)


def announce_course_completed(*, person, course, enrolment, event=None):
    """The course was just completed (courses.services.complete_step, once per enrolment):
    `course_completed` follows after commit, with the finishing `event` — None when the step
    was completed outside this module (a seed, a test helper calling complete_step)."""
    transaction.on_commit(
        lambda: course_completed.send(
            sender=ActivityEvent, person=person, course=course, enrolment=enrolment, event=event
        )
    )
