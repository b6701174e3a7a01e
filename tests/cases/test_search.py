"""Searching the case list: references, title words and people's identifiers (blind indexes)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from meesaq.audit.models import AuditEvent
from meesaq.cases.models import Case, Person, PersonNameToken
from meesaq.cases.selectors.cases import search_kind
from meesaq.crypto.blind_index import name_index_tokens
from tests.cases.factories import add_person, make_case
from tests.personas import World

URL = "/en/cases/"
CNIC = "35202-1234567-1"
PHONE = "+923001234567"


def references_on(response: Any) -> list[str]:
    """Return the case references listed on a page, in order."""
    return re.findall(r'<a class="mono" href="[^"]*">([A-Z0-9-]+)</a>', response.content.decode())


def person_on(case: Case, *, full_name: str, cnic: str = CNIC, phone: str = PHONE) -> Person:
    """Add a person to the case with name tokens, as the people service indexes them."""
    person = add_person(case, full_name=full_name, cnic=cnic, phone=phone)
    PersonNameToken.objects.bulk_create(
        PersonNameToken(person=person, token=token) for token in name_index_tokens(full_name)
    )
    return person


@pytest.fixture
def cases(world: World) -> dict[str, Case]:
    """A Lahore case with a complainant, another Lahore case, and a Faisalabad case with the same
    complainant (out of the Lahore staff's scope)."""
    lahore = make_case(organisation=world.lahore_centre, title="Shop burnt in the bazaar")
    person_on(lahore, full_name="Muhammad Maseeh")
    other = make_case(organisation=world.lahore_centre, title="Threats after Friday prayers")
    person_on(other, full_name="Rani Bibi", cnic="35202-7654321-2", phone="042-35761234")
    faisalabad = make_case(organisation=world.faisalabad_centre, title="Shop burnt again")
    person_on(faisalabad, full_name="Muhammad Maseeh")
    return {"lahore": lahore, "other": other, "faisalabad": faisalabad}


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("PB-LHR-2026-000123", "reference"),
        ("pb-lhr-2026-000123", "reference"),
        ("35202-1234567-1", "cnic"),
        ("3520212345671", "cnic"),
        ("0300 1234567", "phone"),
        ("+92 300 1234567", "phone"),
        ("shop burnt", "name"),
        ("302", "name"),
        ("", ""),
    ],
)
def test_the_search_box_tells_what_was_typed(query: str, kind: str) -> None:
    assert search_kind(query) == kind


@pytest.mark.django_db
def test_it_finds_a_case_by_reference_in_any_case(
    world: World, cases: dict[str, Case], client_for: Callable[..., Client]
) -> None:
    reference = cases["lahore"].reference

    response = client_for(world.intake_officer).get(
        URL, {"q": f" {reference.lower()} "}, follow=True
    )

    assert references_on(response) == [reference]
    assert not AuditEvent.objects.filter(action="cases.identity_search").exists()


@pytest.mark.django_db
def test_it_finds_cases_by_title_words(
    world: World, cases: dict[str, Case], client_for: Callable[..., Client]
) -> None:
    client = client_for(world.intake_officer)

    assert references_on(client.get(URL, {"q": "burnt SHOP"}, follow=True)) == [
        cases["lahore"].reference
    ]
    assert references_on(client.get(URL, {"q": "friday"}, follow=True)) == [
        cases["other"].reference
    ]
    assert references_on(client.get(URL, {"q": "shop friday"}, follow=True)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    ["35202-1234567-1", "3520212345671", "35202 1234567 1", "۳۵۲۰۲-۱۲۳۴۵۶۷-۱"],  # noqa: RUF001  # Urdu digits on purpose
)
def test_it_finds_a_case_by_cnic_however_it_is_typed(
    world: World, cases: dict[str, Case], client_for: Callable[..., Client], typed: str
) -> None:
    response = client_for(world.intake_officer).get(URL, {"q": typed}, follow=True)

    assert references_on(response) == [cases["lahore"].reference]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["0300-1234567", "+92 300 1234567", "03001234567"])
def test_it_finds_a_case_by_phone(
    world: World, cases: dict[str, Case], client_for: Callable[..., Client], typed: str
) -> None:
    response = client_for(world.intake_officer).get(URL, {"q": typed}, follow=True)

    assert references_on(response) == [cases["lahore"].reference]


@pytest.mark.django_db
def test_a_landline_finds_its_case(
    world: World, cases: dict[str, Case], client_for: Callable[..., Client]
) -> None:
    response = client_for(world.intake_officer).get(URL, {"q": "(042) 3576 1234"}, follow=True)

    assert references_on(response) == [cases["other"].reference]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Muhammad Maseeh", "mohammad masih", "Masih", "Mohd"])
def test_it_finds_a_case_by_name_in_its_common_spellings(
    world: World, cases: dict[str, Case], client_for: Callable[..., Client], typed: str
) -> None:
    response = client_for(world.intake_officer).get(URL, {"q": typed}, follow=True)

    assert references_on(response) == [cases["lahore"].reference]


@pytest.mark.django_db
def test_every_name_token_must_match(
    world: World, cases: dict[str, Case], client_for: Callable[..., Client]
) -> None:
    response = client_for(world.intake_officer).get(URL, {"q": "Muhammad Bibi"}, follow=True)

    assert references_on(response) == []
    assert "No case you may see matches this search." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["PB-FSD-2026-000001", CNIC, PHONE, "Muhammad Maseeh"])
