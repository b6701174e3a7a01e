"""Every API operation, as every persona, on objects in three places: the declared answer or fail.

The places are Lahore (where most personas work), Faisalabad (the outsider's district, in the same
province) and Karachi (another province, outside every persona's scope). Each place has a case
with a person, an entry and a file, referrals in three states to a partner there, and an import.
Besides the world's personas the matrix asks as an anonymous caller and as a partner whose
referral of the Lahore case was declined.

A new operation without a row in ``EXPECTED`` fails the build; so does any answer that differs
from its row. Writes are sent with valid bodies (so that access, not validation, decides) and
each request is rolled back, so every persona meets the same objects in the same state.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from meesaq.access.roles import Role
from meesaq.accounts.models import User
from meesaq.api.api import api
from meesaq.cases.models import ActionKind, Case, CaseAction
from meesaq.cases.services.attachments import attachment_add
from meesaq.imports.models import ImportRun, RunStatus
from meesaq.orgs.models import Organisation, OrganisationKind
from meesaq.referrals.models import Referral
from meesaq.referrals.services import (
    referral_accept,
    referral_create,
    referral_decline,
    referral_request_info,
)
from tests.api.conftest import make_token
from tests.cases.factories import add_person, make_case
from tests.imports.conftest import csv_file, row
from tests.personas import World, make_organisation, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PLACES = ("lahore", "faisalabad", "karachi")
KARACHI = "PK702"


@dataclass
class Place:
    """The sample objects of one place, and who works there."""

    centre: Organisation
    partner: Organisation
    district: str
    reference: str
    attachment_id: int
    sent: Referral
    accepted: Referral
    asked: Referral
    import_run: ImportRun


def _place(centre: Organisation, partner: Organisation, officer: User, receiver: User) -> Place:
    case = make_case(organisation=centre, recorded_by=officer)
    add_person(case)
    action = CaseAction.objects.create(
        case=case, kind=ActionKind.NOTE, occurred_on=case.received_at.date(), author=officer
    )
    attachment = attachment_add(
        actor=officer,
        case=case,
        upload=SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf"),
        action=action,
    )

    def refer() -> Referral:
        # One open referral per case and partner: each state gets a case of its own.
        referred = make_case(organisation=centre, recorded_by=officer)
        return referral_create(
            actor=officer,
            case=referred,
            to_organisation=partner,
            reason="Legal aid.",
            shared_fields=["title", "district"],
        )

    accepted = referral_accept(actor=receiver, referral=refer())
    asked = referral_request_info(actor=receiver, referral=refer(), question="Which court?")
    run = ImportRun.objects.create(
        created_by=officer,
        organisation=centre,
        file_name="register.csv",
        status=RunStatus.READY,
    )
    return Place(
        centre=centre,
        partner=partner,
        district=centre.jurisdiction.pcode,
        reference=case.reference,
        attachment_id=attachment.pk,
        sent=refer(),
        accepted=accepted,
        asked=asked,
        import_run=run,
    )


@dataclass
class Matrix:
    """The callers by persona name (None: anonymous) and the places by name."""

    callers: dict[str, User | None]
    places: dict[str, Place]


@pytest.fixture
def matrix(world: World) -> Matrix:
    fsd_partner = make_organisation("fsd-legal-aid", OrganisationKind.CIVIL_SOCIETY, "PK608")
    fsd_receiver = make_user("fsd-partner", fsd_partner, Role.PARTNER_CASEWORKER)
    khi_centre = make_organisation("khi-police-centre", OrganisationKind.POLICE_CENTRE, KARACHI)
    khi_partner = make_organisation("khi-legal-aid", OrganisationKind.CIVIL_SOCIETY, KARACHI)
    khi_officer = make_user("khi-officer", khi_centre, Role.CASE_OFFICER)
    khi_receiver = make_user("khi-partner", khi_partner, Role.PARTNER_CASEWORKER)
    places = {
        "lahore": _place(
            world.lahore_centre, world.lahore_ngo, world.case_officer, world.partner_caseworker
        ),
        "faisalabad": _place(world.faisalabad_centre, fsd_partner, world.outsider, fsd_receiver),
        "karachi": _place(khi_centre, khi_partner, khi_officer, khi_receiver),
    }
    # A second Lahore partner that was sent the Lahore case and declined it.
    declining = make_organisation("lhr-second-ngo", OrganisationKind.CIVIL_SOCIETY, "PK617")
    declined_partner = make_user("declined-partner", declining, Role.PARTNER_CASEWORKER)
    referral = referral_create(
        actor=world.case_officer,
        case=Case.objects.get(reference=places["lahore"].reference),
        to_organisation=declining,
        reason="Shelter.",
        shared_fields=["title"],
    )
    referral_decline(actor=declined_partner, referral=referral, reason="No beds.")
    callers: dict[str, User | None] = {
        **world.personas(),
        "declined_partner": declined_partner,
        "anonymous": None,
    }
    return Matrix(callers=callers, places=places)


# What each operation is asked: its path and body for a place (None: no body).
Body = tuple[str, dict[str, Any]] | None


@dataclass(frozen=True)
class Call:
    path: Callable[[Place], str]
    body: Callable[[Place], Body] = lambda place: None


def _json(data: dict[str, Any]) -> Callable[[Place], Body]:
    return lambda place: ("json", data)


def _case(suffix: str = "") -> Callable[[Place], str]:
    return lambda place: f"/cases/{place.reference}{suffix}"


def _referral(state: str, suffix: str = "") -> Callable[[Place], str]:
    return lambda place: f"/referrals/{getattr(place, state).pk}{suffix}"


def _new_case(place: Place) -> Body:
    return (
        "json",
        {
            "organisation": place.centre.code,
            "district": place.district,
            "received_at": timezone.now().isoformat(),
            "channel": "walk_in",
            "category": "threats",
            "title": "Threats at the gate",
        },
    )


def _new_referral(place: Place) -> Body:
    return (
        "json",
        {
            "case": place.reference,
            "to_organisation": place.partner.code,
            "reason": "Counselling.",
            "shared_fields": ["title"],
        },
    )


def _upload(place: Place) -> Body:
    return ("multipart", {"file": SimpleUploadedFile("note.pdf", PDF, "application/pdf")})


def _import_file(place: Place) -> Body:
    data = csv_file([row(1, district=place.district)])
    return (
        "multipart",
        {
            "file": SimpleUploadedFile("register.csv", data, "text/csv"),
            "organisation": place.centre.code,
            "dry_run": "true",
        },
    )


def _today() -> str:
    return timezone.localdate().isoformat()


CALLS: dict[str, Call] = {
    "cases_list": Call(lambda place: "/cases"),
    "cases_create": Call(lambda place: "/cases", _new_case),
    "cases_get": Call(_case()),
    "cases_transition": Call(_case("/transitions"), _json({"to_status": "registered"})),
    "actions_list": Call(_case("/actions")),
    "actions_create": Call(
        _case("/actions"),
        lambda place: ("json", {"kind": "call", "occurred_on": _today(), "note": "Called."}),
    ),
    "attachments_list": Call(_case("/attachments")),
    "attachments_create": Call(_case("/attachments"), _upload),
    "attachments_download": Call(
        lambda place: f"/cases/{place.reference}/attachments/{place.attachment_id}/content"
    ),
    "people_list": Call(_case("/people")),
    "people_create": Call(
        _case("/people"),
        _json(
            {
                "role": "witness",
                "full_name": "Asha Bibi",
                "gender": "female",
                "age_band": "18-29",
                "faith": "hindu",
            }
        ),
    ),
    "imports_template": Call(lambda place: "/imports/template"),
    "imports_create": Call(lambda place: "/imports", _import_file),
    "imports_get": Call(lambda place: f"/imports/{place.import_run.pk}"),
    "imports_start": Call(lambda place: f"/imports/{place.import_run.pk}/start"),
    "organisations_list": Call(lambda place: "/organisations"),
    "places_list": Call(lambda place: "/places"),
    "taxonomy_list": Call(lambda place: "/taxonomy/categories"),
    "referrals_list": Call(lambda place: "/referrals"),
    "referrals_create": Call(lambda place: "/referrals", _new_referral),
    "referrals_get": Call(_referral("sent")),
    "referrals_accept": Call(_referral("sent", "/accept")),
    "referrals_decline": Call(_referral("sent", "/decline"), _json({"reason": "No capacity."})),
    "referrals_request_info": Call(
        _referral("sent", "/request-info"), _json({"question": "Which court?"})
    ),
    "referrals_withdraw": Call(_referral("sent", "/withdraw"), _json({"reason": "Resolved."})),
    "referrals_answer": Call(_referral("asked", "/answer"), _json({"answer": "Sessions court."})),
    "referrals_record_service": Call(
        _referral("accepted", "/services"),
        lambda place: ("json", {"text": "Hearing attended.", "on": _today()}),
    ),
    "referrals_complete": Call(
        _referral("accepted", "/complete"), _json({"outcome": "Bail granted."})
    ),
}


# --- The declared answers -------------------------------------------------------------------
# An anonymous caller always gets 401. A caller who can see an object but may not take this step
# on it gets 403; everything else a caller may not see or do is 404, so that an answer never
# confirms that a case, referral or import exists.

CASE_TEAM = {"intake_officer", "case_officer", "supervisor"}
# Who sees each place's case (provincial officers pseudonymously: the province is their scope).
READERS = {
    "lahore": {*CASE_TEAM, "provincial_officer"},
    "faisalabad": {"provincial_officer", "outsider"},
    "karachi": set(),
}
# Who acts on it (intake officers only register and add notes and files).
ACTORS = {
    "lahore": {"case_officer", "supervisor", "provincial_officer"},
    "faisalabad": {"provincial_officer", "outsider"},
    "karachi": set(),
}
# Who sees its identities, and so its files.
NEED_TO_KNOW = {"lahore": CASE_TEAM, "faisalabad": {"outsider"}, "karachi": set()}
# Who records cases for the place's own centre.
RECORDERS = {"lahore": CASE_TEAM, "faisalabad": {"outsider"}, "karachi": set()}
# Who sees a referral from the place's centre, who receives it (the Lahore partner only: the
# other places' partners are not personas), who refers.
REFERRAL_READERS = {
    "lahore": {*READERS["lahore"], "partner_caseworker"},
    "faisalabad": READERS["faisalabad"],
    "karachi": set(),
}
RECEIVERS = {"lahore": {"partner_caseworker"}, "faisalabad": set(), "karachi": set()}
# An import is seen only by the user who uploaded it.
UPLOADERS = {"lahore": {"case_officer"}, "faisalabad": {"outsider"}, "karachi": set()}

CASE_LISTERS = {*CASE_TEAM, "provincial_officer", "outsider"}
IMPORTERS = {"case_officer", "supervisor", "provincial_officer", "outsider"}
PARTNERS = {"partner_caseworker", "declined_partner"}


@dataclass(frozen=True)
class Expect:
    """Declared answers: ``default`` for everyone not named; ``by_place[place][status]`` names."""

    default: int
    by_place: dict[str, dict[int, set[str]]]

    def answer(self, place: str, persona: str) -> int:
        if persona == "anonymous":
            return 401
        for status, personas in self.by_place.get(place, {}).items():
            if persona in personas:
                return status
        return self.default


def on_object(
    ok: int, allowed: dict[str, set[str]], *, sees: dict[str, set[str]] | None = None
) -> Expect:
    """An operation on a place's object: ``ok`` for the allowed, 403 for others who see it."""
    return Expect(
        404,
        {
            place: {ok: allowed[place], 403: (sees or allowed)[place] - allowed[place]}
            for place in PLACES
        },
    )


