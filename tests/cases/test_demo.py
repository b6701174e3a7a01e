"""The demo cases: a few hundred, in every state and category, written once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db.models import Count
from django.test import override_settings

from meesaq.audit.models import AuditEvent
from meesaq.cases import storage
from meesaq.cases.demo import CASE_COUNT, cases_demo
from meesaq.cases.models import (
    Attachment,
    Case,
    CaseAction,
    CasePerson,
    Category,
    Channel,
    Person,
    PersonRole,
    Status,
)
from meesaq.cases.workflow import transition_row
from meesaq.crypto.blind_index import index_for_cnic, name_index_tokens
from meesaq.demo.people import PeopleGenerator, is_synthetic_cnic, is_synthetic_phone
from meesaq.demo.province import PEOPLE_SEED, province_create
from meesaq.demo.registry import DemoContext, demo_steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def context(tmp_path: Path) -> Iterator[DemoContext]:
    """Return the demo province's context, with files and the kept password in a test folder."""
    with override_settings(VAR_DIR=tmp_path, MEDIA_ROOT=tmp_path / "files"):
        result = province_create(password="demo password for tests")
        yield DemoContext(
            organisations=result.organisations,
            users=result.users,
            people=PeopleGenerator(PEOPLE_SEED),
            password="demo password for tests",
        )


@pytest.fixture
def demo(context: DemoContext) -> str:
    line = cases_demo(context)
    assert line is not None
    return line


def test_it_is_a_registered_demo_step() -> None:
    assert "cases" in [step.name for step in demo_steps()]


def test_it_creates_a_few_hundred_cases_in_every_status_category_and_channel(demo: str) -> None:
    cases = Case.objects.all()
    assert cases.count() == CASE_COUNT
    assert f"{CASE_COUNT} cases" in demo
    assert set(cases.values_list("status", flat=True)) == set(Status.values)
    assert set(cases.values_list("category__code", flat=True)) == set(
        Category.objects.values_list("code", flat=True)
    )
    assert set(cases.values_list("channel", flat=True)) == set(Channel.values)
    assert set(cases.values_list("priority", flat=True)) == {"urgent", "high", "normal"}
    assert cases.filter(groups__isnull=False).distinct().count() == CASE_COUNT


def test_it_spreads_the_cases_over_the_demo_districts_and_eighteen_months(demo: str) -> None:
    districts = set(Case.objects.values_list("district__pcode", flat=True))
    assert {"PK617", "PK608", "PK630", "PK603", "PK706", "PK726", "PK728"} == districts
    assert all(case.jurisdiction_path == case.district.path for case in Case.objects.all())
    received = sorted(Case.objects.values_list("received_at", flat=True))
    assert (received[-1] - received[0]).days > 365


def test_every_status_history_follows_the_workflow_table(demo: str) -> None:
    for case in Case.objects.prefetch_related("transitions"):
        steps = list(case.transitions.all())
        assert steps[0].from_status == ""
        assert steps[0].to_status == Status.RECEIVED
        for step in steps[1:]:
            assert transition_row(step.from_status, step.to_status) is not None
        assert steps[-1].to_status == case.status
        times = [step.occurred_at for step in steps]
        assert times == sorted(times)


def test_closed_cases_have_an_outcome_and_duplicates_an_original(demo: str) -> None:
    closed = Case.objects.filter(status=Status.CLOSED)
    assert closed.exists()
    assert not closed.filter(outcome__isnull=True).exists()
    assert not closed.filter(closed_at__isnull=True).exists()
    for duplicate in Case.objects.filter(status=Status.DUPLICATE).select_related("duplicate_of"):
        assert duplicate.duplicate_of is not None
        assert duplicate.duplicate_of.district_id == duplicate.district_id
    assert not Case.objects.filter(status=Status.NOT_IN_MANDATE, status_reason="").exists()
    assert not Case.objects.filter(status=Status.REOPENED, outcome__isnull=False).exists()


def test_cases_past_registration_have_an_officer_from_the_demo_users(demo: str) -> None:
    lahore = Case.objects.filter(district__pcode="PK617", status=Status.IN_ACTION)
    assert lahore.exists()
    assert not lahore.filter(assigned_to__isnull=True).exists()
    assert set(lahore.values_list("assigned_to__username", flat=True)) <= {
        "caseofficer.lahore",
        "hrofficer.lahore",
    }


def test_every_case_has_one_to_three_synthetic_people_and_a_complainant(demo: str) -> None:
    counts = Case.objects.annotate(n=Count("people__person", distinct=True))
    assert {case.n for case in counts} <= {1, 2, 3}
    assert (
        CasePerson.objects.filter(role=PersonRole.COMPLAINANT).values("case").distinct().count()
        == CASE_COUNT
    )
    for person in Person.objects.exclude(cnic="")[:50]:
        assert is_synthetic_cnic(person.cnic)
        assert is_synthetic_phone(person.phone)
        assert person.cnic_index == index_for_cnic(person.cnic)
        assert set(person.name_tokens.values_list("token", flat=True)) == set(
            name_index_tokens(person.full_name)
        )


def test_titles_have_no_names_and_some_narratives_are_in_urdu(demo: str) -> None:
    names = {person.full_name for person in Person.objects.all()}
    for case in Case.objects.all():
        assert not any(name in case.title for name in names)
    assert any("\u0600" <= ch <= "\u06ff" for case in Case.objects.all() for ch in case.narrative)


def test_every_case_has_one_to_five_timeline_entries_with_firs_among_them(demo: str) -> None:
    counts = Case.objects.annotate(n=Count("actions"))
    assert {case.n for case in counts} <= {1, 2, 3, 4, 5}
    firs = CaseAction.objects.filter(kind="fir")
    assert firs.exists()
    assert not firs.filter(fir_number="").exists()
    assert firs.filter(law_sections__contains="PPC").exists()


def test_files_are_stored_encrypted_and_read_back(demo: str) -> None:
    files = list(Attachment.objects.all())
    assert files
    for attachment in files[:3]:
        data = storage.load(attachment.storage_name)
        assert data.startswith(b"%PDF-")
        assert len(data) == attachment.size
        assert b"%PDF-" not in storage.blob_path(attachment.storage_name).read_bytes()


def test_running_it_again_creates_nothing(context: DemoContext, demo: str) -> None:
    again = cases_demo(context)
    assert again is not None
    assert "already in place" in again
    assert Case.objects.count() == CASE_COUNT
    assert AuditEvent.objects.filter(action="demo.cases_created").count() == 1
