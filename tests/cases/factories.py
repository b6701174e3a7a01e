"""Cases and people for tests, written straight to the database (services have their own tests)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from meesaq.accounts.models import User
from meesaq.cases.models import Case, CasePerson, Category, Channel, Person, PersonRole
from meesaq.cases.references import reference_next
from meesaq.crypto.blind_index import index_for_cnic, index_for_phone
from meesaq.geo.models import AdminUnit
from meesaq.orgs.models import Organisation


def make_case(
    *, organisation: Organisation, recorded_by: User | None = None, **fields: Any
) -> Case:
    """Create a case owned by the organisation, placed in its district."""
    district: AdminUnit = fields.pop("district", organisation.jurisdiction)
    received_at = fields.pop("received_at", timezone.now())
    case = Case(
        reference=reference_next(district=district, year=received_at.year),
        organisation=organisation,
        district=district,
        jurisdiction_path=district.path,
        received_at=received_at,
        channel=fields.pop("channel", Channel.WALK_IN),
        category=fields.pop("category", Category.objects.get(code="threats")),
        title=fields.pop("title", "Threats at the church gate"),
        narrative=fields.pop("narrative", "Shamim Masih was threatened on Sunday."),
        recorded_by=recorded_by,
        **fields,
    )
    case.full_clean()
    case.save()
    return case


def add_person(
    case: Case,
    *,
    role: str = PersonRole.COMPLAINANT,
    full_name: str = "Shamim Masih",
    cnic: str = "00101-1234567-2",
    phone: str = "+923901234567",
    **fields: Any,
) -> Person:
    """Create a person with encrypted identity and blind indexes, linked to the case."""
    digits = "".join(ch for ch in cnic if ch.isdigit())
    person = Person.objects.create(
        full_name=full_name,
        cnic=digits,
        cnic_index=index_for_cnic(digits) if digits else "",
        phone=phone,
        phone_index=index_for_phone(phone) if phone else "",
        recorded_by_organisation=case.organisation,
        **fields,
    )
    CasePerson.objects.create(case=case, person=person, role=role)
    return person
