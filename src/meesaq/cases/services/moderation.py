"""Moderation of public complaints: staff mark spam (and take it back); nothing is deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.audit.services import audit_record
from meesaq.cases.models import Case, Moderation
from meesaq.core.errors import MeesaqError

if TYPE_CHECKING:
    from meesaq.accounts.models import User


def case_moderation_set(
    *, actor: User, case: Case, moderation: str, request: HttpRequest | None = None
) -> Case:
    """Mark a case as spam or accepted; the case and everything on it are kept either way."""
    if not policy.may(actor, "cases.triage", case):
        raise MeesaqError(_("Your role cannot moderate this case."), code="forbidden")
    if moderation not in Moderation.values:
        raise MeesaqError(_("Choose one of the options."), code="invalid_moderation")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.moderation == moderation:
            return locked
        previous = locked.moderation
        locked.moderation = moderation
        locked.save(update_fields=["moderation", "updated_at"])
        audit_record(
            actor=actor,
            action="cases.moderation_changed",
            target=locked,
            request=request,
            detail={"from": previous, "to": moderation},
        )
    return locked
