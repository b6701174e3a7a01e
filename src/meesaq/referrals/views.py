"""Referral pages: the list, one referral with its conversation, and the case-level actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.access.services import identity_viewed
from meesaq.accounts.forms import show_error
from meesaq.cases.selectors.workflow import case_for_user
from meesaq.cases.views.workflow import form_errors_message
from meesaq.core.errors import MeesaqError
from meesaq.referrals import selectors, services
from meesaq.referrals.forms import (
    ReferralFilterForm,
    ReferralForm,
    StepForm,
    TransferDecisionForm,
    TransferForm,
)
from meesaq.referrals.models import Referral, ReferralStatus

if TYPE_CHECKING:
    from meesaq.accounts.models import User
    from meesaq.cases.models import Case

POST_ONLY = ["POST"]
LIST_LIMIT = 200
ONWARD_FROM = (ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE)


def _detail_url(referral: Referral) -> str:
    return reverse("referrals:detail", kwargs={"referral_id": referral.pk})


def referrals_section(*, request: HttpRequest, user: User, case: Case) -> dict[str, Any]:
    """Return the case page's referrals section: the chains, transfers and the actions.

    The forms have their own pages: a select of every organisation that may receive the case
    is heavy to build and to send on every view of the case, and most views refer nothing.
    """
    reference = {"reference": case.reference}
    return {
        "case": case,
        "chains": selectors.case_referral_chains(user=user, case=case),
        "transfers": list(selectors.case_transfers(user=user, case=case)),
        "may_refer": policy.may(user, "referrals.create", case),
        "refer_url": reverse("referrals:create", kwargs=reference),
        "may_transfer": policy.may(user, "referrals.transfer_request", case),
        "transfer_url": reverse("referrals:transfer_request", kwargs=reference),
    }


def _case_form_page(
    request: HttpRequest, case: Case, form: ReferralForm | TransferForm, *, transfer: bool
) -> HttpResponse:
    """Render the refer or transfer form of a case, with what was typed and what was wrong."""
    reference = {"reference": case.reference}
    context = {
        "case": case,
        "form": form,
        "transfer": transfer,
        "consent_share": case.consent_share,
        "action": reverse(
            "referrals:transfer_request" if transfer else "referrals:create", kwargs=reference
        ),
    }
    return render(request, "referrals/case_form.html", context)


@page("referrals.list")
def referral_list(request: HttpRequest) -> HttpResponse:
    """List incoming and outgoing referrals (and transfers), with filters."""
    user = policy.acting_user(request)
    form = ReferralFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    tab = filters.get("tab") or selectors.INCOMING
    now = timezone.now()
    context: dict[str, Any] = {"form": form, "tab": tab, "now": now}
    if tab == "transfers":
        context["awaiting"] = list(selectors.transfers_awaiting(user=user))
        context["transfers"] = list(selectors.transfers_for_user(user=user)[:LIST_LIMIT])
        context["decision_form"] = TransferDecisionForm()
    else:
        rows = selectors.referral_list(
            user=user,
            direction=tab,
            now=now,
            status=filters.get("status") or "",
            organisation=filters.get("organisation"),
            overdue=bool(filters.get("overdue")),
        )
        context["referrals"] = list(rows[:LIST_LIMIT])
    tabs = []
    for value, label in (
        ("incoming", _("Incoming")),
        ("outgoing", _("Outgoing")),
        ("transfers", _("Transfers")),
    ):
        tabs.append({"value": value, "label": label, "current": value == tab})
    context["tabs"] = tabs
    return render(request, "referrals/list.html", context)


def _steps_for(user: User, referral: Referral) -> list[dict[str, Any]]:
    options = []
    for name, step in services.STEPS.items():
        action = "referrals.respond" if step.side == services.RECEIVER else "referrals.refer_side"
        if referral.status in step.from_statuses and policy.may(user, action, referral):
            options.append(
                {
                    "step": name,
                    "label": dict(StepForm.base_fields["step"].choices)[name],  # type: ignore[attr-defined]  # a ChoiceField
                    "needs_text": step.needs_text,
                    "needs_date": name == "record_service",
                }
            )
    return options


@page("referrals.list")
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    """Show a referral: what it shares, its conversation, and the steps the user may take."""
    user = policy.acting_user(request)
    referral = selectors.referral_for_user(user=user, referral_id=referral_id)
    shared = selectors.referral_case_view(user, referral)
    if shared.identity_shown:
        identity_viewed(user=user, obj=referral.case, request=request, channel="page")
    receiver = policy.may(user, "referrals.respond", referral)
    onward_form = None
    if receiver and referral.status in ONWARD_FROM:
        organisations = selectors.referable_organisations(exclude_id=referral.to_organisation_id)
        onward_form = ReferralForm(organisations=organisations, auto_id="id_onward_%s")
        onward_form.fields["shared_fields"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            (value, label)
            for value, label in onward_form.fields["shared_fields"].choices  # type: ignore[attr-defined]  # a ChoiceField
            if value in referral.shared_fields
        ]
    may_open_case = policy.scoped(user, type(referral.case)).filter(pk=referral.case_id).exists()
    context = {
        "referral": referral,
        "shared": shared,
        "events": list(selectors.referral_events(user=user, referral=referral)),
        "steps": _steps_for(user, referral),
        "step_url": reverse("referrals:step", kwargs={"referral_id": referral.pk}),
        "onward_form": onward_form,
        "onward_url": reverse("referrals:onward", kwargs={"referral_id": referral.pk}),
        "chain": selectors.case_referral_chains(user=user, case=referral.case),
        "case_url": referral.case.get_absolute_url() if may_open_case else "",
        "overdue": selectors.is_overdue(referral, now=timezone.now()),
        "receiver": receiver,
    }
    return render(request, "referrals/detail.html", context)


@page("referrals.list")
def referral_step(request: HttpRequest, referral_id: int) -> HttpResponseBase:
    """Take a step on a referral (POST)."""
    user = policy.acting_user(request)
    referral = selectors.referral_for_user(user=user, referral_id=referral_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(POST_ONLY)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_message(form))
        return redirect(_detail_url(referral))
    try:
        services.referral_step(
            actor=user,
            referral=referral,
            step=form.cleaned_data["step"],
            text=form.cleaned_data["text"] or "",
            on=form.cleaned_data["on"],
            request=request,
        )
    except MeesaqError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Done."))
    return redirect(_detail_url(referral))


@page("referrals.list")
def referral_onward(request: HttpRequest, referral_id: int) -> HttpResponseBase:
    """Pass an accepted referral on to a further organisation (POST)."""
    user = policy.acting_user(request)
    referral = selectors.referral_for_user(user=user, referral_id=referral_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(POST_ONLY)
    organisations = selectors.referable_organisations(exclude_id=referral.to_organisation_id)
    form = ReferralForm(request.POST, organisations=organisations)
    if not form.is_valid():
        messages.error(request, form_errors_message(form))
        return redirect(_detail_url(referral))
    try:
        onward = services.referral_create(
            actor=user,
            case=referral.case,
            to_organisation=form.cleaned_data["to_organisation"],
            reason=form.cleaned_data["reason"],
            shared_fields=form.cleaned_data["shared_fields"],
            parent=referral,
            request=request,
        )
    except MeesaqError as error:
        messages.error(request, str(error.message))
        return redirect(_detail_url(referral))
    messages.success(request, _("The referral was passed on."))
    return redirect(_detail_url(onward))


@page("referrals.list")
def referral_create(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Refer a case to another organisation: the form (GET) and the referral (POST)."""
    user = policy.acting_user(request)
    case = case_for_user(user=user, reference=reference)
    policy.require(user, "referrals.create", case)
    organisations = selectors.referable_organisations(exclude_id=case.organisation_id)
    if request.method != "POST":
        form = ReferralForm(organisations=organisations)
        return _case_form_page(request, case, form, transfer=False)
    form = ReferralForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            referral = services.referral_create(
                actor=user,
                case=case,
                to_organisation=form.cleaned_data["to_organisation"],
                reason=form.cleaned_data["reason"],
                shared_fields=form.cleaned_data["shared_fields"],
                request=request,
            )
        except MeesaqError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The case was referred."))
            return redirect(_detail_url(referral))
    return _case_form_page(request, case, form, transfer=False)


