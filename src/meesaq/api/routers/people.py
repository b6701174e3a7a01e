"""People on a case: listed with identity only where you need to know (audited), and added."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.params.functions import Path as PathParam

from meesaq.access.services import identity_viewed
from meesaq.api.auth import acting
from meesaq.api.errors import ERRORS, READ_ERRORS
from meesaq.api.idempotency import OPENAPI_HEADER, idempotent
from meesaq.api.lookups import case_for
from meesaq.cases.models import AgeBand, Faith, Gender, PersonRole
from meesaq.cases.selectors.people import PersonOnCase, people_on_case
from meesaq.cases.services.people import person_add_to_case

router = Router(tags=["people"])


class PersonOut(Schema):
    """A person on a case: a pseudonym always, identity only with need to know."""

    id: int = Field(examples=[12])
    pseudonym: str = Field(examples=["P-000012"])
    roles: list[str] = Field(examples=[["Complainant"]])
    identity_visible: bool
    full_name: str | None = Field(None, description="Identity.")
    relative_name: str | None = Field(None, description="Identity.")
    cnic: str | None = Field(None, description="Identity.")
    phone: str | None = Field(None, description="Identity.")
    address: str | None = Field(None, description="Identity.")
    gender: str = Field(examples=["female"])
    age_band: str = Field(examples=["30-49"])
    faith: str = Field(examples=["christian"])
    disability: bool


class PersonListOut(Schema):
    """The people on a case."""

    items: list[PersonOut]


class PersonIn(Schema):
    """A person to add to a case (identity is encrypted at rest)."""

    role: str = Field(
        max_length=20,
        description="One of: " + ", ".join(PersonRole.values) + ".",
        examples=["complainant"],
    )
    full_name: str = Field("", max_length=200, examples=["Shamim Masih"])
    relative_name: str = Field("", max_length=200, examples=[""])
    cnic: str = Field("", max_length=20, examples=["00101-1234567-2"])
    phone: str = Field("", max_length=20, examples=["+923901234567"])
    address: str = Field("", max_length=500, examples=[""])
    gender: str = Field(
        "",
        max_length=20,
        description="One of: " + ", ".join(Gender.values) + ".",
        examples=["female"],
    )
    age_band: str = Field(
        "", max_length=10, description="One of: " + ", ".join(AgeBand.values), examples=["30-49"]
    )
    faith: str = Field(
        "", max_length=20, description="One of: " + ", ".join(Faith.values), examples=["christian"]
    )
    disability: bool = False


def person_out(row: PersonOnCase) -> PersonOut:
    """Return a person as the selector let the user see them."""
    person = row.person
    visible = row.identity is not None
    return PersonOut(
        id=row.person_id,
        pseudonym=row.pseudonym,
        roles=[str(role) for role in row.roles],
        identity_visible=visible,
        full_name=person.full_name if visible else None,
        relative_name=person.relative_name if visible else None,
        cnic=person.cnic if visible else None,
        phone=person.phone if visible else None,
        address=person.address if visible else None,
        gender=person.gender,
        age_band=person.age_band,
        faith=person.faith,
        disability=person.disability,
    )


@router.get(
    "/cases/{reference}/people",
    response={200: PersonListOut, **READ_ERRORS},
    summary="List the people on a case",
    operation_id="people_list",
)
def people_list(
    request: HttpRequest,
    reference: str = PathParam(..., max_length=32, example="PB-LHR-2026-000123"),
) -> Any:
    """List the people on a case; each identity shown is audited like a page view."""
    user = acting(request)
    rows = people_on_case(user=user, case=case_for(user, reference))
    for row in rows:
        if row.identity is not None:
            identity_viewed(user=user, obj=row.person, request=request, channel="api")
    return PersonListOut(items=[person_out(row) for row in rows])


@router.post(
    "/cases/{reference}/people",
    response={201: PersonOut, **ERRORS},
    summary="Add a person to a case",
    operation_id="people_create",
    openapi_extra=OPENAPI_HEADER,
)
def people_create(
    request: HttpRequest,
    payload: PersonIn,
    reference: str = PathParam(..., max_length=32, example="PB-LHR-2026-000123"),
) -> Any:
    """Add a new person (complainant, victim, witness …) to a case you act on."""
    user = acting(request)
    case = case_for(user, reference)

    def create() -> tuple[int, Schema]:
        person = person_add_to_case(actor=user, case=case, request=request, **payload.model_dump())
        row = next(r for r in people_on_case(user=user, case=case) if r.person_id == person.pk)
        return 201, person_out(row)

    return idempotent(request, user=user, operation="people_create", create=create)
