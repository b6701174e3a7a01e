"""The form of the actions part: one new timeline entry, or a correction of an earlier one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from meesaq.cases.models import ActionKind, CaseAction
from meesaq.core.fields import LocalDateField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _EntryChoice(forms.ModelChoiceField):  # type: ignore[type-arg]  # stubs: generic model
    def label_from_instance(self, obj: Any) -> str:
        # Date, kind and author only: the note may name people.
        return f"{formats.date_format(obj.occurred_on)} · {obj.get_kind_display()} · #{obj.pk}"


class ActionForm(forms.Form):
    """A timeline entry; FIR fields count only for an FIR entry."""

    kind = forms.ChoiceField(label=_("Kind of entry"), choices=ActionKind.choices)
    occurred_on = LocalDateField(label=_("Date"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_action_on = LocalDateField(label=_("Next action by"), required=False, widget=DATE_INPUT)
    fir_number = forms.CharField(label=_("FIR number"), required=False, max_length=50)
    police_station = forms.CharField(label=_("Police station"), required=False, max_length=150)
    law_sections = forms.CharField(label=_("Sections of law"), required=False, max_length=200)
    public = forms.BooleanField(
        label=_("Show this note to the complainant on the tracking page"),
        required=False,
        help_text=_(
            "Only the note's text and date are shown, never your name. Write it for the "
            "complainant: no internal details, no other people."
        ),
    )

    def __init__(self, *args: Any, entries: QuerySet[CaseAction], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["corrects"] = _EntryChoice(
            label=_("Corrects the entry"),
            queryset=entries,
            required=False,
            help_text=_(
                "Entries are never changed: a correction is a new entry that points to it."
            ),
        )
