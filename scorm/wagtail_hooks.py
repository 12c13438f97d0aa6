from django.utils.translation import gettext_lazy as _

from wagtail import hooks
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


RESET = "reset"


def _reset_entries(query):
    from django.db.models import CharField, Q, Value

    from courses.audit import audit_values

    from .models import ScormAttempt

    resets = ScormAttempt.objects.filter(reset_by__isnull=False)
    if query:
        resets = resets.filter(
            Q(person__full_name__icontains=query)
            | Q(person__email__icontains=query)
            | Q(page__title__icontains=query)
            | Q(reset_by__full_name__icontains=query)
        )
    return audit_values(
        resets,
        source="scorm",
        at="closed_at",
        actor="reset_by__full_name",
        action=Value(RESET, output_field=CharField()),
        person="person__full_name",
        subject="page__title",
        detail=Value("", output_field=CharField()),
    )


@hooks.register("register_audit_log_source")
def scorm_audit_source():
    """HR's resets of people's SCORM data in the audit log."""
    from courses.audit import AuditSource

    return AuditSource(
        key="scorm",
        label=_("SCORM packages"),
        actions={RESET: _("SCORM data reset")},
        entries=_reset_entries,
        person="person",
    )
