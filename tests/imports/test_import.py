"""Bulk import: a complete report before anything is written, all or nothing, no duplicates."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from meesaq.audit.models import AuditEvent
from meesaq.cases.models import Case, Person
from meesaq.core.errors import MeesaqError
from meesaq.imports.columns import NAMES
from meesaq.imports.models import ImportedRecord, ImportRun, RunStatus
from meesaq.imports.selectors import report_of
from meesaq.imports.services import import_check, import_execute, import_queue
from tests.imports.conftest import csv_file, row
from tests.personas import World

pytestmark = pytest.mark.django_db


def _check(world: World, data: bytes, name: str = "register.csv") -> ImportRun:
    return import_check(
        actor=world.case_officer, organisation=world.lahore_centre, data=data, file_name=name
    )


def _run(world: World, data: bytes) -> ImportRun:
    run = _check(world, data)
    assert run.status == RunStatus.READY, report_of(run)[:3]
    import_queue(actor=world.case_officer, run=run)
    return import_execute(run_id=run.pk)


def test_a_check_reports_each_bad_cell_and_writes_no_case(world: World) -> None:
    rows = [
        row(1),
        row(2, district="PK999"),
        row(3, received_at="yesterday", complainant_cnic="123"),
        row(4, category=""),
        row(5, external_reference="REG-00001"),
        row(6, district="PK608"),
    ]
    run = _check(world, csv_file(rows))
    assert run.status == RunStatus.INVALID
    found = {(p["row"], p["column"], p["code"]) for p in report_of(run)}
    assert found == {
        (3, "district", "not_a_district"),
        (4, "received_at", "bad_datetime"),
        (4, "complainant_cnic", "bad_cnic"),
        (4, "complainant_gender", "complainant_incomplete"),
        (4, "complainant_age_band", "complainant_incomplete"),
        (4, "complainant_faith", "complainant_incomplete"),
        (5, "category", "required"),
        (6, "external_reference", "repeated_reference"),
        (7, "district", "outside_reach"),
    }
    assert not Case.objects.exists()
    assert run.storage_name == ""  # a file with problems is not kept


def test_the_report_reads_in_the_readers_language(world: World) -> None:
    from django.utils import translation

    run = _check(world, csv_file([row(1, district="PK999")]))
    with translation.override("ur"):
        problem = report_of(run)[0]["problem"]
    assert problem != "Not a district P-code."


def test_a_file_without_the_required_columns_is_refused_plainly(world: World) -> None:
    run = _check(world, b"title,district\nx,PK617\n")
    assert run.status == RunStatus.INVALID
    assert report_of(run)[0]["code"] == "missing_columns"
    with pytest.raises(MeesaqError) as refused:
        _check(world, b"\x00\x01garbage")
    assert refused.value.code in {"empty", "unreadable"}


def test_an_xlsx_file_imports_cases_and_complainants(world: World) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(NAMES))
    values = row(
        1,
        complainant_name="Shamim Masih",
        complainant_cnic="00101-1234567-2",
        complainant_gender="female",
        complainant_age_band="30-49",
        complainant_faith="christian",
        risk_threat_to_life="yes",
    )
    sheet.append([values[name] for name in NAMES])
    buffer = io.BytesIO()
    book.save(buffer)
    run = _run(world, buffer.getvalue())
    assert run.status == RunStatus.DONE
    case = Case.objects.get()
    assert case.priority == "urgent"  # the intake service's rule, not the importer's
    assert Person.objects.get().full_name == "Shamim Masih"
    assert ImportedRecord.objects.get().external_reference == "REG-00001"
    assert AuditEvent.objects.filter(action="imports.completed").exists()
    assert AuditEvent.objects.filter(action="cases.case_created").count() == 1


def test_a_refusal_on_one_row_rolls_back_every_row(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from meesaq.cases.services.intake import case_register_intake as real

    calls = {"n": 0}

    def refuse_third(**kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise MeesaqError("refused", code="invalid")
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("meesaq.imports.services.case_register_intake", refuse_third)
    run = _run(world, csv_file([row(n) for n in range(1, 6)]))
    assert run.status == RunStatus.FAILED
    assert report_of(run)[0]["row"] == 4
    assert not Case.objects.exists()
    assert not ImportedRecord.objects.exists()


def test_only_ones_own_import_can_be_started_or_seen(
    world: World, client_for: Callable[..., Client]
) -> None:
    run = _check(world, csv_file([row(1)]))
    with pytest.raises(MeesaqError):
        import_queue(actor=world.supervisor, run=run)
    assert client_for(world.supervisor).get(f"/en/imports/{run.pk}/").status_code == 404
    assert client_for(world.outsider).get(f"/en/imports/{run.pk}/").status_code == 404
    assert client_for(world.case_officer).get(f"/en/imports/{run.pk}/").status_code == 200


def test_the_page_checks_an_upload_and_shows_the_report(
    world: World, client_for: Callable[..., Client]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer = client_for(world.case_officer)
    upload = SimpleUploadedFile("register.csv", csv_file([row(1, channel="pigeon")]))
    response = officer.post(
        "/en/imports/", {"organisation": world.lahore_centre.pk, "file": upload}, follow=True
    )
    assert response.status_code == 200
    assert b"Unknown code." in response.content
    assert b"pigeon" in response.content


def test_the_templates_download_with_every_column(
    world: World, client_for: Callable[..., Client]
) -> None:
    officer = client_for(world.case_officer)
    text = officer.get("/en/imports/template.csv").content.decode("utf-8-sig")
    assert text.splitlines()[0].split(",") == list(NAMES)
    book = load_workbook(io.BytesIO(officer.get("/en/imports/template.xlsx").content))
    assert [cell.value for cell in book.worksheets[0][1]] == list(NAMES)
    assert client_for(world.analyst).get("/en/imports/template.csv").status_code == 404


def test_the_api_checks_a_file_and_reports_problems(world: World) -> None:
    from tests.api.conftest import make_token

    client = Client()
    headers = {"Authorization": f"Bearer {make_token(world.case_officer)}"}
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/api/v1/imports",
        {
            "organisation": world.lahore_centre.code,
            "dry_run": "true",
            "file": SimpleUploadedFile("r.csv", csv_file([row(1), row(2, channel="pigeon")])),
        },
        headers=headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "invalid"
    assert body["problems"] == [
        {"row": 3, "column": "channel", "value": "pigeon", "problem": "Unknown code."}
    ]
    template = client.get("/api/v1/imports/template", {"format": "csv"}, headers=headers)
    assert template.status_code == 200
    outsider = {"Authorization": f"Bearer {make_token(world.outsider)}"}
    assert client.get(f"/api/v1/imports/{body['id']}", headers=outsider).status_code == 404
    assert json.loads(client.get(f"/api/v1/imports/{body['id']}", headers=headers).content)["id"]
