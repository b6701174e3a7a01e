"""Forms for the organisation directory and for administrators' changes."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from meesaq.core.errors import MeesaqError
from meesaq.geo.models import AdminUnit, Level
from meesaq.geo.selectors import unit_choices, unit_get
from meesaq.orgs.models import Organisation, OrganisationKind

PLACE_LEVELS = (Level.PROVINCE, Level.DISTRICT)


class OrganisationFilterForm(forms.Form):
    """The directory's filters: kind, place (a province or a district) and text."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *OrganisationKind.choices]
    )
    place = forms.ChoiceField(label=_("Place"), required=False)
    q = forms.CharField(label=_("Name or code"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = cast(forms.ChoiceField, self.fields["place"])
        place.choices = [("", _("Anywhere")), *unit_choices(levels=PLACE_LEVELS)]

    def clean_place(self) -> AdminUnit | None:
        """Return the chosen unit, if any."""
        pcode = self.cleaned_data["place"]
        return unit_get(pcode) if pcode else None


class OrganisationForm(forms.Form):
    """An organisation's details; the jurisdiction is chosen from a list or typed as a P-code."""

    name_en = forms.CharField(label=_("Name in English"), max_length=200)
    name_ur = forms.CharField(label=_("Name in Urdu"), max_length=200, required=False)
    code = forms.SlugField(
        label=_("Short code"),
        max_length=40,
        help_text=_("Letters, digits and hyphens; used in references, e.g. lhr-police-centre."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    place = forms.ChoiceField(
        label=_("Jurisdiction"),
        help_text=_("The province or district the organisation serves."),
    )
    place_pcode = forms.CharField(
        label=_("Or its P-code"),
        required=False,
        max_length=16,
        help_text=_(
            "For a division or a tehsil, type its P-code (e.g. PK61701); it wins over the list."
        ),
    )
    parent = forms.ChoiceField(label=_("Parent organisation"), required=False)

    def __init__(
        self,
        *args: Any,
        parent_choices: list[tuple[str, str]],
        organisation: Organisation | None = None,
        **kwargs: Any,
    ) -> None:
        if organisation is not None:
            unit = organisation.jurisdiction
            in_list = unit.level in PLACE_LEVELS
            kwargs.setdefault(
                "initial",
                {
                    "name_en": organisation.name_en,
                    "name_ur": organisation.name_ur,
                    "code": organisation.code,
                    "kind": organisation.kind,
                    "place": unit.pcode if in_list else "",
                    "place_pcode": "" if in_list else unit.pcode,
                    "parent": str(organisation.parent_id or ""),
                },
            )
        super().__init__(*args, **kwargs)
        place = cast(forms.ChoiceField, self.fields["place"])
        parent = cast(forms.ChoiceField, self.fields["parent"])
        place.choices = [("", "—"), *unit_choices(levels=PLACE_LEVELS)]
        # One of the two is required: a typed P-code makes the list optional.
        place.required = not str(self.data.get("place_pcode", "")).strip()
        parent.choices = [("", _("None")), *parent_choices]
        # The current parent stays choosable even when it is inactive.
        if organisation is not None and organisation.parent is not None:
            current = str(organisation.parent_id)
            if current not in {value for value, _label in parent_choices}:
                parent.choices = [*parent.choices, (current, organisation.parent.name)]
        self.fields["name_ur"].widget.attrs.update({"lang": "ur", "dir": "rtl"})
        self.fields["place_pcode"].widget.attrs.update({"class": "mono"})
        self.fields["code"].widget.attrs.update({"class": "mono"})

    def clean(self) -> dict[str, Any]:
        """Resolve the jurisdiction from the typed P-code or the list."""
        data = super().clean() or {}
        typed = (data.get("place_pcode") or "").strip()
        chosen = data.get("place") or ""
        if typed:
            unit = unit_get(typed)
            if unit is None:
                self.add_error("place_pcode", _("No place has this P-code."))
        elif chosen:
            unit = unit_get(chosen)
        else:
            unit = None
            if "place" not in self.errors:
                self.add_error("place", _("Choose the jurisdiction, or type its P-code."))
        data["jurisdiction"] = unit
        return data


def add_service_error(form: forms.Form, error: MeesaqError) -> None:
    """Show a service's refusal on the form, next to the fields it names."""
    shown = False
    for name, messages in error.fields.items():
        target = "place" if name == "jurisdiction" else name
        if target in form.fields:
            for message in messages:
                form.add_error(target, str(message))
            shown = True
    if not shown:
        form.add_error(None, str(error.message))
