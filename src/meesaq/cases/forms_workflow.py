"""Forms of the workflow part: a status change, the assignment, the priority and risk."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meesaq.accounts.models import User
from meesaq.cases.models import Outcome, Priority, Status
from meesaq.cases.selectors.workflow import Workload
from meesaq.cases.services.workflow import PRIORITY_REASON_MAX, REASON_MAX


class TransitionForm(forms.Form):
    """One status change; the service decides which of the optional fields it needs."""

    to_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX,
        help_text=_("Do not write names or numbers."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    outcome = forms.ModelChoiceField(
        label=_("Outcome"),
        queryset=Outcome.objects.filter(is_active=True),
        to_field_name="code",
        required=False,
    )
    original_reference = forms.CharField(
        label=_("Reference of the original case"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class _OfficerChoice(forms.ModelChoiceField):  # type: ignore[type-arg]  # stubs: generic model
    def __init__(self, *, workloads: list[Workload], **kwargs: Any) -> None:
        self.loads = {load.officer.pk: load for load in workloads}
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        load = self.loads.get(obj.pk)
        values = {"name": obj.display_name, "count": load.open_cases if load else 0}
        if load is not None and load.over_cap:
            return str(_("%(name)s (more than %(count)d open)") % values)
        return str(_("%(name)s (%(count)d open)") % values)


class AssignForm(forms.Form):
    """Choose the case officer; each choice shows how many open cases they already hold."""

    def __init__(self, *args: Any, workloads: list[Workload], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        officer_ids = [load.officer.pk for load in workloads]
        self.fields["officer"] = _OfficerChoice(
            workloads=workloads,
            queryset=User.objects.filter(pk__in=officer_ids).order_by("username"),
            label=_("Case officer"),
            required=False,
            empty_label=str(_("Nobody")),
        )


class PriorityForm(forms.Form):
    """The risk checklist and the priority, changed with a reason."""

    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    risk_threat_to_life = forms.BooleanField(label=_("Threat to life"), required=False)
    risk_ongoing_violence = forms.BooleanField(label=_("Ongoing violence"), required=False)
    risk_child_involved = forms.BooleanField(label=_("A child is involved"), required=False)
    risk_mob_threat = forms.BooleanField(label=_("Mob threat"), required=False)
    risk_displacement = forms.BooleanField(label=_("Displacement"), required=False)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=PRIORITY_REASON_MAX,
        help_text=_("Do not write names or numbers."),
    )
