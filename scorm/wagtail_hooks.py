from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .forms import ScormPackageForm
from .models import ScormPackage


class ScormPackageViewSet(SnippetViewSet):
    """Editors upload SCORM packages here, then choose one in a SCORM step of a course."""

    model = ScormPackage
    icon = "doc-full"
    menu_label = _("SCORM packages")
    menu_order = 340
    add_to_admin_menu = True
    list_display = ["title", "version", "launch_path", "uploaded_by", "uploaded_at"]
    search_fields = ["title"]

    edit_handler = ObjectList(
        [FieldPanel("title"), FieldPanel("file")], base_form_class=ScormPackageForm
    )


register_snippet(ScormPackageViewSet)
