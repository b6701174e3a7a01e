"""Hostile files: zip bombs, archives of thousands of members, damaged and disguised files.

Every way in takes files through the same two checks — attachments (staff pages, the API, the
public portal) through ``cases.services.attachments.read_checked`` and imports through
``imports.columns.read_rows`` — so these tests drive each check and, for the message the user
sees, one page and the API. A refused file changes nothing; an accepted damaged file is stored
as sent (nothing on the server parses it) and is only ever downloaded as an attachment.
"""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import Workbook

from meesaq.accounts.models import User
from meesaq.cases import storage
from meesaq.cases.models import Attachment
from meesaq.cases.services.attachments import attachment_add
from meesaq.core.archives import MAX_MEMBERS
from meesaq.core.errors import MeesaqError
from meesaq.imports.columns import NAMES, _first_rows, read_rows
from meesaq.imports.models import ImportRun
from meesaq.imports.services import import_check
from meesaq.portal.services import files_check
from tests.api.conftest import make_token
from tests.cases.factories import make_case
from tests.imports.conftest import row
from tests.personas import World

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
DOCX_PARTS = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


@pytest.fixture
def media(tmp_path: Path) -> Iterator[Path]:
    with override_settings(MEDIA_ROOT=tmp_path):
        yield tmp_path


def _stored(media: Path) -> list[Path]:
    folder = media / storage.FOLDER
    return [path for path in folder.iterdir() if path.is_file()] if folder.exists() else []


