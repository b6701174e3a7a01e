"""Writes of the public portal: lodge a complaint, check a code and PIN, add information,
receive gateway messages, and the administrators' routing rules.

Complaints go through the cases intake service (``case_register_public``), so references,
deadlines, the audit trail, duplicate proposals and urgent alerts work as for any intake.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.audit.services import audit_record
from meesaq.cases.models import AffectedGroup, Case, Category, Channel, Moderation
from meesaq.cases.services.actions import action_add_from_complainant
from meesaq.cases.services.attachments import attachment_add_from_complainant, read_checked
from meesaq.cases.services.intake import case_register_public
from meesaq.cases.services.people import person_record_public_complainant
from meesaq.core.errors import MeesaqError
from meesaq.crypto.blind_index import index_for_phone, normalise_phone
from meesaq.geo.models import AdminUnit, Level
from meesaq.orgs.models import Organisation
from meesaq.portal import codes, throttle
from meesaq.portal.models import InboundMessage, RoutingRule, Ticket
from meesaq.portal.selectors import routing_organisation, ticket_by_code

if TYPE_CHECKING:
    from meesaq.accounts.models import User

NARRATIVE_MAX = 5000
NAME_MAX = 200
PLACE_MAX = 300
# A PIN hash to check against when the code is unknown, so both answers take the same time.
_DUMMY_PIN_HASH = functools.lru_cache(maxsize=1)(lambda: make_password(codes.pin_new()))
# Messages from one number within this time continue the same conversation (the same case).
CONVERSATION_WINDOW = timedelta(hours=24)


def _limited() -> MeesaqError:
    return MeesaqError(
        _("Too many attempts from this connection. Please wait a while and try again."),
        code="rate_limited",
    )


def _max_file_bytes() -> int:
    return int(settings.MEESAQ_PORTAL_MAX_UPLOAD_MB) * 1024 * 1024


def files_check(files: Sequence[UploadedFile]) -> None:
    """Refuse too many files, or one that is too large, empty or not an accepted kind."""
    if len(files) > settings.MEESAQ_PORTAL_MAX_FILES:
        message = _("Send at most %(count)d files.") % {"count": settings.MEESAQ_PORTAL_MAX_FILES}
        raise MeesaqError(message, code="too_many_files", fields={"files": [message]})
    for upload in files:
        try:
            read_checked(upload, limit=_max_file_bytes())
        except MeesaqError as error:
            name = (upload.name or "")[:60]
            message = f"{name}: {error.message}"
            raise MeesaqError(message, code=error.code, fields={"files": [message]}) from error


@dataclass(frozen=True)
class Lodged:
    """What the complainant is shown once after sending: the code and the PIN."""

    case: Case
    code: str
    pin: str


def _ticket_create(case: Case) -> tuple[Ticket, str]:
    pin = codes.pin_new()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                ticket = Ticket.objects.create(
                    case=case, code=codes.code_new(), pin_hash=make_password(pin)
                )
        except IntegrityError:
            continue  # the random code was taken; draw another
        return ticket, pin
    raise MeesaqError(_("Please try again."), code="code_exhausted")


def _sms_code(*, phone: str, code: str, language: str) -> None:
    """Queue an SMS with the tracking code only (never the PIN, never a name)."""
    from meesaq.notifications.tasks import send_sms_task

    with translation.override(language):
        text = str(
            _("Meesaq: your complaint was received. Tracking code %(code)s. Keep your PIN secret.")
            % {"code": codes.code_display(code)}
        )
    transaction.on_commit(lambda: send_sms_task.enqueue(to=phone, text=text))


def _too_long(limit: int) -> list[str | Promise]:
    return [_("Write at most %(count)d characters.") % {"count": limit}]


def _check_answers(
    *, narrative: str, place: str, full_name: str, phone: str, anonymous: bool
) -> str:
    """Refuse missing or too long answers (naming each field); return the phone in E.164."""
    errors: dict[str, list[str | Promise]] = {}
    if not narrative:
        errors["narrative"] = [_("Tell us what happened.")]
    elif len(narrative) > NARRATIVE_MAX:
        errors["narrative"] = _too_long(NARRATIVE_MAX)
    if len(place) > PLACE_MAX:
        errors["place"] = _too_long(PLACE_MAX)
    if len(full_name) > NAME_MAX:
        errors["full_name"] = _too_long(NAME_MAX)
    if phone:
        try:
            phone = normalise_phone(phone)
        except MeesaqError as error:
            errors["phone"] = [error.message]
    if not anonymous and not (full_name or phone):
        errors["full_name"] = [_("Give a name or a phone number, or choose to stay anonymous.")]
    if errors:
        raise MeesaqError(_("Please correct the marked answers."), code="invalid", fields=errors)
    return phone


def complaint_lodge(
    *,
    district: AdminUnit,
    tehsil: AdminUnit | None,
    place: str,
    category: Category,
    groups: list[AffectedGroup],
    incident_on: date | None,
    narrative: str,
    danger_life: bool = False,
    danger_mob: bool = False,
    danger_ongoing: bool = False,
    danger_child: bool = False,
    anonymous: bool,
    full_name: str = "",
    phone: str = "",
    consent_sms: bool = False,
    consent_share: bool = False,
    files: Sequence[UploadedFile] = (),
    honeypot: str = "",
    language: str = "ur",
    request: HttpRequest | None = None,
) -> Lodged:
    """Lodge a public complaint as a ``received`` case at the organisation routing chooses."""
    key = throttle.client_key(request) if request is not None else "none"
    window = settings.MEESAQ_PORTAL_LODGE_WINDOW_MINUTES
    if throttle.throttle_exceeded(
        scope="lodge", key=key, limit=settings.MEESAQ_PORTAL_LODGE_LIMIT, minutes=window
    ):
        raise _limited()
    narrative, full_name, phone = narrative.strip(), " ".join(full_name.split()), phone.strip()
    if anonymous:
        full_name = phone = ""
    phone = _check_answers(
        narrative=narrative, place=place, full_name=full_name, phone=phone, anonymous=anonymous
    )
    consent_sms = consent_sms and bool(phone) and not anonymous
    files_check(files)
    organisation = routing_organisation(district=district, category=category, groups=groups)
    if organisation is None:
        raise MeesaqError(
            _("We cannot take complaints from this district online yet. Please call the helpline."),
            code="no_route",
            fields={"district": [_("No office takes complaints from this district online yet.")]},
        )
    with translation.override("en"):
        title = str(_("Public portal: %(category)s") % {"category": category.label_en})
    with transaction.atomic():
        case = case_register_public(
            organisation=organisation,
            district=district,
            tehsil=tehsil,
            channel=Channel.PORTAL,
            category=category,
            groups=groups,
            title=title,
            narrative=narrative,
            place=place,
            incident_on=incident_on,
            consent_contact=consent_sms,
            consent_share=consent_share,
            risk_threat_to_life=danger_life,
            risk_ongoing_violence=danger_ongoing,
            risk_child_involved=danger_child,
            risk_mob_threat=danger_mob,
            # A filled honeypot is a robot, or someone's autofill: kept, but marked as spam.
            moderation=Moderation.SPAM if honeypot.strip() else Moderation.ACCEPTED,
            request=request,
        )
        if full_name or phone:
            person_record_public_complainant(
                case=case, full_name=full_name, phone=phone, request=request
            )
        for upload in files:
            attachment_add_from_complainant(case=case, upload=upload, request=request)
        ticket, pin = _ticket_create(case)
        throttle.throttle_hit(scope="lodge", key=key, minutes=window)
        if consent_sms and phone:
            _sms_code(phone=phone, code=ticket.code, language=language)
    return Lodged(case=case, code=codes.code_display(ticket.code), pin=pin)


def _track_refused() -> MeesaqError:
    # One answer for an unknown code, a wrong PIN and a malformed code.
    return MeesaqError(
        _("We could not find a complaint with this code and PIN. Check both and try again."),
        code="not_found",
    )


def ticket_check(*, code: str, pin: str, request: HttpRequest | None = None) -> Ticket:
    """Return the ticket if the code and PIN match; throttled per client address and per code."""
    window = settings.MEESAQ_PORTAL_TRACK_WINDOW_MINUTES
    stored = codes.code_normalise(code)
    address_key = throttle.client_key(request) if request is not None else "none"
    code_key = throttle.code_key(stored or code.strip().upper())
    if throttle.throttle_exceeded(
        scope="track-address",
        key=address_key,
        limit=settings.MEESAQ_PORTAL_TRACK_LIMIT_PER_ADDRESS,
        minutes=window,
    ) or throttle.throttle_exceeded(
        scope="track-code",
        key=code_key,
        limit=settings.MEESAQ_PORTAL_TRACK_LIMIT_PER_CODE,
        minutes=window,
    ):
        raise _limited()
    ticket = ticket_by_code(stored)
    pin = codes.pin_normalise(pin)
    matched = check_password(pin, ticket.pin_hash if ticket is not None else _DUMMY_PIN_HASH())
    if ticket is None or not matched or not pin:
        throttle.throttle_hit(scope="track-address", key=address_key, minutes=window)
        throttle.throttle_hit(scope="track-code", key=code_key, minutes=window)
        audit_record(actor=None, action="portal.track_refused", request=request)
        raise _track_refused()
    throttle.throttle_clear(scope="track-code", key=code_key)
    audit_record(actor=None, action="portal.tracked", target=ticket.case, request=request)
    return ticket


def information_add(
    *,
    ticket: Ticket,
    text: str,
    files: Sequence[UploadedFile] = (),
    request: HttpRequest | None = None,
) -> None:
    """Add the complainant's new information (text and files) to their case, marked as theirs."""
    from meesaq.portal.selectors import CLOSED_FOR_ADDITIONS

    key = throttle.client_key(request) if request is not None else "none"
    window = settings.MEESAQ_PORTAL_LODGE_WINDOW_MINUTES
    if throttle.throttle_exceeded(
        scope="add", key=key, limit=settings.MEESAQ_PORTAL_ADD_LIMIT, minutes=window
    ):
        raise _limited()
    case = ticket.case
    if case.status in CLOSED_FOR_ADDITIONS:
        raise MeesaqError(_("This complaint is closed; nothing more can be added."), code="closed")
    text = text.strip()
    if not text and not files:
        message = _("Write something or choose a file.")
        raise MeesaqError(message, code="empty", fields={"text": [message]})
    files_check(files)
    with transaction.atomic():
        entry = action_add_from_complainant(
            case=case,
            note=text or str(_("(files only)")),
            request=request,
        )
        for upload in files:
            attachment_add_from_complainant(case=case, upload=upload, action=entry, request=request)
        throttle.throttle_hit(scope="add", key=key, minutes=window)


