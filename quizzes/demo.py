"""The question banks and one quiz per course, loaded from quizzes/content/.

Idempotent like the courses: a question or quiz is created when missing and otherwise left as
editors made it, unless `seed(overwrite=True)` (seed_demo --overwrite-content).
"""

from decimal import Decimal

from django.db import transaction
from django.utils.html import escape

from attitude.models import ServiceDimension
from courses.demo import _place
from courses.models import CoursePage

from .content import load_banks
from .models import AnswerOption, Question, QuestionCategory, QuizPage, QuizQuestion


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
                "fixed_questions": [
                    QuizQuestion(question=question, sort_order=order)
                    for order, question in enumerate(questions)
                ],
            },
            overwrite,
        )
    return []
