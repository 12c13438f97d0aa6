from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ServiceDimension


class ServiceDimensionViewSet(SnippetViewSet):
    model = ServiceDimension
    icon = "pick"
    menu_label = _("Service dimensions")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "axis", "sort_order"]
    ordering = ["sort_order"]


register_snippet(ServiceDimensionViewSet)
