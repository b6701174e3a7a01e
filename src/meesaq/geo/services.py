"""Administrators' changes to the tree: new units (new districts are notified often) and names."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.audit.services import audit_record
from meesaq.core.errors import MeesaqError
from meesaq.geo.models import AdminUnit, Level
from meesaq.geo.selectors import normalise_pcode

if TYPE_CHECKING:
    from meesaq.accounts.models import User

# Which parent levels each new unit may sit under (SPEC.md: province → division → district →
# tehsil; districts of Islamabad, Azad Kashmir and Gilgit-Baltistan sit right under the province).
ALLOWED_PARENT_LEVELS: dict[int, frozenset[int]] = {
    Level.DIVISION: frozenset({Level.PROVINCE}),
    Level.DISTRICT: frozenset({Level.PROVINCE, Level.DIVISION}),
    Level.TEHSIL: frozenset({Level.DISTRICT}),
}
PCODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{2,15}$")
PATH_MAX_LENGTH = 100


def _require_manager(actor: User) -> None:
    if not policy.may(actor, "geo.manage"):
        raise MeesaqError(_("Only administrators can change places."), code="forbidden")


def _check_new_unit(*, parent: AdminUnit, pcode: str, level: int) -> None:
    if level not in ALLOWED_PARENT_LEVELS:
        raise MeesaqError(
            _("Only divisions, districts and tehsils can be added."),
            code="invalid_level",
            fields={"level": [_("Choose a division, a district or a tehsil.")]},
        )
    if parent.level not in ALLOWED_PARENT_LEVELS[level]:
        message: str | Promise = {
            Level.DIVISION: _("A division must be placed directly under a province."),
            Level.DISTRICT: _("A district must be placed under a province or a division."),
            Level.TEHSIL: _("A tehsil must be placed under a district."),
        }[Level(level)]
        raise MeesaqError(message, code="invalid_parent", fields={"parent": [message]})
    if not PCODE_PATTERN.match(pcode):
        message = _("A P-code is 3 to 16 letters and digits, starting with a letter (e.g. PK637).")
        raise MeesaqError(message, code="invalid_pcode", fields={"pcode": [message]})
    province = parent.path.split("/")[0]
    if not pcode.startswith(province):
        message = _("P-codes in this province start with %(prefix)s.") % {"prefix": province}
        raise MeesaqError(message, code="invalid_pcode", fields={"pcode": [message]})
    if AdminUnit.objects.filter(pcode=pcode).exists():
        _raise_taken(pcode)
    if len(f"{parent.path}/{pcode}") > PATH_MAX_LENGTH:
        message = _("This P-code is too long for a unit this deep in the tree.")
        raise MeesaqError(message, code="invalid_pcode", fields={"pcode": [message]})


def _raise_taken(pcode: str) -> None:
    message = _("The P-code %(pcode)s is already taken by another place.") % {"pcode": pcode}
    raise MeesaqError(message, code="pcode_taken", fields={"pcode": [message]})


def unit_create(
    *,
    actor: User,
    parent: AdminUnit,
    pcode: str,
    name_en: str,
    name_ur: str = "",
    level: int,
    request: HttpRequest | None = None,
) -> AdminUnit:
    """Add a division, district or tehsil that the reference data does not have yet."""
    _require_manager(actor)
    pcode = normalise_pcode(pcode)
    _check_new_unit(parent=parent, pcode=pcode, level=level)
    unit = AdminUnit(
        pcode=pcode,
        name_en=name_en.strip(),
        name_ur=name_ur.strip(),
        level=level,
        parent=parent,
        path=f"{parent.path}/{pcode}",
        official=False,
        added_by_admin=True,
    )
    try:
        unit.full_clean(validate_unique=False)
    except ValidationError as error:
        raise MeesaqError.from_validation_error(error) from error
    with transaction.atomic():
        try:
            # A savepoint, so that losing a race for the same P-code leaves the outer
            # transaction usable and the user gets the same message as above.
            with transaction.atomic():
                unit.save(force_insert=True)
        except IntegrityError:
            _raise_taken(pcode)
        audit_record(
            actor=actor,
            action="geo.unit_created",
            target=unit,
            request=request,
            detail={"level": unit.level, "parent": parent.pcode},
        )
    return unit


def unit_update_names(
    *,
    actor: User,
    unit: AdminUnit,
    name_ur: str,
    name_en: str | None = None,
    request: HttpRequest | None = None,
) -> AdminUnit:
    """Add or correct a unit's Urdu name (and the English name of a unit added here)."""
    _require_manager(actor)
    changes: dict[str, str] = {"name_ur": name_ur.strip()}
    if name_en is not None and name_en.strip() != unit.name_en:
        if not unit.added_by_admin:
            message = _(
                "The English name comes from the reference data and is refreshed from it; "
                "only the Urdu name can be changed here."
            )
            raise MeesaqError(message, code="name_from_data", fields={"name_en": [message]})
        changes["name_en"] = name_en.strip()
    changed = [field for field, value in changes.items() if getattr(unit, field) != value]
    if not changed:
        return unit
    for field in changed:
        setattr(unit, field, changes[field])
    try:
        unit.full_clean(validate_unique=False)
    except ValidationError as error:
        unit.refresh_from_db(fields=changed)
        raise MeesaqError.from_validation_error(error) from error
    with transaction.atomic():
        unit.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="geo.unit_names_updated",
            target=unit,
            request=request,
            detail={"fields": ",".join(sorted(changed))},
        )
    return unit