# --- Inbound SMS / WhatsApp ---------------------------------------------------------------------


@dataclass(frozen=True)
class InboundResult:
    """What the webhook did with a message."""

    case: Case
    created: bool
    duplicate: bool


def _inbound_district() -> AdminUnit:
    district = AdminUnit.objects.filter(
        pcode=settings.MEESAQ_INBOUND_DISTRICT, level=Level.DISTRICT
    ).first()
    if district is None:
        raise MeesaqError(
            "MEESAQ_INBOUND_DISTRICT is not a district's P-code.", code="not_configured"
        )
    return district


def inbound_receive(
    *,
    gateway_id: str,
    channel: str,
    sender: str,
    text: str,
    received_at: datetime | None = None,
    request: HttpRequest | None = None,
) -> InboundResult:
    """Take one message from the gateway: attach it to a case or open a new ``received`` case.

    A message naming a known tracking code attaches to that case; otherwise a message from a
    number that wrote in the last 24 hours continues that conversation; otherwise it opens a
    new case (channel SMS or WhatsApp) at the configured district's receiving office. The same
    gateway id twice is taken once.
    """
    if channel not in {Channel.SMS, Channel.WHATSAPP}:
        raise MeesaqError("channel must be sms or whatsapp", code="invalid_channel")
    gateway_id = gateway_id.strip()
    if not gateway_id or len(gateway_id) > 100:  # noqa: PLR2004
        raise MeesaqError("id is missing or too long", code="invalid_id")
    text = text.strip()[:NARRATIVE_MAX]
    if not text:
        raise MeesaqError("text is empty", code="empty")
    try:
        phone = normalise_phone(sender)
    except MeesaqError:
        phone = ""
    sender_index = index_for_phone(phone) if phone else ""
    now = timezone.now()
    received_at = received_at or now
    with transaction.atomic():
        known = InboundMessage.objects.select_related("case").filter(gateway_id=gateway_id).first()
        if known is not None:
            return InboundResult(case=known.case, created=False, duplicate=True)
        target: Case | None = None
        for code in codes.code_find_in(text):
            ticket = ticket_by_code(code)
            if ticket is not None:
                target = ticket.case
                break
        if target is None and sender_index:
            earlier = (
                InboundMessage.objects.select_related("case")
                .filter(sender_index=sender_index, received_at__gte=now - CONVERSATION_WINDOW)
                .order_by("-received_at")
                .first()
            )
            target = earlier.case if earlier is not None else None
        created = target is None
        if target is None:
            target = _inbound_case(channel=channel, text=text, phone=phone, request=request)
        else:
            action_add_from_complainant(case=target, note=text, request=request)
        InboundMessage.objects.create(
            gateway_id=gateway_id,
            channel=channel,
            sender_index=sender_index,
            case=target,
            received_at=received_at,
        )
    return InboundResult(case=target, created=created, duplicate=False)


