from django.contrib import messages
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Question, QuestionCategory, QuizPage


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["key", "text", "kind", "category"]
    list_filter = ["kind", "category"]
    search_fields = ["key", "text", "situation"]
    ordering = ["key"]


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Question categories")
    list_display = ["name"]


class QuestionBankGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, QuestionCategoryViewSet)
    menu_icon = "help"
    menu_label = _("Question bank")
    menu_name = "question-bank"
    menu_order = 320


register_snippet(QuestionBankGroup)


@hooks.register("register_admin_urls")
def register_item_analysis_urls():
    return [
        path("analisis-de-preguntas/", admin_views.quiz_list, name="quizzes_item_analysis"),
        path(
            "analisis-de-preguntas/<int:quiz_id>/",
            admin_views.item_analysis,
            name="quizzes_item_analysis_quiz",
        ),
        path(
            "clave-revisada/pregunta/<int:question_id>/",
            admin_views.review_question_key,
            name="quizzes_review_key",
        ),
    ]


class ItemAnalysisMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_see_item_analysis(request.user)


@hooks.register("register_reports_menu_item")
def register_item_analysis_menu_item():
    return ItemAnalysisMenuItem(
        _("Item analysis"), reverse("quizzes_item_analysis"), icon_name="table", order=700
    )


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_when_agents_see_the_key(request, page):
    """Saving or publishing a quiz says when agents will see its key, if the settings deserve
    a word (QuizPage.key_rule_warnings). A warning, not a refusal: QuizPage.key_visible holds
    the key of a certification quiz back whatever the settings, so none of them leaks it."""
    if isinstance(page.specific, QuizPage):
        for warning in page.specific.key_rule_warnings():
            messages.warning(request, warning)