@page("referrals.list")
def transfer_request(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Ask another organisation to take the case over: the form (GET) and the request (POST)."""
    user = policy.acting_user(request)
    case = case_for_user(user=user, reference=reference)
    policy.require(user, "referrals.transfer_request", case)
    organisations = selectors.referable_organisations(exclude_id=case.organisation_id)
    if request.method != "POST":
        form = TransferForm(organisations=organisations)
        return _case_form_page(request, case, form, transfer=True)
    form = TransferForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            services.transfer_request(
                actor=user,
                case=case,
                to_organisation=form.cleaned_data["to_organisation"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except MeesaqError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The transfer was requested."))
            return redirect(case.get_absolute_url())
    return _case_form_page(request, case, form, transfer=True)


@page("referrals.list")
def transfer_decide(request: HttpRequest, transfer_id: int) -> HttpResponseBase:
    """Accept or decline a transfer (POST, by a supervisor of the receiving organisation)."""
    user = policy.acting_user(request)
    transfer = selectors.transfer_for_user(user=user, transfer_id=transfer_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(POST_ONLY)
    back = reverse("referrals:list") + "?tab=transfers"
    form = TransferDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_message(form))
        return redirect(back)
    try:
        if form.cleaned_data["decision"] == "accept":
            services.transfer_accept(actor=user, transfer=transfer, request=request)
            messages.success(request, _("The case is now your organisation's."))
        else:
            services.transfer_decline(
                actor=user,
                transfer=transfer,
                reason=form.cleaned_data["reason"] or "",
                request=request,
            )
            messages.success(request, _("The transfer was declined."))
    except MeesaqError as error:
        messages.error(request, str(error.message))
    return redirect(back)
