from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from meesaq.accounts.models import User
from meesaq.audit.models import AuditEvent
from meesaq.audit.services import audit_record
from tests.audit.conftest import Tamper
from tests.personas import World

ClientFor = Callable[[User], Client]
LIST = "/en/audit/"
VERIFY = "/en/audit/verify/"


def shown(response_content: bytes) -> str:
    return response_content.decode()


@pytest.fixture
def trail(world: World) -> list[AuditEvent]:
    """Events by two people on two days (Pakistan time), oldest first."""
    with time_machine.travel(datetime(2025, 3, 13, 18, 30, tzinfo=UTC), tick=False):
        # 23:30 on 13 March in Karachi.
        first = audit_record(
            actor=world.intake_officer,
            action="case.created",
            object_type="cases.case",
            object_id="11",
        )
    with time_machine.travel(datetime(2025, 3, 13, 19, 30, tzinfo=UTC), tick=False):
        # 00:30 on 14 March in Karachi.
        second = audit_record(
            actor=world.case_officer,
            action="identity.viewed",
            object_type="cases.person",
            object_id="7",
            detail={"channel": "page"},
        )
    with time_machine.travel(datetime(2025, 3, 14, 10, 0, tzinfo=UTC), tick=False):
        third = audit_record(
            actor=world.case_officer,
            action="identity.break_glass",
            object_type="cases.person",
            object_id="8",
        )
    return [first, second, third]


def rows(response_content: bytes) -> int:
    """Count the table's event rows (the table is left out when there are none)."""
    return max(shown(response_content).count("<tr>") - 1, 0)  # less the header row


def test_the_auditor_sees_the_trail_newest_first_in_pakistan_time(
    trail: list[AuditEvent], world: World, client_for: ClientFor
) -> None:
    response = client_for(world.auditor).get(LIST)

    assert response.status_code == 200
    page = shown(response.content)
    assert rows(response.content) == 3
    assert page.index("identity.break_glass") < page.index("case.created")
    assert "2025-03-13 23:30:00" in page
    assert "2025-03-14 00:30:00" in page
    assert "caseofficer" in page
    assert "cases.person 7" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"actor": "intake"}, ["case.created"]),
        ({"action": "identity."}, ["identity.viewed", "identity.break_glass"]),
        ({"action": "identity.viewed"}, ["identity.viewed"]),
        ({"object_type": "cases.person", "object_id": "8"}, ["identity.break_glass"]),
        ({"date_from": "2025-03-14"}, ["identity.viewed", "identity.break_glass"]),
        ({"date_to": "2025-03-13"}, ["case.created"]),
        (
            {"date_from": "2025-03-14", "date_to": "2025-03-14", "actor": "caseofficer"},
            ["identity.viewed", "identity.break_glass"],
        ),
        ({"actor": "nobody"}, []),
    ],
)
def test_the_filters_narrow_the_trail(
    trail: list[AuditEvent],
    world: World,
    client_for: ClientFor,
    query: dict[str, str],
    expected: list[str],
) -> None:
    response = client_for(world.auditor).get(LIST, query)

    assert response.status_code == 200
    page = shown(response.content)
    assert rows(response.content) == len(expected)
    for action in ("case.created", "identity.viewed", "identity.break_glass"):
        assert (f">{action}<" in page) == (action in expected), action
    if not expected:
        assert "No audit event matches these filters." in page


def test_a_bad_date_is_explained_and_shows_no_events(
    trail: list[AuditEvent], world: World, client_for: ClientFor
) -> None:
    response = client_for(world.auditor).get(LIST, {"date_from": "14/03/2025"})

    assert response.status_code == 200
    page = shown(response.content)
    assert "Enter a date as YYYY-MM-DD, for example 2025-03-14." in page
    assert "Correct the filters above to see the events." in page
    assert rows(response.content) == 0
    assert AuditEvent.objects.count() == len(trail)


def test_a_period_that_ends_before_it_starts_is_refused(
    trail: list[AuditEvent], world: World, client_for: ClientFor
) -> None:
    response = client_for(world.auditor).get(
        LIST, {"date_from": "2025-03-14", "date_to": "2025-03-13"}
    )

    assert response.status_code == 200
    assert "The end day must be on or after the start day." in shown(response.content)
    assert rows(response.content) == 0


