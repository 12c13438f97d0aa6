from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import Panel


class ScenarioMapPanel(Panel):
    """The scenario map in the page editor, drawn from the graph as last saved."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "scenarios/admin/map_panel.html"

        def get_context_data(self, parent_context=None):
            from .graph import problems
            from .map import scenario_map
            from .quality import graph_flags

            context = super().get_context_data(parent_context)
            graph = self.instance.as_graph() if self.instance.pk else None
            context["map"] = (
                scenario_map(graph, authoring=True) if graph and graph["start"] else None
            )
            context["problems"] = problems(graph) if graph and graph["start"] else []
            context["quality"] = graph_flags(graph) if graph and graph["start"] else []
            context["empty_message"] = _("The map appears once the scenario has been saved.")
            return context
