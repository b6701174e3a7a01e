"""Registering a complaint: the intake of a new case, its reference and first status."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.access.roles import CASE_ROLES
from meesaq.accounts.models import User
from meesaq.audit.services import DetailValue, audit_record
from meesaq.cases.models import (
    AffectedGroup,
    Case,
    CaseTransition,
    Category,
    Channel,
    Moderation,
    Priority,
    Status,
)
from meesaq.cases.references import reference_next
from meesaq.cases.selectors.intake import district_in_reach
from meesaq.core.errors import MeesaqError
from meesaq.geo.models import AdminUnit, Level
from meesaq.orgs.models import Membership, Organisation
from meesaq.sla.services import deadlines_refresh, urgent_case_alert

# A clock on a phone or a PC may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)
# Pakistan's bounding box (with a small margin), for map points typed by hand.
LATITUDE_RANGE = (Decimal("23.5"), Decimal("37.2"))
LONGITUDE_RANGE = (Decimal("60.8"), Decimal("77.9"))


def priority_from_risk(
    *,
    threat_to_life: bool = False,
    ongoing_violence: bool = False,
    child_involved: bool = False,
    mob_threat: bool = False,
    displacement: bool = False,
) -> Priority:
    """Return the priority the risk checklist calls for."""
    if threat_to_life or mob_threat:
        return Priority.URGENT
    if ongoing_violence or child_involved or displacement:
        return Priority.HIGH
    return Priority.NORMAL


def _refuse(field: str, message: str | Promise, code: str) -> MeesaqError:
    return MeesaqError(message, code=code, fields={field: [message]})


def _check_place(
    *, actor: User, organisation: Organisation, district: AdminUnit, tehsil: AdminUnit | None
) -> None:
    if not Membership.objects.filter(
        user__pk=actor.pk,
        organisation=organisation,
        role__in=CASE_ROLES,
        is_active=True,
        organisation__is_active=True,
    ).exists():
        raise _refuse(
            "organisation",
            _("You cannot record cases for this organisation."),
            "organisation_not_yours",
        )
    if district.level != Level.DISTRICT:
        raise _refuse("district", _("Choose a district."), "not_a_district")
    if not district_in_reach(user=actor, district=district):
        raise _refuse(
            "district",
            _("This district is outside your jurisdiction; you cannot record cases there."),
            "district_outside_jurisdiction",
        )
    if tehsil is not None and (tehsil.level != Level.TEHSIL or tehsil.parent_id != district.pk):
        raise _refuse(
            "tehsil", _("This tehsil is not in the chosen district."), "tehsil_not_in_district"
        )


def _check_times(*, received_at: datetime, incident_on: date | None) -> None:
    now = timezone.now()
    if received_at > now + CLOCK_SKEW:
        raise _refuse(
            "received_at", _("The time received cannot be in the future."), "received_in_future"
        )
    if incident_on is not None and incident_on > timezone.localdate(now):
        raise _refuse(
            "incident_on", _("The date of the incident cannot be in the future."), "incident_future"
        )


def _check_point(latitude: Decimal | None, longitude: Decimal | None) -> None:
    if (latitude is None) != (longitude is None):
        raise _refuse(
            "latitude" if latitude is None else "longitude",
            _("Give both the latitude and the longitude, or neither."),
            "point_incomplete",
        )
    if latitude is None or longitude is None:
        return
    if not LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]:
        raise _refuse("latitude", _("This latitude is outside Pakistan."), "point_outside")
    if not LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]:
        raise _refuse("longitude", _("This longitude is outside Pakistan."), "point_outside")


def _check_terms(category: Category, groups: Iterable[AffectedGroup]) -> list[AffectedGroup]:
    """Refuse a switched-off category or group; return the groups as a list."""
    if not category.is_active:
        raise _refuse("category", _("This category is no longer in use."), "inactive_category")
    chosen_groups = list(groups)
    if any(not group.is_active for group in chosen_groups):
        raise _refuse("groups", _("An affected group is no longer in use."), "inactive_group")
    return chosen_groups


def _as_meesaq_error(error: ValidationError) -> MeesaqError:
    fields: dict[str, list[str | Promise]] = {
        name: list(messages) for name, messages in error.message_dict.items()
    }
    first = next(iter(fields.values()), [_("Check the form.")])[0]
    return MeesaqError(first, code="invalid", fields=fields)


def _case_save_new(
    *,
    case: Case,
    groups: list[AffectedGroup],
    actor: User | None,
    request: HttpRequest | None,
    detail: dict[str, DetailValue],
) -> Case:
    """Validate and save a new case with its reference, first transition, audit and clocks."""
    try:
        # The reference is taken only once everything else is valid.
        case.full_clean(exclude=["reference"], validate_unique=False)
    except ValidationError as error:
        raise _as_meesaq_error(error) from error
    now = timezone.now()
    with transaction.atomic():
        # The counter row stays locked until this transaction commits (see reference_next).
        case.reference = reference_next(
            district=case.district, year=timezone.localtime(case.received_at).year
        )
        case.status_changed_at = now
        case.save()
        if groups:
            case.groups.set(groups)
        CaseTransition.objects.create(
            case=case,
            from_status="",
            to_status=Status.RECEIVED,
            actor=actor,
            occurred_at=now,
        )
        audit_record(
            actor=actor, action="cases.case_created", target=case, request=request, detail=detail
        )
        deadlines_refresh(case)
        if case.priority == Priority.URGENT:
            # Urgent cases alert the supervisors the moment they are registered.
            urgent_case_alert(case)
    return case


def case_register_intake(
    *,
    actor: User,
    organisation: Organisation,
    district: AdminUnit,
    tehsil: AdminUnit | None = None,
    received_at: datetime,
    channel: str,
    category: Category,
    groups: Iterable[AffectedGroup] = (),
    title: str,
    narrative: str = "",
    police_station: str = "",
    place: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    incident_on: date | None = None,
    consent_contact: bool = False,
    consent_share: bool = False,
    recorded_on_behalf: bool = False,
    risk_threat_to_life: bool = False,
    risk_ongoing_violence: bool = False,
    risk_child_involved: bool = False,
    risk_mob_threat: bool = False,
    risk_displacement: bool = False,
    request: HttpRequest | None = None,
) -> Case:
    """Register a new complaint in ``received``, with its reference, first transition and audit."""
    _check_place(actor=actor, organisation=organisation, district=district, tehsil=tehsil)
    _check_times(received_at=received_at, incident_on=incident_on)
    _check_point(latitude, longitude)
    if channel not in Channel.values:
        raise _refuse("channel", _("Choose how the complaint came in."), "invalid_channel")
    chosen_groups = _check_terms(category, groups)
    priority = priority_from_risk(
        threat_to_life=risk_threat_to_life,
        ongoing_violence=risk_ongoing_violence,
        child_involved=risk_child_involved,
        mob_threat=risk_mob_threat,
        displacement=risk_displacement,
    )
    case = Case(
        organisation=organisation,
        district=district,
        tehsil=tehsil,
        jurisdiction_path=district.path,
        police_station=police_station.strip(),
        place=place.strip(),
        latitude=latitude,
        longitude=longitude,
        received_at=received_at,
        incident_on=incident_on,
        channel=channel,
        category=category,
        title=title.strip(),
        narrative=narrative.strip(),
        consent_contact=consent_contact,
        consent_share=consent_share,
        status=Status.RECEIVED,
        priority=priority,
        risk_threat_to_life=risk_threat_to_life,
        risk_ongoing_violence=risk_ongoing_violence,
        risk_child_involved=risk_child_involved,
        risk_mob_threat=risk_mob_threat,
        risk_displacement=risk_displacement,
        recorded_by=actor,
        recorded_on_behalf=recorded_on_behalf,
    )
    return _case_save_new(
        case=case,
        groups=chosen_groups,
        actor=actor,
        request=request,
        detail={
            "channel": channel,
            "category": category.code,
            "priority": str(priority),
            "on_behalf": recorded_on_behalf,
        },
    )


PUBLIC_CHANNELS = frozenset({Channel.PORTAL, Channel.SMS, Channel.WHATSAPP})


def case_register_public(
    *,
    organisation: Organisation,
    district: AdminUnit,
    tehsil: AdminUnit | None = None,
    channel: str,
    category: Category,
    groups: Iterable[AffectedGroup] = (),
    title: str,
    narrative: str = "",
    place: str = "",
    incident_on: date | None = None,
    consent_contact: bool = False,
    consent_share: bool = False,
    risk_threat_to_life: bool = False,
    risk_ongoing_violence: bool = False,
    risk_child_involved: bool = False,
    risk_mob_threat: bool = False,
    moderation: str = Moderation.ACCEPTED,
    request: HttpRequest | None = None,
) -> Case:
    """Register a complaint that came in without staff (portal, SMS, WhatsApp) in ``received``.

    The organisation comes from the portal's routing rules, not from a user's membership; the
    reference, first transition, audit event, deadlines and urgent alert are those of any intake.
    """
    if channel not in PUBLIC_CHANNELS:
        raise _refuse("channel", _("Choose how the complaint came in."), "invalid_channel")
    if district.level != Level.DISTRICT:
        raise _refuse("district", _("Choose a district."), "not_a_district")
    if tehsil is not None and (tehsil.level != Level.TEHSIL or tehsil.parent_id != district.pk):
        raise _refuse(
            "tehsil", _("This tehsil is not in the chosen district."), "tehsil_not_in_district"
        )
    if not organisation.is_active:
        raise _refuse("organisation", _("This organisation is not active."), "inactive_org")
    received_at = timezone.now()
    _check_times(received_at=received_at, incident_on=incident_on)
    chosen_groups = _check_terms(category, groups)
    if moderation not in Moderation.values:
        raise _refuse("moderation", _("Choose one of the options."), "invalid_moderation")
    priority = priority_from_risk(
        threat_to_life=risk_threat_to_life,
        ongoing_violence=risk_ongoing_violence,
        child_involved=risk_child_involved,
        mob_threat=risk_mob_threat,
    )
    case = Case(
        organisation=organisation,
        district=district,
        tehsil=tehsil,
        jurisdiction_path=district.path,
        place=place.strip(),
        received_at=received_at,
        incident_on=incident_on,
        channel=channel,
        category=category,
        title=title.strip()[:150],
        narrative=narrative.strip(),
        consent_contact=consent_contact,
        consent_share=consent_share,
        status=Status.RECEIVED,
        priority=priority,
        risk_threat_to_life=risk_threat_to_life,
        risk_ongoing_violence=risk_ongoing_violence,
        risk_child_involved=risk_child_involved,
        risk_mob_threat=risk_mob_threat,
        moderation=moderation,
    )
    return _case_save_new(
        case=case,
        groups=chosen_groups,
        actor=None,
        request=request,
        detail={
            "channel": channel,
            "category": category.code,
            "priority": str(priority),
            "public": True,
            "moderation": moderation,
        },
    )
