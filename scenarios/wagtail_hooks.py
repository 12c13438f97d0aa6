from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import ClientPersonality


class ClientPersonalityViewSet(SnippetViewSet):
    model = ClientPersonality
    icon = "user"
    menu_label = _("Client personalities")
    menu_order = 330
    add_to_admin_menu = True
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]


register_snippet(ClientPersonalityViewSet)


@hooks.register("register_admin_urls")
def register_analytics_urls():
    return [
        path("analitica-de-escenarios/", admin_views.scenario_list, name="scenarios_analytics"),
        path(
            "analitica-de-escenarios/<int:scenario_id>/",
            admin_views.scenario_analytics_view,
            name="scenarios_analytics_scenario",
        ),
        path(
            "clave-revisada/escenario/<int:scenario_id>/",
            admin_views.review_scenario_key,
            name="scenarios_review_key",
        ),
    ]


class AnalyticsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_see_analytics(request.user)


@hooks.register("register_reports_menu_item")
def register_analytics_menu_item():
    return AnalyticsMenuItem(
        _("Scenario analytics"), reverse("scenarios_analytics"), icon_name="site", order=710
    )