def bomb(parts: dict[str, bytes], *, member: str, unpacked_mb: int) -> bytes:
    """A valid archive with ``parts`` and one member of zeros that unpacks to ``unpacked_mb``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        with archive.open(member, "w", force_zip64=True) as out:
            zeros = bytes(MB)
            for _ in range(unpacked_mb):
                out.write(zeros)
    return buffer.getvalue()


def _xlsx(rows: list[dict[str, str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(NAMES))
    for values in rows:
        sheet.append([values[name] for name in NAMES])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_member(archive_bytes: bytes, *, member: str, unpacked_mb: int) -> bytes:
    """The same archive plus one member of zeros (the bomb inside a real spreadsheet)."""
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    return bomb(parts, member=member, unpacked_mb=unpacked_mb)


def _attach(world: World, name: str, data: bytes) -> Attachment:
    case = make_case(organisation=world.lahore_centre)
    return attachment_add(
        actor=world.intake_officer,
        case=case,
        upload=SimpleUploadedFile(name, data, content_type="application/octet-stream"),
    )


# --- Zip bombs and archives of many members -------------------------------------------------


def test_a_document_that_unpacks_past_the_limit_is_refused_without_being_unpacked(
    world: World, media: Path
) -> None:
    data = bomb(DOCX_PARTS, member="word/media/image1.bin", unpacked_mb=101)  # the limit is 100
    assert len(data) < MB // 2  # a small upload
    tracemalloc.start()
    try:
        with pytest.raises(MeesaqError) as refused:
            _attach(world, "report.docx", data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.code == "archive_too_large"
    assert "100 MB" in str(refused.value.message)
    assert set(refused.value.fields) == {"file"}
    # Never inflated: the check read only the archive's directory (101 MB would show here).
    assert peak < 20 * MB
    assert not Attachment.objects.exists()
    assert _stored(media) == []


@override_settings(MEESAQ_MAX_UNPACKED_MB=1)
def test_the_unpacked_limit_is_a_setting_and_a_document_within_it_is_attached(
    world: World, media: Path
) -> None:
    fits = _attach(world, "small.docx", bomb(DOCX_PARTS, member="word/a.bin", unpacked_mb=0))
    assert fits.content_type == storage.DOCX.content_type
    with pytest.raises(MeesaqError) as refused:
        _attach(world, "big.docx", bomb(DOCX_PARTS, member="word/a.bin", unpacked_mb=2))
    assert "1 MB" in str(refused.value.message)
    assert Attachment.objects.count() == 1


def test_an_archive_of_thousands_of_members_is_refused(world: World, media: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in DOCX_PARTS.items():
            archive.writestr(name, content)
        for number in range(MAX_MEMBERS):
            archive.writestr(f"word/p{number}.xml", b"")
    with pytest.raises(MeesaqError) as refused:
        _attach(world, "many.docx", buffer.getvalue())
    assert refused.value.code == "archive_too_large"
    assert not Attachment.objects.exists()


def test_a_spreadsheet_bomb_is_refused_before_openpyxl_opens_it_and_no_run_is_kept(
    world: World,
) -> None:
    data = _with_member(_xlsx([row(1)]), member="xl/media/padding.bin", unpacked_mb=101)
    with pytest.raises(MeesaqError) as refused:
        import_check(
            actor=world.case_officer,
            organisation=world.lahore_centre,
            data=data,
            file_name="register.xlsx",
        )
    assert refused.value.code == "archive_too_large"
    assert not ImportRun.objects.exists()


def test_a_sheet_of_a_million_blank_rows_is_read_without_keeping_them() -> None:
    # A generator stands for openpyxl's streaming reader: the rows are never all in memory.
    header = list(NAMES)
    filled = [row(1)[name] for name in NAMES]

    def sheet() -> Iterator[list[str]]:
        yield header
        yield filled
        for _ in range(1_000_000):
            yield [""] * len(header)

    kept = _first_rows(sheet(), 20000)
    assert len(kept) == 20001  # the header, the filled row and blank rows up to the limit


@override_settings(MEESAQ_IMPORT_MAX_ROWS=3)
def test_a_filled_row_past_the_limit_is_refused_even_after_blank_rows() -> None:
    rows = [row(n) for n in range(1, 4)]
    lines = [",".join(NAMES)] + [",".join(r[name] for name in NAMES) for r in rows]
    data = "\n".join([*lines, ",,,", ",,,", ",".join(row(9)[name] for name in NAMES)]).encode()
    with pytest.raises(MeesaqError) as refused:
        read_rows(data, file_name="register.csv")
    assert refused.value.code == "too_many_rows"
    _header, kept = read_rows("\n".join([*lines, ",,,", ",,,"]).encode(), file_name="x.csv")
    assert len(kept) == 3  # trailing blank rows never count


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04" + b"\x00" * 200,  # a zip header and nothing behind it
        _xlsx([row(1)])[:600],  # a spreadsheet cut short
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4,  # noise
    ],
    ids=["empty-zip", "truncated-xlsx", "noise"],
)
def test_a_damaged_spreadsheet_is_unreadable_not_an_error(data: bytes) -> None:
    with pytest.raises(MeesaqError) as refused:
        read_rows(data, file_name="register.xlsx")
    assert refused.value.code == "unreadable"


# --- Damaged and disguised files ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("scan.jpg", b"<!DOCTYPE html><html><script>fetch('/')</script></html>"),
        ("letter.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 64),
        ("report.docx", b"PK\x03\x04" + b"\x00" * 200),  # not a readable archive
        (
            "macro.docx",
            bomb({**DOCX_PARTS, "word/vbaProject.bin": b"x"}, member="a", unpacked_mb=0),
        ),
        ("inner.pdf", bomb({"evil.exe": b"MZ"}, member="b", unpacked_mb=0)),  # a plain zip
    ],
    ids=["svg-as-png", "html-as-jpeg", "elf-as-pdf", "broken-zip", "macros", "plain-zip"],
)
def test_disguised_files_are_refused_by_their_content(
    world: World, media: Path, name: str, data: bytes
) -> None:
    with pytest.raises(MeesaqError) as refused:
        _attach(world, name, data)
    assert refused.value.code == "file_type"
    assert not Attachment.objects.exists()
    assert _stored(media) == []


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        (
            "broken.pdf",
            b"%PDF-1.7\n1 0 obj << /Length 99999 >>\nstream\n\xff\xfe",
            "application/pdf",
        ),
        ("cut.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHD", "image/png"),
        ("cut.jpg", b"\xff\xd8\xff\xe0\x00\x10JF", "image/jpeg"),
        ("polyglot.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>", "application/pdf"),
    ],
    ids=["broken-pdf", "truncated-png", "truncated-jpeg", "pdf-html-polyglot"],
)
def test_damaged_files_are_kept_as_sent_and_only_ever_downloaded_as_attachments(
    *,
    world: World,
    media: Path,
    client_for: Callable[[User], Client],
    name: str,
    data: bytes,
    content_type: str,
) -> None:
    attachment = _attach(world, name, data)
    assert attachment.content_type == content_type
    url = reverse(
        "cases:attachment_download",
        kwargs={"reference": attachment.case.reference, "attachment_id": attachment.pk},
    )
    response = client_for(world.intake_officer).get(url)
    assert response.status_code == 200
    assert response.content == data
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    # The case page (and its summary PDF) only list the file; nothing parses it.
    page = client_for(world.intake_officer).get(attachment.case.get_absolute_url())
    assert page.status_code == 200


# --- What the user sees ---------------------------------------------------------------------


def test_the_staff_page_says_why_a_bomb_was_refused_in_urdu(
    world: World, media: Path, client_for: Callable[[User], Client]
) -> None:
    case = make_case(organisation=world.lahore_centre)
    data = bomb(DOCX_PARTS, member="word/media/x.bin", unpacked_mb=101)
    client = client_for(world.intake_officer)
    url = reverse("cases:attachment_upload", kwargs={"reference": case.reference})
    response = client.post(
        url.replace("/en/", "/ur/", 1),
        {"file": SimpleUploadedFile("report.docx", data, "application/octet-stream")},
        follow=True,
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "100 MB" in text
    assert "This file would unpack" not in text  # said in Urdu
    assert not Attachment.objects.exists()


def test_the_public_portal_refuses_a_bomb_naming_the_file() -> None:
    data = bomb(DOCX_PARTS, member="word/media/x.bin", unpacked_mb=101)
    with pytest.raises(MeesaqError) as refused:
        files_check([SimpleUploadedFile("evidence.docx", data, "application/octet-stream")])
    assert refused.value.code == "archive_too_large"
    assert str(refused.value.message).startswith("evidence.docx: ")


def test_the_api_refuses_a_bomb_in_its_error_shape(world: World, media: Path) -> None:
    case = make_case(organisation=world.lahore_centre)
    data = bomb(DOCX_PARTS, member="word/media/x.bin", unpacked_mb=101)
    headers = {"Authorization": f"Bearer {make_token(world.case_officer)}"}
    attached = Client().post(
        f"/api/v1/cases/{case.reference}/attachments",
        {"file": SimpleUploadedFile("report.docx", data, "application/octet-stream")},
        headers=headers,
    )
    assert attached.status_code == 422
    assert attached.json()["error"] == "archive_too_large"
    assert list(attached.json()["fields"]) == ["file"]
    sheet = _with_member(_xlsx([row(1)]), member="xl/media/padding.bin", unpacked_mb=101)
    imported = Client().post(
        "/api/v1/imports",
        {
            "file": SimpleUploadedFile("register.xlsx", sheet, "application/octet-stream"),
            "organisation": world.lahore_centre.code,
        },
        headers=headers,
    )
    assert imported.status_code == 422, imported.content
    assert json.loads(imported.content)["error"] == "archive_too_large"
    assert not Attachment.objects.exists()
    assert not ImportRun.objects.exists()
