"""Background tasks of the quizzes app, run through Django's tasks API."""

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from django_tasks import task

from .models import Attempt, AttemptAnswer, QuizStatistics
from .statistics import ALL, ATTEMPTS, FIRST, item_statistics


def counted_attempts(quiz_id, which=FIRST):
    """The submitted attempts of a quiz that count: each person's first (Moodle's default),
    each person's latest (what the attitude profile counts), or all of them."""
    submitted = Attempt.objects.submitted().filter(quiz_id=quiz_id)
    if which == ALL:
        return submitted
    ordering = "number" if which == FIRST else "-number"
    pick = submitted.filter(person=OuterRef("person")).order_by(ordering).values("pk")[:1]
    return submitted.filter(pk=Subquery(pick))


def response_matrix(quiz_id, which=FIRST):
    """The attempts that count as {total, percent, questions: {id: score, chosen, answered}},
    read in two queries."""
    counted = counted_attempts(quiz_id, which)
    attempts = {
        a.pk: {"total": 0.0, "percent": a.percent or 0, "questions": {}}
        for a in counted.only("pk", "score")
    }
    answers = AttemptAnswer.objects.filter(attempt__in=counted, score__isnull=False).values_list(
        "attempt_id", "question_id", "score", "response"
    )
    for attempt_id, question_id, score, response in answers:
        row = attempts[attempt_id]
        # Choice questions store the chosen option ids; rating questions have no "choice".
        chosen = sorted(response) if isinstance(response, list) else []
        row["questions"][question_id] = {
            "score": score,
            "chosen": chosen,
            "answered": bool(response),
        }
        row["total"] += score
    return list(attempts.values())


@task()
def refresh_quiz_statistics(*, quiz_id):
    """Recompute a quiz's item analysis after a submission, off the web request, for each
    choice of which attempts count."""
    figures = {which: item_statistics(response_matrix(quiz_id, which)) for which in ATTEMPTS}
    QuizStatistics.objects.update_or_create(
        quiz_id=quiz_id,
        defaults={
            "computed_at": timezone.now(),
            "attempts": figures[FIRST]["attempts"],
            "data": figures,
        },
    )
