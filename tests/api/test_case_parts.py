"""People, timeline entries and files of a case through the API, with the page's identity rules."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from meesaq.api.management.commands.openapi import openapi_document
from meesaq.audit.models import AuditEvent
from meesaq.cases.models import CaseAction, Person
from tests.api.conftest import ApiClient, make_token
from tests.cases.factories import add_person, make_case
from tests.personas import World

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_people_show_identity_to_need_to_know_only_and_each_view_is_audited(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    add_person(case)
    officer = api_for(world.case_officer).get(f"/cases/{case.reference}/people").json()
    assert officer["items"][0]["full_name"] == "Shamim Masih"
    assert (
        AuditEvent.objects.filter(action="identity.viewed", object_type="cases.person").count() == 1
    )
    provincial = api_for(world.provincial_officer).get(f"/cases/{case.reference}/people").json()
    assert provincial["items"][0]["full_name"] is None
    assert provincial["items"][0]["identity_visible"] is False


def test_a_case_officer_adds_a_person_and_bad_identity_is_refused(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    officer = api_for(world.case_officer)
    person = {
        "role": "victim",
        "full_name": "Asha Bibi",
        "gender": "female",
        "age_band": "18-29",
        "faith": "hindu",
    }
    added = officer.post(f"/cases/{case.reference}/people", person)
    assert added.status_code == 201, added.json()
    assert added.json()["full_name"] == "Asha Bibi"
    refused = officer.post(f"/cases/{case.reference}/people", {**person, "cnic": "12"})
    assert refused.status_code == 422
    assert "cnic" in refused.json()["fields"]
    assert Person.objects.count() == 1


def test_timeline_entries_are_listed_and_added_with_notes_hidden_without_need_to_know(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    officer = api_for(world.case_officer)
    added = officer.post(
        f"/cases/{case.reference}/actions",
        {
            "kind": "call",
            "occurred_on": case.received_at.date().isoformat(),
            "note": "Called back.",
        },
    )
    assert added.status_code == 201, added.json()
    assert CaseAction.objects.get().note == "Called back."
    listed = api_for(world.provincial_officer).get(f"/cases/{case.reference}/actions").json()
    assert listed["items"][0]["note"] is None


def test_files_are_uploaded_checked_and_downloaded_with_an_audit_event(world: World) -> None:
    case = make_case(organisation=world.lahore_centre)
    headers = {"Authorization": f"Bearer {make_token(world.case_officer)}"}
    client = Client()
    uploaded = client.post(
        f"/api/v1/cases/{case.reference}/attachments",
        {"file": SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")},
        headers=headers,
    )
    assert uploaded.status_code == 201, uploaded.content
    attachment_id = uploaded.json()["id"]
    download = client.get(
        f"/api/v1/cases/{case.reference}/attachments/{attachment_id}/content", headers=headers
    )
    assert download.status_code == 200
    assert download.content == PDF
    assert AuditEvent.objects.filter(action="cases.attachment_downloaded").exists()
    provincial = {"Authorization": f"Bearer {make_token(world.provincial_officer)}"}
    hidden = client.get(
        f"/api/v1/cases/{case.reference}/attachments/{attachment_id}/content", headers=provincial
    )
    assert hidden.status_code == 404


def test_an_outsider_gets_404_for_the_parts_of_a_case_it_cannot_see(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    outsider = api_for(world.outsider)
    for part in ("people", "actions", "attachments"):
        assert outsider.get(f"/cases/{case.reference}/{part}").status_code == 404
        assert outsider.post(f"/cases/{case.reference}/{part}", {}).status_code in {404, 422}


def test_every_operation_without_credentials_answers_401_in_the_error_shape() -> None:
    document = openapi_document()
    client = Client()
    for path, item in document["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method in item:
            response = getattr(client, method)(url)
            assert response.status_code == 401, f"{method} {path}: {response.status_code}"
            assert set(response.json()) == {"error", "detail", "fields"}


def test_the_directory_lists_organisations_places_and_taxonomies(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    partner = api_for(world.partner_caseworker)
    codes = {item["code"] for item in partner.get("/organisations").json()["items"]}
    assert world.lahore_ngo.code in codes
    places = partner.get("/places", parent="PK6").json()["items"]
    assert all(place["parent"] == "PK6" for place in places) and places
    terms = partner.get("/taxonomy/categories").json()["items"]
    assert "threats" in {term["code"] for term in terms}
    assert partner.get("/taxonomy/nonsense").status_code == 422


def test_a_remembered_answer_holding_identity_is_encrypted_at_rest(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    from django.db import connection

    case = make_case(organisation=world.lahore_centre)
    person = {
        "role": "victim",
        "full_name": "Asha Bibi",
        "gender": "female",
        "age_band": "18-29",
        "faith": "hindu",
    }
    officer = api_for(world.case_officer)
    first = officer.post(
        f"/cases/{case.reference}/people", person, headers={"Idempotency-Key": "p1"}
    )
    again = officer.post(
        f"/cases/{case.reference}/people", person, headers={"Idempotency-Key": "p1"}
    )
    assert first.json() == again.json()
    assert Person.objects.count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT response_body FROM api_idempotencykey")
        assert "Asha" not in cursor.fetchone()[0]
