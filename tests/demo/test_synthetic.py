"""`meesaq bench generate`: the synthetic province's shape, resumability and integrity."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from meesaq.access import policy
from meesaq.accounts.models import User
from meesaq.audit.models import AuditEvent
from meesaq.audit.services import audit_record
from meesaq.audit.verify import verify_chain
from meesaq.cases.models import (
    AffectedGroup,
    Case,
    CaseAction,
    CasePerson,
    Category,
    Channel,
    Person,
    PersonNameToken,
    Status,
)
from meesaq.cases.references import reference_next
from meesaq.cases.selectors.cases import CaseFilters, case_list_for_user
from meesaq.core.errors import MeesaqError
from meesaq.crypto import keyring
from meesaq.crypto.blind_index import blind_index, name_index_tokens
from meesaq.demo.synthetic import bulk
from meesaq.demo.synthetic.bulk import Sealer
from meesaq.demo.synthetic.generator import synthetic_case_count, synthetic_generate
from meesaq.demo.synthetic.province import username
from meesaq.geo.models import AdminUnit
from meesaq.referrals.models import Referral

pytestmark = pytest.mark.django_db
FROZEN = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def var_dir(tmp_path: Path) -> Iterator[Path]:
    """Keep the demo password in the test's own folder, on a fixed clock."""
    with (
        override_settings(VAR_DIR=tmp_path, MEESAQ_DEMO_PASSWORD="bench password"),
        time_machine.travel(FROZEN, tick=False),
    ):
        yield tmp_path


@pytest.fixture
def generated(db: None) -> None:
    """Write 300 synthetic cases in three batches."""
    synthetic_generate(cases=300, batch_size=120)


def test_it_writes_every_part_of_a_case_in_realistic_shares(generated: None) -> None:
    cases = Case.objects.all()
    assert cases.count() == 300
    assert set(cases.values_list("status", flat=True)) == set(Status.values)
    assert set(cases.values_list("channel", flat=True)) == set(Channel.values)
    assert set(cases.values_list("category", flat=True)) == set(
        Category.objects.values_list("pk", flat=True)
    )
    assert set(Case.groups.through.objects.values_list("affectedgroup", flat=True)) == set(
        AffectedGroup.objects.values_list("pk", flat=True)
    )
    people_per_case = Counter(CasePerson.objects.values_list("case", flat=True))
    assert set(people_per_case.values()) <= {2, 3}
    assert len(people_per_case) == 300
    assert 3 <= CaseAction.objects.count() / 300 <= 5
    assert 0.2 <= Referral.objects.count() / 300 <= 0.4
    years = {moment.year for moment in cases.values_list("received_at", flat=True)}
    assert years == {2022, 2023, 2024, 2025, 2026}
    # Many districts, and the busiest one holds far more than its even share.
    districts = Counter(cases.values_list("district", flat=True))
    assert len(districts) > 10
    assert districts.most_common(1)[0][1] > 3 * 300 / 36
    assert all(
        reference.startswith("PB-") for reference in cases.values_list("reference", flat=True)
    )


def test_identities_are_encrypted_as_the_app_encrypts_them(generated: None) -> None:
    person = Person.objects.exclude(cnic="").exclude(phone="").first()
    assert person is not None
    assert len(person.cnic) == 13
    assert person.phone.startswith("+92390")
    assert person.cnic_index == blind_index("cnic", person.cnic)
    assert person.phone_index == blind_index("phone", person.phone)
    assert set(person.name_tokens.values_list("token", flat=True)) == set(
        name_index_tokens(person.full_name)
    )
    # What the database holds is the key ring's token, bound to its column.
    with connection.cursor() as cursor:
        cursor.execute("SELECT cnic FROM cases_person WHERE id = %s", [person.pk])
        token = cursor.fetchone()[0]
    assert token.startswith("v1.")
    assert keyring.decrypt(token, associated=b"cases.person.cnic") == person.cnic


def test_identity_search_finds_a_generated_person_by_cnic_and_by_name(generated: None) -> None:
    link = CasePerson.objects.select_related("person", "case").exclude(person__cnic="").first()
    assert link is not None
    supervisor = User.objects.get(username=username("supervisor", link.case.district_id))
    cnic = link.person.cnic
    typed = f"{cnic[:5]}-{cnic[5:12]}-{cnic[12]}"
    page = case_list_for_user(user=supervisor, filters=CaseFilters(query=typed))
    assert page.search_kind == "cnic"
    assert link.case in page.cases
    by_name = case_list_for_user(
        user=supervisor, filters=CaseFilters(query=link.person.full_name), page_size=500
    )
    assert link.case in by_name.cases


