"""The item-quality rules of attitude/quality.py applied to role-play decisions: from the YAML
scenarios (the content checker, the suite) and from a ScenarioPage's graph (its edit page).

A choice has no credit of its own: its grade is its choice score (scenarios.graph), so the
keyed choice is the best choice of its line.
"""

from django.utils.translation import gettext

from attitude import quality

from .content import as_graph, load_scenarios

COVERAGE_HEADING = "Decisiones de juego de rol"  # the column of the README content table


def line_decision(key, line):
    return quality.Decision(
        where=f"«{key}»",
        options=tuple(
            quality.Option(
                text=str(choice.get("text") or ""),
                weights=dict(choice.get("weights") or {}),
                critical=bool(choice.get("critical")),
                critical_reason=choice.get("critical_reason") or "",
            )
            for choice in line["choices"]
        ),
    )


def graph_decisions(graph):
    return [line_decision(key, line) for key, line in graph["lines"].items()]


def graph_flags(graph, where=""):
    """Every flag of one scenario: per decision, then its decisions taken together."""
    decisions = graph_decisions(graph)
    found = [flag for d in decisions for flag in quality.decision_flags(d)]
    found += quality.collection_flags("", decisions)
    if where:
        found = [quality.Flag(f.code, f"{where} {f.where}".strip(), f.message) for f in found]
    return found


def seeded_coverage(sources=None):
    """{dimension: role-play decisions measuring it} over every scenario."""
    sources = load_scenarios() if sources is None else sources
    return quality.coverage(d for s in sources for d in graph_decisions(as_graph(s)))


def content_flags(sources=None):
    """Every flag of the seeded scenarios, the per-dimension minimum included."""
    from pathlib import Path

    sources = load_scenarios() if sources is None else sources
    found = [f for s in sources for f in graph_flags(as_graph(s), Path(s["path"]).name)]
    return found + quality.coverage_flags(
        seeded_coverage(sources), quality.MIN_DECISIONS, gettext("role-play decisions")
    )
