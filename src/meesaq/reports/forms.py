"""The report builder's form, saving a report, and asking for a monthly report."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meesaq.accounts.models import User
from meesaq.core.fields import LocalDateField
from meesaq.reports.builder import DIMENSIONS, MEASURES
from meesaq.reports.filters import ReportFilterForm
from meesaq.reports.periodic import report_places


class BuilderForm(ReportFilterForm):
    """Rows, columns and a measure, with the dashboard's filters."""

    rows = forms.ChoiceField(label=_("Rows"), required=False)
    columns = forms.ChoiceField(label=_("Columns"), required=False)
    measure = forms.ChoiceField(label=_("Measure"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        dimensions = [(code, label) for code, (label, _column) in DIMENSIONS.items()]
        cast(forms.ChoiceField, self.fields["rows"]).choices = dimensions
        cast(forms.ChoiceField, self.fields["columns"]).choices = [
            ("", _("None (one column)")),
            *dimensions,
        ]
        cast(forms.ChoiceField, self.fields["measure"]).choices = list(MEASURES.items())

    def choice(self) -> tuple[str, str, str]:
        """Return the rows, columns and measure asked for (defaults when missing)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return (
            data.get("rows") or "category",
            data.get("columns") or "",
            data.get("measure") or "count",
        )


class SaveReportForm(forms.Form):
    """Name a built report and say whether the organisation shares it."""

    name = forms.CharField(label=_("Name of the report"), max_length=120)
    shared = forms.BooleanField(label=_("Share with my organisation"), required=False)


class PeriodicRequestForm(forms.Form):
    """Which monthly report to generate now."""

    place = forms.ChoiceField(label=_("Province or district"))
    month = LocalDateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    language = forms.ChoiceField(label=_("Language"), choices=[("en", "English"), ("ur", "اردو")])

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = {unit.pcode: unit for unit in report_places(user)}
        cast(forms.ChoiceField, self.fields["place"]).choices = [
            (code, unit.name) for code, unit in self.places.items()
        ]

    def clean_month(self) -> date:
        """Refuse a month that has not started."""
        month: date = self.cleaned_data["month"].replace(day=1)
        if month > timezone.localdate():
            raise forms.ValidationError(_("That month has not started yet."))
        return month
