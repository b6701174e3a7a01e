"""The workflow part of the case page: status changes, assignment, priority and risk."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.cases.forms_workflow import AssignForm, PriorityForm, TransitionForm
from meesaq.cases.models import Case, Moderation, Status
from meesaq.cases.selectors.workflow import case_for_user, case_history, officer_workloads
from meesaq.cases.services import workflow as services
from meesaq.cases.services.intake import PUBLIC_CHANNELS
from meesaq.cases.services.moderation import case_moderation_set
from meesaq.cases.workflow import TransitionRow
from meesaq.core.errors import MeesaqError

if TYPE_CHECKING:
    from meesaq.accounts.models import User

POST_ONLY = ["POST"]


def form_errors_message(form: forms.BaseForm) -> str:
    """Return a form's errors as one message: "Label: error" for each."""
    parts: list[str] = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.extend(f"{label}: {error}" if label else str(error) for error in errors)
    return _("Please check: %(errors)s") % {"errors": " ".join(parts)}


def _transition_option(row: TransitionRow, case: Case) -> dict[str, Any]:
    form = TransitionForm(
        initial={"to_status": row.to_status}, auto_id=f"id_{case.pk}_{row.to_status}_%s"
    )
    for name in row.requires:
        # Shown as required (and marked so for the browser); the service checks it again.
        form.fields[name].required = True
    return {
        "to_status": row.to_status,
        "label": row.label,
        "style": row.style,
        "fields": [form[name] for name in sorted(row.requires)],
    }


def workflow_section(*, request: HttpRequest, user: User, case: Case) -> dict[str, Any]:
    """Return the workflow section's context: next steps, assignment, priority, history."""
    reference = {"reference": case.reference}
    may_supervise = policy.may(user, "cases.supervise", case)
    may_act = policy.may(user, "cases.act", case)
    workloads = (
        officer_workloads(user=user, organisation=case.organisation) if may_supervise else []
    )
    assign_form = (
        AssignForm(initial={"officer": case.assigned_to_id}, workloads=workloads)
        if may_supervise
        else None
    )
    priority_form = (
        PriorityForm(
            initial={
                "priority": case.priority,
                "risk_threat_to_life": case.risk_threat_to_life,
                "risk_ongoing_violence": case.risk_ongoing_violence,
                "risk_child_involved": case.risk_child_involved,
                "risk_mob_threat": case.risk_mob_threat,
                "risk_displacement": case.risk_displacement,
            },
            auto_id="id_priority_%s",
        )
        if may_act
        else None
    )
    return {
        "case": case,
        "closure_requested": case.status == Status.CLOSURE_REQUESTED,
        "transitions": [
            _transition_option(row, case)
            for row in services.available_transitions(user=user, case=case)
        ],
        "transition_url": reverse("cases:transition", kwargs=reference),
        "history": list(case_history(case=case)),
        "assign_form": assign_form,
        "assign_url": reverse("cases:assign", kwargs=reference),
        "workloads": workloads,
        "priority_form": priority_form,
        "priority_url": reverse("cases:priority", kwargs=reference),
        "is_spam": case.moderation == Moderation.SPAM,
        # Spam comes through the public channels; a spam mark can always be taken back.
        "may_moderate": policy.may(user, "cases.triage", case)
        and (case.channel in PUBLIC_CHANNELS or case.moderation == Moderation.SPAM),
        "moderation_url": reverse("cases:moderation", kwargs=reference),
    }


@page("cases.list")
def case_transition(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Move the case to another status (POST: to_status and the fields it needs)."""
    user = policy.acting_user(request)
    case = case_for_user(user=user, reference=reference)
    # The case is looked up before the method check, so a case outside the user's reach is a
    # 404 whatever the method (a 405 would be answered for any reference).
    if request.method != "POST":
        return HttpResponseNotAllowed(POST_ONLY)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_message(form))
        return redirect(case.get_absolute_url())
    try:
        case = services.case_transition(
            actor=user,
            case=case,
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data["reason"],
            outcome=form.cleaned_data["outcome"],
            original_reference=form.cleaned_data["original_reference"],
            request=request,
        )
    except MeesaqError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("The case is now: %(status)s.") % {"status": case.get_status_display()}
        )
    return redirect(case.get_absolute_url())


@page("cases.list")
def case_assign(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Give the case to a case officer of its organisation (POST: officer)."""
    user = policy.acting_user(request)
    case = case_for_user(user=user, reference=reference)
    if request.method != "POST":
        return HttpResponseNotAllowed(POST_ONLY)
    if not policy.may(user, "cases.supervise", case):
        messages.error(request, _("Only a supervisor can assign this case."))
        return redirect(case.get_absolute_url())
    workloads = officer_workloads(user=user, organisation=case.organisation)
    form = AssignForm(request.POST, workloads=workloads)
    if not form.is_valid():
        messages.error(request, form_errors_message(form))
        return redirect(case.get_absolute_url())
    try:
        case = services.case_assign(
            actor=user, case=case, officer=form.cleaned_data["officer"], request=request
        )
    except MeesaqError as error:
        messages.error(request, str(error.message))
    else:
        officer = case.assigned_to
        messages.success(
            request,
            _("The case is now assigned to %(name)s.") % {"name": officer.display_name}
            if officer is not None
            else _("The case is no longer assigned to anyone."),
        )
    return redirect(case.get_absolute_url())


@page("cases.list")
def case_priority(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Change the case's priority and risk checklist, with a reason (POST)."""
    user = policy.acting_user(request)
    case = case_for_user(user=user, reference=reference)
    if request.method != "POST":
        return HttpResponseNotAllowed(POST_ONLY)
    form = PriorityForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_message(form))
        return redirect(case.get_absolute_url())
    data = form.cleaned_data
    try:
        case = services.case_priority_change(
            actor=user,
            case=case,
            priority=data["priority"],
            reason=data["reason"],
            risk_threat_to_life=data["risk_threat_to_life"],
            risk_ongoing_violence=data["risk_ongoing_violence"],
            risk_child_involved=data["risk_child_involved"],
            risk_mob_threat=data["risk_mob_threat"],
            risk_displacement=data["risk_displacement"],
            request=request,
        )
    except MeesaqError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("Priority is now %(priority)s.") % {"priority": case.get_priority_display()},
        )
    return redirect(case.get_absolute_url())


@page("cases.list")
def case_moderation(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Mark the case as spam, or take that back (POST: moderation); nothing is deleted."""
    user = policy.acting_user(request)
    case = case_for_user(user=user, reference=reference)
    if request.method != "POST":
        return HttpResponseNotAllowed(POST_ONLY)
    moderation = request.POST.get("moderation", "")
    try:
        case = case_moderation_set(actor=user, case=case, moderation=moderation, request=request)
    except MeesaqError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("Marked as spam. The case and everything on it are kept.")
            if case.moderation == Moderation.SPAM
            else _("No longer marked as spam."),
        )
    return redirect(case.get_absolute_url())
