"""Deadlines pages: the work queues, the case page's deadlines section with its forms, and the
administrators' settings (deadline rules, escalation, holidays)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
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
from meesaq.sla.forms import (
    DeadlineRuleForm,
    EscalationSettingsForm,
    FirstContactForm,
    HolidayForm,
    OverrideForm,
)
from meesaq.sla.models import DeadlineRule, Holiday, SlaSettings

if TYPE_CHECKING:
    from meesaq.accounts.models import User


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


@page("sla.queues")
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
        return redirect(case.get_absolute_url())
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
    return redirect(case.get_absolute_url())


@page("cases.list")
def follow(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Follow a case."""
    checked = _posted_case(request, reference, "sla.follow")
    if isinstance(checked, HttpResponseNotAllowed):
        return checked
    user, case = checked
    services.case_follow(user=user, case=case, request=request)
    messages.success(request, _("You are following this case."))
    return redirect(case.get_absolute_url())


@page("cases.list")
def unfollow(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Stop following a case."""
    checked = _posted_case(request, reference, policy.SIGNED_IN)
    if isinstance(checked, HttpResponseNotAllowed):
        return checked
    user, case = checked
    services.case_unfollow(user=user, case=case, request=request)
    messages.success(request, _("You no longer follow this case."))
    return redirect(case.get_absolute_url())


# --- Administrators' settings ------------------------------------------------------------------

SETTINGS_PAGE = "sla:settings"


def _show_error(form: forms.Form, error: MeesaqError) -> None:
    """Put a service's refusal on the form: on its fields when named, else above the form."""
    for name, field_messages in error.fields.items():
        for message in field_messages:
            form.add_error(name if name in form.fields else None, str(message))
    if not error.fields:
        form.add_error(None, str(error.message))


def _settings_initial() -> dict[str, Any]:
    row = SlaSettings.current()
    return {
        "weekend": [str(day) for day in sorted(row.weekend)],
        "office_opens": row.office_opens,
        "office_closes": row.office_closes,
        "division_after_days": row.division_after_days,
        "province_after_days": row.province_after_days,
    }


@page("sla.manage")
def settings_page(request: HttpRequest) -> HttpResponseBase:
    """Show the deadline rules, the escalation settings and the holidays; save the last two."""
    user = policy.acting_user(request)
    posted = request.POST.get("form", "") if request.method == "POST" else ""
    settings_form = EscalationSettingsForm(
        request.POST if posted == "settings" else None,
        initial=_settings_initial(),
        prefix="settings",
    )
    holiday_form = HolidayForm(request.POST if posted == "holiday" else None, prefix="holiday")
    if posted == "settings" and settings_form.is_valid():
        data = settings_form.cleaned_data
        try:
            services.sla_settings_save(
                actor=user,
                weekend=settings_form.weekend_days(),
                office_opens=data["office_opens"],
                office_closes=data["office_closes"],
                division_after_days=data["division_after_days"],
                province_after_days=data["province_after_days"],
                request=request,
            )
        except MeesaqError as error:
            _show_error(settings_form, error)
        else:
            messages.success(request, _("The settings were saved."))
            return redirect(SETTINGS_PAGE)
    if posted == "holiday" and holiday_form.is_valid():
        data = holiday_form.cleaned_data
        try:
            services.holiday_add(
                actor=user,
                day=data["date"],
                name_en=data["name_en"],
                name_ur=data["name_ur"],
                request=request,
            )
        except MeesaqError as error:
            _show_error(holiday_form, error)
        else:
            messages.success(request, _("The holiday was added."))
            return redirect(SETTINGS_PAGE)
    context = {
        "rules": selectors.deadline_rule_table(),
        "settings_form": settings_form,
        "holiday_form": holiday_form,
        "public_holidays": selectors.public_holiday_list(),
        "added_holidays": policy.scoped(user, Holiday).order_by("date"),
    }
    return render(request, "sla/settings.html", context)


def _rule_page(
    request: HttpRequest, form: DeadlineRuleForm, rule: DeadlineRule | None
) -> HttpResponse:
    return render(request, "sla/rule_form.html", {"form": form, "rule": rule})


@page("sla.manage")
def rule_add(request: HttpRequest) -> HttpResponseBase:
    """Add a rule for one category and priority (an override of the priority's default)."""
    user = policy.acting_user(request)
    form = OverrideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_rule_save(
                actor=user,
                rule=None,
                category=form.cleaned_data["category"],
                priority=form.cleaned_data["priority"],
                durations=form.durations(),
                request=request,
            )
        except MeesaqError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The override was added."))
            return redirect(SETTINGS_PAGE)
    return _rule_page(request, form, None)


@page("sla.manage")
def rule_edit(request: HttpRequest, rule_id: int) -> HttpResponseBase:
    """Change the durations of a rule (a priority's default or an override)."""
    user = policy.acting_user(request)
    rule = policy.get_scoped(user, DeadlineRule, pk=rule_id)
    initial = {name: getattr(rule, name) for name in services.RULE_DURATIONS}
    form = DeadlineRuleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_rule_save(
                actor=user, rule=rule, durations=form.durations(), request=request
            )
        except MeesaqError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The rule was saved."))
            return redirect(SETTINGS_PAGE)
    return _rule_page(request, form, rule)


@page("sla.manage")
def rule_delete(request: HttpRequest, rule_id: int) -> HttpResponseBase:
    """Delete a category override (POST only)."""
    user = policy.acting_user(request)
    rule = policy.get_scoped(user, DeadlineRule, pk=rule_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.deadline_rule_delete(actor=user, rule=rule, request=request)
    except MeesaqError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The override was deleted."))
    return redirect(SETTINGS_PAGE)


@page("sla.manage")
def holiday_delete(request: HttpRequest, holiday_id: int) -> HttpResponseBase:
    """Delete a holiday an administrator added (POST only)."""
    user = policy.acting_user(request)
    holiday = policy.get_scoped(user, Holiday, pk=holiday_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.holiday_delete(actor=user, holiday=holiday, request=request)
    messages.success(request, _("The holiday was deleted."))
    return redirect(SETTINGS_PAGE)