def anywhere(default: int, answers: dict[int, set[str]] | None = None) -> Expect:
    """An operation on no object: the answer does not depend on the place."""
    return Expect(default, dict.fromkeys(PLACES, answers or {}))


def _recording(ok: int, roles: set[str]) -> Expect:
    """Recording for a place's centre: ``ok`` for its own staff, 422 (that organisation is not
    one you record for) for others holding the role, 404 for the rest."""
    return Expect(
        404,
        {place: {ok: roles & RECORDERS[place], 422: roles - RECORDERS[place]} for place in PLACES},
    )


EXPECTED: dict[str, Expect] = {
    "cases_list": anywhere(404, {200: CASE_LISTERS}),
    "cases_create": _recording(201, CASE_LISTERS),
    "cases_get": on_object(200, READERS),
    "cases_transition": on_object(200, READERS),
    "actions_list": on_object(200, READERS),
    "actions_create": on_object(201, ACTORS, sees=READERS),
    "attachments_list": on_object(200, READERS),
    "attachments_create": on_object(201, READERS),
    "attachments_download": on_object(200, NEED_TO_KNOW),
    "people_list": on_object(200, READERS),
    "people_create": on_object(201, READERS),
    "imports_template": anywhere(404, {200: IMPORTERS}),
    "imports_create": _recording(201, IMPORTERS),
    "imports_get": on_object(200, UPLOADERS),
    "imports_start": on_object(202, UPLOADERS),
    "organisations_list": anywhere(200),
    "places_list": anywhere(200),
    "taxonomy_list": anywhere(200),
    "referrals_list": anywhere(404, {200: CASE_LISTERS | PARTNERS}),
    "referrals_create": on_object(201, ACTORS, sees=READERS),
    "referrals_get": on_object(200, REFERRAL_READERS),
    **{
        f"referrals_{step}": on_object(200, RECEIVERS, sees=REFERRAL_READERS)
        for step in ("accept", "decline", "request_info", "record_service", "complete")
    },
    **{
        f"referrals_{step}": on_object(200, ACTORS, sees=REFERRAL_READERS)
        for step in ("answer", "withdraw")
    },
}


