"""The report builder: build a table or chart, save and share it, export it."""

from __future__ import annotations

from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.audit.services import audit_record
from meesaq.core.errors import MeesaqError
from meesaq.reports import charts
from meesaq.reports.builder import (
    BuiltTable,
    builder_table,
    definition_from,
    definition_query,
    saved_report_create,
    saved_report_delete,
    saved_reports_for,
)
from meesaq.reports.exports import built_rows, csv_lines, xlsx_file
from meesaq.reports.forms import BuilderForm, SaveReportForm
from meesaq.reports.models import SavedReport
from meesaq.reports.selectors import Bar

EXPORT_FORMATS = ("csv", "xlsx", "png", "svg")


def _chart_spec(table: BuiltTable, rtl: bool) -> dict[str, object]:
    if len(table.columns) <= 1:
        bars = [
            Bar(key, label, int(value or 0))
            for (key, label), (_l, (value, *_rest)) in zip(table.rows, table.grid(), strict=True)
        ]
        return charts.bar_spec(bars, title=table.title, value_title=table.measure_label, rtl=rtl)
    values = [
        {"row": label, "column": column_label, "value": value or 0}
        for label, cells in table.grid()
        for (_key, column_label), value in zip(table.columns, cells, strict=True)
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": table.title,
        "width": 420,
        "height": {"step": 14},
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {
                "field": "row",
                "type": "nominal",
                "title": None,
                "axis": {"orient": "right" if rtl else "left"},
            },
            "yOffset": {"field": "column"},
            "x": {
                "field": "value",
                "type": "quantitative",
                "title": table.measure_label,
                "scale": {"reverse": rtl},
            },
            "color": {"field": "column", "type": "nominal", "title": None},
        },
        "config": charts._config(rtl),
    }


def _build(request: HttpRequest) -> tuple[BuilderForm, BuiltTable | None, str]:
    user = policy.acting_user(request)
    form = BuilderForm(request.GET or None, user=user)
    filters = form.filters()
    rows, columns, measure = form.choice()
    try:
        table = builder_table(
            user=user, filters=filters, rows=rows, columns=columns, measure=measure
        )
    except MeesaqError as error:
        return form, None, str(error.message)
    return form, table, ""


@page("reports.build")
def builder(request: HttpRequest) -> HttpResponse:
    """Build a table (and its chart) from the case dimensions."""
    user = policy.acting_user(request)
    form, table, error = _build(request)
    chart = ""
    if table is not None and table.rows:
        chart = charts.inline(charts.render_svg(_chart_spec(table, charts.page_rtl())))
    query = definition_query(definition_from(request.GET))
    return render(
        request,
        "reports/builder.html",
        {
            "form": form,
            "table": table,
            "error": error,
            "chart": chart,
            "query": query,
            "save_form": SaveReportForm(),
            "saved": saved_reports_for(user=user),
            "may_build": True,
            "may_open_data": policy.may(user, "opendata.export"),
            "may_periodic": policy.may(user, "reports.periodic"),
        },
    )


@page("reports.build")
def builder_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """Download the built table as CSV or XLSX, or its chart as PNG or SVG."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    user = policy.acting_user(request)
    _form, table, error = _build(request)
    if table is None:
        messages.error(request, error)
        return HttpResponseRedirect(reverse("reports:builder"))
    audit_record(
        actor=user, action="reports.builder_exported", request=request, detail={"format": fmt}
    )
    name = "meesaq-report"
    if fmt == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            csv_lines(built_rows(table)), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = FileResponse(
            xlsx_file([(table.title, built_rows(table))], rtl=charts.page_rtl()),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "png":
        response = HttpResponse(
            charts.render_png(_chart_spec(table, charts.page_rtl())), content_type="image/png"
        )
    else:
        response = HttpResponse(
            charts.render_svg(_chart_spec(table, charts.page_rtl())), content_type="image/svg+xml"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@page("reports.build")
@require_POST
def builder_save(request: HttpRequest) -> HttpResponseRedirect:
    """Save the built report (shared with the organisation when asked)."""
    user = policy.acting_user(request)
    form = SaveReportForm(request.POST)
    definition = definition_from(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the report a name."))
    else:
        try:
            saved_report_create(
                actor=user,
                name=form.cleaned_data["name"],
                shared=form.cleaned_data["shared"],
                definition=definition,
            )
        except MeesaqError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The report is saved."))
    return HttpResponseRedirect(reverse("reports:builder") + "?" + definition_query(definition))


@page("reports.build")
def saved_open(request: HttpRequest, report_id: int) -> HttpResponseRedirect:
    """Open a saved report in the builder."""
    user = policy.acting_user(request)
    report = policy.get_scoped(user, SavedReport, pk=report_id)
    return HttpResponseRedirect(
        reverse("reports:builder") + "?" + definition_query(report.definition)
    )


@page("reports.build")
def saved_delete(request: HttpRequest, report_id: int) -> HttpResponseBase:
    """Delete a saved report (its owner only; POST only)."""
    user = policy.acting_user(request)
    report = policy.get_scoped(user, SavedReport, pk=report_id)
    if not policy.may(user, "reports.edit_saved", report):
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    saved_report_delete(actor=user, report=report)
    messages.success(request, _("The report is deleted."))
    return HttpResponseRedirect(reverse("reports:builder"))