def test_every_case_is_reachable_by_the_roles_that_should_see_it(generated: None) -> None:
    provincial = User.objects.get(username="bench.provincial")
    assert policy.scoped(provincial, Case).count() == 300
    assert policy.scoped(User.objects.get(username="bench.analyst"), Case).count() == 0
    for district in set(Case.objects.values_list("district", flat=True)):
        in_district = set(Case.objects.filter(district=district).values_list("pk", flat=True))
        for role in ("intake", "supervisor"):
            user = User.objects.get(username=username(role, district))
            assert set(policy.scoped(user, Case).values_list("pk", flat=True)) == in_district
    for case in Case.objects.exclude(assigned_to=None).select_related("assigned_to"):
        assert case.assigned_to is not None
        assert policy.scoped(case.assigned_to, Case).filter(pk=case.pk).exists()
    for referral in Referral.objects.select_related("case"):
        partner = User.objects.get(username=username("partner", referral.case.district_id))
        assert policy.scoped(partner, Referral).filter(pk=referral.pk).exists()
        # A partner reaches the referral, never the case itself.
        assert not policy.scoped(partner, Case).exists()


def test_the_audit_chain_verifies_and_the_app_goes_on_chaining(generated: None) -> None:
    assert AuditEvent.objects.filter(action="cases.case_created").count() == 300
    audit_record(actor=None, action="bench.after_generation")
    result = verify_chain()
    assert result.ok, result.reason
    assert result.checked == AuditEvent.objects.count()


def test_a_new_intake_takes_the_next_free_reference(generated: None) -> None:
    case = Case.objects.order_by("-received_at").first()
    assert case is not None
    reference = reference_next(district=case.district, year=FROZEN.year)
    assert not Case.objects.filter(reference=reference).exists()


def test_the_sealer_writes_what_the_key_ring_reads() -> None:
    sealer = Sealer()
    token = sealer.seal("Nasreen Bibi", associated=b"cases.person.full_name")
    assert keyring.decrypt(token, associated=b"cases.person.full_name") == "Nasreen Bibi"
    assert sealer.seal("", associated=b"x") == ""
    assert sealer.index("cnic", "0123456789012") == blind_index("cnic", "0123456789012")
    assert sealer.name_index_tokens("Muhammad Masih") == name_index_tokens("Mohd Maseeh")


def test_a_rerun_continues_where_the_last_run_stopped() -> None:
    synthetic_generate(cases=30, batch_size=20)
    synthetic_generate(cases=55, batch_size=20)
    assert synthetic_case_count() == 55
    again = synthetic_generate(cases=55, batch_size=20)
    assert again.written == 0
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 55
    assert verify_chain().ok


def test_a_run_stopped_mid_batch_leaves_whole_batches_only(monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = bulk.tables_write
    calls = {"n": 0}

    def failing_write(tables: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 2:  # the second batch dies half written
            real_write(list(tables)[:3])
            raise KeyboardInterrupt
        return real_write(tables)

    monkeypatch.setattr("meesaq.demo.synthetic.generator.tables_write", failing_write)
    with pytest.raises(KeyboardInterrupt):
        synthetic_generate(cases=40, batch_size=15)
    assert synthetic_case_count() == 15
    monkeypatch.setattr("meesaq.demo.synthetic.generator.tables_write", real_write)
    synthetic_generate(cases=40, batch_size=15)
    assert synthetic_case_count() == 40
    assert PersonNameToken.objects.filter(person__case_links__isnull=True).count() == 0
    assert verify_chain().ok


def test_the_command_shows_progress() -> None:
    out = StringIO()
    call_command("bench", "generate", "--cases", "12", "--batch-size", "5", stdout=out)
    text = out.getvalue()
    assert text.count(" cases ") >= 3
    assert "12 in all" in text
    assert AdminUnit.objects.filter(pcode="PK617").exists()


def test_it_is_refused_in_production() -> None:
    with override_settings(PRODUCTION=True), pytest.raises(MeesaqError):
        synthetic_generate(cases=5)
    with override_settings(PRODUCTION=True), pytest.raises(CommandError):
        call_command("bench", "generate", "--cases", "5", stdout=StringIO())
    assert Case.objects.count() == 0
