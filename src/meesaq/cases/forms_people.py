"""Forms for the people on a case: add (with the known-person check), link, correct."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.utils.translation import gettext_lazy as _

from meesaq.cases.models import AgeBand, Faith, Gender, PersonRole
from meesaq.core.errors import MeesaqError
from meesaq.crypto.blind_index import normalise_cnic, normalise_phone

# Names and addresses may be typed in Urdu or English: let the browser pick the direction.
_FREE_TEXT = {"dir": "auto", "autocomplete": "off"}


def _normalised(value: str, normalise: Callable[[str], str]) -> str:
    if not value.strip():
        return ""
    try:
        return normalise(value)
    except MeesaqError as error:
        raise forms.ValidationError(str(error.message), code=error.code) from error


class PersonFieldsForm(forms.Form):
    """A person's identity (all optional) and demographics."""

    full_name = forms.CharField(
        label=_("Name"), required=False, max_length=200, widget=forms.TextInput(_FREE_TEXT)
    )
    relative_name = forms.CharField(
        label=_("Father's or husband's name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(_FREE_TEXT),
    )
    cnic = forms.CharField(
        label=_("CNIC"),
        required=False,
        max_length=40,
        help_text=_("13 digits, like 35202-1234567-1."),
        widget=forms.TextInput({"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        help_text=_("Like 0300-1234567 or 042-35761234."),
        widget=forms.TextInput({"inputmode": "tel", "dir": "ltr", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=500,
        widget=forms.Textarea({**_FREE_TEXT, "rows": 2}),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    age_band = forms.ChoiceField(label=_("Age"), choices=AgeBand.choices, initial=AgeBand.UNKNOWN)
    faith = forms.ChoiceField(label=_("Faith"), choices=Faith.choices, initial=Faith.UNKNOWN)
    disability = forms.BooleanField(label=_("Has a disability"), required=False)

    def clean_cnic(self) -> str:
        """Return the CNIC as 13 digits, or "" when none was given."""
        return _normalised(self.cleaned_data["cnic"], normalise_cnic)

    def clean_phone(self) -> str:
        """Return the phone number in +92 form, or "" when none was given."""
        return _normalised(self.cleaned_data["phone"], normalise_phone)


class PersonAddForm(PersonFieldsForm):
    """Add a person to a case; ``add_as_new`` skips the offer to link a known person."""

    role = forms.ChoiceField(label=_("Role in the case"), choices=PersonRole.choices)
    add_as_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    field_order = ["role"]


class PersonLinkForm(forms.Form):
    """Link a known person (chosen from the offered matches) to the case in a role."""

    person_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role in the case"), choices=PersonRole.choices)
