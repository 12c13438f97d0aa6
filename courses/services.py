"""Writes for learners: enrolment, progress and reflections."""

import html
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

import bleach

from .models import CourseStep, Enrolment, Reflection, StepCompletion
from .selectors import live_steps

MAX_REFLECTION_LENGTH = 5000


def record_visit(*, person, course, step=None):
    """A person is enrolled in a course the first time they open it or one of its steps; the
    step they open becomes the place to resume."""
    enrolment, _ = Enrolment.objects.get_or_create(person=person, course=course)
    changes = {"last_visited_at": timezone.now()}
    if step is not None:
        changes["last_step"] = step
    Enrolment.objects.filter(pk=enrolment.pk).update(**changes)
    return enrolment


@dataclass
class StepResult:
    completion: StepCompletion
    course_completed: bool
    next_step: CourseStep | None


@transaction.atomic
def complete_step(*, person, step):
    """Marking a step done is idempotent. The course is completed, once, when every required
    published step is done."""
    course = step.course
    enrolment, _ = Enrolment.objects.select_for_update().get_or_create(person=person, course=course)
    completion, _ = StepCompletion.objects.get_or_create(
        person=person, step=step, defaults={"course": course}
    )
    steps = list(live_steps(course).only("pk", "path", "is_required"))
    done_ids = set(
        StepCompletion.objects.filter(person=person, course=course).values_list(
            "step_id", flat=True
        )
    )
    just_completed = False
    if enrolment.completed_at is None and all(s.pk in done_ids for s in steps if s.is_required):
        enrolment.completed_at = timezone.now()
        enrolment.save(update_fields=["completed_at"])
        just_completed = True
    position = next((i for i, s in enumerate(steps) if s.pk == step.pk), len(steps))
    pending = [s for s in steps[position + 1 :] + steps[:position] if s.pk not in done_ids]
    following = pending[0] if pending else None
    return StepResult(
        completion=completion,
        course_completed=just_completed,
        next_step=following.specific if following else None,
    )


def save_reflection(*, person, lesson, block_id, text):
    """A reflection is private to its author, kept as plain text (any markup is removed) and
    at most 5,000 characters; an empty answer deletes it."""
    clean = html.unescape(bleach.clean(text, tags=[], strip=True)).strip()[:MAX_REFLECTION_LENGTH]
    if not clean:
        Reflection.objects.filter(person=person, lesson=lesson, block_id=block_id).delete()
        return None
    reflection, _ = Reflection.objects.update_or_create(
        person=person, lesson=lesson, block_id=block_id, defaults={"text": clean}
    )
    return reflection
