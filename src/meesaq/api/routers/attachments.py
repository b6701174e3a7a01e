"""Files of a case: listed (names hidden without need to know), uploaded, downloaded (audited)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.params.functions import Path as PathParam

from meesaq.access import policy
from meesaq.api.auth import acting
from meesaq.api.errors import ERRORS, READ_ERRORS
from meesaq.api.lookups import case_for
from meesaq.cases.models import Attachment
from meesaq.cases.selectors.activity import attachment_for_user, case_attachments
from meesaq.cases.services.attachments import attachment_add, attachment_download
from meesaq.cases.views.attachments import content_disposition

router = Router(tags=["attachments"])


class AttachmentOut(Schema):
    """A file on a case; its name only with need to know (names often hold names)."""

    id: int
    name: str = Field(examples=["File 1"])
    content_type: str = Field(examples=["application/pdf"])
    size: int
    uploaded_at: datetime


class AttachmentListOut(Schema):
    """A case's files, oldest first."""

    items: list[AttachmentOut]


def attachment_out(attachment: Attachment, number: int, *, visible: bool) -> AttachmentOut:
    """Return a file's description as the user may read it."""
    return AttachmentOut(
        id=attachment.pk,
        name=attachment.original_name if visible else _("File %(number)d") % {"number": number},
        content_type=attachment.content_type,
        size=attachment.size,
        uploaded_at=attachment.uploaded_at,
    )


def _reference() -> Any:
    return PathParam(..., max_length=32, example="PB-LHR-2026-000123")


@router.get(
    "/cases/{reference}/attachments",
    response={200: AttachmentListOut, **READ_ERRORS},
    summary="List a case's files",
    operation_id="attachments_list",
)
def attachments_list(request: HttpRequest, reference: str = _reference()) -> Any:
    """List the files on a case, oldest first."""
    user = acting(request)
    case = case_for(user, reference)
    visible = policy.may_see_identity(user, case)
    rows = case_attachments(user=user, case=case)
    return AttachmentListOut(
        items=[attachment_out(row, n, visible=visible) for n, row in enumerate(rows, start=1)]
    )


@router.post(
    "/cases/{reference}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="Upload a file to a case",
    operation_id="attachments_create",
)
def attachments_create(
    request: HttpRequest, file: File[UploadedFile], reference: str = _reference()
) -> Any:
    """Upload a file (checked by its content, stored encrypted)."""
    user = acting(request)
    case = case_for(user, reference)
    attachment = attachment_add(actor=user, case=case, upload=file, request=request)
    number = len(case_attachments(user=user, case=case))
    return Status(
        201, attachment_out(attachment, number, visible=policy.may_see_identity(user, case))
    )


@router.get(
    "/cases/{reference}/attachments/{attachment_id}/content",
    response=READ_ERRORS,
    summary="Download a file",
    operation_id="attachments_download",
    openapi_extra={
        "responses": {
            "200": {
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                }
            }
        }
    },
)
def attachments_download(
    request: HttpRequest,
    reference: str = _reference(),
    attachment_id: int = PathParam(..., ge=1, le=2**62, example=3),
) -> Any:
    """Download a file decrypted; only with sight of the case's identities, and audited."""
    user = acting(request)
    case = case_for(user, reference)
    attachment = attachment_for_user(user=user, case=case, attachment_id=attachment_id)
    if not policy.may_see_identity(user, case):
        raise Http404
    download = attachment_download(user=user, attachment=attachment, request=request)
    response = HttpResponse(download.data, content_type=download.content_type)
    response["Content-Disposition"] = content_disposition(download.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
