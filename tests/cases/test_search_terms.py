"""What staff search for never enters an address: the query waits in the session behind a token."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from tests.cases.factories import make_case
from tests.cases.test_search import CNIC, URL, person_on, references_on
from tests.personas import World

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r"search=([A-Za-z0-9_-]+)")


@pytest.fixture
def searched(world: World, client_for: Callable[..., Client]) -> tuple[Client, str, str]:
    """Post a CNIC search as the intake officer; return the client, the case and the address."""
    case = make_case(organisation=world.lahore_centre, title="Threats at the brick kiln")
    person_on(case, full_name="Parveen Masih")
    client = client_for(world.intake_officer)
    response = client.post(URL, {"q": CNIC, "status": "received", "overdue": ""})
    assert response.status_code == 302
    return client, case.reference, response["Location"]


def test_a_posted_search_leads_to_an_address_without_the_query(
    searched: tuple[Client, str, str],
) -> None:
    client, reference, address = searched

    assert CNIC not in address and "35202" not in address
    assert "status=received" in address and TOKEN.search(address)
    page = client.get(address)
    assert references_on(page) == [reference]
    assert CNIC in page.content.decode()  # shown back in the search box, in the page only


def test_paging_links_carry_the_token_not_the_query(
    world: World, client_for: Callable[..., Client]
) -> None:
    for number in range(60):
        make_case(organisation=world.lahore_centre, title=f"Market threats {number}")
    client = client_for(world.intake_officer)
    address = client.post(URL, {"q": "market threats"})["Location"]

    page = client.get(address).content.decode()

    next_link = re.search(r'href="([^"]+)" rel="next"', page)
    assert next_link is not None
    assert "market" not in next_link[1].lower() and "search=" in next_link[1]


def test_an_old_link_with_the_query_is_redirected_to_a_token(
    searched: tuple[Client, str, str],
) -> None:
    client, reference, _ = searched

    response = client.get(URL, {"q": CNIC})

    assert response.status_code == 302
    assert CNIC not in response["Location"]
    assert references_on(client.get(response["Location"])) == [reference]


def test_a_token_means_nothing_in_another_session(
    searched: tuple[Client, str, str], world: World, client_for: Callable[..., Client]
) -> None:
    _, _, address = searched
    colleague = client_for(world.case_officer)

    page = colleague.get(address, follow=True).content.decode()

    assert "That search has ended" in page
    assert CNIC not in page


def test_the_session_keeps_the_query_encrypted(searched: tuple[Client, str, str]) -> None:
    client, _, _ = searched
    session = Session.objects.get(session_key=client.session.session_key)

    stored = str(session.get_decoded().get("case_searches"))

    assert stored.count("v1.") == 1
    assert CNIC not in stored and "3520212345671" not in stored


def test_the_search_form_is_posted_with_a_csrf_token(
    world: World, client_for: Callable[..., Client]
) -> None:
    page = client_for(world.intake_officer).get(URL).content.decode()

    assert re.search(r'<form class="filters case-filters" method="post"', page)
    assert 'name="csrfmiddlewaretoken"' in page


def test_an_outsider_searching_finds_nothing_of_lahore(
    searched: tuple[Client, str, str], world: World, client_for: Callable[..., Client]
) -> None:
    outsider = client_for(world.outsider)

    page = outsider.post(URL, {"q": CNIC}, follow=True)

    assert references_on(page) == []


def test_the_list_export_follows_the_same_search(
    searched: tuple[Client, str, str], world: World
) -> None:
    client, reference, address = searched
    make_case(organisation=world.lahore_centre, title="Another case, not searched for")
    token = TOKEN.search(address)
    assert token is not None

    export: Any = client.get(f"/en/cases/export.csv?search={token[1]}&status=received")

    lines = b"".join(export.streaming_content).decode().strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith(reference)
