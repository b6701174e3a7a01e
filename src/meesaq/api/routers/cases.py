"""Cases: the list (the case list page's filters), one case, registering one, moving it on."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.params.functions import Path as PathParam
from ninja.params.functions import Query as QueryParam

from meesaq.access import policy
from meesaq.access.services import identity_viewed
from meesaq.accounts.models import User
from meesaq.api.auth import acting
from meesaq.api.errors import ERRORS, READ_ERRORS
from meesaq.api.idempotency import OPENAPI_HEADER, idempotent
from meesaq.api.lookups import (
    case_for,
    category_for,
    groups_for,
    organisation_for,
    outcome_for,
    unit_for,
)
from meesaq.audit.services import audit_record
from meesaq.cases.forms_list import CaseListForm
from meesaq.cases.models import Case, Channel, Status
from meesaq.cases.selectors.cases import (
    IDENTITY_SEARCH_KINDS,
    case_list_for_user,
    search_kind,
)
from meesaq.cases.services.intake import case_register_intake
from meesaq.cases.services.workflow import case_transition
from meesaq.core.errors import MeesaqError

router = Router(tags=["cases"])

REFERENCE_EXAMPLE = "PB-LHR-2026-000123"
IDENTITY_FIELDS = frozenset({"narrative", "place"})


class CaseSummaryOut(Schema):
    """A case as lists show it: never identity."""

    reference: str = Field(examples=[REFERENCE_EXAMPLE])
    title: str = Field(examples=["Threats at the church gate"])
    status: str = Field(examples=["received"])
    priority: str = Field(examples=["high"])
    channel: str = Field(examples=["walk_in"])
    category: str = Field(examples=["threats"])
    organisation: str = Field(examples=["lhr-police-centre"])
    district: str = Field(examples=["PK617"])
    received_at: datetime
    assigned_to: int | None = Field(None, examples=[7])


class CasePageOut(Schema):
    """One page of cases and the cursors around it."""

    items: list[CaseSummaryOut]
    next_cursor: str | None = None
    previous_cursor: str | None = None


class CaseOut(Schema):
    """One case: every field may be left out with ``fields``; identity only with need to know."""

    reference: str = Field(examples=[REFERENCE_EXAMPLE])
    title: str | None = Field(None, examples=["Threats at the church gate"])
    status: str | None = Field(None, examples=["registered"])
    priority: str | None = Field(None, examples=["high"])
    channel: str | None = Field(None, examples=["walk_in"])
    category: str | None = Field(None, examples=["threats"])
    groups: list[str] | None = Field(None, examples=[["christians"]])
    organisation: str | None = Field(None, examples=["lhr-police-centre"])
    district: str | None = Field(None, examples=["PK617"])
    tehsil: str | None = Field(None, examples=["PK61701"])
    received_at: datetime | None = None
    incident_on: date | None = None
    assigned_to: int | None = None
    outcome: str | None = Field(None, examples=["resolved_mediation"])
    consent_contact: bool | None = None
    consent_share: bool | None = None
    identity_visible: bool | None = Field(
        None, description="False when the narrative and place are hidden from you."
    )
    narrative: str | None = Field(None, description="Identity: shown only with need to know.")
    place: str | None = Field(None, description="Identity: shown only with need to know.")


CASE_FIELDS = tuple(CaseOut.model_fields)


class CaseListQuery(Schema):
    """The case list page's filters, sort and search, with a cursor."""

    q: str = Field(
        "",
        max_length=100,
        description="A reference, title words, a CNIC, a phone number or a name (identity "
        "searches are audited). In the list's query string only a reference is taken: send "
        "other searches in the body of POST /cases/search.",
        examples=[""],
    )
    status: str = Field("", examples=["registered"], description="A status code.")
    priority: str = Field("", examples=["urgent"])
    category: str = Field("", examples=["threats"])
    group: str = Field("", examples=["christians"])
    place: str = Field(
        "", description="A province, division or district P-code.", examples=["PK617"]
    )
    channel: str = Field("", examples=["walk_in"])
    assigned: str = Field("", description='"me", "none" or an officer\'s id.', examples=["me"])
    overdue: bool = False
    received_from: date | None = None
    received_to: date | None = None
    sort: Literal["newest", "oldest", "priority"] = "newest"
    cursor: str = Field("", max_length=500, description="next_cursor of the previous page.")
    limit: int = Field(25, ge=1, le=100)


