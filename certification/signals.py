"""Certification listens to the course steps' lifecycle (courses.lifecycle) and to attitude.

A programme reads three things: completed courses, submitted quiz attempts and attitude
evidence. Each change of one of them checks the person's programmes (issue a certificate,
assign a refresher) once, after it is committed:
- a finished quiz attempt or role-play run (`activity_finished` of a step whose result a
  programme reads: its attempt and its evidence), whether or not it also completed the course;
- a course completed by any other step (a lesson, a SCORM package) or outside the lifecycle
  (`course_completed`; when the finishing event was a quiz or a role-play, the check above
  already saw the completed course, committed with it);
- evidence recorded outside an activity (`attitude.services.evidence_recorded`), or rescored
  (`evidence_rewritten`, sent inside the rescoring transaction).
So a quiz submission that completes the course checks once, not once per model saved.
"""

from django.db import transaction
from django.dispatch import receiver

from attitude.services import evidence_recorded, evidence_rewritten
from courses.lifecycle import activity_finished, course_completed

# The kinds of step (lifecycle.step_type) whose result a programme reads besides completion.
RESULTS_READ = frozenset({"quiz", "scenario"})


def _check(person_id):
    from people.models import User

    from .lifecycle import assign_refreshers
    from .services import check_person

    person = User.objects.filter(pk=person_id).first()
    if person is not None:
        check_person(person)
        assign_refreshers(person)


@receiver(activity_finished, dispatch_uid="certification_activity_finished")
def activity_ended(sender, event, **kwargs):
    if event.step_type in RESULTS_READ:
        _check(event.person_id)


@receiver(course_completed, dispatch_uid="certification_course_completed")
def course_done(sender, person, event=None, **kwargs):
    if event is None or event.step_type not in RESULTS_READ:
        _check(person.pk)


@receiver(evidence_recorded, dispatch_uid="certification_evidence_recorded")
def evidence_added(sender, person_id, **kwargs):
    _check(person_id)


@receiver(evidence_rewritten, dispatch_uid="certification_evidence_rewritten")
def evidence_rescored(sender, person_id, **kwargs):
    transaction.on_commit(lambda: _check(person_id))
