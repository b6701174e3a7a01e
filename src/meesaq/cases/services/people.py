"""Writes for the people on cases: add, link, correct, remove; identity encrypted, indexes rebuilt.

Only the full name is tokenised for name matching, not the father's or husband's name: a
relative's name is shared by a whole family (every child of "Yousaf Masih" has it), so matching
on it would offer the wrong person far more often than the right one, and it would let a search
for one person's name surface their relatives' records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.audit.services import audit_record
from meesaq.cases.models import (
    AgeBand,
    Case,
    CasePerson,
    Faith,
    Gender,
    Person,
    PersonNameToken,
    PersonRole,
)
from meesaq.core.errors import MeesaqError
from meesaq.crypto.blind_index import (
    index_for_cnic,
    index_for_phone,
    name_index_tokens,
    normalise_cnic,
    normalise_phone,
)

if TYPE_CHECKING:
    from meesaq.accounts.models import User

IDENTITY_FIELDS = ("full_name", "relative_name", "cnic", "phone", "address")
DEMOGRAPHIC_FIELDS = ("gender", "age_band", "faith", "disability")


def _refused() -> MeesaqError:
    return MeesaqError(_("You cannot change the people on this case."), code="forbidden")


def _clean_identity(
    *,
    full_name: str,
    relative_name: str,
    cnic: str,
    phone: str,
    address: str,
    gender: str,
    age_band: str,
    faith: str,
) -> dict[str, str]:
    """Return the identity in stored form, or raise one error naming every bad field."""
    errors: dict[str, list[str | Promise]] = {}
    cleaned = {
        "full_name": " ".join(full_name.split()),
        "relative_name": " ".join(relative_name.split()),
        "address": address.strip(),
        "cnic": "",
        "phone": "",
    }
    if cnic.strip():
        try:
            cleaned["cnic"] = normalise_cnic(cnic)
        except MeesaqError as error:
            errors["cnic"] = [error.message]
    if phone.strip():
        try:
            cleaned["phone"] = normalise_phone(phone)
        except MeesaqError as error:
            errors["phone"] = [error.message]
    for name, value, choices in (
        ("gender", gender, Gender.values),
        ("age_band", age_band, AgeBand.values),
        ("faith", faith, Faith.values),
    ):
        if value not in choices:
            errors[name] = [_("Choose one of the options.")]
    if errors:
        raise MeesaqError(_("Please correct the marked fields."), code="invalid", fields=errors)
    return cleaned


def _set_indexes(person: Person) -> None:
    person.cnic_index = index_for_cnic(person.cnic)
    person.phone_index = index_for_phone(person.phone)


def _rebuild_tokens(person: Person) -> None:
    PersonNameToken.objects.filter(person=person).delete()
    PersonNameToken.objects.bulk_create(
        PersonNameToken(person=person, token=token) for token in name_index_tokens(person.full_name)
    )


def _full_clean(obj: Person | CasePerson, *, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        raise MeesaqError.from_validation_error(error) from error


def _check_role(role: str) -> None:
    if role not in PersonRole.values:
        raise MeesaqError(
            _("Choose the person's role in the case."),
            code="invalid_role",
            fields={"role": [_("Choose one of the options.")]},
        )


def person_add_to_case(
    *,
    actor: User,
    case: Case,
    role: str,
    full_name: str = "",
    relative_name: str = "",
    cnic: str = "",
    phone: str = "",
    address: str = "",
    gender: str,
    age_band: str,
    faith: str,
    disability: bool,
    request: HttpRequest | None = None,
) -> CasePerson:
    """Record a new person and link them to the case in a role."""
    if not policy.may(actor, "cases.add_note", case):
        raise _refused()
    _check_role(role)
    identity = _clean_identity(
        full_name=full_name,
        relative_name=relative_name,
        cnic=cnic,
        phone=phone,
        address=address,
        gender=gender,
        age_band=age_band,
        faith=faith,
    )
    person = Person(
        **identity,
        gender=gender,
        age_band=age_band,
        faith=faith,
        disability=disability,
        recorded_by_organisation_id=case.organisation_id,
    )
    _set_indexes(person)
    _full_clean(person)
    with transaction.atomic():
        person.save()
        _rebuild_tokens(person)
        link = CasePerson(case=case, person=person, role=role)
        _full_clean(link)
        link.save()
        audit_record(
            actor=actor,
            action="cases.person_added",
            target=case,
            request=request,
            detail={"role": role, "person_id": person.pk},
        )
    return link


def person_record_public_complainant(
    *,
    case: Case,
    full_name: str = "",
    phone: str = "",
    request: HttpRequest | None = None,
) -> CasePerson:
    """Record the complainant of a public complaint (portal or message), identity encrypted.

    Called only by the public intake services: there is no staff actor, the case was just
    created from the complainant's own words.
    """
    identity = _clean_identity(
        full_name=full_name,
        relative_name="",
        cnic="",
        phone=phone,
        address="",
        gender=Gender.UNKNOWN,
        age_band=AgeBand.UNKNOWN,
        faith=Faith.UNKNOWN,
    )
    person = Person(**identity, recorded_by_organisation_id=case.organisation_id)
    _set_indexes(person)
    _full_clean(person)
    with transaction.atomic():
        person.save()
        _rebuild_tokens(person)
        link = CasePerson.objects.create(case=case, person=person, role=PersonRole.COMPLAINANT)
        audit_record(
            actor=None,
            action="cases.person_added",
            target=case,
            request=request,
            detail={"role": PersonRole.COMPLAINANT, "person_id": person.pk, "public": True},
        )
    return link


def person_link_existing(
    *,
    actor: User,
    case: Case,
    person: Person,
    role: str,
    request: HttpRequest | None = None,
) -> CasePerson:
    """Link a person the actor can already see (from another case) to this case in a role."""
    if not policy.may(actor, "cases.add_note", case):
        raise _refused()
    if not policy.scoped(actor, Person).filter(pk=person.pk).exists():
        raise MeesaqError(_("This person was not found."), code="not_found")
    _check_role(role)
    with transaction.atomic():
        if CasePerson.objects.filter(case=case, person=person, role=role).exists():
            raise MeesaqError(
                _("This person is already on the case in that role."), code="already_linked"
            )
        link = CasePerson.objects.create(case=case, person=person, role=role)
        audit_record(
            actor=actor,
            action="cases.person_linked",
            target=case,
            request=request,
            detail={"role": role, "person_id": person.pk},
        )
    return link


def may_change_person(user: User, person: Person) -> bool:
    """Say whether the user sees this person's identity and may act on one of their cases."""
    if not policy.may_see_identity(user, person):
        return False
    cases = policy.scoped(user, Case).filter(people__person=person).distinct()
    return any(policy.may(user, "cases.act", case) for case in cases)


