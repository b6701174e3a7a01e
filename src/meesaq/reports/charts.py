"""Charts drawn on the server: Vega-Lite specifications rendered by vl-convert (no browser, no CDN).

Pages embed the SVG inline (text stays text, so the browser shapes Urdu with the page's fonts;
bars are links to the cases behind them, which work without JavaScript). Reports get PNG or SVG.
The SVG carries presentation attributes only: the strict Content-Security-Policy refuses style
attributes, and ``_safe_svg`` removes any that a future renderer might add.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi

from meesaq.reports.selectors import Bar

FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))
URDU_FONT = "Noto Naskh Arabic"
LATIN_FONT = "DejaVu Sans"
BAR_COLOUR = "#1f6f4a"
SECOND_COLOUR = "#c77700"
CACHE_SECONDS = 600
_STYLE = re.compile(r'\sstyle="[^"]*"')
_SCRIPT = re.compile(r"<script.*?</script>", re.IGNORECASE | re.DOTALL)
_CLASS = re.compile(r'\sclass="[^"]*"')


@lru_cache(maxsize=1)
def _fonts_registered() -> bool:
    import vl_convert

    for directory in FONT_DIRS:
        if directory.is_dir():
            vl_convert.register_font_directory(str(directory))
    return True


def _config(rtl: bool) -> dict[str, Any]:
    font = URDU_FONT if rtl else LATIN_FONT
    return {
        "font": font,
        "view": {"stroke": None},
        "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 220},
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
        "background": "white",
    }


def bar_spec(
    bars: Sequence[Bar], *, title: str, value_title: str, rtl: bool, width: int = 420
) -> dict[str, Any]:
    """Return a horizontal bar chart of labelled values, each bar a link."""
    values = [{"label": b.label, "value": b.value, "url": b.url} for b in bars]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": title,
        "width": width,
        "height": {"step": 22},
        "data": {"values": values},
        "mark": {"type": "bar", "color": BAR_COLOUR, "cursor": "pointer"},
        "encoding": {
            "y": {
                "field": "label",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"orient": "right" if rtl else "left"},
            },
            "x": {
                "field": "value",
                "type": "quantitative",
                "title": value_title,
                "scale": {"reverse": rtl},
                "axis": {"format": "d", "tickMinStep": 1},
            },
            "href": {"field": "url"},
            "tooltip": [{"field": "label"}, {"field": "value"}],
        },
        "config": _config(rtl),
    }


def time_spec(
    bars: Sequence[Bar],
    *,
    title: str,
    first: str,
    second: str,
    value_title: str,
    rtl: bool,
    width: int = 560,
) -> dict[str, Any]:
    """Return two lines over time (received and resolved), each point a link."""
    values = []
    for bar in bars:
        values.append({"period": bar.key, "series": first, "value": bar.value, "url": bar.url})
        values.append({"period": bar.key, "series": second, "value": bar.second, "url": bar.url})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": title,
        "width": width,
        "height": 220,
        "data": {"values": values},
        "mark": {"type": "line", "point": True, "cursor": "pointer"},
        "encoding": {
            "x": {
                "field": "period",
                "type": "temporal",
                "title": None,
                "scale": {"reverse": rtl},
                "axis": {"format": "%Y-%m-%d", "labelAngle": -40},
            },
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": value_title,
                "axis": {"format": "d", "tickMinStep": 1, "orient": "right" if rtl else "left"},
            },
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "scale": {"domain": [first, second], "range": [BAR_COLOUR, SECOND_COLOUR]},
            },
            "href": {"field": "url"},
            "tooltip": [{"field": "period"}, {"field": "series"}, {"field": "value"}],
        },
        "config": _config(rtl),
    }


def _key(kind: str, spec: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    return f"meesaq.reports.chart.{kind}.{digest}"


def _safe_svg(svg: str, *, label: str) -> str:
    svg = _STYLE.sub("", _SCRIPT.sub("", svg))
    # Scalable in the page (CSS sets the width, the viewBox keeps the shape), and labelled for
    # screen readers.
    head_end = svg.index(">")
    head = _CLASS.sub("", svg[:head_end])
    head += f' class="chart-svg" role="img" aria-label="{escape(label)}"'
    return head + svg[head_end:]


def render_svg(spec: dict[str, Any]) -> str:
    """Render a Vega-Lite specification to SVG text (cached for a few minutes)."""
    key = _key("svg", spec)
    cached: str | None = cache.get(key)
    if cached is not None:
        return cached
    import vl_convert

    _fonts_registered()
    svg = _safe_svg(vl_convert.vegalite_to_svg(spec), label=str(spec.get("description", "")))
    cache.set(key, svg, CACHE_SECONDS)
    return svg


def render_png(spec: dict[str, Any], *, scale: float = 2.0) -> bytes:
    """Render a Vega-Lite specification to PNG bytes (Urdu shaped by the renderer)."""
    import vl_convert

    _fonts_registered()
    png: bytes = vl_convert.vegalite_to_png(spec, scale=scale)
    return png


def svg_to_png(svg: str, *, scale: float = 2.0) -> bytes:
    """Render SVG text (the map) to PNG bytes."""
    import vl_convert

    _fonts_registered()
    png: bytes = vl_convert.svg_to_png(svg, scale=scale)
    return png


def inline(svg: str) -> SafeString:
    """Mark rendered SVG as safe for a template: every label in it was escaped by the renderer."""
    return mark_safe(svg)  # noqa: S308  # vl-convert escapes text; styles and scripts are removed


def page_rtl() -> bool:
    """Say whether the active language is written right to left."""
    return bool(get_language_bidi())
