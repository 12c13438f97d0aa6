"""Background tasks of the quizzes app, run through Django's tasks API."""

from django.utils import timezone

from django_tasks import task

from .models import Attempt, AttemptAnswer, QuizStatistics
from .statistics import item_statistics


def response_matrix(quiz_id):
    """Every submitted attempt of a quiz as {total, percent, questions: {id: score, chosen}},
    read in two queries."""
    attempts = {
        a.pk: {"total": 0.0, "percent": a.percent or 0, "questions": {}}
        for a in Attempt.objects.submitted().filter(quiz_id=quiz_id).only("pk", "score")
    }
    answers = AttemptAnswer.objects.filter(
        attempt__quiz_id=quiz_id, attempt__submitted_at__isnull=False, score__isnull=False
    ).values_list("attempt_id", "question_id", "score", "response")
    for attempt_id, question_id, score, response in answers:
        row = attempts[attempt_id]
        # Choice questions store the chosen option ids; rating questions have no "choice".
        chosen = sorted(response) if isinstance(response, list) else []
        row["questions"][question_id] = {"score": score, "chosen": chosen}
        row["total"] += score
    return list(attempts.values())


@task()
def refresh_quiz_statistics(*, quiz_id):
    """Recompute a quiz's item analysis after a submission, off the web request."""
    figures = item_statistics(response_matrix(quiz_id))
    QuizStatistics.objects.update_or_create(
        quiz_id=quiz_id,
        defaults={"computed_at": timezone.now(), "attempts": figures["attempts"], "data": figures},
    )