def person_update(
    *,
    actor: User,
    person: Person,
    full_name: str,
    relative_name: str,
    cnic: str,
    phone: str,
    address: str,
    gender: str,
    age_band: str,
    faith: str,
    disability: bool,
    request: HttpRequest | None = None,
) -> Person:
    """Correct a person's identity and demographics; indexes and name tokens follow."""
    if not may_change_person(actor, person):
        raise _refused()
    identity = _clean_identity(
        full_name=full_name,
        relative_name=relative_name,
        cnic=cnic,
        phone=phone,
        address=address,
        gender=gender,
        age_band=age_band,
        faith=faith,
    )
    new_values: dict[str, object] = {
        **identity,
        "gender": gender,
        "age_band": age_band,
        "faith": faith,
        "disability": disability,
    }
    changed = [
        name
        for name in (*IDENTITY_FIELDS, *DEMOGRAPHIC_FIELDS)
        if getattr(person, name) != new_values[name]
    ]
    if not changed:
        return person
    for name in changed:
        setattr(person, name, new_values[name])
    _set_indexes(person)
    _full_clean(person)
    with transaction.atomic():
        person.save()
        if "full_name" in changed:
            _rebuild_tokens(person)
        audit_record(
            actor=actor,
            action="cases.person_updated",
            target=person,
            request=request,
            detail={"fields": ",".join(changed)},
        )
    return person


def person_remove_from_case(
    *,
    actor: User,
    case: Case,
    person: Person,
    request: HttpRequest | None = None,
) -> int:
    """Take the person off this case (every role they hold on it); the person record stays."""
    if not policy.may(actor, "cases.act", case):
        raise _refused()
    with transaction.atomic():
        links = CasePerson.objects.filter(case=case, person=person)
        roles = sorted(links.values_list("role", flat=True))
        if not roles:
            raise MeesaqError(_("This person is not on the case."), code="not_found")
        removed, _by_model = links.delete()
        audit_record(
            actor=actor,
            action="cases.person_removed",
            target=case,
            request=request,
            detail={"roles": ",".join(roles), "person_id": person.pk},
        )
    return removed
