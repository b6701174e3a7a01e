"""Case-list exports (CSV, XLSX) and the open-data export."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from meesaq.accounts.models import User
from meesaq.audit.models import AuditEvent
from meesaq.cases.models import Case
from meesaq.reports.summary import summary_refresh
from tests.personas import World
from tests.reports.factories import make_spread

pytestmark = pytest.mark.django_db
Signed = Callable[[User], Client]


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]  # a streaming response
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_the_case_list_exports_as_csv_with_the_lists_filters(
    world: World, client_for: Signed
) -> None:
    make_spread(world, count=30)
    response = client_for(world.supervisor).get(reverse("cases:export_csv") + "?channel=phone")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][0] == "Reference"
    references = {row[0] for row in rows[1:]}
    expected = set(
        Case.objects.filter(channel="phone", jurisdiction_path__startswith="PK6/")
        .exclude(district_id="PK608")
        .values_list("reference", flat=True)
    )
    assert references == expected


def test_exports_carry_no_identity_unless_asked(world: World, client_for: Signed) -> None:
    make_spread(world, count=15)
    rows = _csv(client_for(world.supervisor).get(reverse("cases:export_csv")))
    assert "Complainant" not in rows[0]
    assert not any("Person Number" in cell for row in rows for cell in row)


def test_identity_columns_go_only_to_need_to_know_and_are_audited(
    world: World, client_for: Signed
) -> None:
    make_spread(world, count=15)
    rows = _csv(client_for(world.intake_officer).get(reverse("cases:export_csv") + "?identity=1"))
    assert "Complainant" in rows[0]
    names = [row[rows[0].index("Complainant")] for row in rows[1:]]
    assert any(name.startswith("Person Number") for name in names)
    assert AuditEvent.objects.filter(
        action="identity.viewed", detail__channel="export", actor=world.intake_officer
    ).exists()
    assert AuditEvent.objects.filter(action="reports.cases_exported").exists()


def test_a_provincial_officer_gets_identity_columns_hidden(
    world: World, client_for: Signed
) -> None:
    make_spread(world, count=15)
    rows = _csv(
        client_for(world.provincial_officer).get(reverse("cases:export_csv") + "?identity=1")
    )
    column = rows[0].index("Complainant")
    assert {row[column] for row in rows[1:]} == {"Hidden"}
    assert not AuditEvent.objects.filter(action="identity.viewed").exists()


def test_the_case_list_exports_as_xlsx(world: World, client_for: Signed) -> None:
    make_spread(world, count=9)
    response: Any = client_for(world.intake_officer).get(reverse("cases:export_xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = workbook.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Reference"
    assert len(rows) - 1 == Case.objects.filter(organisation=world.lahore_centre).count()


def test_cells_that_look_like_formulas_are_defused(world: World, client_for: Signed) -> None:
    from tests.cases.factories import make_case

    make_case(organisation=world.lahore_centre, title='=HYPERLINK("x")')
    rows = _csv(client_for(world.intake_officer).get(reverse("cases:export_csv")))
    assert rows[1][2].startswith("'=")


@pytest.mark.parametrize("persona", ["analyst", "partner_caseworker", "administrator", "auditor"])
def test_roles_that_cannot_list_cases_cannot_export_them(
    world: World, client_for: Signed, persona: str
) -> None:
    client = client_for(world.personas()[persona])
    assert client.get(reverse("cases:export_csv")).status_code == 404
    assert client.get(reverse("cases:export_xlsx")).status_code == 404


def test_open_data_is_suppressed_and_tagged_with_hxl(world: World, client_for: Signed) -> None:
    make_spread(world, count=40)
    summary_refresh()
    response = client_for(world.analyst).get(
        reverse("reports:open_data_download", args=["csv"]) + "?received_from=2020-01-01"
    )
    rows = _csv(response)
    assert rows[1][:2] == ["#adm2+name", "#adm2+code"]
    assert all(tag.startswith("#") for tag in rows[1])
    values = [cell for row in rows[2:] for cell in row[2:]]
    assert "<5" in values
    assert not any(cell in {"1", "2", "3", "4"} for cell in values)
    assert rows[-1][0] == "Total"
    assert "Person Number" not in str(rows)


def test_the_open_data_page_shows_the_table(world: World, client_for: Signed) -> None:
    make_spread(world, count=20)
    summary_refresh()
    html = (
        client_for(world.analyst).get(reverse("reports:open_data") + "?by=group").content.decode()
    )
    assert "#affected+cases+total" in html


@pytest.mark.parametrize("persona", ["intake_officer", "partner_caseworker", "administrator"])
def test_open_data_is_for_analysts_and_senior_staff(
    world: World, client_for: Signed, persona: str
) -> None:
    assert (
        client_for(world.personas()[persona]).get(reverse("reports:open_data")).status_code == 404
    )


@pytest.mark.parametrize("language", ["en", "ur"])
def test_postgresqls_copy_writes_the_same_rows_as_the_python_export(
    world: World, language: str
) -> None:
    # On PostgreSQL the plain CSV is written by COPY: every row as the Python export writes it,
    # labels in the language, local times, formula cells quoted, the list's scope and filters.
    from django.db import connection
    from django.utils import translation

    from meesaq.cases.selectors.cases import CaseFilters, case_queryset_for_user
    from meesaq.reports.copy_export import copy_export_lines
    from meesaq.reports.exports import case_export, csv_lines

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    make_spread(world, count=30)
    risky = Case.objects.filter(jurisdiction_path__startswith="PK6/").first()
    assert risky is not None
    Case.objects.filter(pk=risky.pk).update(title="=HYPERLINK(1) and more")
    Case.objects.filter(pk=risky.pk).update(assigned_to=world.case_officer)
    written = {}
    with translation.override(language):
        for filters in (CaseFilters(), CaseFilters(channel="phone"), CaseFilters(query="zzz")):
            cases, _kind = case_queryset_for_user(user=world.supervisor, filters=filters)
            export = case_export(user=world.supervisor, cases=cases, identity=False)
            python = "".join(csv_lines([export.header, *export.rows]))
            copied = b"".join(copy_export_lines(cases=cases, header=export.header)).decode()
            expected = list(csv.reader(io.StringIO(python.lstrip("\ufeff"))))
            assert copied.startswith("\ufeff")
            assert list(csv.reader(io.StringIO(copied.lstrip("\ufeff")))) == expected
            written[filters.channel or filters.query or "all"] = expected
    assert any(row[2] == "'=HYPERLINK(1) and more" for row in written["all"])
    assert len(written["all"]) > len(written["phone"]) > 1
    assert len(written["zzz"]) == 1  # the header alone
