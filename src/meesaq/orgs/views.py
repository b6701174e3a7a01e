"""Organisation pages: the directory for all staff, and administrators' changes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.accounts.models import User
from meesaq.core.errors import MeesaqError
from meesaq.geo.selectors import unit_ancestors
from meesaq.orgs.forms import OrganisationFilterForm, OrganisationForm, add_service_error
from meesaq.orgs.models import Organisation
from meesaq.orgs.selectors import (
    OrganisationFilters,
    members_of,
    memberships_count,
    organisation_children_for_user,
    organisation_get_for_user,
    organisation_list_for_user,
    organisation_parent_choices,
    organisation_placement_warnings,
)
from meesaq.orgs.services import (
    organisation_create,
    organisation_deactivate,
    organisation_reactivate,
    organisation_update,
)

MANAGE = "orgs.manage"
PAGE_SIZE = 25


@page(policy.SIGNED_IN)
def organisation_list(request: HttpRequest) -> HttpResponse:
    """List the organisations the user may see, filtered by kind, place and text."""
    user = policy.acting_user(request)
    form = OrganisationFilterForm(request.GET or None)
    filters = OrganisationFilters()
    if form.is_valid():
        filters = OrganisationFilters(
            kind=form.cleaned_data["kind"],
            within=form.cleaned_data["place"],
            text=form.cleaned_data["q"],
        )
    organisations = organisation_list_for_user(user=user, filters=filters)
    page_obj = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/organisation_list.html",
        {"form": form, "page_obj": page_obj, "can_manage": policy.may(user, MANAGE)},
    )


@page(policy.SIGNED_IN)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an organisation, where it sits, its branches and (to those allowed) its members."""
    user = policy.acting_user(request)
    organisation = organisation_get_for_user(user=user, pk=pk)
    can_manage = policy.may(user, MANAGE)
    return render(
        request,
        "orgs/organisation_detail.html",
        {
            "organisation": organisation,
            "places": [*unit_ancestors(organisation.jurisdiction), organisation.jurisdiction],
            "children": organisation_children_for_user(user=user, organisation=organisation),
            "members": members_of(organisation, user=user),
            "can_manage": can_manage,
            "warnings": organisation_placement_warnings(organisation) if can_manage else [],
        },
    )


def _parent(user: User, value: str) -> Organisation | None:
    return organisation_get_for_user(user=user, pk=int(value)) if value else None


def _saved(request: HttpRequest, organisation: Organisation, message: str) -> HttpResponse:
    messages.success(request, message)
    for warning in organisation_placement_warnings(organisation):
        messages.warning(request, warning)
    return redirect("orgs:detail", pk=organisation.pk)


@page(MANAGE)
def organisation_new(request: HttpRequest) -> HttpResponse:
    """Add an organisation."""
    actor = policy.acting_user(request)
    form = OrganisationForm(
        request.POST or None, parent_choices=organisation_parent_choices(user=actor)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = organisation_create(
                actor=actor,
                name_en=data["name_en"],
                name_ur=data["name_ur"],
                code=data["code"],
                kind=data["kind"],
                jurisdiction=data["jurisdiction"],
                parent=_parent(actor, data["parent"]),
                request=request,
            )
        except MeesaqError as error:
            add_service_error(form, error)
        else:
            return _saved(request, organisation, _("The organisation was added."))
    return render(request, "orgs/organisation_form.html", {"form": form, "organisation": None})


@page(MANAGE)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an organisation, or deactivate or reactivate it."""
    actor = policy.acting_user(request)
    organisation = organisation_get_for_user(user=actor, pk=pk)
    form = OrganisationForm(
        request.POST if request.method == "POST" and "status" not in request.POST else None,
        parent_choices=organisation_parent_choices(user=actor, exclude=organisation),
        organisation=organisation,
    )
    context: dict[str, Any] = {"form": form, "organisation": organisation}
    if request.method == "POST" and "status" in request.POST:
        change = (
            organisation_deactivate
            if request.POST["status"] == "deactivate"
            else organisation_reactivate
        )
        try:
            change(actor=actor, organisation=organisation, request=request)
        except MeesaqError as error:
            context["status_error"] = error.message
        else:
            done = (
                _("The organisation was deactivated.")
                if not organisation.is_active
                else _("The organisation was reactivated.")
            )
            messages.success(request, done)
            return redirect("orgs:detail", pk=organisation.pk)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation_update(
                actor=actor,
                organisation=organisation,
                name_en=data["name_en"],
                name_ur=data["name_ur"],
                code=data["code"],
                kind=data["kind"],
                jurisdiction=data["jurisdiction"],
                parent=_parent(actor, data["parent"]),
                request=request,
            )
        except MeesaqError as error:
            add_service_error(form, error)
        else:
            return _saved(request, organisation, _("The organisation was saved."))
    context["members_count"] = memberships_count(user=actor, organisation=organisation)
    return render(request, "orgs/organisation_form.html", context)
