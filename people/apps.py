from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wagtail.users.apps import WagtailUsersAppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms for our user model (full name instead of first and
    last name, plus the employee number)."""

    user_viewset = "people.wagtail_hooks.UserViewSet"
