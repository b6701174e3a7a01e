"""The form of the attachments part: one file to upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meesaq.cases.services.attachments import accepted_types_label, max_upload_bytes

ACCEPT = ".jpg,.jpeg,.png,.webp,.pdf,.mp3,.ogg,.m4a,.wav,.docx,.xlsx,.odt"


class AttachmentForm(forms.Form):
    """A file for the case; its content, not its name, decides whether it is accepted."""

    file = forms.FileField(label=_("File"), widget=forms.FileInput(attrs={"accept": ACCEPT}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "%(kinds)s; at most %(mb)d MB. Files are stored encrypted."
        ) % {"kinds": accepted_types_label(), "mb": max_upload_bytes() // (1024 * 1024)}
