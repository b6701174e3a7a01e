"""Bulk import through the API: the template, checking a file (dry run), starting, progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.params.functions import Path as PathParam

from meesaq.access import policy
from meesaq.api.auth import acting
from meesaq.api.errors import ERRORS, READ_ERRORS
from meesaq.api.lookups import organisation_for
from meesaq.imports import columns, selectors, services
from meesaq.imports.models import ImportRun

router = Router(tags=["imports"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ProblemOut(Schema):
    """One problem of the validation report, worded in your language."""

    row: int = Field(examples=[14])
    column: str = Field(examples=["district"])
    value: str = Field(examples=["PK999"])
    problem: str = Field(examples=["Not a district P-code."])


class ImportOut(Schema):
    """An import: checked (dry run), queued, running or done."""

    id: int = Field(examples=[5])
    status: str = Field(examples=["ready"])
    organisation: str = Field(examples=["lhr-police-centre"])
    file_name: str = Field(examples=["register-2025.xlsx"])
    total_rows: int
    done_rows: int
    created_count: int
    skipped_count: int
    problem_count: int
    created_at: datetime
    problems: list[ProblemOut]


class ImportIn(Schema):
    """Which organisation will own the imported cases, and whether to import after checking."""

    organisation: str = Field(max_length=60, examples=["lhr-police-centre"])
    dry_run: bool = Field(True, description="Only check the file (writes no case).")


class TemplateQuery(Schema):
    """Which template."""

    format: Literal["csv", "xlsx"] = Field("xlsx", examples=["csv"])


def import_out(run: ImportRun) -> ImportOut:
    """Return a run with its whole report."""
    return ImportOut(
        id=run.pk,
        status=run.status,
        organisation=run.organisation.code,
        file_name=run.file_name,
        total_rows=run.total_rows,
        done_rows=services.progress_read(run),
        created_count=run.created_count,
        skipped_count=run.skipped_count,
        problem_count=run.problem_count,
        created_at=run.created_at,
        problems=[
            ProblemOut(
                row=int(str(p["row"])),
                column=str(p["column"]),
                value=str(p["value"]),
                problem=str(p["problem"]),
            )
            for p in selectors.report_of(run)
        ],
    )


@router.get(
    "/imports/template",
    response=READ_ERRORS,
    summary="Download the import template",
    operation_id="imports_template",
    openapi_extra={
        "responses": {
            "200": {
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    XLSX: {"schema": {"type": "string", "format": "binary"}},
                }
            }
        }
    },
)
def imports_template(request: HttpRequest, query: Query[TemplateQuery]) -> Any:
    """Return the template with the import's columns and an example row."""
    policy.require(acting(request), "imports.run")
    if query.format == "csv":
        response = HttpResponse(columns.template_csv(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(columns.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="meesaq-cases-template.{query.format}"'
    return response


@router.post(
    "/imports",
    response={201: ImportOut, 202: ImportOut, **ERRORS},
    summary="Check (and optionally import) a file",
    operation_id="imports_create",
)
def imports_create(request: HttpRequest, file: File[UploadedFile], payload: Form[ImportIn]) -> Any:
    """Check every row (201 with the report); with dry_run=false and no problems, start it (202)."""
    user = acting(request)
    policy.require(user, "imports.run")
    run = services.import_check(
        actor=user,
        organisation=organisation_for(user, payload.organisation),
        data=file.read(),
        file_name=file.name or "import",
        request=request,
    )
    if payload.dry_run or run.problem_count:
        return Status(201, import_out(run))
    run = services.import_queue(actor=user, run=run, request=request)
    return Status(202, import_out(run))


@router.get(
    "/imports/{import_id}",
    response={200: ImportOut, **READ_ERRORS},
    summary="Get an import with its report and progress",
    operation_id="imports_get",
)
def imports_get(
    request: HttpRequest, import_id: int = PathParam(..., ge=1, le=2**62, example=5)
) -> Any:
    """Return one of your imports: its state, progress and validation report."""
    return import_out(selectors.import_for_user(user=acting(request), run_id=import_id))


@router.post(
    "/imports/{import_id}/start",
    response={202: ImportOut, **ERRORS},
    summary="Start a checked import",
    operation_id="imports_start",
)
def imports_start(
    request: HttpRequest, import_id: int = PathParam(..., ge=1, le=2**62, example=5)
) -> Any:
    """Start the real import of a file that was checked without problems."""
    user = acting(request)
    run = services.import_queue(
        actor=user, run=selectors.import_for_user(user=user, run_id=import_id), request=request
    )
    return Status(202, import_out(run))
