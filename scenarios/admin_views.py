"""Scenario analytics for editors, in the Wagtail admin: aggregates only, no personal data."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from attitude.admin_views import key_review

from .map import scenario_map
from .models import ScenarioPage
from .selectors import scenario_analytics


def can_see_analytics(user):
    return user.is_active and user.has_perm("scenarios.change_clientpersonality")


def scenario_list(request):
    if not can_see_analytics(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "scenarios/admin/scenario_list.html",
        {
            "scenarios": ScenarioPage.objects.select_related("personality").order_by("path"),
            "header_title": _("Scenario analytics"),
            "page_title": _("Scenario analytics"),
        },
    )


def scenario_analytics_view(request, scenario_id):
    if not can_see_analytics(request.user):
        raise PermissionDenied
    scenario = get_object_or_404(ScenarioPage, pk=scenario_id)
    figures = scenario_analytics(scenario)
    graph = scenario.as_graph()
    lines = [
        {
            "key": key,
            "text": line["text"],
            "choices": [
                {**choice, "count": figures["choices"].get((key, choice["key"]), 0)}
                for choice in line["choices"]
            ],
        }
        for key, line in graph["lines"].items()
    ]
    return TemplateResponse(
        request,
        "scenarios/admin/analytics.html",
        {
            "scenario": scenario,
            "figures": figures,
            "lines": lines,
            "map": scenario_map(graph, counts=figures["choices"], authoring=True)
            if graph["start"]
            else None,
            "header_title": _("Scenario analytics: %(title)s") % {"title": scenario.title},
            "page_title": _("Scenario analytics: %(title)s") % {"title": scenario.title},
        },
    )


def review_scenario_key(request, scenario_id):
    """Editors who may edit the role-play sign its key."""
    scenario = get_object_or_404(ScenarioPage, pk=scenario_id)
    if not scenario.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    back = reverse("wagtailadmin_pages:edit", args=[scenario.pk])
    return key_review(request, item=scenario, label=scenario.title, back_url=back)
