"""Geometry for the server-rendered SVG charts of the attitude profile (no JavaScript)."""

import math
import textwrap
from dataclasses import dataclass

RADAR_CENTRE = (320, 180)
RADAR_RADIUS = 125
QUADRANT_SIZE = 280
QUADRANT_MARGIN = 40
QUADRANT_LABEL_CHARS = 18  # ~117 px at 12 px: a line fits within its half of the box


@dataclass
class RadarSpoke:
    label: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str
    missing: bool = False


def _point(index, count, fraction, radius=RADAR_RADIUS):
    angle = -math.pi / 2 + 2 * math.pi * index / count
    cx, cy = RADAR_CENTRE
    return cx + radius * fraction * math.cos(angle), cy + radius * fraction * math.sin(angle)


def _polygon(fractions):
    count = len(fractions)
    return " ".join(
        "{:.1f},{:.1f}".format(*_point(i, count, max(0.0, min(f or 0.0, 1.0))))
        for i, f in enumerate(fractions)
    )


def _scored_runs(scored):
    """Runs of neighbouring scored spokes, going round the radar: [[index, …], …]."""
    count = len(scored)
    first_gap = scored.index(False)
    runs, run = [], []
    for step in range(1, count + 1):
        index = (first_gap + step) % count
        if scored[index]:
            run.append(index)
        elif run:
            runs.append(run)
            run = []
    return [*runs, run] if run else runs


def _shape(fractions):
    """The closed polygon through every spoke when all have a value; otherwise the runs of
    neighbouring valued spokes as open lines (a missing value breaks the line instead of
    dropping to the centre, which would read as a measured zero), and a dot on each value."""
    count = len(fractions)
    scored = [f is not None for f in fractions]
    complete = count > 0 and all(scored)
    dots = [_point(i, count, max(0.0, min(f, 1.0))) for i, f in enumerate(fractions) if scored[i]]
    segments = (
        []
        if complete or not any(scored)
        else [
            " ".join(
                "{:.1f},{:.1f}".format(*_point(i, count, max(0.0, min(fractions[i], 1.0))))
                for i in run
            )
            for run in _scored_runs(scored)
            if len(run) > 1
        ]
    )
    return {
        "polygon": _polygon(fractions) if complete else "",
        "segments": segments,
        "dots": dots,
        "complete": complete,
    }


def _spokes(labels, missing):
    count = len(labels)
    spokes = []
    for i, label in enumerate(labels):
        x, y = _point(i, count, 1)
        lx, ly = _point(i, count, 1, RADAR_RADIUS + 16)
        anchor = (
            "middle"
            if abs(lx - RADAR_CENTRE[0]) < 10
            else ("start" if lx > RADAR_CENTRE[0] else "end")
        )
        spokes.append(RadarSpoke(label, x, y, lx, ly + 4, anchor, missing[i]))
    return spokes


def _frame(count):
    return {
        "width": RADAR_CENTRE[0] * 2,
        "height": RADAR_CENTRE[1] * 2,
        "cx": RADAR_CENTRE[0],
        "cy": RADAR_CENTRE[1],
        "rings": [_polygon([level] * count) for level in (0.25, 0.5, 0.75, 1)],
    }


def radar(scores):
    """Spokes, grid rings and the measured and self-rated shapes for DimensionScores.

    A dimension without sufficient evidence has no score to draw: its spoke is labelled as
    missing and the measured line breaks there instead of dropping to the centre (0 %), which
    would read as a measured zero."""
    fractions = [d.score if d.sufficient and d.score is not None else None for d in scores]
    measured = _shape(fractions)
    return {
        **_frame(len(scores)),
        "spokes": _spokes([d.dimension.label for d in scores], [f is None for f in fractions]),
        "measured": measured["polygon"],
        "gaps": not measured["complete"],
        "segments": measured["segments"],
        "dots": measured["dots"],
        "self": _polygon([d.self_score for d in scores])
        if any(d.self_rating is not None for d in scores)
        else "",
    }


def comparison_radar(labels, values, comparison):
    """A team's shape (`values`, 0..1 or None per spoke) over the organisation's
    (`comparison`), each breaking where it has no value, as `radar` does."""
    team, organisation = _shape(values), _shape(comparison)
    return {
        **_frame(len(labels)),
        "spokes": _spokes(labels, [v is None for v in values]),
        "team": team,
        "organisation": organisation,
        "gaps": not team["complete"],
    }


@dataclass
class QuadrantLabel:
    x: float
    lines: list  # [(y, text)]


def _quadrant_labels(names, size, margin):
    """Each quadrant's name centred over (or under) its own half of the box, wrapped so that
    no line reaches into the other half in any language."""
    labels = []
    for (effective, pleasant), name in names.items():
        lines = textwrap.wrap(str(name), QUADRANT_LABEL_CHARS) or [""]
        x = margin + size * (0.75 if effective else 0.25)
        if pleasant:  # above the box, the last line just over its edge
            ys = [margin - 8 - 14 * (len(lines) - 1 - n) for n in range(len(lines))]
        else:  # below the box
            ys = [margin + size + 16 + 14 * n for n in range(len(lines))]
        labels.append(QuadrantLabel(x, list(zip(ys, lines, strict=True))))
    return labels


def quadrant(competence, treatment, threshold, names=None):
    """Where an agent sits: competence on x, treatment on y (0..1), threshold lines between;
    `names` maps (effective, pleasant) to each quadrant's label."""
    size, margin = QUADRANT_SIZE, QUADRANT_MARGIN

    def x(value):
        return margin + size * value

    def y(value):
        return margin + size * (1 - value)

    placed = competence is not None and treatment is not None
    return {
        "width": size + 2 * margin,
        "height": size + 2 * margin,
        "left": margin,
        "top": margin,
        "size": size,
        "line_x": x(threshold),
        "line_y": y(threshold),
        "right": margin + size,
        "bottom": margin + size,
        "point": (x(competence), y(treatment)) if placed else None,
        "centre_x": margin + size // 2,
        "centre_y": margin + size // 2,
        "labels": _quadrant_labels(names or {}, size, margin),
    }
