"""The attachments part of the case page: the list, the upload, the access-checked download."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
)
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.cases import storage
from meesaq.cases.forms_attachments import AttachmentForm
from meesaq.cases.models import Case
from meesaq.cases.selectors.activity import attachment_for_user, case_attachments
from meesaq.cases.selectors.workflow import case_for_user
from meesaq.cases.services import attachments as services
from meesaq.cases.views.workflow import POST_ONLY, form_errors_message
from meesaq.core.errors import MeesaqError

if TYPE_CHECKING:
    from meesaq.accounts.models import User

UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._ -]+")


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return UNSAFE_ASCII.sub("_", plain).strip(" ._")


def content_disposition(filename: str) -> str:
    """Return an attachment header: an ASCII fallback name and the real one (RFC 5987)."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    fallback = (_ascii(stem) or "file") + (f".{_ascii(extension)}" if _ascii(extension) else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachments_section(
    *, request: HttpRequest, user: User, case: Case, identity_visible: bool | None = None
) -> dict[str, Any]:
    """Return the attachments section's context: the files and the upload form.

    File names often name people: they, and the download links, are shown only to users who
    may see the case's identity (the case page passes the decision it made).
    """
    names_visible = (
        policy.may_see_identity(user, case) if identity_visible is None else identity_visible
    )
    files = []
    for attachment in case_attachments(user=user, case=case):
        kind = storage.BY_CONTENT_TYPE.get(attachment.content_type)
        files.append(
            {
                "attachment": attachment,
                "name": attachment.original_name if names_visible else "",
                "kind": kind.label if kind else attachment.content_type,
                "url": reverse(
                    "cases:attachment_download",
                    kwargs={"reference": case.reference, "attachment_id": attachment.pk},
                )
                if names_visible
                else "",
            }
        )
    may_upload = policy.may(user, "cases.add_note", case)
    return {
        "case": case,
        "files": files,
        "names_visible": names_visible,
        "form": AttachmentForm(auto_id="id_attachment_%s") if may_upload else None,
        "upload_url": reverse("cases:attachment_upload", kwargs={"reference": case.reference}),
    }


@page("cases.list")
def attachment_upload(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Attach a file to the case (POST, multipart)."""
    user = policy.acting_user(request)
    case = case_for_user(user=user, reference=reference)
    if request.method != "POST":
        return HttpResponseNotAllowed(POST_ONLY)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors_message(form))
        return redirect(case.get_absolute_url())
    try:
        services.attachment_add(
            actor=user, case=case, upload=form.cleaned_data["file"], request=request
        )
    except MeesaqError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The file is attached and stored encrypted."))
    return redirect(case.get_absolute_url())


@page("cases.list")
def attachment_download(
    request: HttpRequest, reference: str, attachment_id: int
) -> HttpResponseBase:
    """Send a decrypted file to someone who may see the case's identities; audited."""
    user = policy.acting_user(request)
    case = case_for_user(user=user, reference=reference)
    attachment = attachment_for_user(user=user, case=case, attachment_id=attachment_id)
    # Files often identify people: without identity access the file does not exist for you.
    if not policy.may_see_identity(user, case):
        raise Http404
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    try:
        download = services.attachment_download(user=user, attachment=attachment, request=request)
    except MeesaqError as error:
        messages.error(request, str(error.message))
        return redirect(case.get_absolute_url())
    response = HttpResponse(download.data, content_type=download.content_type)
    response["Content-Disposition"] = content_disposition(download.filename)
    response["Content-Length"] = str(len(download.data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
