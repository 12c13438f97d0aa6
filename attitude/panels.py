from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import Panel


class KeyReviewPanel(Panel):
    """Who reviewed the key of the item being edited and when, with the action "Marcar clave
    como revisada" (`url_name` takes the item's pk)."""

    def __init__(self, url_name="", **kwargs):
        self.url_name = url_name
        kwargs.setdefault("heading", _("Key review"))
        super().__init__(**kwargs)

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "url_name": self.url_name}

    class BoundPanel(Panel.BoundPanel):
        template_name = "attitude/admin/key_review_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            item = self.instance
            context["item"] = item
            context["review_url"] = reverse(self.panel.url_name, args=[item.pk]) if item.pk else ""
            return context
