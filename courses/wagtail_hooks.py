"""Admin wiring shared by every page and snippet editor: autosave stays off (issue 11, items 2
and 3) and Wagtail's page messages that its Spanish catalogue lacks are ours to translate."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wagtail import hooks

# Wagtail's own messages missing from its Spanish catalogue. Listing them here keeps them in
# ours (LOCALE_PATHS), which Django consults before Wagtail's.
WAGTAIL_MESSAGES = [
    gettext_noop("The slug '%(page_slug)s' is already in use within the parent page."),
    gettext_noop(
        "The slug '%(page_slug)s' is already in use within the parent page at "
        "'%(parent_url_path)s'."
    ),
]


def refuse_autosave(request, *args):
    """While WAGTAIL_AUTOSAVE_INTERVAL is 0, an autosave request (a background POST asking
    for JSON, as Wagtail's w-autosave controller sends) changes nothing: it can only come from
    an editor page opened before autosave was turned off, and it would store rows, pages and
    drafts the editor never saved. The editor's own save is a plain form POST and goes on."""
    autosave_on = getattr(settings, "WAGTAIL_AUTOSAVE_INTERVAL", 500) > 0
    if autosave_on or request.method != "POST" or request.accepts("text/html"):
        return None
    return JsonResponse(
        {
            "success": False,
            "error_code": "blocked_by_hook",
            "error_message": _("Autosave is off: save with the Save button."),
        },
        status=400,
    )


for hook_name in (
    "before_create_page",
    "before_edit_page",
    "before_create_snippet",
    "before_edit_snippet",
):
    hooks.register(hook_name, refuse_autosave)


@hooks.register("register_report_kind")
def assignments_report():
    """The assignments list (supervisors their teams', HR everyone's) as a scheduled report."""
    from django.utils.translation import gettext_lazy

    from people.policy import manageable_teams
    from people.reports import ReportKind

    from .forms import AssignmentFilterForm
    from .selectors import filtered_assignments

    return ReportKind(
        key="assignments",
        label=gettext_lazy("Assignments"),
        view_name="courses:team_assignments",
        export_name="courses:team_assignments_export",
        form=lambda data, viewer: AssignmentFilterForm(data, viewer=viewer),
        allowed=lambda viewer: manageable_teams(viewer).exists(),
        count=lambda viewer, form: filtered_assignments(viewer, form.data)[1].count(),
    )


@hooks.register("register_report_kind")
def audit_log_report():
    """HR's audit log as a scheduled report."""
    from django.utils.translation import gettext_lazy

    from people.policy import can_manage_people
    from people.reports import ReportKind

    from .audit import audit_entries, audit_sources
    from .forms import AuditFilterForm

    def count(viewer, form):
        sources = audit_sources()
        chosen = form.cleaned_data["source"]
        shown = [s for s in sources if s.key == chosen] or sources
        return audit_entries(shown, form.cleaned_data["q"]).count()

    return ReportKind(
        key="audit_log",
        label=gettext_lazy("Audit log"),
        view_name="courses:audit_log",
        export_name="courses:audit_log_export",
        form=lambda data, viewer: AuditFilterForm(data, viewer=viewer),
        allowed=can_manage_people,
        count=count,
    )
