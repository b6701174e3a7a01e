"""The public portal's pages: lodge a complaint step by step, then track it with code and PIN.

Views only parse, call one selector or service and render. Every page works without
JavaScript: each step is an ordinary form posted to the server, which keeps the (encrypted)
draft in the session and redirects to the next step.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from meesaq.access.decorators import page
from meesaq.access.policy import PUBLIC
from meesaq.cases.models import AffectedGroup
from meesaq.core.errors import MeesaqError
from meesaq.crypto.keyring import CryptoError, decrypt, encrypt
from meesaq.geo.models import AdminUnit
from meesaq.portal import forms as portal_forms
from meesaq.portal import selectors, services
from meesaq.portal.draft import draft_clear, draft_load, draft_save
from meesaq.portal.models import Ticket

# The steps in order; one question each.
STEP_NAMES = ["what", "where", "place", "when", "who", "story", "danger", "contact", "check"]
DONE_KEY = "portal_done"
DONE_ASSOCIATED = b"portal.done"
TICKET_KEY = "portal_ticket"


def _step_titles() -> dict[str, str]:
    return {
        "what": _("What happened"),
        "where": _("Where"),
        "place": _("Place"),
        "when": _("When"),
        "who": _("Who was affected"),
        "story": _("Your story"),
        "danger": _("Danger now"),
        "contact": _("Contact"),
        "check": _("Check and send"),
    }


def _district(draft: dict[str, Any]) -> AdminUnit | None:
    pcode = draft.get("district")
    return (
        next((d for d in selectors.portal_districts() if d.pcode == pcode), None) if pcode else None
    )


def _first_missing(draft: dict[str, Any]) -> str | None:
    """Return the first step whose required answer is missing."""
    for name, key in (
        ("what", "category"),
        ("where", "district"),
        ("story", "narrative"),
        ("contact", "contact"),
    ):
        if not draft.get(key):
            return name
    return None


def _place_form(data: Any, initial: dict[str, Any]) -> forms.Form:
    district = _district(initial)
    tehsils = list(selectors.portal_tehsils(district)) if district else []
    return portal_forms.TehsilForm(data, initial=initial, tehsils=tehsils)


FORMS: dict[str, Callable[[Any, dict[str, Any]], forms.Form]] = {
    "what": lambda data, initial: portal_forms.CategoryForm(data, initial=initial),
    "where": lambda data, initial: portal_forms.DistrictForm(
        data, initial=initial, districts=selectors.portal_districts()
    ),
    "place": _place_form,
    "when": lambda data, initial: portal_forms.WhenForm(data, initial=initial),
    "who": lambda data, initial: portal_forms.GroupsForm(data, initial=initial),
    "story": lambda data, initial: portal_forms.StoryForm(data, initial=initial),
    "danger": lambda data, initial: portal_forms.DangerForm(data, initial=initial),
    "contact": lambda data, initial: portal_forms.ContactForm(data, initial=initial),
    "check": lambda data, initial: portal_forms.CheckForm(data),
}


def _form_for(step: str, draft: dict[str, Any], data: Any = None) -> forms.Form:
    return FORMS[step](data, dict(draft))


def _store(step: str, draft: dict[str, Any], cleaned: dict[str, Any]) -> None:
    for name, value in cleaned.items():
        draft[name] = value.isoformat() if isinstance(value, date) else value
    if step == "where":
        # A new district makes the old tehsil meaningless.
        draft.pop("tehsil", None)


def _summary(draft: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Return (question, answer, step) rows of the draft for the check page."""
    category = selectors.portal_category(draft.get("category", ""))
    district = _district(draft)
    tehsil = AdminUnit.objects.filter(pcode=draft.get("tehsil") or "").first()
    groups = AffectedGroup.objects.filter(code__in=draft.get("groups") or [])
    dangers = [
        label
        for key, label in (
            ("danger_life", _("Someone's life is threatened")),
            ("danger_mob", _("A crowd threatens people")),
            ("danger_ongoing", _("The violence is still going on")),
            ("danger_child", _("A child is involved")),
        )
        if draft.get(key)
    ]
    anonymous = draft.get("contact") == portal_forms.ContactForm.ANONYMOUS
    contact = (
        _("Anonymous")
        if anonymous
        else ", ".join(
            part for part in (draft.get("full_name", ""), draft.get("phone", "")) if part
        )
    )
    place = ", ".join(
        part for part in (tehsil.name if tehsil else "", draft.get("place", "")) if part
    )
    return [
        (_("What happened"), category.label if category else "—", "what"),
        (_("District"), district.name if district else "—", "where"),
        (_("Place"), place or "—", "place"),
        (_("When"), draft.get("incident_on") or _("Not known"), "when"),
        (_("Who was affected"), ", ".join(g.label for g in groups) or "—", "who"),
        (_("Your story"), draft.get("narrative", ""), "story"),
        (_("Danger now"), ", ".join(dangers) or _("None"), "danger"),
        (_("Contact"), contact or "—", "contact"),
    ]


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, f"portal/{template}", context, status=status)


