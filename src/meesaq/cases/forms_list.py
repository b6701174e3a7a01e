"""The case list's filters and search box (every field optional; see search_terms)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.accounts.models import User
from meesaq.cases.models import Channel, Moderation, Priority, Status
from meesaq.cases.selectors.cases import CaseFilters, case_officer_choices
from meesaq.cases.selectors.intake import intake_categories, intake_groups
from meesaq.cases.timeliness import SATISFACTION_CHOICES, TIMELINESS_CHOICES
from meesaq.core.fields import LocalDateField
from meesaq.geo.models import Level
from meesaq.geo.selectors import unit_choices, unit_get

ANY = ("", _("Any"))
SORT_CHOICES = [
    ("newest", _("Received, newest first")),
    ("oldest", _("Received, oldest first")),
    ("priority", _("Priority, most urgent first")),
]


class CaseListForm(forms.Form):
    """Filters, sort and search for the case list."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("A reference, words of the title, a CNIC, a phone number or a name."),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[ANY, *Status.choices])
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[ANY, *Priority.choices]
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    group = forms.ChoiceField(label=_("Affected group"), required=False)
    place = forms.ChoiceField(label=_("Place"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[ANY, *Channel.choices])
    moderation = forms.ChoiceField(
        label=_("Moderation"), required=False, choices=[ANY, *Moderation.choices]
    )
    assigned = forms.ChoiceField(label=_("Case officer"), required=False)
    overdue = forms.BooleanField(
        label=_("Only cases waiting too long for a first action"),
        required=False,
        help_text=_("Urgent: 24 hours; high: 72 hours; normal: 7 days."),
    )
    received_from = LocalDateField(
        label=_("Received from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    received_to = LocalDateField(
        label=_("Received until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=SORT_CHOICES)
    # The dashboards' drill-downs: service level, satisfaction, and referrals between two
    # organisations ("12-34", with the period the referrals were sent in).
    timeliness = forms.ChoiceField(
        label=_("Service level"), required=False, choices=[ANY, *TIMELINESS_CHOICES]
    )
    satisfaction = forms.ChoiceField(
        label=_("Complainant satisfaction"), required=False, choices=[ANY, *SATISFACTION_CHOICES]
    )
    referral = forms.RegexField(
        regex=r"^\d{1,10}-\d{1,10}$", required=False, widget=forms.HiddenInput
    )
    referred_from = LocalDateField(required=False, widget=forms.HiddenInput)
    referred_to = LocalDateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ANY,
            *((term.code, term.label) for term in intake_categories()),
        ]
        cast(forms.ChoiceField, self.fields["group"]).choices = [
            ANY,
            *((term.code, term.label) for term in intake_groups()),
        ]
        cast(forms.ChoiceField, self.fields["place"]).choices = [
            ANY,
            *unit_choices(
                levels=(Level.PROVINCE, Level.DIVISION, Level.DISTRICT, Level.TEHSIL),
                tree=True,
                within=policy.jurisdiction_paths(user),
            ),
        ]
        cast(forms.ChoiceField, self.fields["assigned"]).choices = [
            ANY,
            ("me", _("My cases")),
            ("none", _("Not assigned yet")),
            *case_officer_choices(user=user),
        ]
        self.fields["q"].widget.attrs.update({"type": "search", "dir": "auto"})

    def filters(self) -> CaseFilters:
        """Return the valid filters (an invalid one is shown with its error and ignored)."""
        data = self.cleaned_data if self.is_bound else {}
        place = data.get("place") or ""
        received_from, received_to = data.get("received_from"), data.get("received_to")
        if received_from and received_to and received_from > received_to:
            received_from, received_to = received_to, received_from
        return CaseFilters(
            status=data.get("status") or "",
            priority=data.get("priority") or "",
            category=data.get("category") or "",
            group=data.get("group") or "",
            place=unit_get(place) if place else None,
            channel=data.get("channel") or "",
            moderation=data.get("moderation") or "",
            assigned=data.get("assigned") or "",
            overdue=bool(data.get("overdue")),
            received_from=received_from,
            received_to=received_to,
            sort=data.get("sort") or "newest",
            query=data.get("q") or "",
            timeliness=data.get("timeliness") or "",
            satisfaction=data.get("satisfaction") or "",
            referral=data.get("referral") or "",
            referred_from=data.get("referred_from"),
            referred_to=data.get("referred_to"),
        )
