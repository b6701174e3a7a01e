"""Monthly reports: PDF and XLSX contents in English and Urdu, storage, scoped audited downloads."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from meesaq.accounts.models import User
from meesaq.audit.models import AuditEvent
from meesaq.cases.models import Case
from meesaq.core.errors import MeesaqError
from meesaq.geo.models import AdminUnit
from meesaq.reports.models import PeriodicReport
from meesaq.reports.periodic import monthly_reports_generate, periodic_report_generate
from meesaq.reports.summary import summary_refresh
from tests.personas import World
from tests.reports.factories import make_spread

pytestmark = pytest.mark.django_db
Signed = Callable[[User], Client]


def _this_month() -> date:
    return timezone.localdate().replace(day=1)


def _received_this_month(district: str) -> int:
    start = _this_month()
    return sum(
        1
        for case in Case.objects.filter(district_id=district)
        if timezone.localtime(case.received_at).date() >= start
    )


@pytest.fixture
def lahore() -> AdminUnit:
    return AdminUnit.objects.get(pcode="PK617")


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)


def test_the_english_pdf_holds_the_indicators_tables_chart_and_map(
    world: World, lahore: AdminUnit
) -> None:
    make_spread(world, count=40)
    summary_refresh()
    report = periodic_report_generate(place=lahore, month=_this_month(), language="en")
    text = _text(bytes(report.pdf))
    assert "Monthly report: Lahore" in text
    assert "First action within the deadline" in text
    assert "Cases by category" in text
    assert "Cases by district" in text
    reader = PdfReader(io.BytesIO(bytes(report.pdf)))
    images = sum(len(page.images) for page in reader.pages)
    assert images >= 2  # the trend chart and the map at least
    assert "Person Number" not in text


def test_the_xlsx_holds_the_same_figures(world: World, lahore: AdminUnit) -> None:
    make_spread(world, count=40)
    summary_refresh()
    report = periodic_report_generate(place=lahore, month=_this_month(), language="en")
    workbook = load_workbook(io.BytesIO(bytes(report.xlsx)), read_only=True)
    assert "Indicators" in workbook.sheetnames
    month_rows = list(workbook["Cases this month"].iter_rows(values_only=True))
    received = {row[0]: row[1] for row in month_rows[1:]}
    assert int(str(received["Received"])) == _received_this_month("PK617")
    indicators = [row[0] for row in workbook["Indicators"].iter_rows(values_only=True)]
    assert "Median days to resolution" in indicators


def test_the_urdu_report_is_in_urdu(world: World, lahore: AdminUnit) -> None:
    make_spread(world, count=10)
    summary_refresh()
    report = periodic_report_generate(place=lahore, month=_this_month(), language="ur")
    workbook = load_workbook(io.BytesIO(bytes(report.xlsx)), read_only=True)
    assert any("\u0600" <= ch <= "\u06ff" for ch in "".join(workbook.sheetnames))
    assert bytes(report.pdf).startswith(b"%PDF")


def test_generating_again_replaces_the_stored_report(world: World, lahore: AdminUnit) -> None:
    summary_refresh()
    first = periodic_report_generate(place=lahore, month=_this_month(), language="en")
    second = periodic_report_generate(place=lahore, month=_this_month(), language="en")
    assert first.pk == second.pk
    assert PeriodicReport.objects.count() == 1


def test_the_monthly_job_makes_last_months_reports_once(world: World) -> None:
    make_spread(world, count=12)
    summary_refresh()
    made = monthly_reports_generate(month=_this_month())
    assert made == 6  # Punjab, Lahore and Faisalabad, each in English and Urdu
    assert monthly_reports_generate(month=_this_month()) == 0


def test_a_district_supervisor_cannot_make_another_districts_report(world: World) -> None:
    with pytest.raises(MeesaqError):
        periodic_report_generate(
            place=AdminUnit.objects.get(pcode="PK608"),
            month=_this_month(),
            language="en",
            actor=world.supervisor,
        )


def test_a_future_month_is_refused(world: World, lahore: AdminUnit) -> None:
    with pytest.raises(MeesaqError):
        periodic_report_generate(place=lahore, month=date(2999, 1, 1), language="en")


def test_the_page_generates_and_lists_reports(world: World, client_for: Signed) -> None:
    client = client_for(world.supervisor)
    month = _this_month().strftime("%Y-%m")
    response = client.post(
        reverse("reports:periodic_generate"), {"place": "PK617", "month": month, "language": "ur"}
    )
    assert response.status_code == 302
    html = client.get(reverse("reports:periodic_list")).content.decode()
    assert "اردو" in html and ".pdf" in html


def test_a_bad_request_changes_nothing(world: World, client_for: Signed) -> None:
    response = client_for(world.supervisor).post(
        reverse("reports:periodic_generate"),
        {"place": "PK608", "month": "2026-01", "language": "en"},
    )
    assert response.status_code == 400
    assert not PeriodicReport.objects.exists()


def test_downloads_are_scoped_and_audited(
    world: World, client_for: Signed, lahore: AdminUnit
) -> None:
    summary_refresh()
    report = periodic_report_generate(place=lahore, month=_this_month(), language="en")
    url = reverse("reports:periodic_download", args=[report.pk, "pdf"])
    response = client_for(world.supervisor).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(
        action="reports.periodic_downloaded", actor=world.supervisor
    ).exists()
    assert client_for(world.analyst).get(url).status_code == 200
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.intake_officer).get(url).status_code == 404
    assert client_for(world.partner_caseworker).get(url).status_code == 404
