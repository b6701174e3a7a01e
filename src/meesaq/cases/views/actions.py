"""The actions part of the case page: the timeline and the form that adds an entry."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.cases.forms_actions import ActionForm
from meesaq.cases.models import ActionKind, Case, CaseAction
from meesaq.cases.selectors.activity import case_timeline
from meesaq.cases.selectors.workflow import case_for_user
from meesaq.cases.services.actions import action_add as add_entry
from meesaq.cases.views.workflow import POST_ONLY, form_errors_message
from meesaq.core.errors import MeesaqError

if TYPE_CHECKING:
    from meesaq.accounts.models import User


def _entries(user: User, case: Case) -> Any:
    return policy.scoped(user, CaseAction).filter(case=case).order_by("-occurred_on", "-id")


def timeline_section(
    *, request: HttpRequest, user: User, case: Case, identity_visible: bool | None = None
) -> dict[str, Any]:
    """Return the timeline section's context: the entries and the add-entry form.

    Notes name people, so they are shown only to users who may see the case's identity (the
    case page passes the decision it made, ``identity_visible``); the case page audits that
    view once for the whole page.
    """
    if identity_visible is None:
        identity_visible = policy.may_see_identity(user, case)
    may_note = policy.may(user, "cases.add_note", case)
    may_act = policy.may(user, "cases.act", case)
    form = None
    if may_note:
        form = ActionForm(
            initial={"occurred_on": timezone.localdate(), "kind": ActionKind.NOTE},
            entries=_entries(user, case),
            auto_id="id_action_%s",
        )
        if not may_act:
            form.fields["kind"].choices = [(ActionKind.NOTE.value, ActionKind.NOTE.label)]  # type: ignore[attr-defined]  # a ChoiceField
    return {
        "case": case,
        "entries": case_timeline(user=user, case=case),
        "notes_visible": identity_visible,
        "form": form,
        "add_url": reverse("cases:action_add", kwargs={"reference": case.reference}),
    }


@page("cases.list")
def action_add(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Add an entry to the case's timeline, or a correction of an earlier entry (POST)."""
    user = policy.acting_user(request)
    case = case_for_user(user=user, reference=reference)
    if request.method != "POST":
        return HttpResponseNotAllowed(POST_ONLY)
    form = ActionForm(request.POST, entries=_entries(user, case))
    if not form.is_valid():
        messages.error(request, form_errors_message(form))
        return redirect(case.get_absolute_url())
    data = form.cleaned_data
    try:
        entry = add_entry(
            actor=user,
            case=case,
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            note=data["note"],
            next_action_on=data["next_action_on"],
            fir_number=data["fir_number"],
            police_station=data["police_station"],
            law_sections=data["law_sections"],
            corrects=data["corrects"],
            public=data["public"],
            request=request,
        )
    except MeesaqError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("Added to the timeline: %(kind)s.") % {"kind": entry.get_kind_display()},
        )
    return redirect(case.get_absolute_url())
