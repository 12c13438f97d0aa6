"""The seeded question banks: content rules, loading, and one quiz per course."""

from http import HTTPStatus

import pytest

from courses.models import CoursePage
from people.models import Role
from quizzes import demo
from quizzes.content import bank_problems, load_banks
from quizzes.models import Question, QuizPage


def test_every_bank_meets_the_content_rules_and_there_are_ninety_questions_or_more():
    banks = load_banks()
    assert {bank.course for bank in banks} == {
        "conceptos-de-servicio",
        "diez-mandamientos",
        "personalidades-de-clientes",
        "crm-conceptos-y-errores",
    }
    assert [p for bank in banks for p in bank_problems(bank)] == []
    questions = [q for bank in banks for q in bank.questions]
    assert len(questions) >= 90
    assert all(len(bank.questions) >= 20 for bank in banks)
    kinds = [q["kind"] for q in questions]
    assert kinds.count("situational") + kinds.count("rating") > len(questions) / 2
    weighted = [
        o for q in questions if q["kind"] in {"situational", "rating"} for o in q["options"]
    ]
    assert all(o.get("weights") for o in weighted)


@pytest.mark.django_db
def test_seeding_puts_a_quiz_at_the_end_of_each_course_is_idempotent_and_keeps_editors_changes(
    client, user_factory, demo_content
):
    """One test, as seeding takes most of its time (seed_demo's content: tests/snapshots.py)."""
    question = Question.objects.get(key="cs-01")
    question.text = "Cambiada por el equipo editorial"
    question.save()
    demo.seed()
    assert Question.objects.get(key="cs-01").text == "Cambiada por el equipo editorial"
    assert Question.objects.count() == sum(len(b.questions) for b in load_banks())
    for course in CoursePage.objects.live():
        quiz = QuizPage.objects.child_of(course).live().get()
        assert quiz.get_next_siblings().count() == 0
        assert quiz.fixed_questions.count() >= 12
    client.force_login(user_factory(roles=[Role.AGENT]))  # the demo has a team "Equipo Norte"
    quiz = QuizPage.objects.live().first()
    response = client.get(quiz.url)
    assert response.status_code == HTTPStatus.OK and quiz.title in response.content.decode()

    demo.seed(overwrite=True)  # unless asked
    assert Question.objects.get(key="cs-01").text != "Cambiada por el equipo editorial"
    assert Question.objects.count() == sum(len(b.questions) for b in load_banks())
