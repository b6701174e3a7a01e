"""The case page's call-back form and the administrators' deadline settings forms."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from meesaq.cases.models import Category, Priority
from meesaq.core.fields import LocalDateField, LocalDateTimeField
from meesaq.sla.models import ContactResult, DeadlineRule
from meesaq.sla.services import DURATION_MAX, RULE_DURATIONS


class FirstContactForm(forms.Form):
    result = forms.ChoiceField(label=_("Result of the call"), choices=ContactResult.choices)
    at = LocalDateTimeField(
        label=_("Called at"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


def _rule_label(name: str) -> str:
    field = DeadlineRule._meta.get_field(name)
    return str(field.verbose_name) if isinstance(field, models.Field) else name


def _duration(name: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=_rule_label(name), min_value=1, max_value=DURATION_MAX, localize=False
    )


class DeadlineRuleForm(forms.Form):
    """The durations of one rule."""

    first_contact_hours = _duration("first_contact_hours")
    first_action_hours = _duration("first_action_hours")
    stage_days = _duration("stage_days")
    resolution_days = _duration("resolution_days")
    referral_ack_hours = _duration("referral_ack_hours")

    def durations(self) -> dict[str, int]:
        """Return the cleaned durations by field name."""
        return {name: int(self.cleaned_data[name]) for name in RULE_DURATIONS}


class OverrideForm(DeadlineRuleForm):
    """A new rule for one category and priority."""

    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True)
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    field_order = ["category", "priority", *RULE_DURATIONS]


WEEKDAY_CHOICES = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


class EscalationSettingsForm(forms.Form):
    """The weekend, office hours and escalation delays."""

    weekend = forms.MultipleChoiceField(
        label=_("Weekend days"),
        choices=WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    office_opens = forms.TimeField(
        label=_("Office opens"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    office_closes = forms.TimeField(
        label=_("Office closes"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    division_after_days = forms.IntegerField(
        label=_("Escalate to the division after (working days overdue)"),
        min_value=1,
        max_value=DURATION_MAX,
    )
    province_after_days = forms.IntegerField(
        label=_("Escalate to the provincial office after (working days overdue)"),
        min_value=1,
        max_value=DURATION_MAX,
    )

    def weekend_days(self) -> frozenset[int]:
        """Return the chosen weekend as weekday numbers."""
        return frozenset(int(day) for day in self.cleaned_data["weekend"])


class HolidayForm(forms.Form):
    """A day off an administrator adds."""

    date = LocalDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    name_en = forms.CharField(label=_("Name in English"), max_length=120)
    name_ur = forms.CharField(
        label=_("Name in Urdu"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ur"}),
    )
