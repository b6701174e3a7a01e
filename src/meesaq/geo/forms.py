"""Forms for administrators' changes to places; the services do the validating that matters."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from meesaq.core.errors import MeesaqError
from meesaq.geo.models import AdminUnit, Level
from meesaq.geo.selectors import unit_choices, unit_get

NEW_LEVEL_CHOICES = [
    (Level.DIVISION.value, Level.DIVISION.label),
    (Level.DISTRICT.value, Level.DISTRICT.label),
    (Level.TEHSIL.value, Level.TEHSIL.label),
]


class UnitSearchForm(forms.Form):
    """The search box above the tree."""

    q = forms.CharField(label=_("Find a place"), required=False, max_length=100)


class UnitCreateForm(forms.Form):
    """A new division, district or tehsil."""

    parent = forms.ChoiceField(label=_("Inside"))
    level = forms.TypedChoiceField(label=_("Level"), choices=NEW_LEVEL_CHOICES, coerce=int)
    pcode = forms.CharField(
        label=_("P-code"),
        max_length=16,
        help_text=_("Letters and digits, starting with the province's code, e.g. PK637."),
    )
    name_en = forms.CharField(label=_("Name in English"), max_length=120)
    name_ur = forms.CharField(label=_("Name in Urdu"), max_length=120, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent_field = cast(forms.ChoiceField, self.fields["parent"])
        parent_field.choices = [
            ("", "—"),
            *unit_choices(levels=(Level.PROVINCE, Level.DIVISION, Level.DISTRICT), tree=True),
        ]
        self.fields["name_ur"].widget.attrs.update({"lang": "ur", "dir": "rtl"})
        self.fields["pcode"].widget.attrs.update({"class": "mono", "autocapitalize": "characters"})

    def clean_parent(self) -> AdminUnit:
        """Return the chosen parent unit."""
        unit = unit_get(self.cleaned_data["parent"])
        if unit is None:
            raise forms.ValidationError(_("Choose the place the new unit lies in."))
        return unit


class UnitNamesForm(forms.Form):
    """A unit's names; the English one only for units added here."""

    name_en = forms.CharField(label=_("Name in English"), max_length=120)
    name_ur = forms.CharField(label=_("Name in Urdu"), max_length=120, required=False)

    def __init__(self, *args: Any, unit: AdminUnit, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"name_en": unit.name_en, "name_ur": unit.name_ur})
        super().__init__(*args, **kwargs)
        self.fields["name_ur"].widget.attrs.update({"lang": "ur", "dir": "rtl"})
        if not unit.added_by_admin:
            self.fields["name_en"].disabled = True
            self.fields["name_en"].help_text = _(
                "From the reference data; it is refreshed when the places are reloaded."
            )


def add_service_error(form: forms.Form, error: MeesaqError) -> None:
    """Show a service's refusal on the form, next to the fields it names."""
    shown = False
    for name, messages in error.fields.items():
        if name in form.fields:
            for message in messages:
                form.add_error(name, str(message))
            shown = True
    if not shown:
        form.add_error(None, str(error.message))
