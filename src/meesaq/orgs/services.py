"""Administrators' changes to organisations: create, update, deactivate, reactivate.

Memberships (who holds which role where) are managed on the user pages (accounts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.audit.services import audit_record
from meesaq.core.errors import MeesaqError
from meesaq.geo.models import AdminUnit
from meesaq.orgs.models import Organisation
from meesaq.orgs.selectors import organisation_ancestor_ids

if TYPE_CHECKING:
    from meesaq.accounts.models import User

_EDITABLE = ("name_en", "name_ur", "code", "kind", "jurisdiction_id", "parent_id")


def _require_manager(actor: User) -> None:
    if not policy.may(actor, "orgs.manage"):
        raise MeesaqError(_("Only administrators can change organisations."), code="forbidden")


def _taken(code: str) -> MeesaqError:
    message = _("The short code %(code)s is already used by another organisation.") % {"code": code}
    return MeesaqError(message, code="code_taken", fields={"code": [message]})


def _check_parent(organisation: Organisation, parent: Organisation | None) -> None:
    """Refuse a new parent that is inactive, the organisation itself or one of its branches."""
    if parent is None or (organisation.pk is not None and parent.pk == organisation.parent_id):
        return
    if not parent.is_active:
        message = _("Choose an active parent organisation.")
        raise MeesaqError(message, code="inactive_parent", fields={"parent": [message]})
    if organisation.pk is None:
        return
    if parent.pk == organisation.pk or organisation.pk in organisation_ancestor_ids(parent):
        message = _("An organisation cannot sit under itself or under one of its own branches.")
        raise MeesaqError(message, code="parent_cycle", fields={"parent": [message]})


def _save(organisation: Organisation, *, fields: list[str] | None) -> None:
    try:
        organisation.full_clean(validate_unique=False)
    except ValidationError as error:
        raise MeesaqError.from_validation_error(error) from error
    if Organisation.objects.filter(code=organisation.code).exclude(pk=organisation.pk).exists():
        raise _taken(organisation.code)
    try:
        # A savepoint, so that losing a race for the same code gives the same clear message.
        with transaction.atomic():
            organisation.save(update_fields=fields)
    except IntegrityError as error:
        raise _taken(organisation.code) from error


def organisation_create(
    *,
    actor: User,
    name_en: str,
    name_ur: str = "",
    code: str,
    kind: str,
    jurisdiction: AdminUnit,
    parent: Organisation | None = None,
    request: HttpRequest | None = None,
) -> Organisation:
    """Add an organisation (centre, office or partner) at a jurisdiction."""
    _require_manager(actor)
    organisation = Organisation(
        name_en=name_en.strip(),
        name_ur=name_ur.strip(),
        code=code.strip().lower(),
        kind=kind,
        jurisdiction=jurisdiction,
        parent=parent,
    )
    _check_parent(organisation, parent)
    with transaction.atomic():
        _save(organisation, fields=None)
        audit_record(
            actor=actor,
            action="orgs.organisation_created",
            target=organisation,
            request=request,
            detail={"kind": organisation.kind, "jurisdiction": jurisdiction.pcode},
        )
    return organisation


def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    name_en: str,
    name_ur: str,
    code: str,
    kind: str,
    jurisdiction: AdminUnit,
    parent: Organisation | None,
    request: HttpRequest | None = None,
) -> Organisation:
    """Change an organisation's names, code, kind, jurisdiction or parent."""
    _require_manager(actor)
    _check_parent(organisation, parent)
    before = {field: getattr(organisation, field) for field in _EDITABLE}
    organisation.name_en = name_en.strip()
    organisation.name_ur = name_ur.strip()
    organisation.code = code.strip().lower()
    organisation.kind = kind
    organisation.jurisdiction = jurisdiction
    organisation.parent = parent
    changed = [field for field in _EDITABLE if getattr(organisation, field) != before[field]]
    if not changed:
        return organisation
    with transaction.atomic():
        try:
            _save(organisation, fields=[f.removesuffix("_id") for f in changed] + ["updated_at"])
        except MeesaqError:
            for field, value in before.items():
                setattr(organisation, field, value)
            raise
        audit_record(
            actor=actor,
            action="orgs.organisation_updated",
            target=organisation,
            request=request,
            detail={"fields": ",".join(f.removesuffix("_id") for f in changed)},
        )
    return organisation


def organisation_deactivate(
    *, actor: User, organisation: Organisation, request: HttpRequest | None = None
) -> Organisation:
    """Take an organisation out of use; its members' roles there stop counting at once."""
    _require_manager(actor)
    if not organisation.is_active:
        return organisation
    active_children = organisation.children.filter(is_active=True).count()
    if active_children:
        raise MeesaqError(
            _(
                "This organisation has %(count)d active sub-organisations. "
                "Deactivate them or move them under another parent first."
            )
            % {"count": active_children},
            code="active_children",
        )
    with transaction.atomic():
        organisation.is_active = False
        organisation.save(update_fields=["is_active", "updated_at"])
        audit_record(
            actor=actor,
            action="orgs.organisation_deactivated",
            target=organisation,
            request=request,
            detail={},
        )
    return organisation


def organisation_reactivate(
    *, actor: User, organisation: Organisation, request: HttpRequest | None = None
) -> Organisation:
    """Bring a deactivated organisation back into use."""
    _require_manager(actor)
    if organisation.is_active:
        return organisation
    with transaction.atomic():
        organisation.is_active = True
        organisation.save(update_fields=["is_active", "updated_at"])
        audit_record(
            actor=actor,
            action="orgs.organisation_reactivated",
            target=organisation,
            request=request,
            detail={},
        )
    return organisation