@page(PUBLIC)
def landing(request: HttpRequest) -> HttpResponse:
    """Say what the portal is for, who will see a complaint, and offer to start or track."""
    return _render(request, "landing.html", {})


@page(PUBLIC)
@never_cache
def report_step(request: HttpRequest, step: str) -> HttpResponseBase:
    """Show one question of the complaint, or keep its answer and go to the next."""
    if step not in STEP_NAMES:
        raise Http404
    draft = draft_load(request)
    index = STEP_NAMES.index(step)
    if step == "place" and not _district(draft):
        return redirect("portal:report_step", step="where")
    if step == "check":
        missing = _first_missing(draft)
        if missing is not None:
            return redirect("portal:report_step", step=missing)
    if request.method == "POST" and step == "check":
        return _send(request, draft)
    if request.method == "POST":
        form = _form_for(step, draft, request.POST)
        if form.is_valid():
            _store(step, draft, form.cleaned_data)
            draft_save(request, draft)
            return redirect("portal:report_step", step=STEP_NAMES[index + 1])
    else:
        form = _form_for(step, draft)
    return _step_page(request, step, form, draft)


def _step_page(
    request: HttpRequest, step: str, form: forms.Form, draft: dict[str, Any], status: int = 200
) -> HttpResponse:
    index = STEP_NAMES.index(step)
    titles = _step_titles()
    return _render(
        request,
        f"step_{step}.html",
        {
            "form": form,
            "step": step,
            "step_title": titles[step],
            "number": index + 1,
            "total": len(STEP_NAMES),
            "back": reverse("portal:report_step", kwargs={"step": STEP_NAMES[index - 1]})
            if index
            else reverse("portal:landing"),
            "summary": _summary(draft) if step == "check" else [],
            "district": _district(draft),
            "max_files": settings.MEESAQ_PORTAL_MAX_FILES,
            "max_mb": settings.MEESAQ_PORTAL_MAX_UPLOAD_MB,
        },
        status=status,
    )


def _send(request: HttpRequest, draft: dict[str, Any]) -> HttpResponseBase:
    form = portal_forms.CheckForm(request.POST, request.FILES)
    if not form.is_valid():
        return _step_page(request, "check", form, draft, status=400)
    district = _district(draft)
    category = selectors.portal_category(draft.get("category", ""))
    if district is None or category is None:
        return redirect("portal:report_step", step="what" if category is None else "where")
    tehsil = selectors.portal_tehsils(district).filter(pcode=draft.get("tehsil") or "").first()
    incident = draft.get("incident_on")
    anonymous = draft.get("contact") == portal_forms.ContactForm.ANONYMOUS
    try:
        lodged = services.complaint_lodge(
            district=district,
            tehsil=tehsil,
            place=draft.get("place", ""),
            category=category,
            groups=list(selectors.portal_groups().filter(code__in=draft.get("groups") or [])),
            incident_on=date.fromisoformat(incident) if incident else None,
            narrative=draft.get("narrative", ""),
            danger_life=bool(draft.get("danger_life")),
            danger_mob=bool(draft.get("danger_mob")),
            danger_ongoing=bool(draft.get("danger_ongoing")),
            danger_child=bool(draft.get("danger_child")),
            anonymous=anonymous,
            full_name=draft.get("full_name", ""),
            phone=draft.get("phone", ""),
            consent_sms=bool(draft.get("consent_sms")),
            consent_share=bool(draft.get("consent_share")),
            files=request.FILES.getlist("attachments"),
            honeypot=form.cleaned_data.get("website", ""),
            language=get_language() or "ur",
            request=request,
        )
    except MeesaqError as error:
        form.add_error(None, str(error.message))
        for name, errors in error.fields.items():
            for message in errors:
                form.add_error("attachments" if name == "files" else None, str(message))
        return _step_page(request, "check", form, draft, status=400)
    draft_clear(request)
    request.session.cycle_key()
    # Shown once on the next page, then forgotten; sealed meanwhile, as the session is a row.
    request.session[DONE_KEY] = encrypt(
        json.dumps({"code": lodged.code, "pin": lodged.pin}), associated=DONE_ASSOCIATED
    )
    return redirect("portal:done")


