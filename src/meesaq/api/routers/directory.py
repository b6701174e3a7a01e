"""Organisations, administrative units and the taxonomies: read-only reference data."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from meesaq.api.auth import acting
from meesaq.api.errors import READ_ERRORS
from meesaq.api.lookups import outcomes_in_use
from meesaq.cases.selectors.intake import intake_categories, intake_groups
from meesaq.geo.selectors import unit_get, units_children
from meesaq.orgs.selectors import OrganisationFilters, organisation_list_for_user

router = Router()


class OrganisationOut(Schema):
    """An organisation of the directory."""

    code: str = Field(examples=["lhr-legal-aid-ngo"])
    name: str = Field(examples=["Lahore Legal Aid NGO"])
    kind: str = Field(examples=["civil_society"])
    jurisdiction: str = Field(examples=["PK617"])


class OrganisationListOut(Schema):
    """The active organisations."""

    items: list[OrganisationOut]


class PlaceOut(Schema):
    """An administrative unit (province, division, district, tehsil) by P-code."""

    pcode: str = Field(examples=["PK617"])
    name: str = Field(examples=["Lahore"])
    level: int = Field(examples=[3])
    parent: str | None = Field(None, examples=["PK61"])


class PlaceListOut(Schema):
    """Units directly below a parent (the provinces without one)."""

    items: list[PlaceOut]


class PlaceQuery(Schema):
    """Whose children to list."""

    parent: str = Field(
        "", max_length=16, description="A P-code; empty for the provinces.", examples=["PK6"]
    )


class TermOut(Schema):
    """A taxonomy term: a stable code and its label in your language."""

    code: str = Field(examples=["threats"])
    label: str = Field(examples=["Threats"])


class TermListOut(Schema):
    """The terms in use, in their order."""

    items: list[TermOut]


@router.get(
    "/organisations",
    response={200: OrganisationListOut, **READ_ERRORS},
    summary="List organisations",
    operation_id="organisations_list",
    tags=["organisations and places"],
)
def organisations_list(request: HttpRequest) -> Any:
    """List the organisations of the directory (to refer to, or to read codes from)."""
    rows = organisation_list_for_user(user=acting(request), filters=OrganisationFilters())
    return OrganisationListOut(
        items=[
            OrganisationOut(
                code=row.code, name=row.name, kind=row.kind, jurisdiction=row.jurisdiction_id
            )
            for row in rows.filter(is_active=True)
        ]
    )


@router.get(
    "/places",
    response={200: PlaceListOut, **READ_ERRORS},
    summary="List administrative units",
    operation_id="places_list",
    tags=["organisations and places"],
)
def places_list(request: HttpRequest, filters: Query[PlaceQuery]) -> Any:
    """List the units directly below a P-code (the provinces when none is given)."""
    acting(request)
    parent = unit_get(filters.parent) if filters.parent else None
    if filters.parent and parent is None:
        return PlaceListOut(items=[])
    return PlaceListOut(
        items=[
            PlaceOut(pcode=unit.pcode, name=unit.name, level=unit.level, parent=unit.parent_id)
            for unit in units_children(parent)
        ]
    )


@router.get(
    "/taxonomy/{kind}",
    response={200: TermListOut, **READ_ERRORS},
    summary="List a taxonomy",
    operation_id="taxonomy_list",
    tags=["taxonomy"],
)
def taxonomy_list(request: HttpRequest, kind: Literal["categories", "groups", "outcomes"]) -> Any:
    """List the categories, affected groups or outcomes in use."""
    acting(request)
    rows = {"categories": intake_categories, "groups": intake_groups, "outcomes": outcomes_in_use}[
        kind
    ]()
    return TermListOut(items=[TermOut(code=row.code, label=row.label) for row in rows])
