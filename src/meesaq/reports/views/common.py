"""Pieces the report pages share: the district map of a dashboard's figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from meesaq.reports import maps
from meesaq.reports.filters import ReportFilters
from meesaq.reports.selectors import Dashboard

PER = 100_000


@dataclass(frozen=True)
class DistrictMap:
    """The map, its legend and its rows for the table alternative."""

    svg: str
    legend: list[maps.LegendEntry]
    areas: list[maps.MapArea]
    per_population: bool


def district_map(board: Dashboard, filters: ReportFilters, *, link_name: str) -> DistrictMap | None:
    """Return the choropleth of the province's districts for the dashboard's figures."""
    province = board.map_province
    if province is None:
        return None
    districts = maps.province_districts(province)
    counts = {bar.key: bar.value for bar in board.by_district}
    per_population = bool(districts) and all(unit.population for unit in districts)
    values = {
        unit.pcode: (
            counts.get(unit.pcode, 0) * PER / unit.population
            if per_population and unit.population
            else float(counts.get(unit.pcode, 0))
        )
        for unit in districts
    }
    bounds = maps.classes(list(values.values()), whole=not per_population)
    areas = []
    for unit in districts:
        value = values[unit.pcode]
        if per_population:
            label = _("%(place)s: %(value).1f cases per 100,000 people") % {
                "place": unit.name,
                "value": value,
            }
        else:
            label = _("%(place)s: %(count)d cases") % {"place": unit.name, "count": int(value)}
        areas.append(
            maps.MapArea(
                pcode=unit.pcode,
                name=unit.name,
                value=value,
                label=label,
                url=filters.with_(place=unit).url(link_name),
                colour=maps.colour_for(value, bounds),
            )
        )
    title = _("Cases by district in %(province)s") % {"province": province.name}
    return DistrictMap(
        svg=maps.map_svg(areas, title=title),
        legend=maps.legend(bounds, per_population=per_population),
        areas=areas,
        per_population=per_population,
    )
