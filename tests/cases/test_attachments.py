"""Attachments: type by content, size limit, encryption at rest, and the access-checked download."""

from __future__ import annotations

import base64
import hashlib
import io
import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from meesaq.access.services import break_glass_open
from meesaq.accounts.models import User
from meesaq.audit.models import AuditEvent
from meesaq.cases import storage
from meesaq.cases.models import Attachment, Case
from meesaq.cases.services.attachments import attachment_add, clean_file_name
from meesaq.core.errors import MeesaqError
from meesaq.crypto.keyring import DecryptionError, get_keyring
from tests.cases.factories import make_case
from tests.personas import World

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"secret-pixels-of-a-face" * 20


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
M4A_BYTES = struct.pack(">I", 24) + b"ftypM4A " + b"\x00\x00\x02\x00" + b"isomM4A " + b"\x00" * 40


@pytest.fixture
def media(tmp_path: Path) -> Iterator[Path]:
    """Keep stored files in a folder of the test's own."""
    with override_settings(MEDIA_ROOT=tmp_path):
        yield tmp_path


def _upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def _attach(world: World, case: Case, name: str, data: bytes) -> Attachment:
    return attachment_add(actor=world.intake_officer, case=case, upload=_upload(name, data))


def _stored_files(media: Path) -> list[Path]:
    folder = media / storage.FOLDER
    return [path for path in folder.iterdir() if path.is_file()] if folder.exists() else []


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 20, "image/jpeg"),
        (PNG_BYTES, "image/png"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20, "image/webp"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 20, "audio/mpeg"),
        (b"\xff\xfb\x90\x64" + b"\x00" * 20, "audio/mpeg"),
        (b"OggS\x00\x02" + b"\x00" * 20, "audio/ogg"),
        (M4A_BYTES, "audio/mp4"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 20, "audio/wav"),
        (DOCX, storage.DOCX.content_type),
        (XLSX, storage.XLSX.content_type),
        (ODT, storage.ODT.content_type),
    ],
)
def test_accepted_kinds_are_recognised_by_their_first_bytes(data: bytes, content_type: str) -> None:
    kind = storage.detect_type(data)
    assert kind is not None
    assert kind.content_type == content_type


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows program
        b"\x7fELF\x02\x01\x01",  # a Linux program
        b"<html><script>alert(1)</script>",
        b"PK\x03\x04 not really a zip",
        _zip({"payload.exe": b"MZ"}),
        _zip({"[Content_Types].xml": b"", "word/document.xml": b"", "word/vbaProject.bin": b""}),
        _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
        struct.pack(">I", 20) + b"ftypisom" + b"\x00" * 30,  # a video, not M4A audio
        b"",
    ],
)
def test_anything_else_is_not_recognised(data: bytes) -> None:
    assert storage.detect_type(data) is None


def test_a_png_named_pdf_is_stored_as_png_and_downloads_as_png(world: World, media: Path) -> None:
    case = make_case(organisation=world.lahore_centre)
    attachment = _attach(world, case, "scan.pdf", PNG_BYTES)
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "scan.pdf"
    assert attachment.size == len(PNG_BYTES)
    assert attachment.sha256 == hashlib.sha256(PNG_BYTES).hexdigest()
    event = AuditEvent.objects.get(action="cases.attachment_added")
    assert event.detail == {
        "attachment_id": attachment.pk,
        "content_type": "image/png",
        "size": len(PNG_BYTES),
    }


