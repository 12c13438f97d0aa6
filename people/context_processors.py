from django.contrib.auth.models import Group, Permission
from django.db.models import BooleanField, CharField, Exists, OuterRef, Value
from django.urls import reverse
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _


def _roles_and_admin_access(user):
    """The person's role names and whether they may open the Wagtail admin, in one query:
    the admin is open to the roles whose group grants `wagtailadmin.access_admin`, to
    anyone granted it directly, and to superusers (what `user.has_perm` would answer, which
    takes two queries more). Primes `user.role_names` for the rest of the request."""
    access_admin = Permission.objects.filter(
        codename="access_admin", content_type__app_label="wagtailadmin"
    ).order_by()
    rows = (
        Group.objects.filter(user=user)
        .order_by()
        .values_list("name", Exists(access_admin.filter(group=OuterRef("pk"))))
        .union(
            access_admin.filter(user=user)
            .order_by()
            .values_list(
                Value(None, output_field=CharField()), Value(True, output_field=BooleanField())
            )
        )
    )
    rows = list(rows)
    person = user._wrapped if isinstance(user, LazyObject) else user  # request.user is lazy
    person.__dict__["role_names"] = frozenset(name for name, _admin in rows if name is not None)
    return person.role_names, user.is_superuser or any(admin for _name, admin in rows)


def navigation(request):
    """The main navigation: one entry per area the signed-in person's roles open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    _roles, admin_access = _roles_and_admin_access(user)
    entries = [
        (_("My learning"), reverse("courses:my_learning")),
        (_("My profile"), reverse("attitude:my_profile")),
        (_("Calendar"), reverse("certification:calendar")),
    ]
    if user.is_agent:
        entries.append((_("My certificates"), reverse("certification:mine")))
    if user.is_supervisor:
        entries.append((_("My team"), reverse("certification:team_dashboard")))
    if user.is_hr:
        entries.append((_("HR"), reverse("people:hr_home")))
    if user.is_editor or admin_access:
        entries.append((_("Administration"), reverse("wagtailadmin_home")))
    return {
        "nav_items": [
            {"label": label, "url": url, "current": request.path.startswith(url)}
            for label, url in entries
        ]
    }


def notifications(request):
    """The unread count for the bell in the header: from the cache, so a page costs no query
    for it unless the count changed since it was last read (people.notifications)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": _UnreadCount(user)}


class _UnreadCount:
    """The count, read the first time a template asks for it (templates call callables), so
    pages that show no bell — Wagtail's admin, exports — never look it up."""

    def __init__(self, user):
        self.user = user

    def __call__(self):
        if not hasattr(self, "value"):
            from .notifications import unread_count

            self.value = unread_count(self.user)
        return self.value
