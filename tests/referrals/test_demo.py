"""The demo referrals: every state, a chain, transfers, some overdue; written once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from meesaq.cases.demo import cases_demo
from meesaq.demo.people import PeopleGenerator
from meesaq.demo.province import PEOPLE_SEED, province_create
from meesaq.demo.registry import DemoContext, demo_steps
from meesaq.referrals.deadlines import overdue_q
from meesaq.referrals.demo import referrals_demo
from meesaq.referrals.models import Referral, ReferralStatus, Transfer, TransferStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def context(tmp_path: Path) -> Iterator[DemoContext]:
    """Return the demo province's context with its cases."""
    with override_settings(VAR_DIR=tmp_path, MEDIA_ROOT=tmp_path / "files"):
        result = province_create(password="demo password for tests")
        context = DemoContext(
            organisations=result.organisations,
            users=result.users,
            people=PeopleGenerator(PEOPLE_SEED),
            password="demo password for tests",
        )
        cases_demo(context)
        yield context


def test_it_makes_referrals_in_every_state_a_chain_transfers_and_overdue_items_once(
    context: DemoContext,
) -> None:
    assert "referrals" in [step.name for step in demo_steps()]
    line = referrals_demo(context)
    assert line is not None
    assert "referrals:" in line
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert Referral.objects.filter(parent__isnull=False).exists()
    assert Referral.objects.filter(overdue_q(now=timezone.now())).count() >= 2
    assert set(Transfer.objects.values_list("status", flat=True)) == {
        TransferStatus.REQUESTED,
        TransferStatus.ACCEPTED,
    }
    count = Referral.objects.count()
    assert referrals_demo(context) == "referrals: already there"
    assert Referral.objects.count() == count
