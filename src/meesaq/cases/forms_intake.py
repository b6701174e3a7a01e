"""The intake form: a new complaint as staff record it; the service validates what matters."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meesaq.accounts.models import User
from meesaq.cases.models import AffectedGroup, Category, Channel
from meesaq.cases.selectors.intake import (
    intake_categories,
    intake_district_choices,
    intake_districts,
    intake_groups,
    intake_organisations,
    intake_tehsil_choices,
)
from meesaq.cases.services.intake import LATITUDE_RANGE, LONGITUDE_RANGE
from meesaq.core.errors import MeesaqError
from meesaq.core.fields import LocalDateField, LocalDateTimeField
from meesaq.geo.models import AdminUnit
from meesaq.orgs.models import Organisation

# The channels through which staff receive complaints (portal and SMS cases arrive by themselves).
STAFF_CHANNELS = [
    (channel.value, channel.label)
    for channel in (Channel.WALK_IN, Channel.PHONE, Channel.LETTER, Channel.REFERRAL, Channel.MEDIA)
]
# The browser's datetime-local value (2026-03-14T09:30), and what people type without it.
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
RISK_FIELDS = (
    "risk_threat_to_life",
    "risk_ongoing_violence",
    "risk_child_involved",
    "risk_mob_threat",
    "risk_displacement",
)


class TermChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # stubs: generic model
    """A taxonomy term shown by its label in the active language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class TermMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # ditto
    """Several taxonomy terms shown by their labels in the active language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class OrganisationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # ditto
    """An organisation shown by its name in the active language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class IntakeForm(forms.Form):
    """A new complaint; district and tehsil choices are limited to the user's jurisdiction."""

    organisation = OrganisationChoiceField(
        label=_("Recorded for"), queryset=Organisation.objects.none(), empty_label=None
    )
    received_at = LocalDateTimeField(
        label=_("Received at"),
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Date and time in Pakistan time."),
    )
    channel = forms.ChoiceField(label=_("How it came in"), choices=STAFF_CHANNELS)
    district = forms.ChoiceField(
        label=_("District"),
        error_messages={"invalid_choice": _("Choose a district in your jurisdiction.")},
    )
    tehsil = forms.ChoiceField(
        label=_("Tehsil"),
        required=False,
        error_messages={"invalid_choice": _("Choose a tehsil of the chosen district.")},
    )
    police_station = forms.CharField(label=_("Police station"), max_length=150, required=False)
    place = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        help_text=_("Village, area or street where it happened."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=8,
        decimal_places=5,
        min_value=LATITUDE_RANGE[0],
        max_value=LATITUDE_RANGE[1],
        widget=forms.NumberInput(attrs={"step": "0.00001", "inputmode": "decimal"}),
        help_text=_("For example 31.52040"),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=8,
        decimal_places=5,
        min_value=LONGITUDE_RANGE[0],
        max_value=LONGITUDE_RANGE[1],
        widget=forms.NumberInput(attrs={"step": "0.00001", "inputmode": "decimal"}),
        help_text=_("For example 74.35870"),
    )
    incident_on = LocalDateField(
        label=_("Date of the incident"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    category = TermChoiceField(label=_("Category"), queryset=Category.objects.none())
    groups = TermMultipleChoiceField(
        label=_("Affected groups"),
        queryset=AffectedGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(
        label=_("Short title"),
        max_length=150,
        help_text=_("A few words about what happened. Write no names: the title is searchable."),
    )
    narrative = forms.CharField(
        label=_("What happened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Stored encrypted; only staff who need to know can read it."),
    )
    consent_contact = forms.BooleanField(
        label=_("The complainant agrees to be contacted by SMS or phone"), required=False
    )
    consent_share = forms.BooleanField(
        label=_("The complainant agrees that details may be shared with partner organisations"),
        required=False,
    )
    recorded_on_behalf = forms.BooleanField(
        label=_("Recorded on behalf of the complainant"),
        required=False,
        help_text=_("For example a helpline call or a complainant who cannot write."),
    )
    risk_threat_to_life = forms.BooleanField(label=_("Threat to life"), required=False)
    risk_ongoing_violence = forms.BooleanField(label=_("Violence is ongoing"), required=False)
    risk_child_involved = forms.BooleanField(label=_("A child is involved"), required=False)
    risk_mob_threat = forms.BooleanField(label=_("Threat from a mob"), required=False)
    risk_displacement = forms.BooleanField(
        label=_("People have been displaced or must leave"), required=False
    )
    # Only to look for earlier cases of the same person; never saved with the case.
    check_cnic = forms.CharField(label=_("Complainant's CNIC"), max_length=20, required=False)
    check_phone = forms.CharField(label=_("Complainant's phone"), max_length=20, required=False)
    check_name = forms.CharField(label=_("Complainant's name"), max_length=150, required=False)
    confirm_new = forms.BooleanField(
        label=_("This is a new complaint, not one of the cases shown"), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = intake_organisations(user=user)
        organisation_field = cast(OrganisationChoiceField, self.fields["organisation"])
        organisation_field.queryset = organisations
        self._only_organisation = organisations[0] if len(organisations) == 1 else None
        if self._only_organisation is not None:
            # One organisation: nothing to choose, so the field is hidden and may be left out.
            organisation_field.widget = forms.HiddenInput()
            organisation_field.initial = self._only_organisation.pk
            organisation_field.required = False
        self._districts = {d.pcode: d for d in intake_districts(user=user)}
        districts = list(self._districts.values())
        district_field = cast(forms.ChoiceField, self.fields["district"])
        district_field.choices = [("", "—"), *intake_district_choices(districts=districts)]
        if len(districts) == 1:
            district_field.initial = districts[0].pcode
        tehsil_field = cast(forms.ChoiceField, self.fields["tehsil"])
        tehsil_field.choices = [("", "—"), *intake_tehsil_choices(districts=districts)]
        cast(TermChoiceField, self.fields["category"]).queryset = intake_categories()
        cast(TermMultipleChoiceField, self.fields["groups"]).queryset = intake_groups()
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["narrative"].widget.attrs["dir"] = "auto"
        self.fields["title"].widget.attrs["dir"] = "auto"
        self.fields["place"].widget.attrs["dir"] = "auto"
        self.fields["check_name"].widget.attrs["dir"] = "auto"
        for name in ("check_cnic", "check_phone", "check_name"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    @property
    def categories(self) -> list[Category]:
        """Return the categories offered, for the explanations under the select."""
        return list(cast(TermChoiceField, self.fields["category"]).queryset or [])

    @property
    def risk_fields(self) -> list[forms.BoundField]:
        """Return the risk checklist's fields, in order."""
        return [self[name] for name in RISK_FIELDS]

    def clean_organisation(self) -> Organisation | None:
        """Return the chosen organisation, or the user's only one."""
        chosen: Organisation | None = self.cleaned_data.get("organisation")
        return chosen or self._only_organisation

    def clean_district(self) -> AdminUnit:
        """Return the chosen district (one of those offered)."""
        district = self._districts.get(self.cleaned_data["district"])
        if district is None:
            raise forms.ValidationError(_("Choose a district in your jurisdiction."))
        return district

    def clean_tehsil(self) -> AdminUnit | None:
        """Return the chosen tehsil, if any."""
        pcode = self.cleaned_data["tehsil"]
        return AdminUnit.objects.filter(pcode=pcode).first() if pcode else None

    def clean(self) -> dict[str, Any]:
        """Check that the tehsil lies in the district."""
        data = super().clean() or {}
        district, tehsil = data.get("district"), data.get("tehsil")
        if district is not None and tehsil is not None and tehsil.parent_id != district.pk:
            self.add_error("tehsil", _("This tehsil is not in the chosen district."))
        return data


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
