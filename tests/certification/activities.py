"""Builders for the coaching tests: an agent's submitted attempt, the Spanish of a message."""

from django.utils import translation

from quizzes.services import save_answer, start_attempt, submit_attempt
from scenarios.services import choose, start_run
from tests.quizzes.conftest import option_id, question_id


def es(message):
    """`message` as a Spanish reader sees it (the English msgid until it is translated)."""
    with translation.override("es"):
        return translation.gettext(message)


def submitted_attempt(person, quiz, *, critical=True):
    """An attempt at the five-question quiz: the single-choice question right, the
    situational one answered with the insult (critical) or the best response, the rest
    unanswered."""
    attempt = start_attempt(person=person, quiz=quiz)
    save_answer(
        attempt=attempt,
        question_id=question_id(attempt, "q-single"),
        response=[option_id(attempt, "q-single", "Cortesía")],
    )
    text = "«Usted no entiende" if critical else "«Entiendo su enfado"
    save_answer(
        attempt=attempt,
        question_id=question_id(attempt, "q-situational"),
        response=[option_id(attempt, "q-situational", text)],
    )
    submit_attempt(attempt=attempt, refresh_statistics=False)
    attempt.refresh_from_db()
    return attempt


def critical_run(person, scenario):
    run = start_run(person=person, scenario=scenario)
    choose(run=run, line_key="inicio", choice_key="frio")
    choose(run=run, line_key="tension", choice_key="disculpa")
    choose(run=run, line_key="calma", choice_key="no-se")
    choose(run=run, line_key="tension", choice_key="cuelga")
    run.refresh_from_db()
    return run
