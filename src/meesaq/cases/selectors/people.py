"""Reads for the people on cases: who is on a case, and who is already known (blind indexes).

Everything starts from ``policy.scoped(user, Person)``: a person on no case the user can see is
never found, not even as a pseudonym. Identity is filled in only where ``may_see_identity``
says so; the caller audits what it then shows (``access.services.identity_viewed``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.cases.models import Case, CasePerson, Person
from meesaq.core.errors import MeesaqError
from meesaq.crypto.blind_index import index_for_cnic, index_for_phone, name_index_tokens

Label = str | Promise
IdentityPairs = tuple[tuple[Label, str], ...]

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from meesaq.accounts.models import User

IDENTITY_LABELS: dict[str, Label] = {
    "full_name": _("Name"),
    "relative_name": _("Father's or husband's name"),
    "cnic": _("CNIC"),
    "phone": _("Phone"),
    "address": _("Address"),
}
# Numbers read left to right even on an Urdu page; names and addresses follow their script.
LEFT_TO_RIGHT = (IDENTITY_LABELS["cnic"], IDENTITY_LABELS["phone"])
# A name match needs two name words at least: one word alone ("Masih", "Muhammad") is shared by
# thousands of people and would offer strangers' records as the same person.
MIN_NAME_TOKENS = 2
MATCH_LIMIT = 20


def identity_rows(identity: IdentityPairs | None) -> list[tuple[Label, str, str]]:
    """Return identity pairs with the text direction of each value, for templates."""
    return [
        (label, value, "ltr" if any(label is own for own in LEFT_TO_RIGHT) else "auto")
        for label, value in identity or ()
    ]


@dataclass(frozen=True)
class Demographics:
    """The plainly stored facts about a person, shown to everyone who sees the case."""

    gender: Label
    age_band: Label
    faith: Label
    disability: bool


@dataclass(frozen=True)
class PersonMatch:
    """A known person who matches what was typed, with only what the user may see."""

    person_id: int
    pseudonym: str
    matched_on: tuple[str, ...]
    identity: IdentityPairs | None
    demographics: Demographics
    case_references: tuple[str, ...]
    may_break_glass: bool
    # For auditing identity views only; templates show ``identity``, never the record.
    person: Person = field(repr=False, compare=False)

    @property
    def identity_rows(self) -> list[tuple[Label, str, str]]:
        """Return the identity with each value's text direction."""
        return identity_rows(self.identity)


@dataclass(frozen=True)
class PersonOnCase:
    """One person on a case, their roles there, and what the user may see and do."""

    person_id: int
    pseudonym: str
    roles: tuple[Label, ...]
    identity: IdentityPairs | None
    demographics: Demographics
    may_break_glass: bool
    may_edit: bool
    may_remove: bool
    person: Person = field(repr=False, compare=False)

    @property
    def identity_rows(self) -> list[tuple[Label, str, str]]:
        """Return the identity with each value's text direction."""
        return identity_rows(self.identity)


def pseudonym(person: Person) -> str:
    """Return the pseudonymous reference shown where identity is hidden."""
    return f"P-{person.pk}"


def format_cnic(digits: str) -> str:
    """Return a stored 13-digit CNIC the way it is printed on the card, 35202-1234567-1."""
    if len(digits) != 13:  # noqa: PLR2004  # the CNIC's length
        return digits
    return f"{digits[:5]}-{digits[5:12]}-{digits[12]}"


def identity_pairs(person: Person) -> IdentityPairs:
    """Return the person's filled-in identity fields with their labels."""
    pairs: list[tuple[Label, str]] = []
    for name, label in IDENTITY_LABELS.items():
        value = str(getattr(person, name) or "")
        if name == "cnic":
            value = format_cnic(value)
        if value:
            pairs.append((label, value))
    return tuple(pairs)


def _demographics(person: Person) -> Demographics:
    return Demographics(
        gender=person.get_gender_display(),
        age_band=person.get_age_band_display(),
        faith=person.get_faith_display(),
        disability=person.disability,
    )


def _index_or_blank(index: Callable[[str], str], value: str) -> str:
    """Return the blind index of a typed value, or "" when it is blank or not a valid number."""
    try:
        return index(value)
    except MeesaqError:
        return ""


def people_matching(
    *, user: User, cnic: str = "", phone: str = "", full_name: str = ""
) -> list[PersonMatch]:
    """Return the known people the user may see who match a CNIC, a phone or a name."""
    people = policy.scoped(user, Person).order_by("pk")
    found: dict[int, list[str]] = {}

    def note(ids: Iterable[int], how: str) -> None:
        for pk in ids:
            found.setdefault(pk, []).append(how)

    cnic_index = _index_or_blank(index_for_cnic, cnic)
    if cnic_index:
        note(
            people.filter(cnic_index=cnic_index).values_list("pk", flat=True)[:MATCH_LIMIT], "cnic"
        )
    phone_index = _index_or_blank(index_for_phone, phone)
    if phone_index:
        note(
            people.filter(phone_index=phone_index).values_list("pk", flat=True)[:MATCH_LIMIT],
            "phone",
        )
    tokens = name_index_tokens(full_name)
    if len(tokens) >= MIN_NAME_TOKENS:
        named = people
        for token in tokens:  # every word of the query must be among the person's words
            named = named.filter(name_tokens__token=token)
        note(named.values_list("pk", flat=True)[:MATCH_LIMIT], "name")
    if not found:
        return []
    ids = list(found)[:MATCH_LIMIT]
    records = {person.pk: person for person in Person.objects.filter(pk__in=ids)}
    references: dict[int, list[str]] = {}
    for person_id, reference in (
        CasePerson.objects.filter(person_id__in=ids, case__in=policy.scoped(user, Case))
        .order_by("case__reference")
        .values_list("person_id", "case__reference")
        .distinct()
    ):
        references.setdefault(person_id, []).append(reference)
    matches: list[PersonMatch] = []
    for pk in ids:
        person = records[pk]
        visible = policy.may_see_identity(user, person)
        matches.append(
            PersonMatch(
                person_id=pk,
                pseudonym=pseudonym(person),
                matched_on=tuple(found[pk]),
                identity=identity_pairs(person) if visible else None,
                demographics=_demographics(person),
                case_references=tuple(references.get(pk, [])),
                may_break_glass=not visible and policy.may_break_glass(user, person),
                person=person,
            )
        )
    return matches


def people_on_case(*, user: User, case: Case) -> list[PersonOnCase]:
    """Return the people on a case the user can see, identity masked where it must be."""
    if not policy.scoped(user, Case).filter(pk=case.pk).exists():
        return []
    may_act = policy.may(user, "cases.act", case)
    roles: dict[int, list[Label]] = {}
    records: dict[int, Person] = {}
    for link in CasePerson.objects.filter(case=case).select_related("person"):
        roles.setdefault(link.person_id, []).append(link.get_role_display())
        records[link.person_id] = link.person
    result: list[PersonOnCase] = []
    for pk, person in records.items():
        visible = policy.may_see_identity(user, person)
        result.append(
            PersonOnCase(
                person_id=pk,
                pseudonym=pseudonym(person),
                roles=tuple(roles[pk]),
                identity=identity_pairs(person) if visible else None,
                demographics=_demographics(person),
                may_break_glass=not visible and policy.may_break_glass(user, person),
                may_edit=visible and may_act,
                may_remove=may_act,
                person=person,
            )
        )
    return result


def person_on_case_for_user(*, user: User, case: Case, person_id: int) -> Person | None:
    """Return a person on this case whom the user may see, or None."""
    return policy.scoped(user, Person).filter(pk=person_id, case_links__case=case).first()
