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
