"""Writes of referrals and transfers: each one transaction with its audit event and notices."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.access.referrals import RECEIVING_ROLES
from meesaq.access.roles import Role
from meesaq.accounts.models import User
from meesaq.audit.services import audit_record
from meesaq.cases.models import Case
from meesaq.cases.workflow import OPEN_STATUSES
from meesaq.core import events
from meesaq.core.errors import MeesaqError
from meesaq.notifications.services import notify
from meesaq.orgs.models import Organisation
from meesaq.referrals.deadlines import acknowledge_due, complete_due
from meesaq.referrals.models import (
    IDENTITY_SHARED_FIELDS,
    OPEN_REFERRAL_STATUSES,
    EventKind,
    Referral,
    ReferralEvent,
    ReferralStatus,
    SharedField,
)

TEXT_MAX = 2000
REASON_MAX = 500
RECEIVER = "receiver"
REFERRER = "referrer"


@dataclass(frozen=True)
class Step:
    """One move of a referral: from which statuses, to which, by which side, what it records."""

    from_statuses: frozenset[str]
    to_status: str
    side: str
    kind: str
    needs_text: bool
    notice: Promise


STEPS: dict[str, Step] = {
    "accept": Step(
        frozenset({ReferralStatus.SENT}),
        ReferralStatus.ACCEPTED,
        RECEIVER,
        EventKind.ACCEPTED,
        needs_text=False,
        notice=_("Referral %(number)s was accepted."),
    ),
    "decline": Step(
        frozenset({ReferralStatus.SENT}),
        ReferralStatus.DECLINED,
        RECEIVER,
        EventKind.DECLINED,
        needs_text=True,
        notice=_("Referral %(number)s was declined."),
    ),
    "request_info": Step(
        frozenset({ReferralStatus.SENT}),
        ReferralStatus.INFO_REQUESTED,
        RECEIVER,
        EventKind.INFO_REQUESTED,
        needs_text=True,
        notice=_("Referral %(number)s was returned: more information is needed."),
    ),
    "answer": Step(
        frozenset({ReferralStatus.INFO_REQUESTED}),
        ReferralStatus.SENT,
        REFERRER,
        EventKind.ANSWERED,
        needs_text=True,
        notice=_("Referral %(number)s was answered and sent again."),
    ),
    "record_service": Step(
        frozenset({ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE}),
        ReferralStatus.IN_SERVICE,
        RECEIVER,
        EventKind.SERVICE,
        needs_text=True,
        notice=_("A service was recorded on referral %(number)s."),
    ),
    "complete": Step(
        frozenset({ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE}),
        ReferralStatus.COMPLETED,
        RECEIVER,
        EventKind.COMPLETED,
        needs_text=True,
        notice=_("Referral %(number)s was completed."),
    ),
    "withdraw": Step(
        frozenset(OPEN_REFERRAL_STATUSES),
        ReferralStatus.WITHDRAWN,
        REFERRER,
        EventKind.WITHDRAWN,
        needs_text=False,
        notice=_("Referral %(number)s was withdrawn."),
    ),
}


def _clean_text(text: str, *, required: bool, limit: int = TEXT_MAX) -> str:
    text = text.strip()
    if required and not text:
        raise MeesaqError(
            _("Write a few words for this step."),
            code="text_required",
            fields={"text": [_("This is needed.")]},
        )
    if len(text) > limit:
        raise MeesaqError(
            _("Keep it under %(count)d characters.") % {"count": limit},
            code="text_too_long",
            fields={"text": [_("This is too long.")]},
        )
    return text


def _members(organisation_id: int, roles: Iterable[Role]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=organisation_id,
            memberships__is_active=True,
            memberships__role__in=list(roles),
        ).distinct()
    )


def receiving_side(referral: Referral) -> list[User]:
    """Return the staff who act on the referral for the receiving organisation."""
    return _members(referral.to_organisation_id, RECEIVING_ROLES)


def referring_side(referral: Referral) -> list[User]:
    """Return who follows the referral for the side that sent it."""
    people = [referral.created_by]
    if referral.parent_id is None and referral.case.assigned_to is not None:
        people.append(referral.case.assigned_to)
    return people


def _notify(*, referral: Referral, recipients: list[User], actor: User, text: Promise) -> None:
    notify(
        recipients=[user for user in recipients if user.pk != actor.pk],
        event="referral",
        text=text,
        params={"number": str(referral)},
        link=reverse("referrals:detail", kwargs={"referral_id": referral.pk}),
        case=referral.case,
    )


def _clean_fields(fields: Iterable[str]) -> list[str]:
    allowed = set(SharedField.values)
    chosen = set(fields)
    if chosen - allowed:
        raise MeesaqError(_("Choose the shared fields from the list."), code="field_unknown")
    # Kept in the list's order, so that two referrals sharing the same fields look the same.
    return [value for value in SharedField.values if value in chosen]


def referral_create(
    *,
    actor: User,
    case: Case,
    to_organisation: Organisation,
    reason: str,
    shared_fields: Iterable[str],
    parent: Referral | None = None,
    request: HttpRequest | None = None,
) -> Referral:
    """Refer a case (or pass a referral on) to another organisation, sharing the chosen fields.

    Identity (the narrative, people's names and contacts) is shared only when the
    complainant's consent to share is recorded, and an onward referral shares no more than
    the one it continues.
    """
    fields = _clean_fields(shared_fields)
    identity = bool(set(fields) & IDENTITY_SHARED_FIELDS)
    reason = _clean_text(reason, required=True)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if parent is None:
            if not policy.may(actor, "referrals.create", locked):
                raise MeesaqError(_("Your role cannot refer this case."), code="forbidden")
            from_organisation_id = locked.organisation_id
        else:
            if parent.case_id != locked.pk or not policy.may(actor, "referrals.respond", parent):
                raise MeesaqError(_("Your role cannot pass this referral on."), code="forbidden")
            if parent.status not in (ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE):
                raise MeesaqError(
                    _("Accept the referral before passing it on."), code="parent_not_accepted"
                )
            if set(fields) - set(parent.shared_fields):
                raise MeesaqError(
                    _("An onward referral cannot share more than the referral it continues."),
                    code="shares_more",
                )
            from_organisation_id = parent.to_organisation_id
        if locked.status not in OPEN_STATUSES:
            raise MeesaqError(_("Only an open case can be referred."), code="case_not_open")
        if identity and not locked.consent_share:
            raise MeesaqError(
                _(
                    "The complainant has not agreed to share their details: share only fields "
                    "without identity."
                ),
                code="no_consent",
                fields={"shared_fields": [_("Identity needs the consent to share.")]},
            )
        if not to_organisation.is_active or to_organisation.pk == from_organisation_id:
            raise MeesaqError(
                _("Choose another active organisation."),
                code="organisation_invalid",
                fields={"to_organisation": [_("Choose another active organisation.")]},
            )
        if Referral.objects.filter(
            case=locked, to_organisation=to_organisation, status__in=OPEN_REFERRAL_STATUSES
        ).exists():
            raise MeesaqError(
                _("This case already has an open referral to that organisation."),
                code="already_referred",
            )
        now = timezone.now()
        referral = Referral(
            case=locked,
            from_organisation_id=from_organisation_id,
            to_organisation=to_organisation,
            reason=reason,
            shared_fields=fields,
            identity_shared=identity,
            acknowledge_by=acknowledge_due(sent_at=now, case=case),
            complete_by=complete_due(sent_at=now, case=case),
            parent=parent,
            created_by=actor,
        )
        referral.full_clean()
        referral.save()
        ReferralEvent.objects.create(
            referral=referral,
            kind=EventKind.SENT,
            actor=actor,
            organisation_id=from_organisation_id,
            at=now,
            text="",
        )
        audit_record(
            actor=actor,
            action="referrals.create",
            target=referral,
            request=request,
            detail={
                "case": locked.reference,
                "to": to_organisation.code,
                "fields": ",".join(fields),
                "identity": identity,
                "parent": parent.pk if parent else None,
            },
        )
        _notify(
            referral=referral,
            recipients=receiving_side(referral),
            actor=actor,
            text=_("A new referral %(number)s is waiting for your answer."),
        )
        events.publish("referral.created", referral=referral)
    return referral


def referral_step(
    *,
    actor: User,
    referral: Referral,
    step: str,
    text: str = "",
    on: date | None = None,
    request: HttpRequest | None = None,
) -> Referral:
    """Take one step of a referral (accept, decline, ask, answer, serve, complete, withdraw)."""
    rule = STEPS.get(step)
    if rule is None:
        raise MeesaqError(_("Unknown step."), code="step_unknown")
    text = _clean_text(text, required=rule.needs_text)
    with transaction.atomic():
        locked = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
        action = "referrals.respond" if rule.side == RECEIVER else "referrals.refer_side"
        if not policy.may(actor, action, locked):
            raise MeesaqError(_("Your role cannot take this step."), code="forbidden")
        if locked.status not in rule.from_statuses:
            raise MeesaqError(
                _("This referral is %(status)s: that step no longer applies.")
                % {"status": locked.get_status_display()},
                code="illegal_step",
            )
        now = timezone.now()
        if on is not None and on > timezone.localdate():
            raise MeesaqError(
                _("The date cannot be in the future."),
                code="date_future",
                fields={"on": [_("The date cannot be in the future.")]},
            )
        from_status = locked.status
        locked.status = rule.to_status
        if step in ("accept", "decline"):
            locked.acknowledged_at = now
        if step == "decline":
            locked.decline_reason = text[:REASON_MAX]
        if step == "answer":
            # Sent again: the receiving organisation gets a fresh acknowledgement window.
            locked.acknowledge_by = acknowledge_due(sent_at=now, case=locked.case)
        if step == "complete":
            locked.outcome = text
            locked.completed_at = now
        locked.full_clean()
        locked.save()
        side_org = (
            locked.to_organisation_id if rule.side == RECEIVER else locked.from_organisation_id
        )
        ReferralEvent.objects.create(
            referral=locked,
            kind=rule.kind,
            actor=actor,
            organisation_id=side_org,
            at=now,
            on=on if step == "record_service" else None,
            text=text,
        )
        audit_record(
            actor=actor,
            action=f"referrals.{step}",
            target=locked,
            request=request,
            detail={"from": from_status, "to": locked.status},
        )
        other_side = referring_side(locked) if rule.side == RECEIVER else receiving_side(locked)
        _notify(referral=locked, recipients=other_side, actor=actor, text=rule.notice)
        events.publish(f"referral.{locked.status}", referral=locked)
    return locked


def referral_accept(
    *, actor: User, referral: Referral, request: HttpRequest | None = None
) -> Referral:
    """Accept a referral for the receiving organisation."""
    return referral_step(actor=actor, referral=referral, step="accept", request=request)


def referral_decline(
    *, actor: User, referral: Referral, reason: str, request: HttpRequest | None = None
) -> Referral:
    """Decline a referral, with the reason."""
    return referral_step(
        actor=actor, referral=referral, step="decline", text=reason, request=request
    )


def referral_request_info(
    *, actor: User, referral: Referral, question: str, request: HttpRequest | None = None
) -> Referral:
    """Return a referral to the referrer as insufficient, with the question."""
    return referral_step(
        actor=actor, referral=referral, step="request_info", text=question, request=request
    )


def referral_answer(
    *, actor: User, referral: Referral, answer: str, request: HttpRequest | None = None
) -> Referral:
    """Answer the receiver's question; the referral is sent again."""
    return referral_step(
        actor=actor, referral=referral, step="answer", text=answer, request=request
    )


def referral_record_service(
    *, actor: User, referral: Referral, text: str, on: date, request: HttpRequest | None = None
) -> Referral:
    """Record a service delivered under the referral, on a day."""
    return referral_step(
        actor=actor, referral=referral, step="record_service", text=text, on=on, request=request
    )


def referral_complete(
    *, actor: User, referral: Referral, outcome: str, request: HttpRequest | None = None
) -> Referral:
    """Complete the referral with its outcome."""
    return referral_step(
        actor=actor, referral=referral, step="complete", text=outcome, request=request
    )


def referral_withdraw(
    *, actor: User, referral: Referral, reason: str = "", request: HttpRequest | None = None
) -> Referral:
    """Withdraw an open referral for the referring side."""
    return referral_step(
        actor=actor, referral=referral, step="withdraw", text=reason, request=request
    )
