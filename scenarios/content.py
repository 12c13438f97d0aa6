"""Scenarios and client personalities kept in the repository as YAML.

`scenarios/content/personalities.yaml` lists the client personalities; each other
`<NN>-<slug>.yaml` is one role-play. `problems()` checks the graph rules of scenarios/graph.py
plus our content rules (a best path at least 4 decisions long, at least 3 endings).
"""

from pathlib import Path

import yaml

from attitude.quality import critical_reason_problems
from courses.content import DIMENSIONS

from . import graph as scenario_graph

CONTENT_DIR = Path(__file__).resolve().parent / "content"
CHANNELS = {"telefono", "mostrador", "chat", "email"}
MOODS = {"tranquilo", "preocupado", "molesto", "enfadado", "furioso", "satisfecho", "contento"}
MIN_BEST_PATH = 4
MIN_ENDINGS = 3


def _read(path):
    with Path(path).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def load_personalities(content_dir=CONTENT_DIR):
    return list(_read(Path(content_dir) / "personalities.yaml").get("personalities") or [])


def load_scenarios(content_dir=CONTENT_DIR):
    return [
        {**_read(path), "path": path}
        for path in sorted(Path(content_dir).glob("*.yaml"))
        if path.name != "personalities.yaml"
    ]


def as_graph(source):
    """The scenario's lines and endings as the graph of scenarios/graph.py."""
    return scenario_graph.build(source.get("lines") or [], source.get("endings") or [])


def scenario_problems(source, personalities=()):
    where = Path(source.get("path", "?")).name
    found = []
    for name in ("title", "slug", "personality", "channel", "situation", "summary"):
        if not source.get(name):
            found.append(f"{where}: {name} is required")
    if source.get("channel") not in CHANNELS:
        found.append(f"{where}: channel must be one of {sorted(CHANNELS)}")
    if personalities and source.get("personality") not in personalities:
        found.append(f"{where}: unknown personality {source.get('personality')!r}")
    graph = as_graph(source)
    found += [f"{where} {problem}" for problem in scenario_graph.problems(graph)]
    for key, line in graph["lines"].items():
        if line["mood"] not in MOODS:
            found.append(f"{where} «{key}»: mood must be one of {sorted(MOODS)}")
        for number, choice in enumerate(line["choices"], 1):
            if not choice["text"] or not choice["feedback"]:
                found.append(f"{where} «{key}» choice {number}: text and feedback are required")
            if set(choice["weights"]) - DIMENSIONS:
                found.append(f"{where} «{key}» choice {number}: unknown dimension")
            if any(not isinstance(w, int) or not -2 <= w <= 2 for w in choice["weights"].values()):
                found.append(f"{where} «{key}» choice {number}: weights are -2..2")
            if not choice["weights"]:
                found.append(f"{where} «{key}» choice {number}: weights are required")
            for problem in critical_reason_problems(choice["critical"], choice["critical_reason"]):
                found.append(f"{where} «{key}» choice {number}: {problem}")
    for key, ending in graph["endings"].items():
        if ending["outcome"] not in scenario_graph.OUTCOMES:
            found.append(f"{where} «{key}»: outcome must be one of {scenario_graph.OUTCOMES}")
        if not ending["debrief"]:
            found.append(f"{where} «{key}»: debrief is required")
    if len(graph["endings"]) < MIN_ENDINGS:
        found.append(f"{where}: {len(graph['endings'])} endings ({MIN_ENDINGS} wanted)")
    if not found and len(scenario_graph.best_path(graph)) < MIN_BEST_PATH:
        found.append(f"{where}: the best path is shorter than {MIN_BEST_PATH} decisions")
    return found


def personality_problems(personalities):
    found = []
    for p in personalities:
        for name in ("slug", "name", "description", "recognise", "do", "dont"):
            if not p.get(name):
                found.append(f"personalities.yaml {p.get('slug', '?')}: {name} is required")
    return found


def main(args, out):
    """python -m scenarios.content [file …]: the scenarios' graphs, content rules and item
    quality (scenarios/quality.py), with the number of decisions measuring each dimension;
    returns 1 if anything is wrong. The per-dimension minimum is checked over all scenarios
    only."""
    from attitude.quality import coverage_table

    from . import quality

    personalities = load_personalities()
    slugs = {p["slug"] for p in personalities}
    sources = [{**_read(a), "path": a} for a in args] or load_scenarios()
    problems = personality_problems(personalities) if not args else []
    for source in sources:
        found = scenario_problems(source, slugs)
        problems += found
        if not found:
            graph = as_graph(source)
            out.write(
                f"{Path(source['path']).name}: {len(graph['lines'])} lines, "
                f"{len(graph['endings'])} endings, best path "
                f"{len(scenario_graph.best_path(graph))} decisions\n"
            )
    if args:
        problems += [
            str(f) for s in sources for f in quality.graph_flags(as_graph(s), Path(s["path"]).name)
        ]
    else:
        problems += [str(f) for f in quality.content_flags(sources)]
    out.write("\n" + coverage_table({"decisions": quality.seeded_coverage(sources)}) + "\n\n")
    out.write("\n".join(problems) + ("\n" if problems else "no problems\n"))
    return 1 if problems else 0


if __name__ == "__main__":
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    from django.utils import translation

    translation.activate("en")  # like the structural problems: the msgids, in English
    sys.exit(main(sys.argv[1:], sys.stdout))
