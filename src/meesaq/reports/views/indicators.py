"""The indicators page: every indicator's definition and its current value."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.reports.filters import ReportFilterForm
from meesaq.reports.indicators import indicator_values
from meesaq.reports.summary import summary_refreshed_at


@page("reports.view")
def indicators(request: HttpRequest) -> HttpResponse:
    """List the indicators with their definitions and current values for the user's scope."""
    user = policy.acting_user(request)
    form = ReportFilterForm(request.GET or None, user=user)
    filters = form.filters()
    return render(
        request,
        "reports/indicators.html",
        {
            "form": form,
            "filters": filters,
            "values": indicator_values(user=user, filters=filters),
            "refreshed_at": summary_refreshed_at(),
            "filter_query": filters.query(),
            "may_build": policy.may(user, "reports.build"),
            "may_open_data": policy.may(user, "opendata.export"),
            "may_periodic": policy.may(user, "reports.periodic"),
        },
    )
