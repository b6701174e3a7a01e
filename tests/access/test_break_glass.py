"""Break-glass: a typed reason opens a short, audited, reported view of hidden identity."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meesaq.access import policy, services
from meesaq.access.models import BreakGlassView
from meesaq.audit.models import AuditEvent
from meesaq.core.errors import MeesaqError
from tests.personas import World
from tests.testapp.models import ProtectedRecord

REASON = "The complainant asked the provincial office to call back about a new threat."


@pytest.fixture
def record(world: World) -> ProtectedRecord:
    return ProtectedRecord.objects.create(
        organisation=world.lahore_centre,
        jurisdiction=world.lahore_centre.jurisdiction,
        title="sample",
        full_name="Sunita Kumari",
    )


def _url(record: ProtectedRecord) -> str:
    return reverse(
        "access:break_glass_request",
        kwargs={"object_type": "testapp.protectedrecord", "object_id": str(record.pk)},
    )


def test_a_reason_opens_the_identity_for_a_limited_time(
    world: World, record: ProtectedRecord
) -> None:
    officer = world.provincial_officer
    services.break_glass_open(user=officer, obj=record, reason=REASON)
    assert policy.may_see_identity(officer, record)
    later = timezone.now() + timedelta(minutes=policy.BREAK_GLASS_MINUTES + 1)
    with time_machine.travel(later):
        assert not policy.may_see_identity(officer, record)


def test_it_refuses_a_short_reason_and_records_nothing(
    world: World, record: ProtectedRecord
) -> None:
    with pytest.raises(MeesaqError) as error:
        services.break_glass_open(user=world.provincial_officer, obj=record, reason="need it")
    assert error.value.code == "reason_too_short"
    assert not BreakGlassView.objects.exists()
    assert not policy.may_see_identity(world.provincial_officer, record)


def test_it_refuses_people_who_may_not_break_the_glass(
    world: World, record: ProtectedRecord
) -> None:
    for user in (world.analyst, world.outsider, world.administrator):
        with pytest.raises(MeesaqError):
            services.break_glass_open(user=user, obj=record, reason=REASON)
    assert not BreakGlassView.objects.exists()


def test_it_is_audited_without_the_reason_or_identity(
    world: World, record: ProtectedRecord
) -> None:
    services.break_glass_open(user=world.provincial_officer, obj=record, reason=REASON)
    event = AuditEvent.objects.get(action="identity.break_glass")
    assert event.actor == world.provincial_officer
    assert event.object_type == "testapp.protectedrecord"
    assert event.object_id == str(record.pk)
    assert "Sunita" not in str(event.detail)
    assert REASON not in str(event.detail)


def test_the_page_opens_the_view_and_supervisors_see_the_report(
    world: World, record: ProtectedRecord, client_for: Callable[..., Client]
) -> None:
    officer = client_for(world.provincial_officer)
    assert officer.get(_url(record)).status_code == 200
    response = officer.post(_url(record), {"reason": REASON, "next": "/en/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert policy.may_see_identity(world.provincial_officer, record)

    supervisor = client_for(world.supervisor)
    listing = supervisor.get(reverse("access:break_glass_list"))
    assert REASON.encode() in listing.content
    home = supervisor.get("/en/")
    assert b"break-glass view waits for your review" in home.content

    outsider_listing = client_for(world.outsider).get(reverse("access:break_glass_list"))
    assert REASON.encode() not in outsider_listing.content


def test_the_page_keeps_the_form_and_shows_the_error_for_a_short_reason(
    world: World, record: ProtectedRecord, client_for: Callable[..., Client]
) -> None:
    response = client_for(world.provincial_officer).post(_url(record), {"reason": "because"})
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert b"because" in response.content
    assert not BreakGlassView.objects.exists()


def test_the_page_ignores_a_next_address_on_another_site(
    world: World, record: ProtectedRecord, client_for: Callable[..., Client]
) -> None:
    response = client_for(world.provincial_officer).post(
        _url(record), {"reason": REASON, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:home")


def test_the_page_answers_404_for_unknown_and_unprotected_kinds(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.provincial_officer)
    for object_type in ("nope.nothing", "orgs.organisation", "garbage"):
        url = reverse(
            "access:break_glass_request", kwargs={"object_type": object_type, "object_id": "1"}
        )
        assert client.get(url).status_code == 404


def test_a_supervisor_marks_a_report_reviewed(
    world: World, record: ProtectedRecord, client_for: Callable[..., Client]
) -> None:
    view = services.break_glass_open(user=world.provincial_officer, obj=record, reason=REASON)
    response = client_for(world.supervisor).post(
        reverse("access:break_glass_list"), {"report": view.pk}
    )
    assert response.status_code == 302
    view.refresh_from_db()
    assert view.reviewed_by == world.supervisor
    assert AuditEvent.objects.filter(action="access.break_glass_reviewed").exists()


def test_an_outsider_cannot_review_a_report(
    world: World, record: ProtectedRecord, client_for: Callable[..., Client]
) -> None:
    view = services.break_glass_open(user=world.provincial_officer, obj=record, reason=REASON)
    response = client_for(world.outsider).post(
        reverse("access:break_glass_list"), {"report": view.pk}
    )
    assert response.status_code == 404
    view.refresh_from_db()
    assert view.reviewed_at is None
