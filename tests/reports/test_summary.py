"""The summary tables' figures match counts computed independently from the case rows."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from meesaq.cases.deadlines import FIRST_ACTION_WITHIN
from meesaq.cases.models import AffectedGroup, Case, Priority, Status
from meesaq.cases.workflow import OPEN_STATUSES
from meesaq.geo.models import AdminUnit
from meesaq.reports.filters import ReportFilters
from meesaq.reports.models import CaseCube, CaseFact, CubeMargin
from meesaq.reports.scan import cube_scan, margin_scan
from meesaq.reports.selectors import Sources, dashboard_for_user
from meesaq.reports.summary import _facts_for, summary_refresh, summary_refreshed_at
from tests.cases.factories import make_case
from tests.personas import World
from tests.reports.factories import make_spread

pytestmark = pytest.mark.django_db


def _all_time(**changes: object) -> ReportFilters:
    today = timezone.localdate()
    return ReportFilters(date_from=today - timedelta(days=400), date_to=today).with_(**changes)


def _local(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def test_provincial_dashboard_matches_counts_from_the_cases(world: World) -> None:
    spread = make_spread(world)
    summary_refresh()
    board = dashboard_for_user(user=world.provincial_officer, filters=_all_time())
    cases = Case.objects.all()
    assert board.received == cases.count() == len(spread.cases)
    assert board.resolved == cases.exclude(resolved_at=None, closed_at=None).count()
    assert board.open_now == cases.filter(status__in=OPEN_STATUSES).count()
    by_category = Counter(case.category.code for case in cases)
    assert {bar.key: bar.value for bar in board.by_category} == dict(by_category)
    by_channel = Counter(case.channel for case in cases)
    assert {bar.key: bar.value for bar in board.by_channel} == dict(by_channel)
    by_district = Counter(case.district_id for case in cases)
    assert {bar.key: bar.value for bar in board.by_district} == dict(by_district)
    by_group = Counter(group.code for case in cases for group in case.groups.all())
    assert {bar.key: bar.value for bar in board.by_group} == dict(by_group)
    assert sum(bar.value for bar in board.over_time) == cases.count()
    assert sum(bar.second for bar in board.over_time) == board.resolved


def test_first_action_compliance_matches_the_cases(world: World) -> None:
    make_spread(world)
    now = timezone.now()
    summary_refresh(now=now)
    board = dashboard_for_user(user=world.provincial_officer, filters=_all_time())
    on_time = late = 0
    for case in Case.objects.all():
        due = case.received_at + FIRST_ACTION_WITHIN[Priority(case.priority)]
        if case.first_action_at is not None:
            on_time += case.first_action_at <= due
            late += case.first_action_at > due
        elif case.status in {Status.RECEIVED, Status.REGISTERED, Status.REOPENED} and now > due:
            late += 1
    first_action = board.compliance[0]
    assert (first_action.numerator, first_action.denominator) == (on_time, on_time + late)


def test_open_cases_by_age_band_add_up_per_band(world: World) -> None:
    make_spread(world)
    summary_refresh()
    board = dashboard_for_user(user=world.provincial_officer, filters=_all_time())
    today = timezone.localdate()
    ages = [
        (today - _local(case.received_at)).days
        for case in Case.objects.filter(status__in=OPEN_STATUSES)
    ]
    expected = [
        sum(1 for age in ages if 0 <= age <= 7),
        sum(1 for age in ages if 8 <= age <= 30),
        sum(1 for age in ages if 31 <= age <= 90),
        sum(1 for age in ages if 91 <= age <= 365),
        sum(1 for age in ages if age > 365),
    ]
    assert [bar.value for bar in board.age_bands] == expected


def test_filters_narrow_the_figures_like_the_case_list(world: World) -> None:
    make_spread(world)
    summary_refresh()
    tehsil = AdminUnit.objects.get(pcode="PK61702")
    filters = _all_time(place=tehsil, channel="phone")
    board = dashboard_for_user(user=world.provincial_officer, filters=filters)
    expected = Case.objects.filter(tehsil=tehsil, channel="phone").count()
    assert board.received == expected
    grouped = _all_time(group="hindu", category="threats")
    board = dashboard_for_user(user=world.provincial_officer, filters=grouped)
    assert (
        board.received
        == Case.objects.filter(groups__code="hindu", category__code="threats").count()
    )


def test_a_district_supervisor_counts_only_their_district(world: World) -> None:
    make_spread(world)
    summary_refresh()
    board = dashboard_for_user(user=world.supervisor, filters=_all_time())
    assert (
        board.received
        == Case.objects.filter(jurisdiction_path__startswith="PK6/")
        .exclude(district_id="PK608")
        .count()
    )
    assert {bar.key for bar in board.by_district} == {"PK617"}
    outsider = dashboard_for_user(user=world.outsider, filters=_all_time())
    assert {bar.key for bar in outsider.by_district} == {"PK608"}


def test_an_intake_officer_counts_only_their_organisation(world: World) -> None:
    make_spread(world)
    summary_refresh()
    board = dashboard_for_user(user=world.intake_officer, filters=_all_time())
    assert board.received == Case.objects.filter(organisation=world.lahore_centre).count()


def test_an_incremental_refresh_picks_up_new_and_changed_cases(world: World) -> None:
    spread = make_spread(world, count=12)
    summary_refresh()
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        make_case(organisation=world.lahore_centre, channel="sms")
        changed = spread.cases[0]
        changed.status = Status.WITHDRAWN
        changed.save()
        report = summary_refresh()
        assert not report.full
        board = dashboard_for_user(user=world.provincial_officer, filters=_all_time())
    assert board.received == 13
    assert {bar.key: bar.value for bar in board.by_channel}["sms"] == Case.objects.filter(
        channel="sms"
    ).count()
    assert CaseFact.objects.get(case=changed).status == Status.WITHDRAWN
    assert board.open_now == Case.objects.filter(status__in=OPEN_STATUSES).count()


def test_an_incremental_refresh_gives_the_same_cube_as_a_full_rebuild(world: World) -> None:
    spread = make_spread(world, count=20)
    summary_refresh()
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        for case in spread.cases[:6]:
            case.status = Status.CLOSED
            case.resolved_at = case.closed_at = timezone.now()
            case.save()
        summary_refresh()
        incremental = _cube_and_margins()
        summary_refresh(full=True)
        full = _cube_and_margins()
    assert incremental == full
    assert incremental[1], "the margins are built"


def _cube_and_margins() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    measures = ("received", "resolved", "open", "first_action_late", "satisfied")
    cube = CaseCube.objects.values_list("day", "district_id", "category_id", "channel", *measures)
    margins = CubeMargin.objects.values_list(
        "rollup", "day", "district_id", "category_id", "channel", "group_key", *measures
    )
    return sorted(cube), sorted(margins, key=repr)


def test_the_set_based_full_rebuild_writes_the_same_facts_as_python(world: World) -> None:
    spread = make_spread(world, count=30)
    spread.cases[0].groups.set(AffectedGroup.objects.order_by("-code")[:3])
    now = timezone.now()
    summary_refresh(full=True, now=now)
    fields = [field.attname for field in CaseFact._meta.concrete_fields]

    def rows(facts: list[CaseFact]) -> list[tuple[object, ...]]:
        return sorted(
            tuple(
                round(value, 6) if isinstance(value, float) else value
                for value in (getattr(fact, name) for name in fields)
            )
            for fact in facts
        )

    stored = rows(list(CaseFact.objects.all()))
    expected = rows(_facts_for(list(Case.objects.values_list("pk", flat=True)), now))
    assert stored == expected


def _by_code(by: dict[str, dict[object, int]]) -> dict[str, dict[object, int]]:
    groups: Counter[object] = Counter()
    for key, total in by["group_key"].items():
        for code in filter(None, str(key).split(",")):
            groups[code] += total
    return {**by, "group_key": dict(groups)}


def _nonzero(days: dict[date, dict[str, int]]) -> dict[date, dict[str, int]]:
    kept = {
        day: {name: value for name, value in sums.items() if value} for day, sums in days.items()
    }
    return {day: sums for day, sums in kept.items() if sums}


@pytest.mark.parametrize(
    ("start_days_ago", "end_days_ago"),
    [(400, 0), (95, 3), (20, 10), (0, 0), (370, 200)],
)
def test_the_margins_give_the_same_figures_as_the_cube(
    world: World, start_days_ago: int, end_days_ago: int
) -> None:
    make_spread(world)
    summary_refresh()
    today = timezone.localdate()
    start, end = today - timedelta(days=start_days_ago), today - timedelta(days=end_days_ago)
    for start_day in (start, start.replace(day=1)):
        for user in (world.provincial_officer, world.supervisor):
            sources = Sources.for_user(user)
            cube = sources.cube
            expected = cube_scan(cube.filter(day__lte=end), start=start_day)
            found = margin_scan(sources.margins, cube, start=start_day, end=end)
            assert found.totals == expected.totals
            assert _by_code(found.by) == _by_code(expected.by)
            assert _nonzero(found.by_day) == _nonzero(expected.by_day)


def test_it_remembers_when_the_figures_were_computed(world: World) -> None:
    assert summary_refreshed_at() is None
    moment = timezone.now()
    summary_refresh(now=moment)
    assert summary_refreshed_at() == moment


def test_the_facts_hold_no_identity(world: World) -> None:
    make_spread(world, count=10)
    summary_refresh()
    columns = {field.name for field in CaseFact._meta.get_fields()}
    assert columns.isdisjoint({"narrative", "place", "title", "full_name", "cnic", "phone"})


def test_a_waiting_case_turns_late_by_the_clock_alone(world: World) -> None:
    case = make_case(organisation=world.lahore_centre, priority=Priority.URGENT)
    quiet = make_case(organisation=world.lahore_centre, priority=Priority.NORMAL)
    summary_refresh()
    assert CaseFact.objects.get(case=case).first_action_on_time is None
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        report = summary_refresh()
        # Only the case whose deadline passed in this window is read again.
        assert report.cases == 1
        assert CaseFact.objects.get(case=case).first_action_on_time is False
        assert CaseFact.objects.get(case=quiet).first_action_on_time is None
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert summary_refresh().cases == 1
        assert CaseFact.objects.get(case=quiet).first_action_on_time is False
        board = dashboard_for_user(user=world.provincial_officer, filters=_all_time())
        first_action = board.compliance[0]
        assert (first_action.numerator, first_action.denominator) == (0, 2)


def test_indicators_from_the_margins_equal_those_from_the_cube(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from meesaq.reports import indicators

    make_spread(world)
    summary_refresh()
    sources = Sources.for_user(world.provincial_officer)
    filters = _all_time()
    from_margins = [item.compute(sources, filters) for item in indicators.INDICATORS]
    monkeypatch.setattr(indicators, "uses_margins", lambda filters: False)
    from_cube = [item.compute(sources, filters) for item in indicators.INDICATORS]
    assert from_margins == from_cube
    assert any(value.denominator for value in from_cube)
