"""The timeline of a case: entries (notes hidden without need to know) and adding one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.params.functions import Path as PathParam

from meesaq.access import policy
from meesaq.access.services import identity_viewed
from meesaq.api.auth import acting
from meesaq.api.errors import ERRORS, READ_ERRORS
from meesaq.api.idempotency import OPENAPI_HEADER, idempotent
from meesaq.api.lookups import case_for
from meesaq.cases.models import ActionKind, CaseAction
from meesaq.cases.selectors.page import case_actions
from meesaq.cases.services.actions import action_add

router = Router(tags=["actions"])


class ActionOut(Schema):
    """One timeline entry; its note names people, so it is hidden without need to know."""

    id: int
    kind: str = Field(examples=["call"])
    occurred_on: date
    created_at: datetime
    author: int | None = Field(
        None, description="The staff member who wrote it; none for what a complainant added."
    )
    note: str | None = Field(None, description="Identity: shown only with need to know.")
    next_action_on: date | None = None
    fir_number: str = ""
    police_station: str = ""
    law_sections: str = ""
    corrects: int | None = None


class ActionListOut(Schema):
    """A case's timeline, oldest first."""

    items: list[ActionOut]


class ActionIn(Schema):
    """A new timeline entry (or the correction of an earlier one)."""

    kind: str = Field(
        max_length=20,
        description="One of: " + ", ".join(ActionKind.values) + ".",
        examples=["call"],
    )
    occurred_on: date = Field(examples=["2026-11-30"])
    note: str = Field(max_length=5000, examples=["Called the complainant back."])
    next_action_on: date | None = None
    fir_number: str = Field("", max_length=50, examples=[""])
    police_station: str = Field("", max_length=150, examples=[""])
    law_sections: str = Field("", max_length=200, examples=[""])
    corrects: int | None = Field(None, ge=1, le=2**62, description="The entry this corrects.")


def action_out(action: CaseAction, *, visible: bool) -> ActionOut:
    """Return an entry, its note only when the case's identity is visible."""
    return ActionOut(
        id=action.pk,
        kind=action.kind,
        occurred_on=action.occurred_on,
        created_at=action.created_at,
        author=action.author_id,
        note=action.note if visible else None,
        next_action_on=action.next_action_on,
        fir_number=action.fir_number,
        police_station=action.police_station,
        law_sections=action.law_sections,
        corrects=action.corrects_id,
    )


@router.get(
    "/cases/{reference}/actions",
    response={200: ActionListOut, **READ_ERRORS},
    summary="List a case's timeline",
    operation_id="actions_list",
)
def actions_list(
    request: HttpRequest,
    reference: str = PathParam(..., max_length=32, example="PB-LHR-2026-000123"),
) -> Any:
    """List the entries of a case's timeline, oldest first."""
    user = acting(request)
    case = case_for(user, reference)
    visible = policy.may_see_identity(user, case)
    rows = list(case_actions(user=user, case=case).order_by("occurred_on", "id"))
    if visible and rows:
        identity_viewed(user=user, obj=case, request=request, channel="api")
    return ActionListOut(items=[action_out(row, visible=visible) for row in rows])


@router.post(
    "/cases/{reference}/actions",
    response={201: ActionOut, **ERRORS},
    summary="Add a timeline entry",
    operation_id="actions_create",
    openapi_extra=OPENAPI_HEADER,
)
def actions_create(
    request: HttpRequest,
    payload: ActionIn,
    reference: str = PathParam(..., max_length=32, example="PB-LHR-2026-000123"),
) -> Any:
    """Add a note, call, meeting, FIR or other entry to a case's timeline."""
    user = acting(request)
    case = case_for(user, reference)

    def create() -> tuple[int, Schema]:
        corrects = None
        if payload.corrects is not None:
            corrects = policy.get_scoped(user, CaseAction, pk=payload.corrects, case=case)
        action = action_add(
            actor=user,
            case=case,
            kind=payload.kind,
            occurred_on=payload.occurred_on,
            note=payload.note,
            next_action_on=payload.next_action_on,
            fir_number=payload.fir_number,
            police_station=payload.police_station,
            law_sections=payload.law_sections,
            corrects=corrects,
            request=request,
        )
        return 201, action_out(action, visible=policy.may_see_identity(user, case))

    return idempotent(request, user=user, operation="actions_create", create=create)