class CaseIn(Schema):
    """A new complaint, as the intake page records it."""

    organisation: str = Field(max_length=60, examples=["lhr-police-centre"])
    district: str = Field(max_length=20, examples=["PK617"])
    tehsil: str = Field("", max_length=20, examples=[""])
    received_at: datetime = Field(examples=["2026-11-30T10:15:00+05:00"])
    channel: str = Field(
        max_length=20,
        description="One of: " + ", ".join(Channel.values) + ".",
        examples=["walk_in"],
    )
    category: str = Field(max_length=50, examples=["threats"])
    groups: list[str] = Field(default_factory=list, max_length=20, examples=[["christians"]])
    title: str = Field(min_length=1, max_length=200, examples=["Threats at the church gate"])
    narrative: str = Field(
        "", max_length=10000, examples=["What happened, in the complainant's words."]
    )
    police_station: str = Field("", max_length=150, examples=[""])
    place: str = Field("", max_length=300, examples=[""])
    incident_on: date | None = Field(None, examples=["2026-11-29"])
    consent_contact: bool = False
    consent_share: bool = False
    recorded_on_behalf: bool = False
    risk_threat_to_life: bool = False
    risk_ongoing_violence: bool = False
    risk_child_involved: bool = False
    risk_mob_threat: bool = False
    risk_displacement: bool = False


class TransitionIn(Schema):
    """A step of the case workflow."""

    to_status: str = Field(
        max_length=20,
        description="One of: " + ", ".join(Status.values) + ".",
        examples=["registered"],
    )
    reason: str = Field("", max_length=500, examples=[""])
    outcome: str = Field("", max_length=50, description="Needed to ask for closure.", examples=[""])
    original_reference: str = Field(
        "", max_length=32, description="For a duplicate.", examples=[""]
    )


def _summary(case: Case) -> CaseSummaryOut:
    return CaseSummaryOut(
        reference=case.reference,
        title=case.title,
        status=case.status,
        priority=case.priority,
        channel=case.channel,
        category=case.category.code,
        organisation=case.organisation.code,
        district=case.district_id,
        received_at=case.received_at,
        assigned_to=case.assigned_to_id,
    )


def case_out(
    request: HttpRequest, case: Case, fields: frozenset[str] | None = None
) -> dict[str, Any]:
    """Return the case's chosen fields; identity only when the user may see it (audited)."""
    user = acting(request)
    wanted = fields or frozenset(CASE_FIELDS)
    visible = policy.may_see_identity(user, case)
    values: dict[str, Any] = {
        "reference": case.reference,
        "title": case.title,
        "status": case.status,
        "priority": case.priority,
        "channel": case.channel,
        "category": case.category.code,
        "groups": sorted(group.code for group in case.groups.all()),
        "organisation": case.organisation.code,
        "district": case.district_id,
        "tehsil": case.tehsil_id or None,
        "received_at": case.received_at,
        "incident_on": case.incident_on,
        "assigned_to": case.assigned_to_id,
        "outcome": case.outcome.code if case.outcome_id and case.outcome else None,
        "consent_contact": case.consent_contact,
        "consent_share": case.consent_share,
        "identity_visible": visible,
        "narrative": case.narrative if visible else None,
        "place": case.place if visible else None,
    }
    chosen = {
        name: value for name, value in values.items() if name in wanted or name == "reference"
    }
    if visible and wanted & IDENTITY_FIELDS:
        identity_viewed(user=user, obj=case, request=request, channel="api")
    return chosen


def parse_fields(text: str) -> frozenset[str] | None:
    """Return the fields asked for (None for all), refusing unknown names."""
    names = frozenset(name.strip() for name in text.split(",") if name.strip())
    if not names:
        return None
    if names - set(CASE_FIELDS):
        raise MeesaqError(
            _("Please correct the marked fields."),
            code="invalid",
            fields={
                "fields": [
                    _("Unknown field: %(names)s.")
                    % {"names": ", ".join(sorted(names - set(CASE_FIELDS)))}
                ]
            },
        )
    return names


def _case_page(request: HttpRequest, user: User, filters: CaseListQuery) -> CasePageOut:
    """One page of the cases the user may see, with the case list page's filters and search."""
    policy.require(user, "cases.list")
    data = QueryDict(mutable=True)
    for name, value in filters.model_dump(exclude={"cursor", "limit"}).items():
        if value not in ("", None, False):
            data[name] = "on" if value is True else str(value)
    form = CaseListForm(data, user=user)
    if not form.is_valid():
        raise MeesaqError(
            _("Please correct the marked fields."),
            code="invalid",
            fields={name: [str(e) for e in errors] for name, errors in form.errors.items()},
        )
    page = case_list_for_user(
        user=user, filters=form.filters(), cursor=filters.cursor or None, page_size=filters.limit
    )
    if page.search_kind in IDENTITY_SEARCH_KINDS:
        audit_record(
            actor=user,
            action="cases.identity_search",
            request=request,
            detail={"kind": page.search_kind, "channel": "api"},
        )
    prefetch_related_objects(page.cases, "organisation")
    return CasePageOut(
        items=[_summary(case) for case in page.cases],
        next_cursor=page.next_cursor,
        previous_cursor=page.previous_cursor,
    )


