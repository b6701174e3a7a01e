"""Keep the summary tables up to date: de-identified facts per case and referral, and the cube.

This is a system job, not a user's read: it reads only the cases' non-identity columns (through
``.values()``, so nothing encrypted is loaded or decrypted) and writes tables that users then
read only through ``meesaq.access`` scopes. The case services are not touched: the refresh finds
what changed since its watermark (rows' ``updated_at``, first actions, feedback answers,
recomputed deadlines, referral updates) plus the open cases whose "on time" answer can change by
the clock alone, and rebuilds the cube rows of every day those cases touch. A full rebuild
(nightly, and ``meesaq reports-refresh --full``) heals anything an incremental pass missed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from meesaq.cases.deadlines import AWAITING_FIRST_ACTION, FIRST_ACTION_WITHIN
from meesaq.cases.models import Case, ComplainantFeedback, FeedbackAnswer, Priority
from meesaq.cases.workflow import OPEN_STATUSES
from meesaq.referrals.models import OPEN_REFERRAL_STATUSES, Referral
from meesaq.reports import rollups, setbased
from meesaq.reports.models import CaseCube, CaseFact, ReferralFact, SummaryState
from meesaq.sla.models import CaseDeadlines

BATCH = 2000
SECONDS_PER_DAY = 86400.0
MEASURED_ANSWERS = (
    FeedbackAnswer.SATISFIED,
    FeedbackAnswer.PARTLY,
    FeedbackAnswer.NOT_SATISFIED,
)
# The cube's dimensions, in the order of its unique key (one list, shared with ``setbased``).
CUBE_DIMENSIONS = setbased.CUBE_KEYS
# The cube's measures: one list, shared with the margins (``rollups``).
CUBE_MEASURES = rollups.MEASURES


@dataclass(frozen=True)
class RefreshReport:
    """What one refresh did."""

    full: bool
    cases: int
    referrals: int
    cube_rows: int
    refreshed_at: datetime


def local_day(moment: datetime) -> date:
    """Return the date in Pakistan's time of a moment."""
    return timezone.localtime(moment).date()


def local_day_or_none(moment: datetime | None) -> date | None:
    """Return the date in Pakistan's time of a moment (None stays None)."""
    return local_day(moment) if moment is not None else None


def _days(start: datetime, end: datetime | None) -> float | None:
    return (end - start).total_seconds() / SECONDS_PER_DAY if end is not None else None


def _on_time(
    done: datetime | None, due: datetime | None, *, waiting: bool, now: datetime
) -> bool | None:
    if due is None:
        return None
    if done is not None:
        return done <= due
    return False if waiting and now > due else None


CASE_COLUMNS = (
    "pk",
    "organisation_id",
    "district_id",
    "tehsil_id",
    "jurisdiction_path",
    "category_id",
    "channel",
    "status",
    "priority",
    "outcome_id",
    "received_at",
    "first_action_at",
    "resolved_at",
    "closed_at",
    "deadlines__first_action_due",
    "deadlines__resolution_due",
)


def _group_keys(case_ids: list[int]) -> dict[int, str]:
    through = Case.groups.through
    codes: dict[int, list[str]] = defaultdict(list)
    for case_id, code in through.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "affectedgroup__code"
    ):
        codes[case_id].append(code)
    return {case_id: "," + ",".join(sorted(found)) + "," for case_id, found in codes.items()}


def _satisfaction(case_ids: list[int]) -> dict[int, str]:
    rows = (
        ComplainantFeedback.objects.filter(case_id__in=case_ids, answer__in=MEASURED_ANSWERS)
        .order_by("requested_at", "id")
        .values_list("case_id", "answer")
    )
    # In order of request, so the latest answer wins.
    return dict(rows)


def _facts_for(case_ids: list[int], now: datetime) -> list[CaseFact]:
    groups = _group_keys(case_ids)
    answers = _satisfaction(case_ids)
    facts = []
    for row in Case.objects.filter(pk__in=case_ids).values(*CASE_COLUMNS):
        received_at: datetime = row["received_at"]
        finished = row["resolved_at"] or row["closed_at"]
        is_open = row["status"] in OPEN_STATUSES
        first_due = row["deadlines__first_action_due"] or (
            received_at + FIRST_ACTION_WITHIN[Priority(row["priority"])]
        )
        facts.append(
            CaseFact(
                case_id=row["pk"],
                organisation_id=row["organisation_id"],
                district_id=row["district_id"],
                tehsil_id=row["tehsil_id"],
                jurisdiction_path=row["jurisdiction_path"],
                category_id=row["category_id"],
                group_key=groups.get(row["pk"], ""),
                channel=row["channel"],
                status=row["status"],
                priority=row["priority"],
                outcome_id=row["outcome_id"],
                received_on=local_day(received_at),
                resolved_on=local_day_or_none(finished),
                is_open=is_open,
                days_to_first_action=_days(received_at, row["first_action_at"]),
                days_to_resolution=_days(received_at, finished),
                first_action_on_time=_on_time(
                    row["first_action_at"],
                    first_due,
                    waiting=is_open and row["status"] in AWAITING_FIRST_ACTION,
                    now=now,
                ),
                resolution_on_time=_on_time(
                    finished, row["deadlines__resolution_due"], waiting=is_open, now=now
                ),
                satisfaction=answers.get(row["pk"], ""),
                refreshed_at=now,
            )
        )
    return facts


