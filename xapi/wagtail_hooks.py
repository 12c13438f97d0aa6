from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_statement_queue_urls():
    return [
        path("xapi/", admin_views.statement_queue, name="xapi_statement_queue"),
        path("xapi/reintentar/", admin_views.retry_statements, name="xapi_retry_statements"),
    ]


class StatementQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_see_statement_queue(request.user)


@hooks.register("register_reports_menu_item")
def register_statement_queue_menu_item():
    return StatementQueueMenuItem(
        _("xAPI statements"), reverse("xapi_statement_queue"), icon_name="resubmit", order=800
    )
