"""Forms of the referral pages: refer, take a step, transfer, decide a transfer, filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meesaq.core.fields import LocalDateField
from meesaq.orgs.models import Organisation
from meesaq.referrals.models import ReferralStatus, SharedField

TEXT_MAX = 2000


class ReferralForm(forms.Form):
    """Refer a case to another organisation."""

    to_organisation = forms.ModelChoiceField(
        label=_("Refer to"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(
        label=_("Reason for the referral"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you ask them to do. Do not write names here."),
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("What to share"),
        choices=SharedField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "The narrative and the people's details are shared only when the complainant "
            "agreed to share."
        ),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["to_organisation"].queryset = organisations  # type: ignore[attr-defined]  # a ModelChoiceField


class StepForm(forms.Form):
    """Take one step on a referral."""

    step = forms.ChoiceField(
        choices=[
            ("accept", _("Accept")),
            ("decline", _("Decline")),
            ("request_info", _("Ask for more information")),
            ("answer", _("Answer")),
            ("record_service", _("Record a service")),
            ("complete", _("Complete")),
            ("withdraw", _("Withdraw")),
        ]
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    on = LocalDateField(
        label=_("Date of the service"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class TransferForm(forms.Form):
    """Ask another organisation to take the case over."""

    to_organisation = forms.ModelChoiceField(
        label=_("Transfer to"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(
        label=_("Reason for the transfer"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["to_organisation"].queryset = organisations  # type: ignore[attr-defined]  # a ModelChoiceField


class TransferDecisionForm(forms.Form):
    """Accept or decline a transfer."""

    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    reason = forms.CharField(label=_("Reason for declining"), max_length=500, required=False)


class ReferralFilterForm(forms.Form):
    """The filters of the referral list."""

    tab = forms.ChoiceField(
        choices=[
            ("incoming", _("Incoming")),
            ("outgoing", _("Outgoing")),
            ("transfers", _("Transfers")),
        ],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *ReferralStatus.choices], required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name_en"),
        required=False,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
