"""The dashboard: figures, charts and the district map for what the user may see."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.reports import charts
from meesaq.reports.filters import ReportFilterForm
from meesaq.reports.selectors import Dashboard, dashboard_for_user, without_links
from meesaq.reports.summary import summary_refresh, summary_refreshed_at
from meesaq.reports.views.common import district_map


def _charts(board: Dashboard, rtl: bool) -> dict[str, str]:
    cases = _("Cases")
    found = {
        "over_time": charts.time_spec(
            board.over_time,
            title=_("Cases received and resolved"),
            first=_("Received"),
            second=_("Resolved"),
            value_title=cases,
            rtl=rtl,
        ),
        "age_bands": charts.bar_spec(
            board.age_bands, title=_("Open cases by age"), value_title=cases, rtl=rtl
        ),
        "by_category": charts.bar_spec(
            board.by_category, title=_("Cases by category"), value_title=cases, rtl=rtl
        ),
        "by_group": charts.bar_spec(
            board.by_group, title=_("Cases by affected group"), value_title=cases, rtl=rtl
        ),
        "by_channel": charts.bar_spec(
            board.by_channel, title=_("Cases by channel"), value_title=cases, rtl=rtl
        ),
        "satisfaction": charts.bar_spec(
            board.satisfaction,
            title=_("Complainant satisfaction"),
            value_title=_("Answers"),
            rtl=rtl,
        ),
    }
    return {
        name: charts.inline(charts.render_svg(spec))
        for name, spec in found.items()
        if any(
            getattr(bar, "value", 0) or getattr(bar, "second", 0) for bar in getattr(board, name)
        )
    }


@page("reports.view")
def dashboard(request: HttpRequest) -> HttpResponse:
    """Show the dashboard of the figures the user may see, narrowed by the filters."""
    user = policy.acting_user(request)
    form = ReportFilterForm(request.GET or None, user=user)
    filters = form.filters()
    if summary_refreshed_at() is None:
        summary_refresh()
    board = dashboard_for_user(user=user, filters=filters)
    drilldown = policy.may(user, "reports.drilldown")
    if not drilldown:
        board = without_links(board)
    rtl = charts.page_rtl()
    context = {
        "form": form,
        "board": board,
        "charts": _charts(board, rtl),
        "drilldown": drilldown,
        "refreshed_at": summary_refreshed_at(),
        "map": district_map(board, filters, link_name="reports:dashboard"),
        "may_build": policy.may(user, "reports.build"),
        "may_open_data": policy.may(user, "opendata.export"),
        "may_periodic": policy.may(user, "reports.periodic"),
        "filter_query": filters.query(),
    }
    return render(request, "reports/dashboard.html", context)


@page("reports.view")
@require_POST
def refresh(request: HttpRequest) -> HttpResponseRedirect:
    """Bring the figures up to date now (an incremental refresh), then show the dashboard."""
    summary_refresh()
    messages.success(request, _("The figures are up to date."))
    query = request.POST.get("query", "")
    return HttpResponseRedirect(reverse("reports:dashboard") + ("?" + query if query else ""))
