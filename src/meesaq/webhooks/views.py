"""Administrators' pages: partner organisations' webhook endpoints and their delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.accounts.forms import show_error
from meesaq.core.errors import MeesaqError
from meesaq.orgs.selectors import OrganisationFilters, organisation_list_for_user
from meesaq.webhooks import selectors, services


@page("webhooks.manage")
def endpoint_list(request: HttpRequest) -> HttpResponse:
    """List the endpoints and register a new one (its secret shown on this answer only)."""
    from meesaq.webhooks.forms import EndpointForm

    user = policy.acting_user(request)
    organisations = organisation_list_for_user(user=user, filters=OrganisationFilters()).filter(
        is_active=True
    )
    form = EndpointForm(request.POST or None, organisations=organisations)
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            made = services.endpoint_create(
                actor=user,
                organisation=form.cleaned_data["organisation"],
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                request=request,
            )
        except MeesaqError as error:
            show_error(form, error)
        else:
            secret = made.secret
            form = EndpointForm(organisations=organisations)
    response = render(
        request,
        "webhooks/list.html",
        {"form": form, "secret": secret, "endpoints": selectors.endpoints_all()},
    )
    response["Cache-Control"] = "no-store"
    return response


@page("webhooks.manage")
def endpoint_detail(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    """Show an endpoint and its newest deliveries with the answers they got."""
    endpoint = selectors.endpoint_get(endpoint_id=endpoint_id)
    return render(
        request,
        "webhooks/detail.html",
        {"endpoint": endpoint, "deliveries": selectors.deliveries_of(endpoint)},
    )


@page("webhooks.manage")
@require_POST
def endpoint_disable(request: HttpRequest, endpoint_id: int) -> HttpResponseBase:
    """Stop sending to an endpoint."""
    user = policy.acting_user(request)
    endpoint = selectors.endpoint_get(endpoint_id=endpoint_id)
    services.endpoint_disable(actor=user, endpoint=endpoint, request=request)
    messages.success(request, _("The endpoint was switched off."))
    return redirect("webhooks:detail", endpoint_id=endpoint.pk)
