"""Break-glass: ask for a justified view of hidden identity; supervisors review the reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meesaq.access import policy, selectors, services
from meesaq.access.decorators import page
from meesaq.access.forms import BreakGlassForm
from meesaq.access.models import BreakGlassView
from meesaq.core.errors import MeesaqError
from meesaq.core.redirects import safe_next


@page(policy.SIGNED_IN)
def break_glass_request(request: HttpRequest, object_type: str, object_id: str) -> HttpResponseBase:
    """Ask for, and on a valid reason open, a time-limited view of a row's hidden identity."""
    user = policy.acting_user(request)
    obj = selectors.identity_object_for_user(
        user=user, object_type=object_type, object_id=object_id
    )
    if not policy.may_break_glass(user, obj):
        raise Http404
    next_url = safe_next(request, "")
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.break_glass_open(
                user=user, obj=obj, reason=form.cleaned_data["reason"], request=request
            )
        except MeesaqError as error:
            form.add_error("reason", str(error.message))
        else:
            messages.warning(
                request,
                _("The view is open for %(minutes)d minutes and has been reported.")
                % {"minutes": policy.BREAK_GLASS_MINUTES},
            )
            return redirect(next_url or "core:home")
    return render(
        request,
        "access/break_glass_request.html",
        {"form": form, "next": next_url, "minutes": policy.BREAK_GLASS_MINUTES},
    )


@page("access.list_break_glass")
def break_glass_list(request: HttpRequest) -> HttpResponse:
    """List break-glass views in the supervisor's jurisdiction; mark them reviewed."""
    user = policy.acting_user(request)
    if request.method == "POST":
        report = policy.get_scoped(user, BreakGlassView, pk=request.POST.get("report", ""))
        try:
            services.break_glass_review(reviewer=user, view=report)
        except MeesaqError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Marked as reviewed."))
        return redirect("access:break_glass_list")
    show_all = request.GET.get("show") == "all"
    reports = selectors.break_glass_reports_for_user(user=user, unreviewed_only=not show_all)
    page_obj = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(
        request, "access/break_glass_list.html", {"page_obj": page_obj, "show_all": show_all}
    )