@router.get(
    "/cases",
    response={200: CasePageOut, **READ_ERRORS},
    summary="List cases",
    operation_id="cases_list",
)
def cases_list(request: HttpRequest, filters: Query[CaseListQuery]) -> Any:
    """List the cases you may see, with the case list page's filters, newest first by default.

    ``q`` here takes only a reference: a CNIC, phone, name or words go in the body of
    ``POST /cases/search``, so that they never sit in an address (proxies and browsers log those).
    """
    user = acting(request)
    if filters.q and search_kind(filters.q) != "reference":
        message = _(
            "Search by CNIC, phone, name or words with POST /api/v1/cases/search, so that "
            "they stay out of addresses and logs."
        )
        raise MeesaqError(message, code="search_in_body", fields={"q": [message]})
    return _case_page(request, user, filters)


@router.post(
    "/cases/search",
    response={200: CasePageOut, **READ_ERRORS},
    summary="Search cases",
    operation_id="cases_search",
)
def cases_search(request: HttpRequest, filters: CaseListQuery) -> Any:
    """Search the cases you may see: the list's filters and ``q`` (a reference, title words, a
    CNIC, a phone number or a name) in the body; identity searches are audited. A read, allowed
    to read-only tokens; the next page is the same body with ``cursor`` set."""
    return _case_page(request, acting(request), filters)


@router.get(
    "/cases/{reference}",
    response={200: CaseOut, **READ_ERRORS},
    exclude_unset=True,
    summary="Get a case",
    operation_id="cases_get",
)
def cases_get(
    request: HttpRequest,
    reference: str = PathParam(..., max_length=32, example=REFERENCE_EXAMPLE),
    fields: str = QueryParam(
        "",
        max_length=500,
        description="Comma-separated fields to return.",
        example="reference,status,priority",
    ),
) -> Any:
    """Return one case; the narrative and place only with need to know (each view audited)."""
    chosen = parse_fields(fields)
    case = case_for(acting(request), reference)
    return case_out(request, case, chosen)


@router.post(
    "/cases",
    response={201: CaseOut, **ERRORS},
    summary="Register a complaint",
    operation_id="cases_create",
    openapi_extra=OPENAPI_HEADER,
)
def cases_create(request: HttpRequest, payload: CaseIn) -> Any:
    """Register a new complaint (status received), as the intake page does."""
    user = acting(request)
    policy.require(user, "cases.create")

    def create() -> tuple[int, Schema]:
        received_at = payload.received_at
        if timezone.is_naive(received_at):
            received_at = timezone.make_aware(received_at)
        case = case_register_intake(
            actor=user,
            organisation=organisation_for(user, payload.organisation),
            district=unit_for(payload.district, field="district"),
            tehsil=unit_for(payload.tehsil, field="tehsil") if payload.tehsil else None,
            received_at=received_at,
            channel=payload.channel,
            category=category_for(payload.category),
            groups=groups_for(payload.groups),
            title=payload.title,
            narrative=payload.narrative,
            police_station=payload.police_station,
            place=payload.place,
            incident_on=payload.incident_on,
            consent_contact=payload.consent_contact,
            consent_share=payload.consent_share,
            recorded_on_behalf=payload.recorded_on_behalf,
            risk_threat_to_life=payload.risk_threat_to_life,
            risk_ongoing_violence=payload.risk_ongoing_violence,
            risk_child_involved=payload.risk_child_involved,
            risk_mob_threat=payload.risk_mob_threat,
            risk_displacement=payload.risk_displacement,
            request=request,
        )
        return 201, CaseOut(
            **case_out(
                request,
                case_for(user, case.reference),
                frozenset(
                    {
                        "reference",
                        "status",
                        "priority",
                        "title",
                        "organisation",
                        "district",
                        "received_at",
                    }
                ),
            )
        )

    return idempotent(request, user=user, operation="cases_create", create=create)


@router.post(
    "/cases/{reference}/transitions",
    response={200: CaseOut, **ERRORS},
    exclude_unset=True,
    summary="Move a case to another status",
    operation_id="cases_transition",
)
def cases_transition(
    request: HttpRequest,
    payload: TransitionIn,
    reference: str = PathParam(..., max_length=32, example=REFERENCE_EXAMPLE),
) -> Any:
    """Take one step of the workflow (register, act, resolve, ask to close, close, reopen …)."""
    user = acting(request)
    case = case_for(user, reference)
    moved = case_transition(
        actor=user,
        case=case,
        to_status=payload.to_status,
        reason=payload.reason,
        outcome=outcome_for(payload.outcome),
        original_reference=payload.original_reference,
        request=request,
    )
    return case_out(
        request, case_for(user, moved.reference), frozenset({"reference", "status", "outcome"})
    )
