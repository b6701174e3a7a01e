"""The district map: a choropleth drawn on the server as SVG from the bundled district shapes.

The shapes (``geo/data/districts.geojson``) are projected equirectangularly around the
province's middle latitude (good enough at a province's size), rounded to a tenth of a pixel
and thinned by dropping points closer than half a pixel. Each district is a link that narrows
the dashboard to it and carries a ``<title>`` for screen readers and hover; a table beside the
map says the same in words. Colours are presentation attributes, not styles (strict CSP).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _

from meesaq.geo.models import AdminUnit, Level

SHAPES = Path(__file__).resolve().parent.parent / "geo" / "data" / "districts.geojson"
WIDTH = 600.0
PAD = 6.0
# Five classes from light to dark, and a grey for districts with no case.
COLOURS = ("#d8eadf", "#a7d0b4", "#6fb08a", "#3b8a60", "#1f5e3f")
EMPTY_COLOUR = "#f1f1ee"
STROKE = "#ffffff"
# Points closer than this (in pixels, both axes together) to the last kept point are dropped.
THIN = 0.5
MIN_RING_POINTS = 3


@dataclass(frozen=True)
class MapArea:
    """One district on the map: its value, colour class and the address that filters to it."""

    pcode: str
    name: str
    value: float
    label: str
    url: str
    colour: str = EMPTY_COLOUR


@dataclass(frozen=True)
class LegendEntry:
    """One colour class of the legend."""

    colour: str
    label: str


@lru_cache(maxsize=1)
def _shapes() -> dict[str, list[list[list[float]]]]:
    """Return every district's outer rings by P-code (holes are not drawn at this scale)."""
    data = json.loads(SHAPES.read_text(encoding="utf-8"))
    rings: dict[str, list[list[list[float]]]] = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        rings[feature["properties"]["pcode"]] = [polygon[0] for polygon in polygons]
    return rings


def province_districts(province: AdminUnit) -> list[AdminUnit]:
    """Return the districts of a province that have a shape."""
    shapes = _shapes()
    return [
        unit
        for unit in AdminUnit.objects.filter(
            level=Level.DISTRICT, path__startswith=province.pcode + "/"
        ).order_by("name_en")
        if unit.pcode in shapes
    ]


def classes(values: Sequence[float], *, whole: bool = True) -> list[float]:
    """Return the upper bounds of up to five equal-width classes above zero.

    For counts (``whole``) the classes are whole numbers, fewer when the largest count is small.
    """
    top = max(values, default=0)
    if top <= 0:
        return []
    if whole:
        step = max(1, math.ceil(top / len(COLOURS)))
        bounds = [float(step * (index + 1)) for index in range(len(COLOURS))]
        return [bound for bound in bounds if bound - step < top]
    width = top / len(COLOURS)
    return [width * (index + 1) for index in range(len(COLOURS))]


def palette(bounds: Sequence[float]) -> tuple[str, ...]:
    """Return one colour per class, the darkest for the highest (fewer classes: darker end)."""
    return COLOURS[len(COLOURS) - len(bounds) :]


def colour_for(value: float, bounds: Sequence[float]) -> str:
    """Return the colour of a value's class (grey for none)."""
    if value <= 0 or not bounds:
        return EMPTY_COLOUR
    for colour, bound in zip(palette(bounds), bounds, strict=True):
        if value <= bound + 1e-9:
            return colour
    return COLOURS[-1]


def legend(bounds: Sequence[float], *, per_population: bool) -> list[LegendEntry]:
    """Return the legend's entries, from none to the highest class."""
    entries = [LegendEntry(EMPTY_COLOUR, _("none"))]
    low = 0.0
    for colour, bound in zip(palette(bounds), bounds, strict=True):
        if per_population:
            text = f"{low:.1f} - {bound:.1f}"
        else:
            first, last = math.floor(low) + 1, math.floor(bound)
            text = str(last) if first == last else f"{first} - {last}"
        entries.append(LegendEntry(colour, text))
        low = bound
    return entries


def _project(rings: list[list[list[list[float]]]]) -> tuple[Any, float]:
    points = [point for shape in rings for ring in shape for point in ring]
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    middle = math.radians((min(lats) + max(lats)) / 2)
    x_scale = math.cos(middle)
    span_x = (max(lons) - min(lons)) * x_scale or 1.0
    span_y = (max(lats) - min(lats)) or 1.0
    scale = (WIDTH - 2 * PAD) / span_x
    height = span_y * scale + 2 * PAD
    west, north = min(lons), max(lats)

    def project(point: list[float]) -> tuple[float, float]:
        return (
            round(PAD + (point[0] - west) * x_scale * scale, 1),
            round(PAD + (north - point[1]) * scale, 1),
        )

    return project, height


def _path(rings: list[list[list[float]]], project: Any) -> str:
    parts = []
    for ring in rings:
        kept: list[tuple[float, float]] = []
        for point in ring:
            x, y = project(point)
            if kept and abs(x - kept[-1][0]) + abs(y - kept[-1][1]) < THIN:
                continue
            kept.append((x, y))
        if len(kept) >= MIN_RING_POINTS:
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in kept) + "Z")
    return "".join(parts)


def map_svg(areas: Sequence[MapArea], *, title: str) -> str:
    """Return the choropleth as SVG text, each district a link with an accessible title."""
    shapes = _shapes()
    drawn = [area for area in areas if area.pcode in shapes]
    if not drawn:
        return ""
    project, height = _project([shapes[area.pcode] for area in drawn])
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {height:.0f}" '
        f'width="{WIDTH:g}" height="{height:.0f}" role="img" class="map-svg" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<rect width="{WIDTH:g}" height="{height:.0f}" fill="#ffffff"/>'
    ]
    for area in drawn:
        shape = (
            f'<path d="{_path(shapes[area.pcode], project)}" fill="{area.colour}" '
            f'stroke="{STROKE}" stroke-width="0.8"><title>{escape(area.label)}</title></path>'
        )
        if area.url:
            out.append(
                f'<a href="{escape(area.url)}" aria-label="{escape(area.label)}">{shape}</a>'
            )
        else:
            out.append(shape)
    out.append("</svg>")
    return "".join(out)
