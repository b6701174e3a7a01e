"""The form that uploads a register to import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meesaq.orgs.models import Organisation


class UploadForm(forms.Form):
    """Which organisation owns the cases, and the file."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("Use the template's columns; the file is checked before anything is imported."),
    )

    def __init__(self, *args: object, organisations: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's own signature
        field = self.fields["organisation"]
        field.queryset = organisations  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["file"].widget.attrs.update(
            {
                "accept": ".csv,.xlsx",
            }
        )
