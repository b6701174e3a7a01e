"""Monthly reports: the list of stored reports, generating one now, downloading (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.audit.services import audit_record
from meesaq.core.errors import MeesaqError
from meesaq.reports.forms import PeriodicRequestForm
from meesaq.reports.models import PeriodicReport
from meesaq.reports.periodic import periodic_report_generate, previous_month
from meesaq.reports.summary import summary_refresh


@page("reports.periodic")
def periodic_list(request: HttpRequest) -> HttpResponse:
    """List the monthly reports the user may download, and offer to generate one."""
    user = policy.acting_user(request)
    reports = (
        policy.scoped(user, PeriodicReport)
        .select_related("place")
        .defer("pdf", "xlsx")
        .order_by("-month", "jurisdiction_path", "language")[:200]
    )
    form = PeriodicRequestForm(user=user, initial={"month": previous_month()})
    return render(
        request,
        "reports/periodic_list.html",
        {
            "reports": reports,
            "form": form,
            "may_build": policy.may(user, "reports.build"),
            "may_open_data": policy.may(user, "opendata.export"),
            "may_periodic": True,
        },
    )


@page("reports.periodic")
@require_POST
def periodic_generate(request: HttpRequest) -> HttpResponseBase:
    """Generate (again) the monthly report asked for, with the figures brought up to date."""
    user = policy.acting_user(request)
    form = PeriodicRequestForm(request.POST, user=user)
    if not form.is_valid():
        reports = policy.scoped(user, PeriodicReport).select_related("place").defer("pdf", "xlsx")
        return render(
            request,
            "reports/periodic_list.html",
            {"reports": reports[:200], "form": form, "may_periodic": True},
            status=400,
        )
    summary_refresh()
    try:
        periodic_report_generate(
            place=form.places[form.cleaned_data["place"]],
            month=form.cleaned_data["month"],
            language=form.cleaned_data["language"],
            actor=user,
        )
    except MeesaqError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The monthly report is ready."))
    return HttpResponseRedirect(reverse("reports:periodic_list"))


@page("reports.periodic")
def periodic_download(request: HttpRequest, report_id: int, fmt: str) -> HttpResponse:
    """Download a stored monthly report as PDF or XLSX (audited)."""
    if fmt not in {"pdf", "xlsx"}:
        raise Http404
    user = policy.acting_user(request)
    report = policy.get_scoped(user, PeriodicReport, pk=report_id)
    audit_record(
        actor=user,
        action="reports.periodic_downloaded",
        target=report,
        request=request,
        detail={"format": fmt},
    )
    content_type = (
        "application/pdf"
        if fmt == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(bytes(getattr(report, fmt)), content_type=content_type)
    name = f"meesaq-{report.place_id}-{report.month:%Y-%m}-{report.language}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
