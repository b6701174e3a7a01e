"""The filters every figure takes: period, place, category, group, channel.

The query parameters are the case list's own (``received_from``, ``received_to``, ``place``,
``category``, ``group``, ``channel``), so a figure drills down to the list by passing them on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.access.reports import FIGURE_ROLES
from meesaq.accounts.models import User
from meesaq.cases.models import AffectedGroup, Category, Channel
from meesaq.core.fields import LocalDateField
from meesaq.geo.models import AdminUnit
from meesaq.geo.selectors import unit_label

ANY = ("", _("Any"))
DEFAULT_MONTHS = 12
MAX_DAYS = 366 * 5


@dataclass(frozen=True)
class ReportFilters:
    """What the figures are narrowed to; empty values mean "any"."""

    date_from: date
    date_to: date
    place: AdminUnit | None = None
    category: str = ""
    group: str = ""
    channel: str = ""

    def with_(self, **changes: Any) -> ReportFilters:
        """Return the filters with some values changed."""
        return replace(self, **changes)

    def query(self, **extra: str) -> dict[str, str]:
        """Return the filters as query parameters (the case list's names)."""
        values = {
            "received_from": self.date_from.isoformat(),
            "received_to": self.date_to.isoformat(),
            "place": self.place.pcode if self.place is not None else "",
            "category": self.category,
            "group": self.group,
            "channel": self.channel,
            **extra,
        }
        return {name: value for name, value in values.items() if value}

    def case_list_url(self, **extra: str) -> str:
        """Return the case list's address showing the cases behind a figure."""
        return reverse("cases:list") + "?" + urlencode(self.query(**extra))

    def url(self, name: str, **extra: str) -> str:
        """Return a reports address with these filters (and some changed)."""
        return reverse(name) + "?" + urlencode(self.query(**extra))


def default_period(today: date | None = None) -> tuple[date, date]:
    """Return the last twelve months, from the first day of the month eleven months ago."""
    today = today or timezone.localdate()
    start = today.replace(day=1)
    for _month in range(DEFAULT_MONTHS - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, today


def place_paths(user: User) -> list[str]:
    """Return the jurisdiction paths of the user's figure grants."""
    return sorted({grant.jurisdiction_path for grant in policy.grants_with(user, FIGURE_ROLES)})


def places_for(user: User) -> list[AdminUnit]:
    """Return the places the user may narrow figures to: their jurisdictions and below."""
    condition = Q(pk__in=[])
    for path in place_paths(user):
        condition |= Q(path=path) | Q(path__startswith=path + "/")
    return list(AdminUnit.objects.filter(condition).order_by("path"))


class ReportFilterForm(forms.Form):
    """The dashboard's filters (a GET form: every field optional)."""

    received_from = LocalDateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    received_to = LocalDateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    place = forms.ChoiceField(label=_("Place"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    group = forms.ChoiceField(label=_("Affected group"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[ANY, *Channel.choices])

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        start, end = default_period()
        kwargs.setdefault("initial", {"received_from": start, "received_to": end})
        super().__init__(*args, **kwargs)
        self.places = {unit.pcode: unit for unit in places_for(user)}
        cast(forms.ChoiceField, self.fields["place"]).choices = [
            ANY,
            *(
                (unit.pcode, "\u2003" * (unit.level - 1) + unit_label(unit))
                for unit in self.places.values()
            ),
        ]
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ANY,
            *((term.code, term.label) for term in Category.objects.order_by("order", "label_en")),
        ]
        cast(forms.ChoiceField, self.fields["group"]).choices = [
            ANY,
            *(
                (term.code, term.label)
                for term in AffectedGroup.objects.order_by("order", "label_en")
            ),
        ]

    def clean(self) -> dict[str, Any]:
        """Refuse a period that ends before it starts or spans more than five years."""
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The period ends before it starts."))
        if start and end and (end - start).days > MAX_DAYS:
            raise forms.ValidationError(_("Choose a period of at most five years."))
        return data

    def filters(self) -> ReportFilters:
        """Return the valid filters (the defaults where a value is missing or invalid)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start, end = default_period()
        place = data.get("place") or ""
        date_to = data.get("received_to") or end
        date_from = data.get("received_from") or min(start, date_to)
        return ReportFilters(
            date_from=date_from,
            date_to=date_to,
            place=self.places.get(place),
            category=data.get("category") or "",
            group=data.get("group") or "",
            channel=data.get("channel") or "",
        )
