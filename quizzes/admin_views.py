"""The item analysis report for editors, in the Wagtail admin. It only reads the statistics a
background task keeps up to date; nothing is computed while the editor waits."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .models import Question, QuizPage, QuizStatistics


def can_see_item_analysis(user):
    return user.is_active and user.has_perm("quizzes.change_question")


def quiz_list(request):
    if not can_see_item_analysis(request.user):
        raise PermissionDenied
    quizzes = QuizPage.objects.select_related("statistics").order_by("path")
    return TemplateResponse(
        request,
        "quizzes/admin/quiz_list.html",
        {"quizzes": quizzes, "header_title": _("Item analysis")},
    )


def _percent(value, factor=100):
    return None if value is None else round(value * factor, 1)


def item_analysis(request, quiz_id):
    if not can_see_item_analysis(request.user):
        raise PermissionDenied
    quiz = get_object_or_404(QuizPage, pk=quiz_id)
    statistics = QuizStatistics.objects.filter(quiz=quiz).first()
    data = statistics.data if statistics else {"questions": {}}
    figures = data.get("questions", {})
    questions = Question.objects.filter(pk__in=[int(pk) for pk in figures]).prefetch_related(
        "options"
    )
    rows = []
    for question in questions:
        figure = figures[str(question.pk)]
        rows.append(
            {
                "question": question,
                "answered": figure["answered"],
                "facility": _percent(figure["facility"]),
                "sd": _percent(figure["sd"]),
                "discrimination": _percent(figure["discrimination"]),
                "efficiency": _percent(figure["efficiency"]),
                "too_easy": figure["too_easy"],
                "too_hard": figure["too_hard"],
                "negative": figure["negative"],
                "options": [
                    {
                        "option": option,
                        "top": _percent(figure["options"].get(str(option.pk), {}).get("top")) or 0,
                        "bottom": _percent(figure["options"].get(str(option.pk), {}).get("bottom"))
                        or 0,
                    }
                    for option in question.options.all()
                ]
                if question.kind != Question.Kind.RATING
                else [],
            }
        )
    rows.sort(key=lambda row: row["question"].key)
    return TemplateResponse(
        request,
        "quizzes/admin/item_analysis.html",
        {
            "quiz": quiz,
            "statistics": statistics,
            "attempts": data.get("attempts", 0),
            "mean_percent": data.get("mean_percent"),
            "alpha": _percent(data.get("alpha")),
            "error": data.get("error"),
            "rows": rows,
            "header_title": _("Item analysis: %(quiz)s") % {"quiz": quiz.title},
        },
    )
