"""The administrators' page of routing rules: where public complaints go."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.core.errors import MeesaqError
from meesaq.geo.models import AdminUnit, Level
from meesaq.orgs.models import Organisation
from meesaq.portal import selectors, services
from meesaq.portal.forms import RoutingRuleForm


def _form(request: HttpRequest, data: object = None) -> RoutingRuleForm:
    user = policy.acting_user(request)
    return RoutingRuleForm(
        data,
        organisations=policy.scoped(user, Organisation).filter(is_active=True).order_by("name_en"),
        districts=selectors.portal_districts(),
    )


@page("portal.manage_routing")
def routing(request: HttpRequest) -> HttpResponseBase:
    """List the routing rules and add one (POST)."""
    user = policy.acting_user(request)
    form = _form(request, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            district = (
                AdminUnit.objects.filter(pcode=data["district"], level=Level.DISTRICT).first()
                if data["district"]
                else None
            )
            try:
                services.routing_rule_create(
                    actor=user,
                    category=data["category"],
                    group=data["group"],
                    district=district,
                    organisation=data["organisation"],
                    organisation_kind=data["organisation_kind"],
                    request=request,
                )
            except MeesaqError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Routing rule added."))
                return redirect("portal:routing")
        status = 400
    rules = sorted(selectors.routing_rules_for(user=user), key=lambda r: (-r.specificity, r.pk))
    return render(request, "portal/routing.html", {"rules": rules, "form": form}, status=status)


@page("portal.manage_routing")
def routing_delete(request: HttpRequest, rule_id: int) -> HttpResponseBase:
    """Remove a routing rule (POST)."""
    user = policy.acting_user(request)
    rule = selectors.routing_rule_for(user=user, rule_id=rule_id)
    if rule is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.routing_rule_delete(actor=user, rule=rule, request=request)
    messages.success(request, _("Routing rule removed."))
    return redirect("portal:routing")
