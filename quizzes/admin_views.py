"""The item analysis report for editors, in the Wagtail admin. It only reads the statistics a
background task keeps up to date; nothing is computed while the editor waits."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attitude.admin_views import key_review

from .models import Question, QuizPage, QuizStatistics
from .statistics import ALL, ATTEMPTS, FIRST, LATEST

ATTEMPT_CHOICES = {
    FIRST: gettext_lazy("each person's first attempt (as Moodle)"),
    ALL: gettext_lazy("every attempt"),
    LATEST: gettext_lazy("each person's latest attempt (what the attitude profile counts)"),
}


def can_see_item_analysis(user):
    return user.is_active and user.has_perm("quizzes.change_question")


def quiz_list(request):
    if not can_see_item_analysis(request.user):
        raise PermissionDenied
    quizzes = QuizPage.objects.select_related("statistics").order_by("path")
    return TemplateResponse(
        request,
        "quizzes/admin/quiz_list.html",
        {"quizzes": quizzes, "header_title": _("Item analysis"), "page_title": _("Item analysis")},
    )


def _percent(value, factor=100):
    return None if value is None else round(value * factor, 1)


def item_analysis(request, quiz_id):
    """The item analysis of one quiz over the attempts chosen in ?attempts= (first, all,
    latest; first by default, as Moodle), saying which it uses."""
    if not can_see_item_analysis(request.user):
        raise PermissionDenied
    quiz = get_object_or_404(QuizPage, pk=quiz_id)
    which = request.GET.get("attempts")
    which = which if which in ATTEMPTS else FIRST
    statistics = QuizStatistics.objects.filter(quiz=quiz).first()
    data = (statistics.data if statistics else {}).get(which) or {"questions": {}}
    figures = data.get("questions", {})
    questions = (
        Question.objects.filter(pk__in=[int(pk) for pk in figures])
        .select_related("latest_revision", "reviewed_by")
        .prefetch_related("options")
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
                "key_reviewed": question.key_reviewed,
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
    unreviewed = [row["question"] for row in rows if not row["key_reviewed"]]
    negative = [row["question"] for row in rows if row["negative"]]
    return TemplateResponse(
        request,
        "quizzes/admin/item_analysis.html",
        {
            "quiz": quiz,
            "statistics": statistics,
            "attempts": data.get("attempts", 0),
            "mean_percent": data.get("mean_percent"),
            "sd": data.get("sd"),
            "skewness": data.get("skewness"),
            "kurtosis": data.get("kurtosis"),
            "same_questions": data.get("same_questions", True),
            "alpha": data.get("alpha"),  # a coefficient (0..1), not a percentage
            "error": data.get("error"),
            "which": which,
            "which_label": ATTEMPT_CHOICES[which],
            "attempt_choices": [
                {"value": value, "label": label, "current": value == which}
                for value, label in ATTEMPT_CHOICES.items()
            ],
            "rows": rows,
            "unreviewed": unreviewed,
            "negative": negative,
            "header_title": _("Item analysis: %(quiz)s") % {"quiz": quiz.title},
            "page_title": _("Item analysis: %(quiz)s") % {"quiz": quiz.title},
        },
    )


def review_question_key(request, question_id):
    """Editors who may change questions sign their keys."""
    if not can_see_item_analysis(request.user):
        raise PermissionDenied
    question = get_object_or_404(Question, pk=question_id)
    back = reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk])
    return key_review(request, item=question, label=question.key, back_url=back)
