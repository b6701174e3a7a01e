"""Writes of attachments: accept a file by its content, store it encrypted, audit downloads."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.audit.services import DetailValue, audit_record
from meesaq.cases import storage
from meesaq.cases.models import Attachment, Case, CaseAction
from meesaq.core.archives import check_archive
from meesaq.core.errors import MeesaqError
from meesaq.crypto.keyring import CryptoError

if TYPE_CHECKING:
    from meesaq.accounts.models import User

NAME_MAX = 120


def max_upload_bytes() -> int:
    """Return the largest file accepted, from MEESAQ_MAX_UPLOAD_MB."""
    return int(settings.MEESAQ_MAX_UPLOAD_MB) * 1024 * 1024


def accepted_types_label() -> str:
    """Return the accepted kinds of file, for help texts and refusals."""
    return ", ".join(kind.label for kind in storage.ACCEPTED)


def clean_file_name(name: str) -> str:
    """Return a harmless file name: no folders, no control characters, not too long."""
    base = PurePath(name.replace("\\", "/")).name
    text = "".join(
        ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C"
    )
    text = text.replace('"', "'").strip(" .")
    stem, dot, extension = text.rpartition(".")
    if not dot:
        stem, extension = text, ""
    stem = stem[: NAME_MAX - len(extension) - 1] if extension else text[:NAME_MAX]
    return (f"{stem}.{extension}" if extension else stem) or "file"


def download_name(attachment: Attachment) -> str:
    """Return the name to save a file under: the original stem with the extension of its type."""
    kind = storage.BY_CONTENT_TYPE.get(attachment.content_type)
    name = clean_file_name(attachment.original_name)
    if kind is None:
        return name
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem}{kind.extension}"


def _read_limited(upload: UploadedFile, limit: int) -> bytes:
    too_big = MeesaqError(
        _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)},
        code="file_too_large",
        fields={"file": [_("This file is too large.")]},
    )
    if upload.size is not None and upload.size > limit:
        raise too_big
    parts: list[bytes] = []
    total = 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > limit:
            raise too_big
        parts.append(chunk)
    return b"".join(parts)


def read_checked(
    upload: UploadedFile, *, limit: int | None = None
) -> tuple[bytes, storage.FileType]:
    """Return an upload's bytes and type, refusing one too large, empty or of a refused type."""
    data = _read_limited(upload, limit if limit is not None else max_upload_bytes())
    if not data:
        raise MeesaqError(
            _("The file is empty."), code="file_empty", fields={"file": [_("The file is empty.")]}
        )
    check_archive(data)
    kind = storage.detect_type(data)
    if kind is None:
        message = _(
            "This kind of file cannot be attached. Accepted: %(kinds)s (the file's content "
            "decides, not its name)."
        ) % {"kinds": accepted_types_label()}
        raise MeesaqError(message, code="file_type", fields={"file": [message]})
    return data, kind


def _store_attachment(
    *,
    case: Case,
    upload: UploadedFile,
    action: CaseAction | None,
    actor: User | None,
    request: HttpRequest | None,
    from_complainant: bool = False,
) -> Attachment:
    data, kind = read_checked(upload)
    storage_name = storage.store(data)
    try:
        with transaction.atomic():
            attachment = Attachment(
                case=case,
                action=action,
                uploaded_by=actor,
                original_name=clean_file_name(upload.name or "file"),
                content_type=kind.content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                storage_name=storage_name,
                from_complainant=from_complainant,
            )
            attachment.full_clean()
            attachment.save()
            detail: dict[str, DetailValue] = {
                "attachment_id": attachment.pk,
                "content_type": kind.content_type,
                "size": len(data),
            }
            if from_complainant:
                detail["from_complainant"] = True
            audit_record(
                actor=actor,
                action="cases.attachment_added",
                target=case,
                request=request,
                detail=detail,
            )
    except BaseException:
        # No row points to the file: remove it rather than leave an orphan on disk.
        storage.discard(storage_name)
        raise
    return attachment


def attachment_add_from_complainant(
    *,
    case: Case,
    upload: UploadedFile,
    action: CaseAction | None = None,
    request: HttpRequest | None = None,
) -> Attachment:
    """Attach a file the complainant sent through the portal, checked by content, encrypted.

    Called only by the portal's services after the complainant's code and PIN were checked.
    """
    if action is not None and action.case_id != case.pk:
        raise MeesaqError(
            _("The file must belong to an entry of the same case."), code="action_other_case"
        )
    return _store_attachment(
        case=case,
        upload=upload,
        action=action,
        actor=None,
        request=request,
        from_complainant=True,
    )


def attachment_add(
    *,
    actor: User,
    case: Case,
    upload: UploadedFile,
    action: CaseAction | None = None,
    request: HttpRequest | None = None,
) -> Attachment:
    """Attach a file to a case: checked by content and size, encrypted at rest, audited."""
    if not policy.may(actor, "cases.add_note", case):
        raise MeesaqError(_("Your role cannot add files to this case."), code="forbidden")
    if action is not None and action.case_id != case.pk:
        raise MeesaqError(
            _("The file must belong to an entry of the same case."), code="action_other_case"
        )
    return _store_attachment(case=case, upload=upload, action=action, actor=actor, request=request)


@dataclass(frozen=True)
class Download:
    """A decrypted file ready to send."""

    data: bytes
    content_type: str
    filename: str


def attachment_download(
    *, user: User, attachment: Attachment, request: HttpRequest | None = None
) -> Download:
    """Decrypt an attachment for someone who may see the case's identities, and audit it."""
    if not policy.may_see_identity(user, attachment.case):
        raise MeesaqError(_("You cannot open this file."), code="forbidden")
    try:
        data = storage.load(attachment.storage_name)
    except (FileNotFoundError, ValueError) as error:
        raise MeesaqError(
            _("This file is missing from storage. Tell your administrator."), code="file_missing"
        ) from error
    except CryptoError as error:
        raise MeesaqError(
            _("This file failed its integrity check. Tell your administrator."),
            code="file_damaged",
        ) from error
    audit_record(
        actor=user,
        action="cases.attachment_downloaded",
        target=attachment,
        request=request,
        detail={"case_id": attachment.case_id},
    )
    return Download(
        data=data, content_type=attachment.content_type, filename=download_name(attachment)
    )
