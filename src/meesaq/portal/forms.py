"""The portal's forms: one question per step, plain words, length limits on every field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meesaq.core.fields import LocalDateField
from meesaq.geo.models import AdminUnit
from meesaq.portal.codes import CODE_LENGTH, PIN_LENGTH
from meesaq.portal.selectors import CATEGORY_HELP, portal_categories, portal_groups
from meesaq.portal.services import NAME_MAX, NARRATIVE_MAX, PLACE_MAX

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


class CategoryForm(forms.Form):
    """What happened."""

    category = forms.ChoiceField(label=_("What happened?"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = list(portal_categories())
        self.fields["category"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            (category.code, category.label) for category in self.categories
        ]

    def options(self) -> list[dict[str, Any]]:
        """Return each choice with its short explanation, for the template."""
        chosen = self["category"].value()
        return [
            {
                "value": category.code,
                "label": category.label,
                "help": CATEGORY_HELP.get(category.code, ""),
                "checked": chosen == category.code,
            }
            for category in self.categories
        ]


class DistrictForm(forms.Form):
    """Where it happened: the district."""

    district = forms.ChoiceField(
        label=_("In which district did it happen?"),
        help_text=_("Your complaint goes to the office that serves this district."),
    )

    def __init__(self, *args: Any, districts: list[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            ("", _("Choose a district")),
            *((district.pcode, district.name) for district in districts),
        ]


class TehsilForm(forms.Form):
    """Where it happened: the tehsil and the place in words."""

    tehsil = forms.ChoiceField(label=_("Tehsil"), required=False)
    place = forms.CharField(
        label=_("Village, town or area"),
        required=False,
        max_length=PLACE_MAX,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("For example a village, a street or a landmark."),
    )

    def __init__(self, *args: Any, tehsils: list[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tehsil"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            ("", _("I am not sure")),
            *((tehsil.pcode, tehsil.name) for tehsil in tehsils),
        ]


class WhenForm(forms.Form):
    """When it happened."""

    incident_on = LocalDateField(
        label=_("When did it happen?"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave it empty if you do not know the date. Day/month/year is fine."),
    )


class GroupsForm(forms.Form):
    """Who was affected."""

    groups = forms.MultipleChoiceField(
        label=_("Who was affected?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick all that apply, or none."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            (group.code, group.label) for group in portal_groups()
        ]


class StoryForm(forms.Form):
    """The story in the complainant's words."""

    narrative = forms.CharField(
        label=_("Tell us what happened"),
        max_length=NARRATIVE_MAX,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        help_text=_("Who did what, where and when. Write in Urdu or English."),
    )


class DangerForm(forms.Form):
    """Is anyone in danger now (sets the priority; urgent complaints alert supervisors)."""

    danger_life = forms.BooleanField(label=_("Someone's life is threatened"), required=False)
    danger_mob = forms.BooleanField(label=_("A crowd threatens people"), required=False)
    danger_ongoing = forms.BooleanField(label=_("The violence is still going on"), required=False)
    danger_child = forms.BooleanField(label=_("A child is involved"), required=False)


class ContactForm(forms.Form):
    """How to reach the complainant, or stay anonymous."""

    ANONYMOUS, CONTACT = "anonymous", "contact"
    contact = forms.ChoiceField(
        label=_("May we contact you?"),
        widget=forms.RadioSelect,
        choices=[
            (CONTACT, _("Yes, here is how to reach me")),
            (ANONYMOUS, _("No, I want to stay anonymous")),
        ],
    )
    full_name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("For example 0300-1234567."),
    )
    consent_sms = forms.BooleanField(
        label=_("Send me an SMS with my tracking code"), required=False
    )
    consent_share = forms.BooleanField(
        label=_("My details may be shared with partner organisations that can help"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        """Ask for a name or a number unless the complainant stays anonymous."""
        data = super().clean() or {}
        if data.get("contact") == self.CONTACT and not (
            data.get("full_name", "").strip() or data.get("phone", "").strip()
        ):
            self.add_error(
                "full_name", _("Give a name or a phone number, or choose to stay anonymous.")
            )
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the services check each file's content and size."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        """Clean each file of the list."""
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [] if data in (None, "") else [super().clean(data, initial)]


class CheckForm(forms.Form):
    """The last step: evidence files, the honeypot, and sending."""

    attachments = MultipleFileField(label=_("Photos, documents or recordings"), required=False)
    # Hidden from people by the stylesheet; robots fill it in.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class TrackForm(forms.Form):
    """The tracking code and the PIN."""

    code = forms.CharField(
        label=_("Tracking code"),
        max_length=CODE_LENGTH + 6,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("For example K7M-4QX-92P."),
    )
    pin = forms.CharField(
        label=_("Secret PIN"),
        max_length=PIN_LENGTH + 4,
        # "new-password": never filled in from, nor offered to, a shared phone's password store.
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
    )


class AddInformationForm(forms.Form):
    """New information from the complainant."""

    text = forms.CharField(
        label=_("What do you want to add?"),
        required=False,
        max_length=NARRATIVE_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )
    attachments = MultipleFileField(label=_("Files"), required=False)


class RoutingRuleForm(forms.Form):
    """An administrator's routing rule."""

    category = forms.ModelChoiceField(
        label=_("Category"), queryset=portal_categories(), required=False, empty_label=_("Any")
    )
    group = forms.ModelChoiceField(
        label=_("Affected group"), queryset=portal_groups(), required=False, empty_label=_("Any")
    )
    district = forms.ChoiceField(label=_("District"), required=False)
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[type-arg]  # stubs: generic model
        label=_("Send to this organisation"), queryset=None, required=False
    )
    organisation_kind = forms.ChoiceField(
        label=_("… or to the district's organisation of this kind"), required=False
    )

    def __init__(
        self, *args: Any, organisations: Any, districts: list[AdminUnit], **kwargs: Any
    ) -> None:
        from meesaq.orgs.models import OrganisationKind

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["district"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            ("", _("Every district")),
            *((d.pcode, d.name) for d in districts),
        ]
        self.fields["organisation_kind"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            ("", "—"),
            *OrganisationKind.choices,
        ]
