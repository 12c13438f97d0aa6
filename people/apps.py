from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wagtail.users.apps import WagtailUsersAppConfig


class PeopleConfig(AppConfig):
    default = True
    name = "people"
    verbose_name = _("People")

    def ready(self):
        from django.db.backends.signals import connection_created

        from .models import register_sqlite_collation
        from .spreadsheets import protect_wagtail_exports
        from .two_factor import connect_signals

        connection_created.connect(register_sqlite_collation, dispatch_uid="spanish_collation")
        protect_wagtail_exports()
        connect_signals()

        from allauth.account.signals import user_logged_in

        from .sso_login import on_sso_sign_in

        user_logged_in.connect(on_sso_sign_in, dispatch_uid="sso_sign_in")


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms for our user model (full name instead of first and
    last name, plus the employee number)."""

    user_viewset = "people.wagtail_hooks.UserViewSet"
