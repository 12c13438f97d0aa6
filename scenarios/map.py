"""The scenario map: the graph drawn as SVG on the server (no front-end build step).

Lines and endings are boxes in columns by distance from the start; each choice is a curve from
its line to what it leads to, marked when it was on the learner's path or on the best path,
and labelled with how many learners took it when counts are given.
"""

from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from . import graph as scenario_graph
from .blocks import OUTCOMES

BOX_W, BOX_H = 170, 58
GAP_X, GAP_Y = 70, 22
MARGIN = 16


@dataclass
class Node:
    key: str
    kind: str  # "line" or "ending"
    heading: str  # bold first row: the key for authors, an ending's outcome for learners
    label: str
    x: float
    y: float
    outcome: str = ""
    mood: str = ""
    on_path: bool = False
    classes: str = ""


@dataclass
class Edge:
    path: str
    label_x: float
    label_y: float
    text: str
    taken: bool = False
    best: bool = False
    count: int | None = None
    classes: str = field(default="")


def _short(text, limit=46):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def first_words(text, count=6):
    """The first `count` words of a line, with an ellipsis when there are more."""
    words = (text or "").split()
    return " ".join(words) if len(words) <= count else " ".join(words[:count]) + "…"


CRITICAL_END = "critical-end"  # not a valid author key (keys are lowercase words): no clash


def _titles(key, kind, item, authoring):
    """What a box says. Authors read keys (what "Leads to" names); learners read the
    conversation: a customer line's first words, an ending's outcome and its first words."""
    if authoring:
        outcome = item.get("outcome", "")
        return (
            f"{key} · {outcome}" if outcome else key,
            _short(item.get("text") or item.get("debrief", "")),
        )
    if kind == "line":
        return "", first_words(item.get("text"))
    outcome = capfirst(str(dict(OUTCOMES).get(item.get("outcome", ""), "")))
    return outcome, first_words(item.get("text") or item.get("debrief", ""))


def scenario_map(graph, *, taken=(), best=None, counts=None, authoring=False):
    """taken: [(line key, choice index)] of a run; best: the same for the best path (computed
    when None); counts: {(line key, choice key): learners who chose it}; authoring: the
    editor's map, which names the keys. The learner's map never shows a key, and draws the
    critical choice that ended their run as an arrow to a "critical answer" box."""
    best = scenario_graph.best_path(graph) if best is None else best
    taken, best = set(taken), set(best)
    positions = dict(scenario_graph.layout(graph))
    critical_taken = [
        (key, index)
        for key, index in taken
        if key in graph["lines"]
        and index < len(graph["lines"][key]["choices"])
        and graph["lines"][key]["choices"][index].get("critical")
    ]
    if critical_taken and not authoring:
        column = positions[critical_taken[0][0]][0] + 1
        rows = [r for c, r in positions.values() if c == column]
        positions[CRITICAL_END] = (column, max(rows, default=-1) + 1)
    visited = {key for key, _ in taken}
    nodes = {}
    for key, (column, row) in positions.items():
        if key == CRITICAL_END:
            line_key, index = critical_taken[0]
            choice = graph["lines"][line_key]["choices"][index]
            kind, item = "ending", {"outcome": "perdido", "text": choice["text"]}
            heading, label = _("Critical answer"), first_words(choice["text"])
        else:
            kind = "line" if key in graph["lines"] else "ending"
            item = graph["lines"].get(key) or graph["endings"].get(key)
            heading, label = _titles(key, kind, item, authoring)
        node = Node(
            key=key,
            kind=kind,
            heading=heading,
            label=label,
            x=MARGIN + column * (BOX_W + GAP_X),
            y=MARGIN + row * (BOX_H + GAP_Y),
            outcome=item.get("outcome", ""),
            mood=item.get("mood", ""),
            on_path=key in visited,
        )
        node.classes = " ".join(
            filter(
                None,
                [
                    f"map-node--{kind}",
                    f"map-node--{node.outcome}" if node.outcome else "",
                    "map-node--start" if key == graph.get("start") else "",
                    "map-node--critical-end" if key == CRITICAL_END else "",
                    "map-node--visited" if node.on_path else "",
                ],
            )
        )
        nodes[key] = node
    edges = []
    for key, line in graph["lines"].items():
        source = nodes.get(key)
        for index, choice in enumerate(line["choices"]):
            if choice.get("critical"):
                target = nodes.get(CRITICAL_END) if (key, index) in taken else None
            else:
                target = nodes.get(choice.get("next"))
            if source is None or target is None:
                continue
            x1, y1 = source.x + BOX_W, source.y + BOX_H / 2 + (index - 1) * 6
            x2, y2 = target.x, target.y + BOX_H / 2
            bend = max(40, abs(x2 - x1) / 2)
            count = None if counts is None else counts.get((key, choice["key"]), 0)
            edge = Edge(
                path=f"M{x1:.0f},{y1:.0f} C{x1 + bend:.0f},{y1:.0f} {x2 - bend:.0f},{y2:.0f} "
                f"{x2:.0f},{y2:.0f}",
                label_x=(x1 + x2) / 2,
                label_y=(y1 + y2) / 2 - 3,
                text=_short(choice["text"], 60),
                taken=(key, index) in taken,
                best=(key, index) in best,
                count=count,
            )
            edge.classes = " ".join(
                filter(
                    None,
                    [
                        "map-edge",
                        "map-edge--taken" if edge.taken else "",
                        "map-edge--best" if edge.best else "",
                    ],
                )  # fmt: skip
            )
            edges.append(edge)
    columns = max((c for c, _ in positions.values()), default=0) + 1
    rows = max((r for _, r in positions.values()), default=0) + 1
    return {
        "width": 2 * MARGIN + columns * BOX_W + (columns - 1) * GAP_X,
        "height": 2 * MARGIN + rows * BOX_H + (rows - 1) * GAP_Y,
        "box_w": BOX_W,
        "box_h": BOX_H,
        "nodes": list(nodes.values()),
        "edges": edges,
        "critical": [
            (key, choice["text"])
            for key, line in graph["lines"].items()
            for choice in line["choices"]
            if choice.get("critical")
        ],
        "authoring": authoring,
    }
