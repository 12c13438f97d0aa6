from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from people.policy import can_manage_provisioning

from . import admin_views


@hooks.register("register_admin_urls")
def register_provisioning_urls():
    return [
        path("scim/", admin_views.client_list, name="provisioning_clients"),
        path("scim/nuevo/", admin_views.client_create, name="provisioning_client_create"),
        path(
            "scim/<int:pk>/revocar/", admin_views.client_revoke, name="provisioning_client_revoke"
        ),
    ]


class ProvisioningMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_provisioning(request.user)


@hooks.register("register_settings_menu_item")
def register_provisioning_menu_item():
    return ProvisioningMenuItem(
        _("SCIM provisioning"), reverse("provisioning_clients"), icon_name="key", order=900
    )
