"""Referrals: the incoming and outgoing lists, one referral with what it shares, and each step."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.params.functions import Path as PathParam

from meesaq.access import policy
from meesaq.access.services import identity_viewed
from meesaq.api.auth import acting
from meesaq.api.errors import ERRORS, READ_ERRORS
from meesaq.api.idempotency import OPENAPI_HEADER, idempotent
from meesaq.api.lookups import case_for, organisation_for
from meesaq.api.pagination import keyset_page
from meesaq.core.errors import MeesaqError
from meesaq.referrals import services
from meesaq.referrals.models import Referral, SharedField
from meesaq.referrals.selectors import (
    INCOMING,
    OUTGOING,
    referral_case_view,
    referral_for_user,
    referral_list,
)

router = Router(tags=["referrals"])
CURSOR_SALT = "meesaq.api.referrals.cursor"


def _id() -> Any:
    return PathParam(..., ge=1, le=2**62, example=42)


class ReferralOut(Schema):
    """A referral between two organisations (never the case's identity)."""

    id: int = Field(examples=[42])
    case: str = Field(examples=["PB-LHR-2026-000123"])
    from_organisation: str = Field(examples=["lhr-police-centre"])
    to_organisation: str = Field(examples=["lhr-legal-aid-ngo"])
    status: str = Field(examples=["sent"])
    reason: str = Field(examples=["Legal aid for the FIR."])
    shared_fields: list[str] = Field(examples=[["category", "title", "district"]])
    identity_shared: bool
    acknowledge_by: datetime
    complete_by: datetime
    created_at: datetime
    decline_reason: str = Field("", examples=[""])
    outcome: str = Field("", examples=[""])


class SharedRow(Schema):
    """One shared field of the case, labelled in your language."""

    label: str = Field(examples=["Category"])
    value: str = Field(examples=["Threats"])


class SharedPerson(Schema):
    """A person on the case, shared only with consent while the referral is live."""

    role: str
    full_name: str
    phone: str
    address: str


class ReferralDetailOut(ReferralOut):
    """A referral with the case fields it shares, as you may read them."""

    shared: list[SharedRow]
    people: list[SharedPerson]


class ReferralPageOut(Schema):
    """One page of referrals, newest first."""

    items: list[ReferralOut]
    next_cursor: str | None = None


class ReferralListQuery(Schema):
    """Which referrals: incoming (to your organisations) or outgoing."""

    direction: Literal["incoming", "outgoing"] = "incoming"
    status: Literal[
        "", "sent", "accepted", "declined", "info_requested", "in_service", "completed", "withdrawn"
    ] = ""
    overdue: bool = False
    cursor: str = Field("", max_length=500)
    limit: int = Field(25, ge=1, le=100)


class ReferralIn(Schema):
    """Refer a case to another organisation, sharing the chosen fields."""

    case: str = Field(max_length=32, examples=["PB-LHR-2026-000123"])
    to_organisation: str = Field(max_length=60, examples=["lhr-legal-aid-ngo"])
    reason: str = Field(max_length=2000, examples=["Legal aid for the FIR."])
    shared_fields: list[str] = Field(
        max_length=10,
        description="Of: " + ", ".join(SharedField.values) + ".",
        examples=[["category", "title", "district"]],
    )


class DeclineIn(Schema):
    """Why the referral is declined."""

    reason: str = Field(max_length=2000, examples=["Outside our mandate."])


class QuestionIn(Schema):
    """What more the receiving side needs to know."""

    question: str = Field(max_length=2000, examples=["Which police station holds the FIR?"])


class AnswerIn(Schema):
    """The referring side's answer to a question."""

    answer: str = Field(max_length=2000, examples=["Model Town police station."])


class ServiceIn(Schema):
    """A service delivered under the referral."""

    text: str = Field(max_length=2000, examples=["First legal consultation held."])
    on: date = Field(examples=["2026-11-30"])


class OutcomeIn(Schema):
    """The outcome that completes the referral."""

    outcome: str = Field(max_length=2000, examples=["Bail hearing attended; case continues."])


class WithdrawIn(Schema):
    """Why the referring side takes the referral back (optional)."""

    reason: str = Field("", max_length=2000, examples=[""])


def referral_out(referral: Referral) -> ReferralOut:
    """Return the referral's own fields."""
    return ReferralOut(
        id=referral.pk,
        case=referral.case.reference,
        from_organisation=referral.from_organisation.code,
        to_organisation=referral.to_organisation.code,
        status=referral.status,
        reason=referral.reason,
        shared_fields=list(referral.shared_fields),
        identity_shared=referral.identity_shared,
        acknowledge_by=referral.acknowledge_by,
        complete_by=referral.complete_by,
        created_at=referral.created_at,
        decline_reason=referral.decline_reason,
        outcome=referral.outcome,
    )


@contextmanager
def _text_field_is(name: str) -> Iterator[None]:
    """Name the service's "text" field as this endpoint calls it (reason, outcome …)."""
    try:
        yield
    except MeesaqError as error:
        if "text" in error.fields:
            error.fields[name] = error.fields.pop("text")
        raise


def _found(request: HttpRequest, referral_id: int) -> Referral:
    return referral_for_user(user=acting(request), referral_id=referral_id)


@router.get(
    "/referrals",
    response={200: ReferralPageOut, **READ_ERRORS},
    summary="List referrals",
    operation_id="referrals_list",
)
def referrals_list(request: HttpRequest, filters: Query[ReferralListQuery]) -> Any:
    """List referrals to your organisations (incoming) or from your cases (outgoing)."""
    user = acting(request)
    policy.require(user, "referrals.list")
    rows = referral_list(
        user=user,
        direction=INCOMING if filters.direction == INCOMING else OUTGOING,
        now=timezone.now(),
        status=filters.status,
        overdue=filters.overdue,
    )
    page, next_cursor = keyset_page(
        rows, cursor=filters.cursor or None, limit=filters.limit, salt=CURSOR_SALT
    )
    return ReferralPageOut(items=[referral_out(row) for row in page], next_cursor=next_cursor)


@router.get(
    "/referrals/{referral_id}",
    response={200: ReferralDetailOut, **READ_ERRORS},
    summary="Get a referral",
    operation_id="referrals_get",
)
def referrals_get(request: HttpRequest, referral_id: int = _id()) -> Any:
    """Return a referral and the case fields it shares with you (identity views audited)."""
    user = acting(request)
    referral = _found(request, referral_id)
    view = referral_case_view(user, referral)
    if view.identity_shown:
        identity_viewed(user=user, obj=referral.case, request=request, channel="api")
    return ReferralDetailOut(
        **referral_out(referral).model_dump(),
        shared=[SharedRow(label=label, value=value) for label, value in view.rows],
        people=[SharedPerson(**person) for person in view.people],
    )


@router.post(
    "/referrals",
    response={201: ReferralOut, **ERRORS},
    summary="Refer a case",
    operation_id="referrals_create",
    openapi_extra=OPENAPI_HEADER,
)
def referrals_create(request: HttpRequest, payload: ReferralIn) -> Any:
    """Refer a case you act on to another organisation; identity needs the consent to share."""
    user = acting(request)

    def create() -> tuple[int, Schema]:
        referral = services.referral_create(
            actor=user,
            case=case_for(user, payload.case),
            to_organisation=organisation_for(
                user, payload.to_organisation, field="to_organisation"
            ),
            reason=payload.reason,
            shared_fields=payload.shared_fields,
            request=request,
        )
        return 201, referral_out(referral)

    return idempotent(request, user=user, operation="referrals_create", create=create)


def _step_route(
    path: str, summary: str, operation_id: str
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return router.post(
        f"/referrals/{{referral_id}}/{path}",
        response={200: ReferralOut, **ERRORS},
        summary=summary,
        operation_id=operation_id,
    )


@_step_route("accept", "Accept a referral", "referrals_accept")
def referrals_accept(request: HttpRequest, referral_id: int = _id()) -> Any:
    """Accept a referral sent to your organisation."""
    return referral_out(
        services.referral_accept(
            actor=acting(request), referral=_found(request, referral_id), request=request
        )
    )


@_step_route("decline", "Decline a referral", "referrals_decline")
def referrals_decline(request: HttpRequest, payload: DeclineIn, referral_id: int = _id()) -> Any:
    """Decline a referral sent to your organisation, with the reason."""
    with _text_field_is("reason"):
        return referral_out(
            services.referral_decline(
                actor=acting(request),
                referral=_found(request, referral_id),
                reason=payload.reason,
                request=request,
            )
        )


@_step_route("request-info", "Ask for more information", "referrals_request_info")
def referrals_request_info(
    request: HttpRequest, payload: QuestionIn, referral_id: int = _id()
) -> Any:
    """Return a referral to the referring side with a question."""
    with _text_field_is("question"):
        return referral_out(
            services.referral_request_info(
                actor=acting(request),
                referral=_found(request, referral_id),
                question=payload.question,
                request=request,
            )
        )


@_step_route("answer", "Answer a question", "referrals_answer")
def referrals_answer(request: HttpRequest, payload: AnswerIn, referral_id: int = _id()) -> Any:
    """Answer the receiving side's question; the referral is sent again."""
    with _text_field_is("answer"):
        return referral_out(
            services.referral_answer(
                actor=acting(request),
                referral=_found(request, referral_id),
                answer=payload.answer,
                request=request,
            )
        )


@_step_route("services", "Record a service", "referrals_record_service")
def referrals_record_service(
    request: HttpRequest, payload: ServiceIn, referral_id: int = _id()
) -> Any:
    """Record a service delivered under an accepted referral."""
    with _text_field_is("text"):
        return referral_out(
            services.referral_record_service(
                actor=acting(request),
                referral=_found(request, referral_id),
                text=payload.text,
                on=payload.on,
                request=request,
            )
        )


@_step_route("complete", "Complete a referral with its outcome", "referrals_complete")
def referrals_complete(request: HttpRequest, payload: OutcomeIn, referral_id: int = _id()) -> Any:
    """Post the outcome and complete the referral."""
    with _text_field_is("outcome"):
        return referral_out(
            services.referral_complete(
                actor=acting(request),
                referral=_found(request, referral_id),
                outcome=payload.outcome,
                request=request,
            )
        )


@_step_route("withdraw", "Withdraw a referral", "referrals_withdraw")
def referrals_withdraw(request: HttpRequest, payload: WithdrawIn, referral_id: int = _id()) -> Any:
    """Take back an open referral, for the referring side."""
    with _text_field_is("reason"):
        return referral_out(
            services.referral_withdraw(
                actor=acting(request),
                referral=_found(request, referral_id),
                reason=payload.reason,
                request=request,
            )
        )