def test_a_program_renamed_pdf_is_refused_and_nothing_is_stored(world: World, media: Path) -> None:
    case = make_case(organisation=world.lahore_centre)
    with pytest.raises(MeesaqError) as refused:
        _attach(world, case, "letter.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    assert refused.value.code == "file_type"
    assert "PDF" in str(refused.value.message)
    assert not Attachment.objects.exists()
    assert _stored_files(media) == []


@override_settings(MEESAQ_MAX_UPLOAD_MB=1)
def test_a_file_over_the_size_limit_is_refused(world: World, media: Path) -> None:
    case = make_case(organisation=world.lahore_centre)
    with pytest.raises(MeesaqError) as refused:
        _attach(world, case, "big.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024))
    assert refused.value.code == "file_too_large"
    assert "1 MB" in str(refused.value.message)
    assert _stored_files(media) == []
    fits = _attach(world, case, "fits.pdf", b"%PDF-1.7\n" + b"0" * 1000)
    assert fits.content_type == "application/pdf"


def test_empty_files_are_refused(world: World, media: Path) -> None:
    case = make_case(organisation=world.lahore_centre)
    with pytest.raises(MeesaqError) as refused:
        _attach(world, case, "empty.pdf", b"")
    assert refused.value.code == "file_empty"


def test_files_are_encrypted_at_rest_and_bound_to_their_name(world: World, media: Path) -> None:
    case = make_case(organisation=world.lahore_centre)
    first = _attach(world, case, "face.png", PNG_BYTES)
    second = _attach(world, case, "other.png", PNG_BYTES + b"more")
    blob = storage.blob_path(first.storage_name).read_bytes()
    assert b"secret-pixels" not in blob
    assert b"PNG" not in blob
    assert blob.startswith(storage.MAGIC)
    assert storage.blob_key_id(blob) == get_keyring().newest_id
    assert storage.load(first.storage_name) == PNG_BYTES
    # A file copied over another's name does not open.
    storage.blob_path(second.storage_name).write_bytes(blob)
    with pytest.raises(DecryptionError):
        storage.load(second.storage_name)
    # The stored name is random, never the uploaded one.
    assert "face" not in first.storage_name
    assert all(
        path.name in {first.storage_name, second.storage_name} for path in _stored_files(media)
    )


def test_file_names_are_cleaned_of_folders_and_control_characters() -> None:
    assert clean_file_name("../../etc/passwd") == "passwd"
    assert clean_file_name("C:\\Users\\x\\report.pdf") == "report.pdf"
    assert clean_file_name('a"b\r\nc.pdf') == "a'bc.pdf"
    assert clean_file_name("...") == "file"
    assert len(clean_file_name("x" * 500 + ".pdf")) <= 120


@pytest.mark.parametrize("persona", ["outsider", "analyst", "auditor"])
def test_people_outside_the_case_cannot_attach(world: World, media: Path, persona: str) -> None:
    case = make_case(organisation=world.lahore_centre)
    with pytest.raises(MeesaqError) as refused:
        attachment_add(
            actor=world.personas()[persona], case=case, upload=_upload("a.png", PNG_BYTES)
        )
    assert refused.value.code == "forbidden"
    assert _stored_files(media) == []


def _download_url(attachment: Attachment) -> str:
    return reverse(
        "cases:attachment_download",
        kwargs={"reference": attachment.case.reference, "attachment_id": attachment.pk},
    )


def test_the_intake_officer_downloads_the_file_with_safe_headers_and_it_is_audited(
    world: World, media: Path, client_for: Callable[[User], Client]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    attachment = _attach(world, case, "scan.pdf", PNG_BYTES)
    response = client_for(world.intake_officer).get(_download_url(attachment))
    assert response.status_code == 200
    assert response.content == PNG_BYTES
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"scan.png\"; filename*=UTF-8''scan.png"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="cases.attachment_downloaded")
    assert event.actor_id == world.intake_officer.pk
    assert event.object_id == str(attachment.pk)


def test_a_non_ascii_file_name_is_sent_as_rfc_5987(
    world: World, media: Path, client_for: Callable[[User], Client]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    attachment = _attach(world, case, 'شکایت "نامہ".pdf', b"%PDF-1.4\n")
    response = client_for(world.case_officer).get(_download_url(attachment))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=\"file.pdf\"; filename*=UTF-8''")
    assert "%D8%B4" in disposition
    assert '"' not in disposition.split("filename*=")[1]


@pytest.mark.parametrize("persona", ["outsider", "analyst", "provincial_officer", "auditor"])
def test_others_get_404_and_nothing_is_audited(
    world: World, media: Path, client_for: Callable[[User], Client], persona: str
) -> None:
    case = make_case(organisation=world.lahore_centre)
    attachment = _attach(world, case, "scan.png", PNG_BYTES)
    response = client_for(world.personas()[persona]).get(_download_url(attachment))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="cases.attachment_downloaded").exists()


def test_a_provincial_officer_downloads_after_breaking_the_glass(
    world: World, media: Path, client_for: Callable[[User], Client]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    attachment = _attach(world, case, "scan.png", PNG_BYTES)
    break_glass_open(
        user=world.provincial_officer,
        obj=case,
        reason="Inquiry from the provincial assembly about this threat",
    )
    response = client_for(world.provincial_officer).get(_download_url(attachment))
    assert response.status_code == 200
    assert response.content == PNG_BYTES


def test_an_attachment_of_another_case_is_404_under_this_reference(
    world: World, media: Path, client_for: Callable[[User], Client]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    other = make_case(organisation=world.lahore_centre)
    attachment = _attach(world, other, "scan.png", PNG_BYTES)
    url = reverse(
        "cases:attachment_download",
        kwargs={"reference": case.reference, "attachment_id": attachment.pk},
    )
    assert client_for(world.intake_officer).get(url).status_code == 404


def test_a_missing_file_sends_the_user_back_with_a_message(
    world: World, media: Path, client_for: Callable[[User], Client]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    attachment = _attach(world, case, "scan.png", PNG_BYTES)
    storage.discard(attachment.storage_name)
    response = client_for(world.intake_officer).get(_download_url(attachment), follow=False)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{case.reference}/")
    assert not AuditEvent.objects.filter(action="cases.attachment_downloaded").exists()


def test_uploading_through_the_page_attaches_the_file(
    world: World, media: Path, client_for: Callable[[User], Client]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    url = reverse("cases:attachment_upload", kwargs={"reference": case.reference})
    response = client_for(world.intake_officer).post(
        url, {"file": _upload("photo.pdf", PNG_BYTES, "application/pdf")}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{case.reference}/")
    attachment = Attachment.objects.get(case=case)
    assert attachment.content_type == "image/png"
    refused = client_for(world.intake_officer).post(
        url, {"file": _upload("tool.pdf", b"MZ\x90\x00")}, follow=False
    )
    assert refused.status_code == 302
    assert Attachment.objects.filter(case=case).count() == 1


def test_the_upload_page_is_404_for_an_outsider_and_asks_anonymous_visitors_to_sign_in(
    world: World, media: Path, client_for: Callable[[User], Client]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    url = reverse("cases:attachment_upload", kwargs={"reference": case.reference})
    data = {"file": _upload("photo.png", PNG_BYTES)}
    assert client_for(world.outsider).post(url, data).status_code == 404
    anonymous = Client().post(url, {"file": _upload("photo.png", PNG_BYTES)})
    assert anonymous.status_code == 302
    assert "/account/sign-in/" in anonymous["Location"]
    assert not Attachment.objects.exists()


def test_files_sealed_under_an_older_key_still_open_after_a_new_key_is_added(
    world: World, media: Path
) -> None:
    case = make_case(organisation=world.lahore_centre)
    attachment = _attach(world, case, "scan.png", PNG_BYTES)
    old_id = get_keyring().newest_id
    current = str(settings.MEESAQ_ENCRYPTION_KEYS)
    new_key = base64.b64encode(b"\x01" * 32).decode()
    with override_settings(MEESAQ_ENCRYPTION_KEYS=f"rotated:{new_key},{current}"):
        assert storage.load(attachment.storage_name) == PNG_BYTES
        newer = _attach(world, case, "later.png", PNG_BYTES)
        assert storage.blob_key_id(storage.blob_path(newer.storage_name).read_bytes()) == "rotated"
    assert storage.blob_key_id(storage.blob_path(attachment.storage_name).read_bytes()) == old_id
