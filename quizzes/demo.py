"""The question banks and one quiz per course, loaded from quizzes/content/.

Idempotent like the courses: a question or quiz is created when missing and otherwise left as
editors made it, unless `seed(overwrite=True)` (seed_demo --overwrite-content).
"""

import random
from decimal import Decimal

from django.db import transaction
from django.utils.html import escape

from attitude.models import ServiceDimension
from courses.demo import _place
from courses.models import CoursePage
from people.models import Role, User

from .content import load_banks
from .models import (
    AnswerOption,
    Attempt,
    FeedbackMode,
    Question,
    QuestionCategory,
    QuizPage,
    QuizQuestion,
)
from .services import save_answer, start_attempt, submit_attempt
from .tasks import refresh_statistics_now

# The demo agent people sign in as starts with a clean slate, to try a quiz for real.
FRESH_AGENT = "lucia.fernandez@actitud.demo"


def _question(source, category, dimensions, overwrite):
    question = Question.objects.filter(key=source["key"]).first()
    if question is not None and not overwrite:
        return question
    question = question or Question(key=source["key"])
    question.kind = source["kind"]
    question.category = category
    question.situation = source.get("situation", "")
    question.text = source["text"]
    question.explanation = source.get("explanation", "")
    question.options = [
        AnswerOption(
            text=option["text"],
            is_correct=bool(option.get("correct")),
            credit=None if option.get("credit") is None else Decimal(str(option["credit"])),
            expert_rating=option.get("expert_rating"),
            is_critical=bool(option.get("critical")),
            critical_reason=option.get("critical_reason") or "",
            feedback=option.get("feedback", ""),
            weights=dict(option.get("weights") or {}),
            sort_order=order,
        )
        for order, option in enumerate(source["options"])
    ]
    measured = {slug for option in source["options"] for slug in (option.get("weights") or {})}
    question.dimensions = [dimensions[slug] for slug in sorted(measured) if slug in dimensions]
    question.save()
    question.tags.set(source.get("tags") or [])
    question.save_revision()
    return question


def quiz_rules(header):
    """The rules of a bank's quiz from its `quiz:` header. The demo quizzes count for
    certification, so by default they allow three attempts and show the key after the last
    one (QuizPage.key_visible)."""
    return {
        "high_stakes": header.get("high_stakes", True),
        "max_attempts": header.get("max_attempts", 3),
        "feedback_mode": header.get("feedback_mode", FeedbackMode.AFTER_LAST_ATTEMPT),
    }


@transaction.atomic
def seed(*, overwrite=False, **options):
    """Load every bank in quizzes/content/ and put its quiz at the end of its course."""
    dimensions = {d.slug: d for d in ServiceDimension.objects.all()}
    for bank in load_banks():
        course = CoursePage.objects.filter(slug=bank.course).first()
        if course is None:
            continue
        category, _ = QuestionCategory.objects.get_or_create(name=bank.category)
        questions = [_question(q, category, dimensions, overwrite) for q in bank.questions]
        quiz = bank.quiz
        _place(
            course,
            QuizPage,
            quiz["slug"],
            {
                "title": quiz["title"],
                "summary": quiz.get("summary", ""),
                "intro": f"<p>{escape(quiz['intro'])}</p>",
                "pass_mark": quiz["pass_mark"],
                "estimated_minutes": quiz.get("estimated_minutes", 20),
                "shuffle_options": True,
                **quiz_rules(quiz),
                "fixed_questions": [
                    QuizQuestion(question=question, sort_order=order)
                    for order, question in enumerate(questions)
                ],
            },
            overwrite,
        )
    simulate_attempts()
    return []


def _simulated_response(question, ability, rng):
    """An answer a person of this ability might give: the better they are, the more often
    they pick the best option (or rate close to the expert)."""
    options = question["options"]
    if question["kind"] == "rating":
        return {
            str(o["id"]): o["expert_rating"]
            if rng.random() < ability
            else rng.choice([r for r in range(1, 5) if r != o["expert_rating"]])
            for o in options
        }

    def goodness(option):
        return option.get("credit") if option.get("credit") is not None else option["correct"]

    ranked = sorted(options, key=goodness, reverse=True)
    if question["kind"] == "multiple":
        correct = [o["id"] for o in options if o["correct"]]
        wrong = [o["id"] for o in options if not o["correct"]]
        picks = [oid for oid in correct if rng.random() < ability]
        return picks + [oid for oid in wrong if rng.random() > ability + 0.3]
    if rng.random() < ability:
        return [ranked[0]["id"]]
    return [rng.choice(ranked[1:])["id"]]


def simulate_attempts():
    """Give the demo agents (but one) a history: one submitted attempt at each quiz, answered
    according to a fixed, made-up ability, so profiles, the team view and item analysis have
    something to show. Only agents without attempts get one, so re-seeding changes nothing."""
    rng = random.Random(2026)
    quizzes = list(QuizPage.objects.live().order_by("path"))
    agents = User.objects.with_role(Role.AGENT).exclude(email=FRESH_AGENT).order_by("email")
    touched = set()
    for agent in agents:
        ability = rng.uniform(0.35, 0.95)
        for quiz in quizzes:
            if Attempt.objects.filter(person=agent, quiz=quiz).exists():
                continue
            attempt = start_attempt(person=agent, quiz=quiz)
            for question in attempt.questions:
                save_answer(
                    attempt=attempt,
                    question_id=question["id"],
                    response=_simulated_response(question, ability, rng),
                )
            submit_attempt(attempt=attempt, refresh_statistics=False)
            touched.add(quiz.pk)
    for quiz_id in touched:
        refresh_statistics_now(quiz_id, force=True)
