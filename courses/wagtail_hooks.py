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