def _inbound_case(*, channel: str, text: str, phone: str, request: HttpRequest | None) -> Case:
    district = _inbound_district()
    category = (
        Category.objects.filter(code="other").first()
        or Category.objects.filter(is_active=True).order_by("order").first()
    )
    if category is None:
        raise MeesaqError("no category to file messages under", code="not_configured")
    organisation = routing_organisation(district=district, category=category, groups=[])
    if organisation is None:
        raise MeesaqError("no office receives messages in the district", code="not_configured")
    with translation.override("en"):
        title = str(_("Message received by %(channel)s") % {"channel": Channel(channel).label})
    case = case_register_public(
        organisation=organisation,
        district=district,
        channel=channel,
        category=category,
        title=title,
        narrative=text,
        request=request,
    )
    if phone:
        person_record_public_complainant(case=case, phone=phone, request=request)
    ticket, _pin = _ticket_create(case)
    if channel == Channel.SMS and phone:
        # The reply carries the tracking code only: the sender quotes it to add to this case.
        _sms_code(phone=phone, code=ticket.code, language="ur")
    return case


# --- Routing rules (administrators) ----------------------------------------------------------


def routing_rule_create(
    *,
    actor: User,
    category: Category | None,
    group: AffectedGroup | None,
    district: AdminUnit | None,
    organisation: Organisation | None,
    organisation_kind: str,
    request: HttpRequest | None = None,
) -> RoutingRule:
    """Add a routing rule: a category/group/district to one organisation or a kind of one."""
    from meesaq.access import policy

    if not policy.may(actor, "portal.manage_routing"):
        raise MeesaqError(_("Only administrators change where complaints go."), code="forbidden")
    if (organisation is None) == (not organisation_kind):
        message = _("Choose either one organisation or a kind of organisation, not both.")
        raise MeesaqError(message, code="one_target", fields={"organisation": [message]})
    if district is not None and district.level != Level.DISTRICT:
        message = _("Choose a district.")
        raise MeesaqError(message, code="not_a_district", fields={"district": [message]})
    if organisation is not None and not organisation.is_active:
        message = _("This organisation is not active.")
        raise MeesaqError(message, code="inactive_org", fields={"organisation": [message]})
    rule = RoutingRule(
        category=category,
        group=group,
        district=district,
        organisation=organisation,
        organisation_kind="" if organisation is not None else organisation_kind,
    )
    try:
        rule.full_clean()
    except Exception as error:
        from django.core.exceptions import ValidationError

        if isinstance(error, ValidationError):
            raise MeesaqError.from_validation_error(error) from error
        raise
    with transaction.atomic():
        rule.save()
        audit_record(
            actor=actor,
            action="portal.routing_rule_added",
            target=rule,
            request=request,
            detail={
                "category": category.code if category else "",
                "group": group.code if group else "",
                "district": district.pcode if district else "",
                "organisation_id": organisation.pk if organisation else None,
                "kind": rule.organisation_kind,
            },
        )
    return rule


def routing_rule_delete(
    *, actor: User, rule: RoutingRule, request: HttpRequest | None = None
) -> None:
    """Remove a routing rule (complaints already routed stay where they are)."""
    from meesaq.access import policy

    if not policy.may(actor, "portal.manage_routing"):
        raise MeesaqError(_("Only administrators change where complaints go."), code="forbidden")
    with transaction.atomic():
        rule_id = rule.pk
        audit_record(
            actor=actor,
            action="portal.routing_rule_removed",
            object_type="portal.routingrule",
            object_id=str(rule_id),
            request=request,
        )
        rule.delete()
