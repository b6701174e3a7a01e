"""The import page: templates, upload and check (the dry run), report, start, progress."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.accounts.forms import show_error
from meesaq.cases.selectors.intake import intake_organisations
from meesaq.core.errors import MeesaqError
from meesaq.imports import columns, selectors, services
from meesaq.imports.forms import UploadForm
from meesaq.imports.models import RunStatus

REPORT_SHOWN = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@page("imports.run")
def import_list(request: HttpRequest) -> HttpResponse:
    """Upload a file to check, and list one's recent imports."""
    user = policy.acting_user(request)
    organisations = intake_organisations(user=user)
    form = UploadForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = services.import_check(
                actor=user,
                organisation=form.cleaned_data["organisation"],
                data=upload.read(),
                file_name=upload.name or "import",
                request=request,
            )
        except MeesaqError as error:
            show_error(form, error)
        else:
            return redirect("imports:detail", run_id=run.pk)
    return render(
        request,
        "imports/list.html",
        {"form": form, "runs": selectors.imports_of(user=user), "columns": columns.COLUMNS},
    )


@page("imports.run")
def import_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """Show a run: its report, the button to start it, or its progress."""
    user = policy.acting_user(request)
    run = selectors.import_for_user(user=user, run_id=run_id)
    report = selectors.report_of(run)
    return render(
        request,
        "imports/detail.html",
        {
            "run": run,
            "report": report[:REPORT_SHOWN],
            "report_cut": run.problem_count > min(len(report), REPORT_SHOWN),
            "working": run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
            "done_rows": services.progress_read(run),
            "to_create": max(run.total_rows - run.skipped_count, 0),
        },
    )


@page("imports.run")
def import_start(request: HttpRequest, run_id: int) -> HttpResponseBase:
    """Start the real import of a checked file."""
    user = policy.acting_user(request)
    # Someone else's import is "not found" whatever the method.
    run = selectors.import_for_user(user=user, run_id=run_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.import_queue(actor=user, run=run, request=request)
    except MeesaqError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The import has started."))
    return redirect("imports:detail", run_id=run.pk)


@page("imports.run")
def template_csv(request: HttpRequest) -> HttpResponse:
    """Download the CSV template."""
    response = HttpResponse(columns.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meesaq-cases-template.csv"'
    return response


@page("imports.run")
def template_xlsx(request: HttpRequest) -> HttpResponse:
    """Download the XLSX template."""
    response = HttpResponse(columns.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="meesaq-cases-template.xlsx"'
    return response
