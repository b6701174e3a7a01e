"""The demo step computes deadlines and leaves some cases overdue and escalated, once."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from meesaq.cases.models import Priority
from meesaq.orgs.models import OrganisationKind
from meesaq.sla.demo import deadlines_demo
from meesaq.sla.models import CaseDeadlines, Escalation
from tests.cases.factories import make_case
from tests.personas import LAHORE, World, make_organisation


def test_the_demo_step_escalates_late_demo_cases_once(world: World) -> None:
    centre = make_organisation("demo-lhr-centre", OrganisationKind.POLICE_CENTRE, LAHORE)
    late = make_case(
        organisation=centre,
        priority=Priority.URGENT,
        received_at=timezone.now() - timedelta(days=40),
    )
    make_case(organisation=centre, received_at=timezone.now())
    deadlines_demo(None)  # type: ignore[arg-type]  # the step does not use the context
    assert CaseDeadlines.objects.filter(case__organisation=centre).count() == 2
    first = Escalation.objects.filter(case=late).count()
    assert first >= 1
    deadlines_demo(None)  # type: ignore[arg-type]
    assert Escalation.objects.filter(case=late).count() == first