def _referral_facts(referral_ids: list[int], now: datetime) -> list[ReferralFact]:
    found = Referral.objects.filter(pk__in=referral_ids).values(
        "pk",
        "from_organisation_id",
        "to_organisation_id",
        "case_id",
        "case__organisation_id",
        "case__district_id",
        "case__tehsil_id",
        "case__jurisdiction_path",
        "case__category_id",
        "case__channel",
        "created_at",
        "status",
        "acknowledged_at",
        "acknowledge_by",
    )
    rows = list(found)
    groups = _group_keys([row["case_id"] for row in rows])
    return [
        ReferralFact(
            referral_id=row["pk"],
            from_organisation_id=row["from_organisation_id"],
            to_organisation_id=row["to_organisation_id"],
            organisation_id=row["case__organisation_id"],
            district_id=row["case__district_id"],
            tehsil_id=row["case__tehsil_id"],
            jurisdiction_path=row["case__jurisdiction_path"],
            category_id=row["case__category_id"],
            group_key=groups.get(row["case_id"], ""),
            channel=row["case__channel"],
            sent_on=local_day(row["created_at"]),
            status=row["status"],
            acknowledged_on_time=_on_time(
                row["acknowledged_at"],
                row["acknowledge_by"],
                waiting=row["status"] in OPEN_REFERRAL_STATUSES,
                now=now,
            ),
        )
        for row in rows
    ]


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    batch: list[int] = []
    for value in ids:
        batch.append(value)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _turning_late_ids(since: datetime, now: datetime) -> set[int]:
    """Return the cases whose "on time" answer turns into "late" by the clock since ``since``.

    A waiting case is "not yet due" until its deadline passes; only those whose deadline falls
    in this refresh's window change (the windows of successive refreshes meet end to end).
    """
    waiting_first = Q(status__in=AWAITING_FIRST_ACTION, first_action_at__isnull=True)
    is_open = Q(status__in=OPEN_STATUSES)
    queries = [
        is_open & waiting_first & Q(deadlines__first_action_due__range=(since, now)),
        is_open
        & Q(resolved_at__isnull=True, closed_at__isnull=True)
        & Q(deadlines__resolution_due__range=(since, now)),
    ]
    for priority, within in FIRST_ACTION_WITHIN.items():
        # Without computed deadlines: the priority's default after receipt (case_received index).
        queries.append(
            is_open
            & waiting_first
            & Q(
                deadlines__isnull=True,
                priority=priority,
                received_at__range=(since - within, now - within),
            )
        )
    ids: set[int] = set()
    for condition in queries:
        ids |= set(Case.objects.filter(condition).values_list("pk", flat=True))
    return ids


def _changed_case_ids(since: datetime, now: datetime) -> set[int]:
    # One query per kind of change: each reads its own table (an OR across the joins would
    # make one pass over every case and all its joined rows).
    ids = set(
        Case.objects.filter(Q(updated_at__gte=since) | Q(first_action_at__gte=since)).values_list(
            "pk", flat=True
        )
    )
    ids |= set(
        ComplainantFeedback.objects.filter(answered_at__gte=since).values_list("case_id", flat=True)
    )
    ids |= set(
        CaseDeadlines.objects.filter(computed_at__gte=since).values_list("case_id", flat=True)
    )
    ids |= set(Referral.objects.filter(updated_at__gte=since).values_list("case_id", flat=True))
    return ids | _turning_late_ids(since, now)


