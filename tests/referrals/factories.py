"""Referrals for tests, made through the services (they are the only way in)."""

from __future__ import annotations

from meesaq.cases.models import Case
from meesaq.referrals.models import Referral
from meesaq.referrals.services import referral_create
from tests.cases.factories import add_person, make_case
from tests.personas import World


def consenting_case(world: World) -> Case:
    """Return a Lahore case whose complainant agreed to share, with one person."""
    case = make_case(
        organisation=world.lahore_centre, recorded_by=world.intake_officer, consent_share=True
    )
    add_person(case)
    return case


def refer_to_ngo(world: World, case: Case | None = None, **kwargs: object) -> Referral:
    """Refer a case from the Lahore centre to the Lahore NGO, as the case officer."""
    fields = kwargs.pop("shared_fields", ["category", "title", "district"])
    return referral_create(
        actor=world.case_officer,
        case=case or consenting_case(world),
        to_organisation=world.lahore_ngo,
        reason="Legal aid for the family",
        shared_fields=fields,  # type: ignore[arg-type]  # a list of field names
        **kwargs,  # type: ignore[arg-type]  # parent, request
    )
