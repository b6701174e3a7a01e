"""Deadlines pages: the work queues, and the case page's deadlines section with its forms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.cases.models import Case
from meesaq.core.errors import MeesaqError
from meesaq.sla import selectors, services
from meesaq.sla.forms import FirstContactForm

if TYPE_CHECKING:
    from meesaq.accounts.models import User


def _case_page(case: Case) -> str:
    return reverse("cases:detail", kwargs={"reference": case.reference})


def sla_section(*, request: HttpRequest, user: User, case: Case) -> dict[str, Any]:
    """Return the deadlines section's context: clocks, call-backs, escalations, following."""
    reference = {"reference": case.reference}
    may_record = policy.may(user, "sla.record_contact", case)
    return {
        "clocks": selectors.case_clocks(case=case),
        "contacts": selectors.case_contacts(case=case),
        "escalations": selectors.case_escalations(case=case),
        "contact_form": FirstContactForm(auto_id="id_contact_%s") if may_record else None,
        "contact_url": reverse("sla:contact_record", kwargs=reference),
        "following": selectors.is_following(user=user, case=case),
        "follow_url": reverse("sla:follow", kwargs=reference),
        "unfollow_url": reverse("sla:unfollow", kwargs=reference),
    }


@page("cases.list")
def queues(request: HttpRequest) -> HttpResponse:
    """Show the user's work queues."""
    user = policy.acting_user(request)
    return render(request, "sla/queues.html", {"queues": selectors.work_queues(user=user)})


def _posted_case(
    request: HttpRequest, reference: str, action: str
) -> tuple[User, Case] | HttpResponseNotAllowed:
    """Return the user and a case they may act on; a GET gets 405 only after that check.

    Checking the case first answers 404 to those who cannot see it, never a 405 that would
    confirm the reference exists.
    """
    user = policy.acting_user(request)
    case = policy.get_scoped(user, Case, reference=reference)
    policy.require(user, action, case)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return user, case


@page("cases.list")
def contact_record(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Record a call-back to the complainant."""
    checked = _posted_case(request, reference, "sla.record_contact")
    if isinstance(checked, HttpResponseNotAllowed):
        return checked
    user, case = checked
    form = FirstContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose the result of the call and a valid time."))
        return redirect(_case_page(case))
    try:
        services.first_contact_record(
            user=user,
            case=case,
            result=form.cleaned_data["result"],
            at=form.cleaned_data["at"],
            request=request,
        )
    except MeesaqError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The call-back was recorded."))
    return redirect(_case_page(case))


@page("cases.list")
def follow(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Follow a case."""
    checked = _posted_case(request, reference, "sla.follow")
    if isinstance(checked, HttpResponseNotAllowed):
        return checked
    user, case = checked
    services.case_follow(user=user, case=case, request=request)
    messages.success(request, _("You are following this case."))
    return redirect(_case_page(case))


@page("cases.list")
def unfollow(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Stop following a case."""
    checked = _posted_case(request, reference, policy.SIGNED_IN)
    if isinstance(checked, HttpResponseNotAllowed):
        return checked
    user, case = checked
    services.case_unfollow(user=user, case=case, request=request)
    messages.success(request, _("You no longer follow this case."))
    return redirect(_case_page(case))