def _request(client: Client, method: str, path: str, body: Body, user: User | None) -> int:
    headers = {"Authorization": f"Bearer {make_token(user)}"} if user is not None else {}
    url = f"/api/v1{path}"
    if method == "get":
        return client.get(url, headers=headers).status_code
    if body is None:
        return client.post(url, headers=headers).status_code
    kind, data = body
    if kind == "json":
        encoded = json.dumps(data)
        return client.post(
            url, encoded, content_type="application/json", headers=headers
        ).status_code
    return client.post(url, data, headers=headers).status_code


def api_operations() -> dict[str, str]:
    """Every operation the API serves, by id, with its method."""
    schema = api.get_openapi_schema()
    return {
        operation["operationId"]: method
        for methods in schema["paths"].values()
        for method, operation in methods.items()
    }


def test_every_api_operation_declares_its_answers() -> None:
    operations = set(api_operations())
    assert operations - set(CALLS) == set(), "add a Call for each new operation to CALLS"
    assert operations - set(EXPECTED) == set(), "declare each new operation's answers in EXPECTED"
    assert set(CALLS) - operations == set() and set(EXPECTED) - operations == set()


def test_every_api_operation_answers_every_persona_in_every_place_as_declared(
    matrix: Matrix, capsys: pytest.CaptureFixture[str]
) -> None:
    failures: list[str] = []
    asked = 0
    for operation, method in sorted(api_operations().items()):
        call = CALLS[operation]
        expect = EXPECTED.get(operation)
        for place_name, place in matrix.places.items():
            for persona, user in matrix.callers.items():
                cache.clear()  # the rate limit counts per caller; the matrix is many calls
                with transaction.atomic():
                    got = _request(Client(), method, call.path(place), call.body(place), user)
                    transaction.set_rollback(True)
                asked += 1
                wanted = expect.answer(place_name, persona) if expect else None
                if got != wanted:
                    failures.append(
                        f"{operation} {place_name} {persona}: {got} (declared {wanted})"
                    )
    with capsys.disabled():
        print(
            f"\nAPI access matrix: {len(api_operations())} operations x "
            f"{len(matrix.callers)} personas x {len(PLACES)} places = {asked} requests"
        )
    assert failures == []
