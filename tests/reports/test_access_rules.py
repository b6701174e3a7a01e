"""Who may count which figures (the reports rules registered in meesaq.access)."""

from __future__ import annotations

import pytest

from meesaq.access import policy
from meesaq.cases.models import Case
from meesaq.reports.builder import saved_report_create
from meesaq.reports.models import CaseCube, CaseFact, PeriodicReport, ReferralFact
from meesaq.reports.summary import summary_refresh
from tests.personas import World
from tests.referrals.factories import refer_to_ngo
from tests.reports.factories import make_spread

pytestmark = pytest.mark.django_db


def test_each_role_counts_the_cases_of_its_reach(world: World) -> None:
    make_spread(world, count=24)
    summary_refresh()
    lahore = Case.objects.filter(district_id="PK617").count()
    centre = Case.objects.filter(organisation=world.lahore_centre).count()
    expected = {
        "intake_officer": centre,
        "case_officer": centre,
        "supervisor": lahore,
        "provincial_officer": Case.objects.count(),
        "analyst": Case.objects.count(),
        "outsider": Case.objects.filter(district_id="PK608").count(),
        "partner_caseworker": 0,
        "programme_coordinator": 0,
        "auditor": 0,
        "administrator": 0,
    }
    for persona, user in world.personas().items():
        assert policy.scoped(user, CaseFact).count() == expected[persona], persona
        received = sum(policy.scoped(user, CaseCube).values_list("received", flat=True))
        assert received == expected[persona], persona


def test_figure_actions_follow_the_roles(world: World) -> None:
    viewers = {
        "intake_officer",
        "case_officer",
        "supervisor",
        "provincial_officer",
        "analyst",
        "outsider",
    }
    builders = {"supervisor", "provincial_officer", "analyst", "outsider"}
    for persona, user in world.personas().items():
        assert policy.may(user, "reports.view") == (persona in viewers), persona
        assert policy.may(user, "reports.build") == (persona in builders), persona
        assert policy.may(user, "reports.drilldown") == policy.may(user, "cases.list"), persona
        assert policy.may(user, "reports.export_cases") == policy.may(user, "cases.list")
    assert not policy.may(world.analyst, "reports.drilldown")
    assert policy.may(world.analyst, "opendata.export")
    assert not policy.may(world.intake_officer, "opendata.export")
    assert not policy.may(world.intake_officer, "reports.periodic")


def test_referral_figures_include_what_the_organisation_sent_or_received(world: World) -> None:
    refer_to_ngo(world)
    summary_refresh()
    assert policy.scoped(world.case_officer, ReferralFact).count() == 1
    assert policy.scoped(world.outsider, ReferralFact).count() == 0
    assert policy.scoped(world.partner_caseworker, ReferralFact).count() == 0


def test_saved_reports_are_seen_by_owner_and_organisation_when_shared(world: World) -> None:
    from meesaq.reports.models import SavedReport

    shared = saved_report_create(actor=world.supervisor, name="a", shared=True, definition={})
    saved_report_create(actor=world.supervisor, name="b", shared=False, definition={})
    assert policy.scoped(world.supervisor, SavedReport).count() == 2
    assert list(policy.scoped(world.outsider, SavedReport)) == []
    assert list(policy.scoped(world.intake_officer, SavedReport)) == []
    assert policy.may(world.supervisor, "reports.edit_saved", shared)
    assert not policy.may(world.provincial_officer, "reports.edit_saved", shared)


def test_monthly_reports_are_seen_within_the_jurisdiction(world: World) -> None:
    from datetime import date

    from meesaq.geo.models import AdminUnit

    punjab = AdminUnit.objects.get(pcode="PK6")
    lahore = AdminUnit.objects.get(pcode="PK617")
    for place in (punjab, lahore):
        PeriodicReport.objects.create(
            month=date(2026, 1, 1),
            place=place,
            jurisdiction_path=place.path,
            language="en",
            pdf=b"",
            xlsx=b"",
            generated_at="2026-02-01T00:00Z",
        )
    assert policy.scoped(world.provincial_officer, PeriodicReport).count() == 2
    assert [r.place_id for r in policy.scoped(world.supervisor, PeriodicReport)] == ["PK617"]
    assert policy.scoped(world.outsider, PeriodicReport).count() == 0
    assert policy.scoped(world.intake_officer, PeriodicReport).count() == 0