def test_a_search_never_finds_cases_outside_the_users_scope(
    world: World, cases: dict[str, Case], client_for: Callable[..., Client], typed: str
) -> None:
    query = cases["faisalabad"].reference if typed.startswith("PB-") else typed

    intake = references_on(client_for(world.intake_officer).get(URL, {"q": query}, follow=True))
    outsider = references_on(client_for(world.outsider).get(URL, {"q": query}, follow=True))

    assert cases["faisalabad"].reference not in intake
    assert outsider == [cases["faisalabad"].reference]


@pytest.mark.django_db
def test_a_search_combines_with_the_filters(
    world: World, cases: dict[str, Case], client_for: Callable[..., Client]
) -> None:
    client = client_for(world.provincial_officer)

    both = references_on(client.get(URL, {"q": CNIC}, follow=True))
    lahore_only = references_on(client.get(URL, {"q": CNIC, "place": "PK617"}, follow=True))

    assert set(both) == {cases["lahore"].reference, cases["faisalabad"].reference}
    assert lahore_only == [cases["lahore"].reference]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "kind"), [(CNIC, "cnic"), ("0300-1234567", "phone"), ("Maseeh", "name")]
)
def test_each_identifier_search_is_audited_without_the_query(
    world: World,
    cases: dict[str, Case],
    client_for: Callable[..., Client],
    typed: str,
    kind: str,
) -> None:
    client_for(world.intake_officer).get(URL, {"q": typed}, follow=True)

    event = AuditEvent.objects.get(action="cases.identity_search")
    assert event.detail == {"kind": kind}
    assert event.actor_id == world.intake_officer.pk
    assert typed not in str(event.detail)


@pytest.mark.django_db
def test_the_list_without_a_search_is_not_audited(
    world: World, cases: dict[str, Case], client_for: Callable[..., Client]
) -> None:
    client_for(world.intake_officer).get(URL, {"status": "received"}, follow=True)

    assert not AuditEvent.objects.filter(action="cases.identity_search").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["newest", "oldest", "priority"])
def test_pages_of_title_and_name_matches_are_one_ordered_list(world: World, sort: str) -> None:
    # Words are searched in titles and in names as two queries; their pages merge into one list
    # in the sort's order, each case once, whichever half (or both) it came from.
    from datetime import UTC, datetime, timedelta

    from meesaq.cases.models import Priority
    from meesaq.cases.selectors.cases import CaseFilters, case_list_for_user

    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    priorities = [Priority.NORMAL, Priority.URGENT, Priority.HIGH]
    expected = []
    for number in range(14):
        title = "Rally near the shrine" if number % 3 == 0 else "Complaint about the bazaar"
        case = make_case(
            organisation=world.lahore_centre,
            title=title,
            received_at=start + timedelta(hours=number),
            priority=priorities[number % 3],
        )
        if number % 2 == 0:
            person_on(case, full_name="Shamim Rally", cnic=f"35202-{1000000 + number}-1")
        if number % 3 == 0 or number % 2 == 0:
            expected.append(case)
    make_case(organisation=world.lahore_centre, title="Unrelated", received_at=start)
    filters = CaseFilters(query="rally", sort=sort)
    seen: list[str] = []
    cursor = None
    while True:
        page = case_list_for_user(
            user=world.supervisor, filters=filters, cursor=cursor, page_size=3
        )
        seen += [case.reference for case in page.cases]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    rank = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2}
    keys = {
        "newest": lambda case: (-case.received_at.timestamp(), -case.pk),
        "oldest": lambda case: (case.received_at.timestamp(), case.pk),
        "priority": lambda case: (rank[case.priority], -case.received_at.timestamp(), -case.pk),
    }
    assert seen == [case.reference for case in sorted(expected, key=keys[sort])]
    # And back: the page before the last one is the one seen before it.
    back = case_list_for_user(
        user=world.supervisor, filters=filters, cursor=page.previous_cursor, page_size=3
    )
    assert [case.reference for case in back.cases] == seen[-3 - len(page.cases) : -len(page.cases)]


@pytest.mark.django_db
@pytest.mark.parametrize("cap", [0, 1, 2_000])
def test_a_name_is_found_whether_its_holders_are_few_or_many(
    world: World,
    cases: dict[str, Case],
    client_for: Callable[..., Client],
    monkeypatch: pytest.MonkeyPatch,
    cap: int,
) -> None:
    # Two people in reach and out of it hold "Muhammad Maseeh": over a cap of 0 or 1 the name
    # counts as common and is searched as a query, under 2,000 from the holders' ids.
    from meesaq.cases.selectors import cases as case_selectors

    monkeypatch.setattr(case_selectors, "COMMON_NAME_HOLDERS", cap)
    client = client_for(world.intake_officer)
    for typed in ("Muhammad Maseeh", "masih", "Rani Bibi", "Muhammad Bibi"):
        found = references_on(client.get(URL, {"q": typed}, follow=True))
        expected = {
            "Muhammad Maseeh": [cases["lahore"].reference],
            "masih": [cases["lahore"].reference],
            "Rani Bibi": [cases["other"].reference],
            "Muhammad Bibi": [],
        }[typed]
        assert found == expected, (cap, typed)


@pytest.mark.django_db
def test_title_words_are_indexed_by_trigrams_on_postgresql() -> None:
    # Without it a word few titles hold is looked for in every case in reach (migration 0006).
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the trigram index is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'case_title_trgm'")
        row = cursor.fetchone()
    assert row is not None
    assert "gin_trgm_ops" in row[0]
    assert "upper" in row[0].lower()
