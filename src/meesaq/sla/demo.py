"""Demo deadlines: computed clocks for the demo cases, then one check, so some are overdue and
escalated. Running the step again recomputes the same dates and escalates nothing twice."""

from __future__ import annotations

from django.utils import timezone

from meesaq.cases.models import Case
from meesaq.demo.registry import DemoContext, demo_step
from meesaq.sla.calendar import WorkingCalendar
from meesaq.sla.models import Escalation
from meesaq.sla.services import deadlines_check, deadlines_refresh


@demo_step("deadlines", order=60)
def deadlines_demo(context: DemoContext) -> str:
    """Compute every demo case's deadlines and run the deadline check once."""
    now = timezone.now()
    calendar = WorkingCalendar.load()
    cases = Case.objects.filter(organisation__code__startswith="demo-").order_by("pk")
    for case in cases:
        deadlines_refresh(case, now=now, calendar=calendar)
    report = deadlines_check(now)
    return (
        f"deadlines for {cases.count()} cases, {report.overdue} overdue, "
        f"{Escalation.objects.count()} escalations"
    )
