"""Transfers: moving a case's ownership to another organisation once its supervisor accepts."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.access.referrals import TRANSFER_DECIDERS
from meesaq.accounts.models import User
from meesaq.audit.services import audit_record
from meesaq.cases.models import Case
from meesaq.cases.workflow import OPEN_STATUSES
from meesaq.core.errors import MeesaqError
from meesaq.geo.models import Level
from meesaq.notifications.services import notify
from meesaq.orgs.models import Organisation
from meesaq.referrals.models import (
    Transfer,
    TransferStatus,
)
from meesaq.referrals.services.referrals import REASON_MAX, _clean_text, _members
from meesaq.sla.services import deadlines_refresh


def _transfer_notice(
    *, transfer: Transfer, recipients: list[User], actor: User, text: Promise
) -> None:
    notify(
        recipients=[user for user in recipients if user.pk != actor.pk],
        event="transfer",
        text=text,
        params={"reference": transfer.case.reference},
        link=reverse("referrals:list") + "?tab=transfers",
        case=transfer.case,
    )


def transfer_request(
    *,
    actor: User,
    case: Case,
    to_organisation: Organisation,
    reason: str,
    request: HttpRequest | None = None,
) -> Transfer:
    """Ask another organisation to take over a case; its supervisor decides."""
    reason = _clean_text(reason, required=True)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not policy.may(actor, "referrals.transfer_request", locked):
            raise MeesaqError(_("Only a supervisor can transfer this case."), code="forbidden")
        if locked.status not in OPEN_STATUSES:
            raise MeesaqError(_("Only an open case can be transferred."), code="case_not_open")
        if not to_organisation.is_active or to_organisation.pk == locked.organisation_id:
            raise MeesaqError(
                _("Choose another active organisation."),
                code="organisation_invalid",
                fields={"to_organisation": [_("Choose another active organisation.")]},
            )
        if Transfer.objects.filter(case=locked, status=TransferStatus.REQUESTED).exists():
            raise MeesaqError(
                _("A transfer of this case is already waiting for a decision."),
                code="transfer_pending",
            )
        transfer = Transfer(
            case=locked,
            from_organisation_id=locked.organisation_id,
            to_organisation=to_organisation,
            reason=reason,
            requested_by=actor,
        )
        transfer.full_clean()
        try:
            with transaction.atomic():
                transfer.save()
        except IntegrityError as error:
            raise MeesaqError(
                _("A transfer of this case is already waiting for a decision."),
                code="transfer_pending",
            ) from error
        audit_record(
            actor=actor,
            action="referrals.transfer_request",
            target=transfer,
            request=request,
            detail={"case": locked.reference, "to": to_organisation.code},
        )
        _transfer_notice(
            transfer=transfer,
            recipients=_members(to_organisation.pk, TRANSFER_DECIDERS),
            actor=actor,
            text=_("Case %(reference)s is offered to your organisation as a transfer."),
        )
    return transfer


def _locked_pending(actor: User, transfer: Transfer) -> Transfer:
    locked = Transfer.objects.select_for_update().select_related("case").get(pk=transfer.pk)
    if not policy.may(actor, "referrals.transfer_decide", locked):
        raise MeesaqError(
            _("Only a supervisor of the receiving organisation can decide."), code="forbidden"
        )
    if locked.status != TransferStatus.REQUESTED:
        raise MeesaqError(_("This transfer has already been decided."), code="already_decided")
    return locked


def transfer_accept(
    *, actor: User, transfer: Transfer, request: HttpRequest | None = None
) -> Transfer:
    """Accept a transfer: the case moves to the receiving organisation (and its district)."""
    with transaction.atomic():
        locked = _locked_pending(actor, transfer)
        case = Case.objects.select_for_update().get(pk=locked.case_id)
        if case.organisation_id != locked.from_organisation_id:
            raise MeesaqError(_("The case has changed owner since."), code="owner_changed")
        receiving = Organisation.objects.select_related("jurisdiction").get(
            pk=locked.to_organisation_id
        )
        if not receiving.is_active:
            raise MeesaqError(_("The receiving organisation is not active."), code="inactive")
        old_district = case.district_id
        case.organisation = receiving
        if receiving.jurisdiction.level == Level.DISTRICT:
            case.district = receiving.jurisdiction
            if old_district != receiving.jurisdiction.pk:
                case.tehsil = None
        case.jurisdiction_path = case.district.path
        # The officer belonged to the old owner; the new owner's supervisor assigns its own.
        case.assigned_to = None
        case.full_clean()
        case.save()
        # A new organisation restarts the stage clock (the resolution clock never restarts).
        deadlines_refresh(case)
        now = timezone.now()
        locked.status = TransferStatus.ACCEPTED
        locked.decided_by = actor
        locked.decided_at = now
        locked.full_clean()
        locked.save()
        audit_record(
            actor=actor,
            action="referrals.transfer_accept",
            target=locked,
            request=request,
            detail={"case": case.reference, "district": case.district_id},
        )
        _transfer_notice(
            transfer=locked,
            recipients=[locked.requested_by],
            actor=actor,
            text=_("The transfer of case %(reference)s was accepted."),
        )
    return locked


def transfer_decline(
    *, actor: User, transfer: Transfer, reason: str, request: HttpRequest | None = None
) -> Transfer:
    """Decline a transfer, with the reason; the case stays where it is."""
    reason = _clean_text(reason, required=True, limit=REASON_MAX)
    with transaction.atomic():
        locked = _locked_pending(actor, transfer)
        locked.status = TransferStatus.DECLINED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decline_reason = reason
        locked.full_clean()
        locked.save()
        audit_record(
            actor=actor,
            action="referrals.transfer_decline",
            target=locked,
            request=request,
            detail={"case": locked.case.reference},
        )
        _transfer_notice(
            transfer=locked,
            recipients=[locked.requested_by],
            actor=actor,
            text=_("The transfer of case %(reference)s was declined."),
        )
    return locked
