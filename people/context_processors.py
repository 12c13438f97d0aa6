from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """The main navigation: one entry per area the signed-in person's roles open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    entries = [
        (_("My learning"), reverse("courses:my_learning")),
        (_("My profile"), reverse("attitude:my_profile")),
    ]
    if user.is_supervisor:
        entries.append((_("My team"), reverse("certification:team_dashboard")))
    if user.is_hr:
        entries.append((_("HR"), reverse("people:hr_home")))
    if user.is_editor or user.has_perm("wagtailadmin.access_admin"):
        entries.append((_("Administration"), reverse("wagtailadmin_home")))
    return {
        "nav_items": [
            {"label": label, "url": url, "current": request.path.startswith(url)}
            for label, url in entries
        ]
    }
