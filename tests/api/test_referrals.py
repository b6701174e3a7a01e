"""A partner system with a token lists referrals addressed to it, accepts one, posts an outcome."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from meesaq.audit.models import AuditEvent
from meesaq.referrals.models import Referral
from meesaq.referrals.services import referral_create
from tests.api.conftest import ApiClient
from tests.cases.factories import add_person, make_case
from tests.personas import World

pytestmark = pytest.mark.django_db


def _referral(world: World, **kwargs: Any) -> Referral:
    case = make_case(organisation=world.lahore_centre, recorded_by=world.intake_officer, **kwargs)
    add_person(case)
    return referral_create(
        actor=world.case_officer,
        case=case,
        to_organisation=world.lahore_ngo,
        reason="Legal aid for the FIR.",
        shared_fields=kwargs.pop("shared", ["category", "title", "district"]),
    )


def test_a_partner_lists_accepts_and_completes_a_referral_addressed_to_it(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    referral = _referral(world)
    partner = api_for(world.partner_caseworker)

    listed = partner.get("/referrals", direction="incoming")
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == [referral.pk]
    assert listed.json()["items"][0]["case"] == referral.case.reference

    accepted = partner.post(f"/referrals/{referral.pk}/accept")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == "accepted"

    done = partner.post(f"/referrals/{referral.pk}/complete", {"outcome": "Bail hearing won."})
    assert done.status_code == 200
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("completed", "Bail hearing won.")
    assert AuditEvent.objects.filter(
        action="referrals.complete", actor=world.partner_caseworker
    ).exists()


def test_a_partner_reads_only_the_shared_fields_and_never_the_story_without_consent(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    referral = _referral(world)
    body = api_for(world.partner_caseworker).get(f"/referrals/{referral.pk}").json()
    labels = {row["label"] for row in body["shared"]}
    assert labels == {"Category", "Short title", "District"}
    assert body["people"] == []
    assert "Shamim" not in str(body)


def test_a_shared_story_read_through_the_api_is_audited_like_a_page_view(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    case = make_case(
        organisation=world.lahore_centre, recorded_by=world.intake_officer, consent_share=True
    )
    add_person(case)
    referral = referral_create(
        actor=world.case_officer,
        case=case,
        to_organisation=world.lahore_ngo,
        reason="Legal aid.",
        shared_fields=["title", "narrative", "people"],
    )
    body = api_for(world.partner_caseworker).get(f"/referrals/{referral.pk}").json()
    assert body["people"][0]["full_name"] == "Shamim Masih"
    event = AuditEvent.objects.get(action="identity.viewed", actor=world.partner_caseworker)
    assert event.detail == {"channel": "api"}


def test_an_outsider_gets_the_same_404_for_a_forbidden_and_a_missing_referral(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    referral = _referral(world)
    outsider = api_for(world.outsider)
    forbidden = outsider.get(f"/referrals/{referral.pk}")
    missing = outsider.get(f"/referrals/{referral.pk + 1000}")
    assert forbidden.status_code == missing.status_code == 404
    assert (
        forbidden.json()
        == missing.json()
        == {
            "error": "not_found",
            "detail": "Not found.",
            "fields": {},
        }
    )
    assert outsider.post(f"/referrals/{referral.pk}/accept").status_code == 404


def test_accepting_twice_is_a_conflict(world: World, api_for: Callable[..., ApiClient]) -> None:
    referral = _referral(world)
    partner = api_for(world.partner_caseworker)
    partner.post(f"/referrals/{referral.pk}/accept")
    again = partner.post(f"/referrals/{referral.pk}/accept")
    assert again.status_code == 409
    assert again.json()["error"] == "illegal_step"


def test_declining_needs_a_reason_and_says_so_in_urdu(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    referral = _referral(world)
    partner = api_for(world.partner_caseworker)
    refused = partner.post(
        f"/referrals/{referral.pk}/decline", {"reason": " "}, headers={"Accept-Language": "ur"}
    )
    assert refused.status_code == 422
    assert refused.json()["error"] == "text_required"
    assert set(refused.json()["fields"]) == {"reason"}
    assert refused.json()["detail"] != "Write a few words for this step."
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_a_case_officer_refers_a_case_once_per_idempotency_key(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    case = make_case(organisation=world.lahore_centre, recorded_by=world.intake_officer)
    officer = api_for(world.case_officer)
    body = {
        "case": case.reference,
        "to_organisation": world.lahore_ngo.code,
        "reason": "Legal aid.",
        "shared_fields": ["title"],
    }
    key = {"Idempotency-Key": "abc-1"}
    first = officer.post("/referrals", body, headers=key)
    second = officer.post("/referrals", body, headers=key)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Referral.objects.filter(case=case).count() == 1
    other = officer.post("/referrals", {**body, "reason": "Another."}, headers=key)
    assert other.status_code == 409
    assert other.json()["error"] == "idempotency_conflict"


def test_the_referral_list_costs_the_same_few_queries_for_many_rows(
    world: World, api_for: Callable[..., ApiClient], django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        _referral(world)
    partner = api_for(world.partner_caseworker)
    with django_assert_max_num_queries(6):
        response = partner.get("/referrals", limit=3)
    assert len(response.json()["items"]) == 3
    following = partner.get("/referrals", limit=3, cursor=response.json()["next_cursor"])
    assert len(following.json()["items"]) == 2
    assert following.json()["next_cursor"] is None


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite stores NUL characters; PostgreSQL refuses"
)
def test_a_nul_character_is_refused_in_the_error_shape_and_writes_nothing(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    case = make_case(organisation=world.lahore_centre, recorded_by=world.intake_officer)
    response = api_for(world.case_officer).post(
        "/referrals",
        {
            "case": case.reference,
            "to_organisation": world.lahore_ngo.code,
            "reason": "shelter\x00",
            "shared_fields": ["title"],
        },
    )

    assert response.status_code == 422
    assert response.json()["error"] == "invalid"
    assert not Referral.objects.filter(case=case).exists()