@page(PUBLIC)
@never_cache
def done(request: HttpRequest) -> HttpResponse:
    """Show the tracking code and PIN once."""
    token = request.session.pop(DONE_KEY, None)
    shown = None
    if isinstance(token, str):
        try:
            shown = json.loads(decrypt(token, associated=DONE_ASSOCIATED))
        except (CryptoError, ValueError):
            shown = None
    return _render(request, "done.html", {"shown": shown})


# --- Tracking ---------------------------------------------------------------------------------


def _session_ticket(request: HttpRequest) -> Ticket | None:
    ticket_id = request.session.get(TICKET_KEY)
    if not isinstance(ticket_id, int):
        return None
    return selectors.ticket_get(ticket_id)


@page(PUBLIC)
@never_cache
def track(request: HttpRequest) -> HttpResponseBase:
    """Ask for the tracking code and PIN; on a match, open the complaint's status page."""
    form = portal_forms.TrackForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.ticket_check(
                code=form.cleaned_data["code"], pin=form.cleaned_data["pin"], request=request
            )
        except MeesaqError as error:
            form.add_error(None, str(error.message))
            status = 429 if error.code == "rate_limited" else 400
        else:
            request.session.cycle_key()
            request.session[TICKET_KEY] = ticket.pk
            return redirect("portal:status")
    elif request.method == "POST":
        status = 400
    return _render(request, "track.html", {"form": form}, status=status)


def _ticket_required(
    view: Callable[[HttpRequest, Ticket], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    def wrapped(request: HttpRequest) -> HttpResponseBase:
        ticket = _session_ticket(request)
        if ticket is None:
            return redirect("portal:track")
        return view(request, ticket)

    wrapped.__doc__ = view.__doc__
    wrapped.__name__ = view.__name__
    return wrapped


@page(PUBLIC)
@never_cache
@_ticket_required
def status(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    """Show the complaint's status in plain words, published notes and the add-information form."""
    return _render(
        request,
        "status.html",
        {
            "view": selectors.tracking_view(ticket),
            "form": portal_forms.AddInformationForm(),
            "max_files": settings.MEESAQ_PORTAL_MAX_FILES,
            "max_mb": settings.MEESAQ_PORTAL_MAX_UPLOAD_MB,
        },
    )


@page(PUBLIC)
@never_cache
@_ticket_required
def add_information(request: HttpRequest, ticket: Ticket) -> HttpResponseBase:
    """Add the complainant's new text and files to their case (POST)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = portal_forms.AddInformationForm(request.POST, request.FILES)
    error_text = ""
    if form.is_valid():
        try:
            services.information_add(
                ticket=ticket,
                text=form.cleaned_data["text"],
                files=request.FILES.getlist("attachments"),
                request=request,
            )
        except MeesaqError as error:
            error_text = str(error.message)
            for name, errors in error.fields.items():
                field = "attachments" if name == "files" else name
                for message in errors:
                    form.add_error(field if field in form.fields else None, str(message))
        else:
            messages.success(request, _("Thank you. Your information was added to your complaint."))
            return redirect("portal:status")
    return _render(
        request,
        "status.html",
        {
            "view": selectors.tracking_view(ticket),
            "form": form,
            "error": error_text,
            "max_files": settings.MEESAQ_PORTAL_MAX_FILES,
            "max_mb": settings.MEESAQ_PORTAL_MAX_UPLOAD_MB,
        },
        status=400,
    )


@page(PUBLIC)
def leave(request: HttpRequest) -> HttpResponseBase:
    """Close the complaint on this device (POST), so the next person cannot see it."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    request.session.pop(TICKET_KEY, None)
    request.session.cycle_key()
    return redirect("portal:landing")
