"""A scenario as a graph, and the rules a publishable one keeps.

Plain data, so the editor's form, the content checker and the player share one definition:
    {"start": key,
     "lines": {key: {"mood", "text", "choices": [{"key", "text", "feedback", "next",
                                                   "weights", "critical", "critical_reason"}]}},
     "endings": {key: {"outcome", "text", "debrief"}}}
A critical choice ends the run at once, so it needs no `next`.
"""

from collections import deque
from dataclasses import dataclass

from django.utils.translation import gettext as _

from attitude import scoring

GOOD_OUTCOMES = {"resuelto", "fidelizado"}
OUTCOMES = ("fidelizado", "resuelto", "escalado", "perdido")


@dataclass(frozen=True)
class Problem:
    key: str  # the line or ending the problem is about ("" for the whole graph)
    message: str

    def __str__(self):
        return f"«{self.key}»: {self.message}" if self.key else self.message


def build(lines, endings):
    """The graph from lines and endings in author order, however they were written (YAML,
    the page's StreamField): the first line is the start; a choice without a key is known as
    "<line key>.<its number>"; a key seen before is listed in `duplicates`."""
    graph = {"start": None, "lines": {}, "endings": {}, "duplicates": []}
    for kind, item in [*(("line", line) for line in lines), *(("ending", e) for e in endings)]:
        key = item.get("key")
        if key in graph["lines"] or key in graph["endings"]:
            graph["duplicates"].append(key)
        if kind == "ending":
            graph["endings"][key] = {
                "outcome": item.get("outcome", ""),
                "text": item.get("text", ""),
                "debrief": item.get("debrief", ""),
            }
            continue
        graph["start"] = graph["start"] or key
        graph["lines"][key] = {
            "mood": item.get("mood", ""),
            "text": item.get("text", ""),
            "choices": [
                {
                    "key": choice.get("key") or f"{key}.{number}",
                    "text": choice.get("text", ""),
                    "feedback": choice.get("feedback", ""),
                    "next": choice.get("next", ""),
                    "weights": dict(choice.get("weights") or {}),
                    "critical": bool(choice.get("critical")),
                    "critical_reason": choice.get("critical_reason") or "",
                }
                for number, choice in enumerate(item.get("choices") or [], 1)
            ],
        }
    return graph


def successors(graph, key):
    line = graph["lines"].get(key)
    if line is None:
        return []
    return [c["next"] for c in line["choices"] if not c.get("critical") and c.get("next")]


def reachable(graph, start=None):
    start = start or graph.get("start")
    seen, queue = set(), deque([start] if start else [])
    while queue:
        key = queue.popleft()
        if key in seen or (key not in graph["lines"] and key not in graph["endings"]):
            continue
        seen.add(key)
        queue.extend(successors(graph, key))
    return seen


def problems(graph):
    """Every rule a scenario must keep before it is published, with the line it concerns:
    keys are unique; every choice points at a line or ending that exists (critical choices end
    the run and need none); every decision offers at least two choices; every line is reachable
    from the start; from every line some ending can be reached (so a loop needs a way out);
    there is at least one good ending (resuelto or fidelizado)."""
    found = []
    lines, endings = graph["lines"], graph["endings"]
    for key in graph.get("duplicates", []):
        found.append(Problem(key, _("this key is used twice; keys must be unique.")))
    if not graph.get("start") or graph["start"] not in lines:
        return [*found, Problem("", _("the scenario needs a first customer line."))]
    for key, line in lines.items():
        if len(line["choices"]) < 2:
            found.append(Problem(key, _("a decision needs at least two choices.")))
        for number, choice in enumerate(line["choices"], 1):
            target = choice.get("next")
            if choice.get("critical"):
                continue
            if not target:
                found.append(
                    Problem(key, _("choice %(n)s does not say where it leads.") % {"n": number})
                )
            elif target not in lines and target not in endings:
                found.append(
                    Problem(
                        key,
                        _("choice %(n)s leads to «%(target)s», which does not exist.")
                        % {"n": number, "target": target},
                    )
                )
    seen = reachable(graph)
    for key in [*lines, *endings]:
        if key not in seen:
            found.append(Problem(key, _("it cannot be reached from the start.")))
    can_end = _lines_that_can_end(graph)
    for key in lines:
        if key in seen and key not in can_end:
            found.append(
                Problem(key, _("no ending can be reached from here (a loop with no way out)."))
            )
    if not any(e["outcome"] in GOOD_OUTCOMES for e in endings.values()):
        found.append(Problem("", _("at least one ending must be good (resuelto or fidelizado).")))
    return found


def _lines_that_can_end(graph):
    """Lines from which some ending is reachable: a fixed point working back from endings."""
    can_end = set(graph["endings"])
    changed = True
    while changed:
        changed = False
        for key, line in graph["lines"].items():
            if key in can_end:
                continue
            ends_here = any(c.get("critical") for c in line["choices"])
            if ends_here or any(target in can_end for target in successors(graph, key)):
                can_end.add(key)
                changed = True
    return can_end


def decision_evidence(line, choice):
    """{dimension: 0..1} for one decision: the choice's weight normalised by the range offered
    at its line (attitude.scoring); a critical choice scores 0 on every dimension measured
    there."""
    offered = [c.get("weights") for c in line["choices"]]
    if choice.get("critical"):
        return dict.fromkeys(scoring.weight_ranges(offered), 0.0)
    return scoring.normalised(offered, [choice.get("weights")])


def choice_score(line, choice):
    """How good a choice is at its decision, 0..1: the mean of its decision evidence; a
    critical choice is 0; None if nothing varies."""
    if choice.get("critical"):
        return 0.0
    scores = decision_evidence(line, choice)
    return sum(scores.values()) / len(scores) if scores else None


def best_path(graph):
    """The path a model agent takes: from the start to a good ending without repeating a line,
    the sequence of choices with the highest mean choice score (the shorter one on a tie), so a
    detour through poor choices never looks better for being longer. Returns [(line key,
    choice index)], or [] if no good ending can be reached."""
    best = {"rank": None, "path": []}

    def walk(key, path, total, visited):
        if key in graph["endings"]:
            if graph["endings"][key]["outcome"] in GOOD_OUTCOMES and path:
                rank = (total / len(path), -len(path))
                if best["rank"] is None or rank > best["rank"]:
                    best.update(rank=rank, path=list(path))
            return
        line = graph["lines"].get(key)
        if line is None or key in visited:
            return
        for index, choice in enumerate(line["choices"]):
            if choice.get("critical") or not choice.get("next"):
                continue
            path.append((key, index))
            walk(choice["next"], path, total + (choice_score(line, choice) or 0), visited | {key})
            path.pop()

    walk(graph["start"], [], 0.0, frozenset())
    return best["path"]


def layout(graph):
    """Columns by distance from the start (unreachable nodes last), rows in author order."""
    depth = {graph["start"]: 0} if graph.get("start") else {}
    queue = deque(depth)
    while queue:
        key = queue.popleft()
        for target in successors(graph, key):
            if target not in depth and (target in graph["lines"] or target in graph["endings"]):
                depth[target] = depth[key] + 1
                queue.append(target)
    last = max(depth.values(), default=0) + 1
    columns = {}
    for key in [*graph["lines"], *graph["endings"]]:
        columns.setdefault(depth.get(key, last), []).append(key)
    return {key: (column, row) for column, keys in columns.items() for row, key in enumerate(keys)}
