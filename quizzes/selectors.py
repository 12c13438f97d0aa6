"""Reads for the quiz pages."""

from .models import Attempt, AttemptAnswer
from .services import attempts_left


def quiz_overview(quiz, person):
    """What the quiz's front page shows the agent: their attempts, the open one, what is left."""
    attempts = list(Attempt.objects.filter(quiz=quiz, person=person).order_by("number"))
    submitted = [a for a in attempts if a.is_submitted]
    return {
        "attempts": submitted,
        "open_attempt": next((a for a in attempts if not a.is_submitted), None),
        "attempts_left": attempts_left(quiz, person),
        "has_passed": any(a.passed for a in submitted),
        "quiz_closed": quiz.is_closed(),
    }


def answers_by_question(attempt):
    return {a.question_id: a for a in AttemptAnswer.objects.filter(attempt=attempt)}
