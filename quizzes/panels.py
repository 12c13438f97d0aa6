from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import Panel


class QuestionQualityPanel(Panel):
    """The item-quality checks (quizzes/quality.py) of the question as last saved."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "quizzes/admin/quality_panel.html"

        def get_context_data(self, parent_context=None):
            from .quality import question_flags

            context = super().get_context_data(parent_context)
            context["saved"] = bool(self.instance.pk)
            context["flags"] = question_flags(self.instance) if self.instance.pk else []
            context["empty_message"] = _("The checks appear once the question has been saved.")
            return context


class QuizRulesPanel(Panel):
    """Warnings about when agents will see the key, from the quiz's rules as last saved."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "quizzes/admin/rules_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["warnings"] = self.instance.key_rule_warnings() if self.instance.pk else []
            return context

        def is_shown(self):
            return bool(self.instance.pk and self.instance.key_rule_warnings())
