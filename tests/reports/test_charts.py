"""Server-side charts and the district map: SVG fit for the strict CSP, Urdu kept, PNG too."""

from __future__ import annotations

import pytest

from meesaq.geo.models import AdminUnit
from meesaq.reports import charts, maps
from meesaq.reports.selectors import Bar

BARS = [Bar("threats", "دھمکیاں", 5, "/ur/cases/?category=threats"), Bar("land", "زمین پر قبضہ", 2)]


def test_svg_charts_have_no_style_attributes_or_scripts() -> None:
    svg = charts.render_svg(charts.bar_spec(BARS, title="زمرہ", value_title="مقدمات", rtl=True))
    assert svg.startswith("<svg")
    assert "style=" not in svg and "<script" not in svg
    assert 'aria-label="زمرہ"' in svg


def test_urdu_labels_stay_text_and_bars_link_to_the_cases() -> None:
    svg = charts.render_svg(charts.bar_spec(BARS, title="t", value_title="v", rtl=True))
    assert "دھمکیاں" in svg
    assert "/ur/cases/?category=threats" in svg


def test_charts_render_to_png_for_reports() -> None:
    png = charts.render_png(charts.bar_spec(BARS, title="t", value_title="v", rtl=True))
    assert png.startswith(b"\x89PNG")


@pytest.mark.django_db
def test_the_map_draws_each_district_as_a_titled_link() -> None:
    punjab = AdminUnit.objects.get(pcode="PK6")
    districts = maps.province_districts(punjab)
    assert len(districts) > 30
    areas = [
        maps.MapArea(
            unit.pcode,
            unit.name,
            float(i),
            f"{unit.name}: {i} cases",
            f"/en/reports/?place={unit.pcode}",
        )
        for i, unit in enumerate(districts)
    ]
    svg = maps.map_svg(areas, title="Punjab")
    assert svg.count("<path") == len(districts)
    assert svg.count("<title>") == len(districts) + 1
    assert "style=" not in svg
    assert 'href="/en/reports/?place=PK617"' in svg
    assert charts.svg_to_png(svg).startswith(b"\x89PNG")


def test_colour_classes_run_from_light_to_dark() -> None:
    bounds = maps.classes([0, 1, 10, 50])
    assert maps.colour_for(0, bounds) == maps.EMPTY_COLOUR
    assert maps.colour_for(50, bounds) == maps.COLOURS[-1]
    assert maps.colour_for(1, bounds) == maps.COLOURS[0]
    legend = maps.legend(bounds, per_population=False)
    assert legend[0].label == "none"
    assert legend[-1].label.endswith("50")
