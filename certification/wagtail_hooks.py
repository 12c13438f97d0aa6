from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Programme


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "success"
    menu_label = _("Certification programmes")
    menu_order = 340
    add_to_admin_menu = True
    list_display = ["name", "validity_months", BooleanColumn("is_active")]


register_snippet(ProgrammeViewSet)
