"""Geometry for the server-rendered SVG charts of the attitude profile (no JavaScript)."""

import math
from dataclasses import dataclass

RADAR_CENTRE = (320, 180)
RADAR_RADIUS = 125
QUADRANT_SIZE = 280
QUADRANT_MARGIN = 40


@dataclass
class RadarSpoke:
    label: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


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


def radar(scores):
    """Spokes, grid rings and the measured and self-rated polygons for DimensionScores."""
    count = len(scores)
    spokes = []
    for i, d in enumerate(scores):
        x, y = _point(i, count, 1)
        lx, ly = _point(i, count, 1, RADAR_RADIUS + 16)
        anchor = (
            "middle"
            if abs(lx - RADAR_CENTRE[0]) < 10
            else ("start" if lx > RADAR_CENTRE[0] else "end")
        )
        spokes.append(RadarSpoke(d.dimension.name, x, y, lx, ly + 4, anchor))
    return {
        "width": RADAR_CENTRE[0] * 2,
        "height": RADAR_CENTRE[1] * 2,
        "cx": RADAR_CENTRE[0],
        "cy": RADAR_CENTRE[1],
        "spokes": spokes,
        "rings": [_polygon([level] * count) for level in (0.25, 0.5, 0.75, 1)],
        "measured": _polygon([d.score if d.count else 0 for d in scores]),
        "self": _polygon([d.self_score for d in scores])
        if any(d.self_rating is not None for d in scores)
        else "",
    }


def quadrant(competence, treatment, threshold):
    """Where an agent sits: competence on x, treatment on y (0..1), threshold lines between."""
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
    }
