"""Writes of bulk import: checking a file (the dry run, which writes no case) and importing it.

Importing runs every row through the same services as the pages (``case_register_intake``,
``person_add_to_case``) inside ONE transaction: a refusal on any row rolls back every row, and
the run is reported as stopped with that row's problem. Rows whose external reference was
imported before are skipped, so the same file imported twice adds nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.accounts.models import User
from meesaq.audit.services import audit_record
from meesaq.cases import storage
from meesaq.cases.models import AffectedGroup, Category
from meesaq.cases.selectors.intake import intake_organisations
from meesaq.cases.services.intake import case_register_intake
from meesaq.cases.services.people import person_add_to_case
from meesaq.core.errors import MeesaqError
from meesaq.geo.models import AdminUnit
from meesaq.imports import columns
from meesaq.imports.models import ImportedRecord, ImportRun, RunStatus
from meesaq.orgs.models import Organisation

PROGRESS_EVERY = 100


def _check_upload(data: bytes) -> None:
    limit = settings.MEESAQ_IMPORT_MAX_MB * 1024 * 1024
    if len(data) > limit:
        raise MeesaqError(
            _("The file is larger than %(mb)d MB.") % {"mb": settings.MEESAQ_IMPORT_MAX_MB},
            code="file_too_large",
            fields={"file": [_("This file is too large.")]},
        )


def import_check(
    *,
    actor: User,
    organisation: Organisation,
    data: bytes,
    file_name: str,
    request: HttpRequest | None = None,
) -> ImportRun:
    """Check every row of a file and keep the report; no case is written (the dry run)."""
    if not policy.may(actor, "imports.run"):
        raise MeesaqError(_("Your role cannot import cases."), code="forbidden")
    if not intake_organisations(user=actor).filter(pk=organisation.pk).exists():
        raise MeesaqError(
            _("You cannot record cases for this organisation."),
            code="organisation_not_yours",
            fields={"organisation": [_("You cannot record cases for this organisation.")]},
        )
    _check_upload(data)
    header, rows = columns.read_rows(data, file_name=file_name)
    context = columns.context_for(user=actor, organisation=organisation)
    problems, count = columns.check_file(header, rows, context=context)
    known = set(
        ImportedRecord.objects.filter(organisation=organisation).values_list(
            "external_reference", flat=True
        )
    )
    references = {
        values.get("external_reference", "") for _row, values in columns.rows_as_dicts(header, rows)
    }
    skipped = len(references & known)
    with transaction.atomic():
        run = ImportRun.objects.create(
            created_by=actor,
            organisation=organisation,
            file_name=file_name[:200],
            status=RunStatus.INVALID if problems else RunStatus.READY,
            total_rows=count,
            skipped_count=skipped,
            problem_count=len(problems),
            report=json.dumps([problem.as_dict() for problem in problems]),
            storage_name="" if problems else storage.store(data),
        )
        audit_record(
            actor=actor,
            action="imports.checked",
            target=run,
            request=request,
            detail={"rows": count, "problems": len(problems), "already_imported": skipped},
        )
    return run


def import_queue(*, actor: User, run: ImportRun, request: HttpRequest | None = None) -> ImportRun:
    """Put a checked file in the job queue for the real import."""
    from meesaq.imports.tasks import run_import

    with transaction.atomic():
        locked = ImportRun.objects.select_for_update().get(pk=run.pk)
        if locked.created_by_id != actor.pk:
            raise MeesaqError(_("No such import."), code="not_found")
        if locked.status != RunStatus.READY:
            raise MeesaqError(
                _("This import is %(status)s: it cannot be started.")
                % {"status": locked.get_status_display()},
                code="illegal_step",
            )
        locked.status = RunStatus.QUEUED
        locked.save(update_fields=["status"])
        audit_record(actor=actor, action="imports.queued", target=locked, request=request)
        transaction.on_commit(lambda: run_import.enqueue(locked.pk))
    return locked


# --- Progress (seen by the page while the import's own transaction is still open) ----------


def _progress_path(run_id: int) -> Path:
    return Path(settings.VAR_DIR) / "imports" / f"{run_id}.progress"


def progress_write(run_id: int, done: int) -> None:
    """Note how many rows a running import has done (outside its transaction)."""
    path = _progress_path(run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(done), encoding="ascii")


def progress_read(run: ImportRun) -> int:
    """Return how many rows a running import has done."""
    if run.status == RunStatus.DONE:
        return run.total_rows
    try:
        return int(_progress_path(run.pk).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return 0


# --- The real run ---------------------------------------------------------------------------


def _flag(values: dict[str, str], name: str) -> bool:
    return bool(columns.yes_no(values.get(name, "")))


def _import_row(
    *, run: ImportRun, actor: User, values: dict[str, str], codes: dict[str, object]
) -> None:
    units: dict[str, AdminUnit] = codes["units"]  # type: ignore[assignment]  # built below
    categories: dict[str, Category] = codes["categories"]  # type: ignore[assignment]  # built below
    groups: dict[str, AffectedGroup] = codes["groups"]  # type: ignore[assignment]  # built below
    received = columns.parse_datetime(values["received_at"])
    if received is None:  # checked before: only a file changed under us gets here
        raise MeesaqError(columns.PROBLEMS["bad_datetime"], code="bad_datetime")
    incident = values.get("incident_on", "")
    case = case_register_intake(
        actor=actor,
        organisation=run.organisation,
        district=units[values["district"].upper()],
        tehsil=units[values["tehsil"].upper()] if values.get("tehsil") else None,
        received_at=received,
        channel=values["channel"],
        category=categories[values["category"]],
        groups=[
            groups[code.strip()] for code in values.get("groups", "").split(";") if code.strip()
        ],
        title=values["title"],
        narrative=values.get("narrative", ""),
        police_station=values.get("police_station", ""),
        place=values.get("place", ""),
        incident_on=columns.parse_date(incident) if incident else None,
        consent_contact=_flag(values, "consent_contact"),
        consent_share=_flag(values, "consent_share"),
        risk_threat_to_life=_flag(values, "risk_threat_to_life"),
        risk_ongoing_violence=_flag(values, "risk_ongoing_violence"),
        risk_child_involved=_flag(values, "risk_child_involved"),
        risk_mob_threat=_flag(values, "risk_mob_threat"),
        risk_displacement=_flag(values, "risk_displacement"),
    )
    if any(values.get(name) for name in columns.COMPLAINANT):
        person_add_to_case(
            actor=actor,
            case=case,
            role="complainant",
            full_name=values.get("complainant_name", ""),
            cnic=values.get("complainant_cnic", ""),
            phone=values.get("complainant_phone", ""),
            gender=values.get("complainant_gender", ""),
            age_band=values.get("complainant_age_band", ""),
            faith=values.get("complainant_faith", ""),
            disability=False,
        )
    ImportedRecord.objects.create(
        organisation=run.organisation,
        external_reference=values["external_reference"],
        case=case,
        run=run,
    )


def _stop(run: ImportRun, problem: columns.Problem) -> ImportRun:
    run.status = RunStatus.FAILED
    run.problem_count = 1
    run.created_count = 0
    run.report = json.dumps([problem.as_dict()])
    run.finished_at = timezone.now()
    run.save()
    audit_record(
        actor=run.created_by,
        action="imports.failed",
        target=run,
        detail={"row": problem.row, "code": problem.code},
    )
    return run


def import_execute(*, run_id: int) -> ImportRun:
    """Import a queued run all or nothing, as the user who checked it."""
    run = ImportRun.objects.select_related("created_by", "organisation").get(pk=run_id)
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return run
    actor = run.created_by
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    data = storage.load(run.storage_name)
    header, rows = columns.read_rows(data, file_name=run.file_name)
    context = columns.context_for(user=actor, organisation=run.organisation)
    problems, _count = columns.check_file(header, rows, context=context)
    if problems:
        # The places or codes changed since the check: nothing is imported.
        return _stop(run, problems[0])
    codes: dict[str, object] = {
        "units": context.units,
        "categories": {c.code: c for c in Category.objects.filter(is_active=True)},
        "groups": {g.code: g for g in AffectedGroup.objects.filter(is_active=True)},
    }
    known = set(
        ImportedRecord.objects.filter(organisation=run.organisation).values_list(
            "external_reference", flat=True
        )
    )
    created = skipped = done = 0
    current = 1
    try:
        with transaction.atomic():
            for row_number, values in columns.rows_as_dicts(header, rows):
                current = row_number
                if values["external_reference"] in known:
                    skipped += 1
                else:
                    _import_row(run=run, actor=actor, values=values, codes=codes)
                    created += 1
                done += 1
                if done % PROGRESS_EVERY == 0:
                    progress_write(run.pk, done)
            run.status = RunStatus.DONE
            run.created_count = created
            run.skipped_count = skipped
            run.finished_at = timezone.now()
            run.save()
            audit_record(
                actor=actor,
                action="imports.completed",
                target=run,
                detail={"created": created, "already_imported": skipped},
            )
    except MeesaqError as error:
        run.refresh_from_db()
        column = next(iter(error.fields), "")
        return _stop(
            run,
            columns.Problem(current, column, "", "refused", {"message": str(error.message)}),
        )
    finally:
        _progress_path(run.pk).unlink(missing_ok=True)
    storage.discard(run.storage_name)
    ImportRun.objects.filter(pk=run.pk).update(storage_name="")
    return run
