"""The case summary PDF: its language from the address, only what the viewer may see, audited."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from meesaq.audit.models import AuditEvent
from meesaq.cases import pdf
from meesaq.cases.models import (
    ActionKind,
    Attachment,
    Case,
    CaseAction,
    CaseTransition,
    Status,
)
from tests.cases.factories import add_person, make_case
from tests.personas import World

NARRATIVE = "Shamim Masih was threatened at the church gate on Sunday."
FILE_NAME = "letter-from-shamim.pdf"
URDU_CATEGORY = "دھمکیاں اور ہراساں کرنا"
SYSTEM_FONTS = pdf.fonts_find()
needs_urdu_font = pytest.mark.skipif(
    SYSTEM_FONTS.arabic is None, reason="no Arabic-script font installed (fonts-noto-core)"
)

pytestmark = pytest.mark.django_db


def _case(world: World) -> Case:
    case = make_case(
        organisation=world.lahore_centre,
        recorded_by=world.intake_officer,
        narrative=NARRATIVE,
        title="Threats at the church gate",
        status=Status.REGISTERED,
    )
    add_person(case, full_name="Shamim Masih")
    CaseTransition.objects.create(
        case=case,
        from_status=Status.RECEIVED,
        to_status=Status.REGISTERED,
        actor=world.supervisor,
        occurred_at=case.received_at,
    )
    CaseAction.objects.create(
        case=case,
        kind=ActionKind.FIR,
        occurred_on=case.received_at.date(),
        author=world.case_officer,
        note="Shamim Masih gave a statement at the police station.",
        fir_number="214/2026",
        police_station="Police Station Nishtar Colony",
        law_sections="506 PPC, 295-A PPC",
    )
    Attachment.objects.create(
        case=case,
        uploaded_by=world.intake_officer,
        original_name=FILE_NAME,
        content_type="application/pdf",
        size=2048,
        sha256="0" * 64,
        storage_name="pdf-test-sample",
    )
    return case


def _url(case: Case, language: str = "en") -> str:
    return f"/{language}/cases/{case.reference}/summary.pdf"


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _is_arabic_script(character: str) -> bool:
    return "\u0600" <= character <= "\u06ff" or "\ufb50" <= character <= "\ufeff"


def test_the_url_is_the_summary_pdf_under_the_case(world: World) -> None:
    case = _case(world)
    assert reverse("cases:summary_pdf", kwargs={"reference": case.reference}) == _url(case)


def test_it_sends_the_intake_officer_an_english_pdf_with_the_narrative(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = _case(world)
    response = client_for(world.intake_officer).get(_url(case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{case.reference}.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = _text(response.content)
    for expected in (
        case.reference,
        "Threats at the church gate",
        "Threats and intimidation",
        NARRATIVE,
        "Shamim Masih",
        "00101-1234567-2",
        "214/2026",
        "506 PPC, 295-A PPC",
        "Registered",
        FILE_NAME,
    ):
        assert expected in text, expected


def test_it_audits_the_pdf_and_the_identity_it_shows(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = _case(world)
    client_for(world.intake_officer).get(_url(case))
    made = AuditEvent.objects.get(action="cases.summary_pdf")
    assert made.object_id == str(case.pk)
    assert made.detail == {"language": "en", "written_in": "en"}
    viewed = AuditEvent.objects.filter(action="identity.viewed")
    assert {event.object_type for event in viewed} == {"cases.case", "cases.person"}
    assert all(event.detail == {"channel": "pdf"} for event in viewed)


def test_it_leaves_out_the_narrative_and_names_for_the_provincial_officer(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = _case(world)
    response = client_for(world.provincial_officer).get(_url(case))
    assert response.status_code == 200
    text = _text(response.content)
    assert case.reference in text
    assert "Threats and intimidation" in text
    assert "Hidden" in text
    for secret in ("Shamim", "00101-1234567-2", "+923901234567", FILE_NAME):
        assert secret not in text, secret
    assert "File 1" in text
    assert not AuditEvent.objects.filter(action="identity.viewed").exists()
    assert AuditEvent.objects.filter(action="cases.summary_pdf").count() == 1


@needs_urdu_font
def test_it_writes_the_urdu_pdf_in_urdu(world: World, client_for: Callable[..., Client]) -> None:
    case = _case(world)
    response = client_for(world.intake_officer).get(_url(case, "ur"))
    assert response.status_code == 200
    text = _text(response.content)
    assert URDU_CATEGORY in text
    assert case.reference in text
    assert "Urdu font not installed" not in text
    made = AuditEvent.objects.get(action="cases.summary_pdf")
    assert made.detail == {"language": "ur", "written_in": "ur"}


def test_it_says_plainly_when_no_urdu_font_is_installed(
    world: World,
    client_for: Callable[..., Client],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    case = _case(world)
    real_lookup = pdf.fonts_find
    # Our own lookup, pointed at an empty folder: the server as if it had no fonts at all.
    monkeypatch.setattr(pdf, "fonts_find", lambda search_dirs=None: real_lookup([tmp_path]))
    response = client_for(world.intake_officer).get(_url(case, "ur"))
    assert response.status_code == 200
    text = " ".join(_text(response.content).split())
    assert "Urdu font not installed on this server" in text
    assert "fonts-noto-core" in text
    assert "Urdu font is server par install nahin hai" in text
    assert "Threats and intimidation" in text
    assert not any(_is_arabic_script(character) for character in text)
    made = AuditEvent.objects.get(action="cases.summary_pdf")
    assert made.detail == {"language": "ur", "written_in": "en"}


def test_it_prints_no_empty_boxes_for_urdu_text_without_an_urdu_font(
    world: World, tmp_path: Path
) -> None:
    case = _case(world)
    case.title = "گرجا گھر کے دروازے پر دھمکیاں"
    case.save(update_fields=["title"])
    fonts = pdf.fonts_find([tmp_path])
    content = pdf.case_summary_pdf(user=world.intake_officer, case=case, language="en", fonts=fonts)
    text = _text(content)
    assert "[Urdu text: no Urdu font on this server]" in text
    assert not any(_is_arabic_script(character) for character in text)


@needs_urdu_font
def test_it_finds_an_urdu_font_in_a_folder_it_is_pointed_at(tmp_path: Path) -> None:
    assert SYSTEM_FONTS.arabic is not None
    nested = tmp_path / "truetype" / "noto"
    nested.mkdir(parents=True)
    shutil.copy(SYSTEM_FONTS.arabic, nested / SYSTEM_FONTS.arabic.name)
    found = pdf.fonts_find([tmp_path])
    assert found.arabic == nested / SYSTEM_FONTS.arabic.name
    assert found.latin is None


def test_it_finds_no_font_in_an_empty_folder(tmp_path: Path) -> None:
    assert pdf.fonts_find([tmp_path]) == pdf.PdfFonts(arabic=None, latin=None)


@pytest.mark.parametrize(
    "persona",
    [
        "outsider",
        "analyst",
        "auditor",
        "administrator",
        "partner_caseworker",
        "programme_coordinator",
    ],
)
def test_it_answers_404_to_those_who_may_not_see_the_case(
    world: World, client_for: Callable[..., Client], persona: str
) -> None:
    case = _case(world)
    response = client_for(getattr(world, persona)).get(_url(case))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="cases.summary_pdf").exists()


def test_it_sends_anonymous_visitors_to_sign_in(world: World) -> None:
    case = _case(world)
    response = Client().get(_url(case))
    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]