def test_a_hand_edited_page_link_is_explained(
    trail: list[AuditEvent], world: World, client_for: ClientFor
) -> None:
    response = client_for(world.auditor).get(LIST, {"before": "minus-one"})

    assert response.status_code == 200
    assert "That page link is not valid." in shown(response.content)


def test_the_trail_is_paged_fifty_at_a_time_in_both_directions(
    world: World, client_for: ClientFor
) -> None:
    for number in range(1, 56):
        audit_record(actor=world.administrator, action="user.updated", object_id=str(number))
    client = client_for(world.auditor)

    first = client.get(LIST, {"actor": "admin"})
    older = client.get(LIST, {"actor": "admin", "before": "6"})
    newer = client.get(LIST, {"actor": "admin", "after": "5"})

    assert rows(first.content) == 50
    assert "before=6" in shown(first.content)
    assert "actor=admin" in shown(first.content).split("before=6")[0].rsplit("href", 1)[1]
    assert "Newer events" not in shown(first.content)
    assert rows(older.content) == 5
    assert "Older events" not in shown(older.content)
    assert "after=5" in shown(older.content)
    assert rows(newer.content) == 50
    assert shown(newer.content).count("user.updated") == 50


def test_the_list_page_costs_the_same_few_queries_however_long_the_trail(
    world: World,
    client_for: ClientFor,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for number in range(60):
        audit_record(actor=world.supervisor, action="case.viewed", object_id=str(number))
    client = client_for(world.auditor)

    # Session, user, second factor, grants, the header's unread count, one page of events, and
    # the session's save (3).
    with django_assert_max_num_queries(9):
        response = client.get(LIST, {"action": "case."})

    assert rows(response.content) == 50


def test_the_list_page_shows_no_detail_of_the_event(
    trail: list[AuditEvent], world: World, client_for: ClientFor
) -> None:
    response = client_for(world.auditor).get(LIST)

    assert '"channel"' not in shown(response.content)
    assert "page</td>" not in shown(response.content)


def test_reading_the_trail_adds_nothing_to_it(
    trail: list[AuditEvent], world: World, client_for: ClientFor
) -> None:
    client = client_for(world.auditor)
    client.get(LIST)
    client.get(LIST, {"action": "case."})
    client.get(VERIFY)

    assert AuditEvent.objects.count() == len(trail)


def test_the_verify_page_reports_an_intact_trail(
    trail: list[AuditEvent], world: World, client_for: ClientFor
) -> None:
    response = client_for(world.auditor).get(VERIFY)

    assert response.status_code == 200
    page = shown(response.content)
    assert "The audit trail is intact: 3 events checked." in page
    assert trail[-1].hash in page


def test_the_verify_page_names_the_first_bad_event(
    trail: list[AuditEvent], world: World, client_for: ClientFor, tamper: Tamper
) -> None:
    tamper("UPDATE audit_auditevent SET object_id = %s WHERE sequence = %s", ["9", 2])

    response = client_for(world.auditor).get(VERIFY)

    assert response.status_code == 200
    page = shown(response.content)
    assert "The audit trail is broken at event #2." in page
    assert "the event was edited" in page


def test_the_verify_page_speaks_urdu(
    trail: list[AuditEvent], world: World, client_for: ClientFor
) -> None:
    response = client_for(world.auditor).get("/ur/audit/verify/")

    assert response.status_code == 200
    assert 'lang="ur"' in shown(response.content)


@pytest.mark.parametrize("url", [LIST, VERIFY])
def test_the_pages_answer_only_get(url: str, world: World, client_for: ClientFor) -> None:
    assert client_for(world.auditor).post(url).status_code == 405


@pytest.mark.parametrize("url", [LIST, VERIFY])
def test_every_other_persona_gets_404(url: str, world: World, client_for: ClientFor) -> None:
    for name, user in world.personas().items():
        if name == "auditor":
            continue
        assert client_for(user).get(url).status_code == 404, name


@pytest.mark.parametrize("url", [LIST, VERIFY])
def test_anonymous_visitors_are_sent_to_sign_in(url: str, client: Client, db: None) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/account/")
