"""The scenario map: the graph drawn as SVG on the server (no front-end build step).

Lines and endings are boxes in columns by distance from the start; each choice is a curve from
its line to what it leads to, marked when it was on the learner's path or on the best path,
and labelled with how many learners took it when counts are given.
"""

from dataclasses import dataclass, field

from . import graph as scenario_graph

BOX_W, BOX_H = 170, 58
GAP_X, GAP_Y = 70, 22
MARGIN = 16


@dataclass
class Node:
    key: str
    kind: str  # "line" or "ending"
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


def scenario_map(graph, *, taken=(), best=None, counts=None):
    """taken: [(line key, choice index)] of a run; best: the same for the best path (computed
    when None); counts: {(line key, choice key): learners who chose it}."""
    best = scenario_graph.best_path(graph) if best is None else best
    taken, best = set(taken), set(best)
    positions = scenario_graph.layout(graph)
    visited = {key for key, _ in taken}
    nodes = {}
    for key, (column, row) in positions.items():
        kind = "line" if key in graph["lines"] else "ending"
        item = graph["lines"].get(key) or graph["endings"].get(key)
        node = Node(
            key=key,
            kind=kind,
            label=_short(item.get("text") or item.get("debrief", "")),
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
                    "map-node--visited" if node.on_path else "",
                ],
            )
        )
        nodes[key] = node
    edges = []
    for key, line in graph["lines"].items():
        source = nodes.get(key)
        for index, choice in enumerate(line["choices"]):
            target = nodes.get(choice.get("next"))
            if source is None or target is None or choice.get("critical"):
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
    }