def _cube_rows(days: set[date] | None) -> list[CaseCube]:
    facts = CaseFact.objects.all()
    cells: dict[tuple[Any, ...], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(CUBE_MEASURES, 0)
    )
    received = facts if days is None else facts.filter(received_on__in=days)
    for row in received.values(
        "received_on",
        *CUBE_DIMENSIONS,
        "is_open",
        "first_action_on_time",
        "resolution_on_time",
        "satisfaction",
    ).iterator(chunk_size=BATCH):
        cell = cells[(row["received_on"], *(row[name] for name in CUBE_DIMENSIONS))]
        cell["received"] += 1
        cell["open"] += int(row["is_open"])
        if row["first_action_on_time"] is not None:
            cell[
                "first_action_on_time" if row["first_action_on_time"] else "first_action_late"
            ] += 1
        if row["resolution_on_time"] is not None:
            cell["resolution_on_time" if row["resolution_on_time"] else "resolution_late"] += 1
        answer = row["satisfaction"]
        if answer == FeedbackAnswer.SATISFIED:
            cell["satisfied"] += 1
        elif answer == FeedbackAnswer.PARTLY:
            cell["partly_satisfied"] += 1
        elif answer == FeedbackAnswer.NOT_SATISFIED:
            cell["not_satisfied"] += 1
    resolved = facts.filter(resolved_on__isnull=False)
    if days is not None:
        resolved = resolved.filter(resolved_on__in=days)
    for row in resolved.values("resolved_on", *CUBE_DIMENSIONS).iterator(chunk_size=BATCH):
        cells[(row["resolved_on"], *(row[name] for name in CUBE_DIMENSIONS))]["resolved"] += 1
    return [
        CaseCube(day=key[0], **dict(zip(CUBE_DIMENSIONS, key[1:], strict=True)), **measures)
        for key, measures in cells.items()
    ]


def _fact_days(case_ids: list[int]) -> set[date]:
    days: set[date] = set()
    for received_on, resolved_on in CaseFact.objects.filter(case_id__in=case_ids).values_list(
        "received_on", "resolved_on"
    ):
        days.add(received_on)
        if resolved_on is not None:
            days.add(resolved_on)
    return days


def _rebuild_cube(days: set[date] | None) -> int:
    """Rewrite the cube rows of these days (every day when None); return how many were written."""
    if days is not None:
        if not days:
            return 0
        CaseCube.objects.filter(day__in=days).delete()
    if connection.vendor == "postgresql":
        return setbased.insert_cube(days)
    cube = _cube_rows(days)
    CaseCube.objects.bulk_create(cube, batch_size=BATCH)
    return len(cube)


def _write_facts(case_ids: list[int], now: datetime, *, full: bool) -> set[date]:
    """Rewrite the facts of these cases; return every day their old and new facts touch."""
    days: set[date] = set()
    if full and connection.vendor == "postgresql":
        setbased.insert_facts(now)
        return days
    for batch in _chunks(case_ids):
        if not full:
            days |= _fact_days(batch)
            CaseFact.objects.filter(case_id__in=batch).delete()
        facts = _facts_for(batch, now)
        CaseFact.objects.bulk_create(facts, batch_size=BATCH)
        for fact in facts:
            days.add(fact.received_on)
            if fact.resolved_on is not None:
                days.add(fact.resolved_on)
    return days


def summary_refresh(*, full: bool = False, now: datetime | None = None) -> RefreshReport:
    """Bring the summary tables up to date (everything when ``full`` or never built before)."""
    now = now or timezone.now()
    with transaction.atomic():
        state, _created = SummaryState.objects.select_for_update().get_or_create(
            pk=SummaryState.SINGLETON
        )
        full = full or state.watermark is None
        if full:
            CaseFact.objects.all().delete()
            CaseCube.objects.all().delete()
            ReferralFact.objects.all().delete()
            case_ids = sorted(Case.objects.values_list("pk", flat=True))
            referral_ids = sorted(Referral.objects.values_list("pk", flat=True))
        else:
            since = state.watermark or now
            case_ids = sorted(_changed_case_ids(since, now))
            referral_ids = sorted(
                set(
                    Referral.objects.filter(
                        Q(updated_at__gte=since)
                        | Q(case_id__in=case_ids)
                        | Q(status__in=OPEN_REFERRAL_STATUSES, acknowledged_at__isnull=True)
                    ).values_list("pk", flat=True)
                )
            )
        days = _write_facts(case_ids, now, full=full)
        for batch in _chunks(referral_ids):
            ReferralFact.objects.filter(referral_id__in=batch).delete()
            ReferralFact.objects.bulk_create(_referral_facts(batch, now), batch_size=BATCH)
        cube_rows = _rebuild_cube(None if full else days)
        rollups.rebuild(None if full else days)
        state.watermark = now
        state.refreshed_at = now
        if full:
            state.full_rebuild_at = now
            if connection.vendor == "postgresql":
                # Fresh statistics, or the planner guesses the new tables hold a few rows.
                setbased.analyze()
        state.save()
    if full and connection.vendor == "postgresql" and not connection.in_atomic_block:
        setbased.vacuum()
    return RefreshReport(
        full=full,
        cases=len(case_ids),
        referrals=len(referral_ids),
        cube_rows=cube_rows,
        refreshed_at=now,
    )


def summary_refreshed_at() -> datetime | None:
    """Return when the summary tables were last brought up to date (None: never)."""
    state = SummaryState.objects.filter(pk=SummaryState.SINGLETON).first()
    return state.refreshed_at if state is not None else None
