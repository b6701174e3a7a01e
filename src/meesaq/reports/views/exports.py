"""Exports: the case list as CSV or XLSX (with the list's own filters) and the open-data table."""

from __future__ import annotations

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.audit.services import audit_record
from meesaq.cases.forms_list import CaseListForm
from meesaq.cases.search_terms import search_form_data
from meesaq.cases.selectors.cases import IDENTITY_SEARCH_KINDS, case_queryset_for_user
from meesaq.reports import charts
from meesaq.reports.copy_export import copy_export_available, copy_export_lines
from meesaq.reports.exports import case_export, csv_lines, xlsx_file
from meesaq.reports.filters import ReportFilterForm
from meesaq.reports.opendata import OPEN_DATA_COLUMNS, open_data_table
from meesaq.reports.summary import summary_refreshed_at

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(response: HttpResponseBase, name: str) -> HttpResponseBase:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _case_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    user = policy.acting_user(request)
    # The list's own parameters, its search restored from the session token (search_terms).
    data, _search_ended = search_form_data(request)
    form = CaseListForm(data or None, user=user)
    if form.is_bound:
        form.is_valid()
    cases, kind = case_queryset_for_user(user=user, filters=form.filters())
    identity = request.GET.get("identity") == "1"
    export = case_export(user=user, cases=cases, identity=identity, request=request)
    if kind in IDENTITY_SEARCH_KINDS:
        audit_record(
            actor=user, action="cases.identity_search", request=request, detail={"kind": kind}
        )
    audit_record(
        actor=user,
        action="reports.cases_exported",
        request=request,
        detail={"format": fmt, "identity": export.identity},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    rows = (row for part in ([export.header], export.rows) for row in part)
    if fmt == "csv" and copy_export_available(identity=export.identity):
        response: HttpResponseBase = StreamingHttpResponse(
            copy_export_lines(cases=cases, header=export.header),
            content_type="text/csv; charset=utf-8",
        )
    elif fmt == "csv":
        response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    else:
        response = FileResponse(
            xlsx_file([("cases", rows)], rtl=charts.page_rtl()), content_type=XLSX
        )
    return _download(response, f"meesaq-cases-{stamp}.{fmt}")


@page("reports.export_cases")
def cases_csv(request: HttpRequest) -> HttpResponseBase:
    """Stream the case list (with the list's filters) as CSV."""
    return _case_export(request, "csv")


@page("reports.export_cases")
def cases_xlsx(request: HttpRequest) -> HttpResponseBase:
    """Send the case list (with the list's filters) as an XLSX workbook."""
    return _case_export(request, "xlsx")


def _open_table(request: HttpRequest):  # type: ignore[no-untyped-def]  # returns (form, by, table)
    user = policy.acting_user(request)
    form = ReportFilterForm(request.GET or None, user=user)
    by = request.GET.get("by", "category")
    by = by if by in OPEN_DATA_COLUMNS else "category"
    return form, by, open_data_table(user=user, filters=form.filters(), by=by)


@page("opendata.export")
def open_data(request: HttpRequest) -> HttpResponse:
    """Show the open-data table (suppressed) with its download links."""
    user = policy.acting_user(request)
    form, by, table = _open_table(request)
    lines = list(table.lines())
    return render(
        request,
        "reports/open_data.html",
        {
            "form": form,
            "by": by,
            "header": lines[0],
            "hxl": lines[1],
            "body": lines[2:],
            "query": request.GET.urlencode(),
            "refreshed_at": summary_refreshed_at(),
            "may_build": policy.may(user, "reports.build"),
            "may_open_data": True,
            "may_periodic": policy.may(user, "reports.periodic"),
        },
    )


@page("opendata.export")
def open_data_download(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """Download the open-data table as CSV or XLSX, with its HXL hashtag row."""
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    user = policy.acting_user(request)
    _form, by, table = _open_table(request)
    audit_record(
        actor=user,
        action="opendata.exported",
        request=request,
        detail={"format": fmt, "by": by},
    )
    if fmt == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            csv_lines(table.lines()), content_type="text/csv; charset=utf-8"
        )
    else:
        response = FileResponse(
            xlsx_file([("open data", table.lines())], rtl=False), content_type=XLSX
        )
    return _download(response, f"meesaq-open-data-{by}.{fmt}")
