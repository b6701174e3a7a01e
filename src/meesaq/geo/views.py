"""Administrators' pages for places: browse the tree, search, add a unit, fix names."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.core.errors import MeesaqError
from meesaq.geo.forms import UnitCreateForm, UnitNamesForm, UnitSearchForm, add_service_error
from meesaq.geo.models import AdminUnit, Level
from meesaq.geo.selectors import unit_ancestors, unit_get, unit_search, units_children
from meesaq.geo.services import unit_create, unit_update_names

MANAGE = "geo.manage"
SEARCH_LIMIT = 50


def _unit_or_404(pcode: str) -> AdminUnit:
    unit = unit_get(pcode)
    if unit is None:
        raise Http404
    return unit


def _browse(request: HttpRequest, unit: AdminUnit | None) -> HttpResponse:
    search = UnitSearchForm(request.GET or None)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    results = list(unit_search(text)[:SEARCH_LIMIT]) if text else None
    return render(
        request,
        "geo/browse.html",
        {
            "unit": unit,
            "ancestors": unit_ancestors(unit) if unit else [],
            "children": list(units_children(unit)),
            "search": search,
            "results": results,
            "search_limit": SEARCH_LIMIT,
            "can_add_below": unit is None or unit.level < Level.TEHSIL,
        },
    )


@page(MANAGE)
def unit_list(request: HttpRequest) -> HttpResponse:
    """Show the provinces (or the unit named by ?unit=) and search results."""
    pcode = request.GET.get("unit", "")
    return _browse(request, _unit_or_404(pcode) if pcode else None)


@page(MANAGE)
def unit_detail(request: HttpRequest, pcode: str) -> HttpResponse:
    """Show one unit, where it lies, and the units directly below it."""
    return _browse(request, _unit_or_404(pcode))


@page(MANAGE)
def unit_new(request: HttpRequest) -> HttpResponse:
    """Add a division, district or tehsil under a chosen parent."""
    actor = policy.acting_user(request)
    if request.method == "POST":
        form = UnitCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                unit = unit_create(
                    actor=actor,
                    parent=data["parent"],
                    pcode=data["pcode"],
                    name_en=data["name_en"],
                    name_ur=data["name_ur"],
                    level=data["level"],
                    request=request,
                )
            except MeesaqError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The place was added."))
                return redirect("geo:detail", pcode=unit.pcode)
    else:
        parent = unit_get(request.GET.get("parent", ""))
        initial: dict[str, object] = {}
        if parent is not None and parent.level < Level.TEHSIL:
            level = Level.DISTRICT if parent.level == Level.PROVINCE else parent.level + 1
            initial = {"parent": parent.pcode, "level": level}
        form = UnitCreateForm(initial=initial)
    return render(request, "geo/unit_form.html", {"form": form})


@page(MANAGE)
def unit_edit(request: HttpRequest, pcode: str) -> HttpResponse:
    """Add or correct a unit's Urdu name (and the English name of a unit added here)."""
    unit = _unit_or_404(pcode)
    actor = policy.acting_user(request)
    form = UnitNamesForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            unit_update_names(
                actor=actor,
                unit=unit,
                name_en=form.cleaned_data["name_en"],
                name_ur=form.cleaned_data["name_ur"],
                request=request,
            )
        except MeesaqError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The names were saved."))
            return redirect("geo:detail", pcode=unit.pcode)
    return render(
        request,
        "geo/unit_names_form.html",
        {"form": form, "unit": unit, "ancestors": unit_ancestors(unit)},
    )
