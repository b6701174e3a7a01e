"""Canaries: planted identities reach only those in scope with a need to know.

A Faisalabad case carries marker identities (a complainant's name, CNIC and phone, a story and a
note). It is referred, with identity shared, to a Faisalabad NGO, and to the Lahore NGO, which
declines it. Then every persona except Faisalabad's own supervisor requests every page (the URL
walk's samples, and the Faisalabad case's own pages), searches for the markers, exports the case
list with identities, and calls every read operation of the API with both a Lahore and the
Faisalabad object. No response may carry a marker. A second set of markers in a Lahore case
(referred to the Lahore NGO without identity) must not reach the roles of Lahore and the
province that reach or count the case without a need to know its identity. The number of
responses checked is printed.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from meesaq.cases.models import ActionKind, CaseAction
from meesaq.orgs.models import OrganisationKind
from meesaq.referrals.services import referral_create, referral_decline
from tests.access.test_url_walk import (
    NOT_GET_PAGES,
    SAMPLE_KWARGS,
    _case_sample,
    _is_case_route,
    all_routes,
)
from tests.api.conftest import ApiClient, make_token
from tests.cases.factories import add_person, make_case
from tests.personas import FAISALABAD, World, make_organisation

NAME = "Zarmeena Canaryfield"
CNIC = "09999-8888777-1"
PHONE = "+923909998877"
STORY = "canary story of the brick kiln"
NOTE = "canary note of the night visit"
MARKERS = (NAME, "0999988887771", CNIC, PHONE, "03909998877", STORY, NOTE)
DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.json"
PATH_PARAMETER = re.compile(r"\{([a-z_]+)\}")

pytestmark = pytest.mark.django_db


def _planted(world: World) -> dict[str, str]:
    """Create the Faisalabad case with the markers and its referrals; return its sample ids."""
    case = make_case(
        organisation=world.faisalabad_centre,
        recorded_by=world.outsider,
        narrative=STORY,
        consent_share=True,
    )
    person = add_person(case, full_name=NAME, cnic=CNIC, phone=PHONE)
    action = CaseAction.objects.create(
        case=case,
        kind=ActionKind.NOTE,
        occurred_on=case.received_at.date(),
        author=world.outsider,
        note=NOTE,
    )
    faisalabad_ngo = make_organisation("faisalabad-ngo", OrganisationKind.CIVIL_SOCIETY, FAISALABAD)
    shared = ["title", "narrative", "people"]
    kept = referral_create(
        actor=world.outsider,
        case=case,
        to_organisation=faisalabad_ngo,
        reason="legal aid",
        shared_fields=shared,
    )
    declined = referral_create(
        actor=world.outsider,
        case=case,
        to_organisation=world.lahore_ngo,
        reason="shelter",
        shared_fields=shared,
    )
    referral_decline(actor=world.partner_caseworker, referral=declined, reason="no capacity")
    return {
        "reference": case.reference,
        "person_id": str(person.pk),
        "action_id": str(action.pk),
        "attachment_id": "0",
        "referral_id": str(kept.pk),
        "declined_referral_id": str(declined.pk),
    }


def _text(response: Any) -> str:
    body = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if body.startswith(b"PK"):  # an XLSX: read the XML inside
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"".join(archive.read(name) for name in archive.namelist())
    text = body.decode("utf-8", "replace")
    if body.startswith(b"%PDF"):  # a PDF's text is in compressed streams: extract it too
        try:
            document = PdfReader(io.BytesIO(body))
            text += "\n".join(page.extract_text() for page in document.pages)
        except PyPdfError:  # the walk's sample files are only PDF-shaped; their bytes are read
            pass
    return text


def _leaks(text: str, markers: tuple[str, ...] = MARKERS) -> list[str]:
    return [marker for marker in markers if marker in text]


def _page_addresses(world: World, planted: dict[str, str]) -> list[str]:
    lahore = _case_sample(world)
    addresses: list[str] = []
    for route in all_routes():
        if route.name in NOT_GET_PAGES:
            continue
        if _is_case_route(route):
            addresses.extend(
                reverse(route.name, kwargs={p: sample[p] for p in route.params})
                for sample in (lahore, planted)
            )
        elif route.name.startswith("referrals:") and "referral_id" in route.params:
            addresses.extend(
                reverse(route.name, kwargs={"referral_id": referral})
                for referral in (planted["referral_id"], planted["declined_referral_id"])
            )
        else:
            kwargs = SAMPLE_KWARGS[route.name](world) if route.params else {}
            addresses.append(reverse(route.name, kwargs=kwargs))
    addresses += [
        reverse("cases:export_csv") + "?identity=1",
        reverse("cases:export_xlsx") + "?identity=1",
    ]
    return addresses


def _api_addresses(planted: dict[str, str], lahore_reference: str) -> list[str]:
    document = json.loads(DOCUMENT.read_text("utf-8"))
    values = {
        "kind": ["categories"],
        "import_id": ["1"],
        "attachment_id": ["1"],
        "reference": [lahore_reference, planted["reference"]],
        "referral_id": [planted["referral_id"], planted["declined_referral_id"]],
    }
    addresses = []
    for path, operations in document["paths"].items():
        if "get" not in operations:
            continue
        names = PATH_PARAMETER.findall(path)
        for value in values.get(names[0], [""]) if names else [""]:
            address = path
            for name in names:
                address = address.replace(f"{{{name}}}", value if name == names[0] else "1")
            addresses.append(address)
    addresses += [f"/api/v1/cases?q={CNIC}", "/api/v1/cases?q=Canaryfield"]
    return addresses


def _sweep(
    world: World,
    client_for: Callable[..., Client],
    *,
    personas: list[str],
    addresses: tuple[list[str], list[str]],
    markers: tuple[str, ...],
    searches: tuple[str, ...],
) -> tuple[list[str], int]:
    """Request every page, search and API read as each persona; return leaks and the count."""
    pages, api = addresses
    leaks: list[str] = []
    checked = 0
    for persona in personas:
        user = world.personas()[persona]
        client = client_for(user)
        for address in pages:
            text = _text(client.get(address))
            leaks += [f"{persona} {address}: {m}" for m in _leaks(text, markers)]
        for query in searches:
            found = client.post(reverse("cases:list"), {"q": query}, follow=True)
            # The search box shows back what this user typed; anything more would be a leak.
            text = _text(found).replace(f'value="{query}"', "")
            leaks += [f"{persona} search: {m}" for m in _leaks(text, markers)]
        caller = ApiClient(make_token(user)).client
        headers = {"Authorization": f"Bearer {make_token(user)}"}
        for address in api:
            text = _text(caller.get(address, headers=headers))
            leaks += [f"{persona} API {address}: {m}" for m in _leaks(text, markers)]
        checked += len(pages) + len(searches) + len(api)
    return leaks, checked


def test_no_marker_identity_reaches_anyone_outside_its_scope(
    world: World, client_for: Callable[..., Client], capsys: pytest.CaptureFixture[str]
) -> None:
    planted = _planted(world)
    lahore_reference = make_case(organisation=world.lahore_centre).reference
    pages = _page_addresses(world, planted)
    api = _api_addresses(planted, lahore_reference)
    # Everyone but Faisalabad's own supervisor, for whom the markers are in scope.
    personas = [name for name in world.personas() if name != "outsider"]

    leaks, checked = _sweep(
        world,
        client_for,
        personas=personas,
        addresses=(pages, api),
        markers=MARKERS,
        searches=(CNIC, NAME, PHONE),
    )
    anonymous = Client()
    for address in [*pages, *api]:
        leaks += [f"anonymous {address}: {m}" for m in _leaks(_text(anonymous.get(address)))]
    checked += len(pages) + len(api)
    with capsys.disabled():
        print(f"\ncanaries: {checked} responses checked for {len(MARKERS)} markers")

    assert leaks == [], "\n".join(leaks)


LAHORE_NAME = "Tabassum Canarywala"
LAHORE_CNIC = "09888-7777666-2"
LAHORE_STORY = "canary story of the canal bank"
LAHORE_MARKERS = (LAHORE_NAME, "0988877776662", LAHORE_CNIC, LAHORE_STORY)


def test_within_reach_identity_reaches_only_the_roles_that_need_to_know_it(
    world: World, client_for: Callable[..., Client], capsys: pytest.CaptureFixture[str]
) -> None:
    # A Lahore case the provincial officer, the analyst, the programme coordinator, the auditor
    # and the administrator can reach or count, referred to the Lahore NGO without identity.
    case = make_case(
        organisation=world.lahore_centre, recorded_by=world.intake_officer, narrative=LAHORE_STORY
    )
    person = add_person(case, full_name=LAHORE_NAME, cnic=LAHORE_CNIC, phone="+923908887776")
    referral = referral_create(
        actor=world.case_officer,
        case=case,
        to_organisation=world.lahore_ngo,
        reason="counselling",
        shared_fields=["title", "district"],
    )
    sample = {
        "reference": case.reference,
        "person_id": str(person.pk),
        "action_id": "0",
        "attachment_id": "0",
        "referral_id": str(referral.pk),
        "declined_referral_id": str(referral.pk),
    }
    pages = _page_addresses(world, sample)
    api = _api_addresses(sample, case.reference)
    without_need = [
        "provincial_officer",
        "analyst",
        "partner_caseworker",
        "programme_coordinator",
        "auditor",
        "administrator",
        "outsider",
    ]

    leaks, checked = _sweep(
        world,
        client_for,
        personas=without_need,
        addresses=(pages, api),
        markers=LAHORE_MARKERS,
        searches=(LAHORE_CNIC,),
    )
    with capsys.disabled():
        print(f"\nfield rules: {checked} responses checked for {len(LAHORE_MARKERS)} markers")

    assert leaks == [], "\n".join(leaks)
    shown = client_for(world.case_officer).get(case.get_absolute_url())
    assert LAHORE_NAME in _text(shown)  # the markers are found where they are allowed
    summary = client_for(world.case_officer).get(
        reverse("cases:summary_pdf", kwargs={"reference": case.reference})
    )
    assert summary["Content-Type"] == "application/pdf"
    assert LAHORE_NAME in _text(summary)  # and inside a PDF's compressed text


def test_the_markers_are_found_where_they_are_in_scope(
    world: World, client_for: Callable[..., Client]
) -> None:
    planted = _planted(world)
    page = client_for(world.outsider).get(
        reverse("cases:detail", kwargs={"reference": planted["reference"]})
    )

    assert NAME in _leaks(_text(page))
