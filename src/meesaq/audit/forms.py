"""The auditor's filter form: plain GET fields that work without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meesaq.audit.selectors import AuditFilters
from meesaq.core.fields import LocalDateField

DATE_ERROR = _("Enter a date as YYYY-MM-DD, for example 2025-03-14.")


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(forms.Form):
    """Narrow the trail by day, person, action and object; also carries the page cursor."""

    date_from = LocalDateField(
        label=_("From (day)"),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": DATE_ERROR},
    )
    date_to = LocalDateField(
        label=_("To (day, included)"),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": DATE_ERROR},
    )
    actor = forms.CharField(label=_("Who (username)"), required=False, max_length=150)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        help_text=_("The action or its beginning: “identity.” finds every view of identity."),
    )
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=64,
        help_text=_("For example “cases.case”."),
    )
    object_id = forms.CharField(label=_("Object number"), required=False, max_length=64)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    after = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        """Refuse a period that ends before it starts."""
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start is not None and end is not None and start > end:
            self.add_error("date_to", _("The end day must be on or after the start day."))
        bad_cursors = [name for name in ("before", "after") if name in self.errors]
        if bad_cursors:
            # A hand-edited page link: the hidden fields' errors would not show, so say it here.
            for name in bad_cursors:
                del self.errors[name]
            self.add_error(None, _("That page link is not valid. Start again from the top."))
        return cleaned

    def filters(self) -> AuditFilters:
        """Return the validated filters (call only when the form is valid)."""
        data = self.cleaned_data
        return AuditFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            actor=data.get("actor", ""),
            action=data.get("action", ""),
            object_type=data.get("object_type", ""),
            object_id=data.get("object_id", ""),
        )
