from decimal import Decimal

import pytest

from quizzes.models import AnswerOption, Question, QuestionCategory, QuizPage, QuizQuestion


def option(text, **fields):
    fields.setdefault("feedback", f"Sobre «{text}».")
    if "credit" in fields:
        fields["credit"] = Decimal(str(fields["credit"]))
    return AnswerOption(text=text, **fields)


@pytest.fixture
def category(db):
    return QuestionCategory.objects.create(name="Conceptos")


@pytest.fixture
def question_factory(category):
    def make(key, kind, options, **fields):
        question = Question(
            key=key,
            kind=kind,
            category=category,
            text=fields.pop("text", f"Pregunta {key}"),
            explanation=fields.pop("explanation", "Porque sí."),
            **fields,
        )
        question.options = options
        question.save()
        return question

    return make


@pytest.fixture
def questions(question_factory):
    """One question of each kind, in a fixed order."""
    return [
        question_factory(
            "q-single",
            "single",
            [option("Cortesía", is_correct=True), option("Rapidez"), option("Precio")],
        ),
        question_factory(
            "q-multiple",
            "multiple",
            [
                option("Escuchar", is_correct=True),
                option("Parafrasear", is_correct=True),
                option("Interrumpir"),
                option("Tutear sin permiso"),
            ],
        ),
        question_factory(
            "q-true-false", "true_false", [option("Verdadero", is_correct=True), option("Falso")]
        ),
        question_factory(
            "q-situational",
            "situational",
            [
                option(
                    "«Entiendo su enfado; lo reviso ahora mismo.»",
                    credit=1,
                    weights={"cortesia": 2, "capacidad-de-respuesta": 2},
                ),
                option(
                    "«Llame mañana.»",
                    credit=0.2,
                    weights={"cortesia": 0, "capacidad-de-respuesta": -1},
                ),
                option(
                    "«Usted no entiende nada.»",
                    credit=0,
                    is_critical=True,
                    critical_reason="insult",
                    weights={"cortesia": -2},
                ),
            ],  # fmt: skip
            situation="Un cliente llama enfadado por un cobro duplicado.",
        ),
        question_factory(
            "q-rating",
            "rating",
            [
                option(
                    "Se disculpa y propone una solución.",
                    expert_rating=4,
                    weights={"comunicacion": 2},
                ),
                option("Lee el guion sin escuchar.", expert_rating=1, weights={"comunicacion": -2}),
            ],  # fmt: skip
            situation="Una clienta pregunta por su pedido.",
        ),
    ]


@pytest.fixture
def quiz_factory(course_factory, questions):
    def make(*, course=None, fixed=None, publish=True, **fields):
        course = course or course_factory(lessons=1)
        quiz = QuizPage(title="Evaluación", slug="evaluacion", pass_mark=60, **fields)
        quiz.shuffle_options = fields.get("shuffle_options", False)
        quiz.fixed_questions = [
            QuizQuestion(question=q, sort_order=n) for n, q in enumerate(fixed or questions)
        ]
        course.add_child(instance=quiz)
        if publish:
            quiz.save_revision().publish()
        return quiz

    return make


@pytest.fixture
def quiz(quiz_factory):
    return quiz_factory()


def option_id(attempt, key, text):
    """The id of the option of question `key` whose text starts with `text`, in the snapshot."""
    question = next(q for q in attempt.questions if q["key"] == key)
    return next(o["id"] for o in question["options"] if o["text"].startswith(text))


def question_id(attempt, key):
    return next(q["id"] for q in attempt.questions if q["key"] == key)
