"""Cases through the API: the list page's filters, field selection, identity rules, create, move."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from meesaq.audit.models import AuditEvent
from meesaq.cases.models import Case
from tests.api.conftest import ApiClient
from tests.cases.factories import add_person, make_case
from tests.personas import World

pytestmark = pytest.mark.django_db


def _intake(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "organisation": world.lahore_centre.code,
        "district": "PK617",
        "received_at": timezone.now().isoformat(),
        "channel": "walk_in",
        "category": "threats",
        "title": "Threats at the church gate",
        "narrative": "Shamim Masih was threatened.",
        **overrides,
    }


def test_the_list_uses_the_case_list_filters(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    urgent = make_case(organisation=world.lahore_centre, priority="urgent")
    make_case(organisation=world.lahore_centre, priority="normal")
    officer = api_for(world.case_officer)
    items = officer.get("/cases", priority="urgent").json()["items"]
    assert [item["reference"] for item in items] == [urgent.reference]
    assert "narrative" not in items[0]


def test_a_bad_filter_is_a_422_naming_the_field(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    response = api_for(world.case_officer).get("/cases", status="nonsense")
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"status"}


def test_the_list_pages_by_cursor_in_few_queries(
    world: World, api_for: Callable[..., ApiClient], django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        make_case(organisation=world.lahore_centre)
    officer = api_for(world.case_officer)
    with django_assert_max_num_queries(10):
        first = officer.get("/cases", limit=2).json()
    second = officer.get("/cases", limit=2, cursor=first["next_cursor"]).json()
    seen = {item["reference"] for item in first["items"] + second["items"]}
    assert len(seen) == 4


def test_identity_is_given_to_need_to_know_and_audited(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    body = api_for(world.case_officer).get(f"/cases/{case.reference}").json()
    assert body["narrative"] == "Shamim Masih was threatened on Sunday."
    assert AuditEvent.objects.filter(
        action="identity.viewed", actor=world.case_officer, detail={"channel": "api"}
    ).exists()


def test_a_provincial_officer_sees_the_case_without_identity(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    body = api_for(world.provincial_officer).get(f"/cases/{case.reference}").json()
    assert body["identity_visible"] is False
    assert body["narrative"] is None
    assert not AuditEvent.objects.filter(action="identity.viewed").exists()


def test_fields_choose_what_comes_back_and_skip_the_identity_audit(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    body = api_for(world.case_officer).get(f"/cases/{case.reference}", fields="status,priority")
    assert body.json() == {"reference": case.reference, "status": "received", "priority": "normal"}
    assert not AuditEvent.objects.filter(action="identity.viewed").exists()
    unknown = api_for(world.case_officer).get(f"/cases/{case.reference}", fields="secret")
    assert unknown.status_code == 422


def test_an_outsider_gets_404_for_a_case_of_another_district(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    outsider = api_for(world.outsider)
    assert outsider.get(f"/cases/{case.reference}").status_code == 404
    assert outsider.get("/cases/PB-LHR-2026-999999").status_code == 404
    moved = outsider.post(f"/cases/{case.reference}/transitions", {"to_status": "registered"})
    assert moved.status_code == 404


def test_an_intake_officer_registers_a_complaint_once_per_idempotency_key(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    intake = api_for(world.intake_officer)
    key = {"Idempotency-Key": "k-1"}
    first = intake.post("/cases", _intake(world), headers=key)
    assert first.status_code == 201, first.json()
    again = intake.post(
        "/cases", _intake(world) | {"received_at": first.json()["received_at"]}, headers=key
    )
    assert again.status_code == 409  # another body (a new timestamp) with the same key
    same = intake.post(
        "/cases",
        _intake(world, received_at=first.json()["received_at"]),
        headers={"Idempotency-Key": "k-2"},
    )
    replay = intake.post(
        "/cases",
        _intake(world, received_at=first.json()["received_at"]),
        headers={"Idempotency-Key": "k-2"},
    )
    assert same.json() == replay.json()
    assert Case.objects.count() == 2


def test_a_complaint_with_bad_fields_is_refused_and_nothing_is_written(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    intake = api_for(world.intake_officer)
    unknown = intake.post("/cases", _intake(world, category="nope"))
    assert unknown.status_code == 422
    assert unknown.json()["fields"] == {"category": ["Unknown code."]}
    missing = intake.post("/cases", {"title": "x"})
    assert missing.status_code == 422
    assert "organisation" in missing.json()["fields"]
    outside = intake.post("/cases", _intake(world, district="PK608"))
    assert outside.status_code == 422
    assert outside.json()["error"] == "district_outside_jurisdiction"
    assert not Case.objects.exists()


def test_a_case_officer_moves_a_case_and_an_illegal_step_is_a_conflict(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    officer = api_for(world.case_officer)
    moved = officer.post(f"/cases/{case.reference}/transitions", {"to_status": "registered"})
    assert moved.status_code == 200
    assert moved.json()["status"] == "registered"
    illegal = officer.post(f"/cases/{case.reference}/transitions", {"to_status": "closed"})
    assert illegal.status_code == 409
    assert illegal.json()["error"] == "illegal_transition"


def test_identity_searches_go_in_a_body_never_in_the_address(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    case = make_case(organisation=world.lahore_centre, title="Threats at the gate")
    add_person(case, full_name="Shamim Masih", cnic="35202-1234567-1")
    reader = api_for(world.case_officer, read_only=True)
    in_address = reader.get("/cases", q="35202-1234567-1")
    assert in_address.status_code == 422
    assert in_address.json()["error"] == "search_in_body"
    assert list(in_address.json()["fields"]) == ["q"]
    assert reader.get("/cases", q=case.reference.lower()).json()["items"][0]["reference"] == (
        case.reference
    )
    for query in ("35202-1234567-1", "+92 390 1234567", "gate"):
        found = reader.post("/cases/search", {"q": query})  # a read: read-only tokens may
        assert found.status_code == 200, found.json()
        assert [item["reference"] for item in found.json()["items"]] == [case.reference]
    searches = AuditEvent.objects.filter(action="cases.identity_search")
    assert searches.count() == 3  # words may be a name: every one of these is audited
    outsider = api_for(world.outsider).post("/cases/search", {"q": "35202-1234567-1"})
    assert outsider.json()["items"] == []
    assert reader.post("/cases", {"title": "x"}).status_code == 403  # other writes stay refused
