"""Write the synthetic province's cases in batches: resumable, in bulk, audit chain intact.

Each batch is one transaction holding its cases with every row that hangs off them, the
reference counters it advanced and its audit events, so a run stopped at any moment leaves
whole batches only; a rerun counts the synthetic cases already there and goes on from that
number (no duplicates). The audit events of a batch are chained in one ordered pass under the
lock of the chain's head row, exactly as ``meesaq.audit.services.audit_record`` would chain
them one by one, so ``meesaq audit verify`` passes afterwards.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from meesaq.accounts.models import User
from meesaq.audit.chain import GENESIS_HASH, event_hash
from meesaq.audit.models import AuditChainHead, AuditEvent
from meesaq.cases.models import AffectedGroup, Case, Category, Outcome, ReferenceCounter
from meesaq.demo.province import demo_refuse_in_production
from meesaq.demo.synthetic import deferred
from meesaq.demo.synthetic.bulk import IdBlocks, Sealer, Table, tables_write
from meesaq.demo.synthetic.province import District, Province, province_ensure
from meesaq.demo.synthetic.shape import YEARS, Batch, CaseShaper, Taxonomy

AUDIT_FIELDS = (
    "id",
    "sequence",
    "occurred_at",
    "actor",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "ip_address",
    "detail",
    "previous_hash",
    "hash",
)


# A load of at least this many cases, and at least as many as are there already, sets the
# secondary indexes and foreign keys aside and rebuilds them at the end (``deferred.py``).
DEFER_INDEXES_AT = 50_000


@dataclass(frozen=True)
class Progress:
    """Where a run stands, for the progress line (``stage`` "indexes": rebuilding them)."""

    done: int
    target: int
    rows: int
    seconds: float
    stage: str = "cases"


@dataclass(frozen=True)
class GenerateResult:
    """What a run found and wrote."""

    existing: int
    written: int
    total: int
    rows: int
    seconds: float


def synthetic_case_count() -> int:
    """Return the number of synthetic cases already written (owned by the bench centres)."""
    return Case.objects.filter(organisation__code__startswith="bench-").count()


def _taxonomy() -> Taxonomy:
    return Taxonomy(
        categories=list(Category.objects.order_by("order", "pk").values_list("pk", "code")),
        groups=list(AffectedGroup.objects.order_by("pk").values_list("pk", flat=True)),
        outcomes=list(Outcome.objects.order_by("pk").values_list("pk", "code")),
    )


class GenerationConflictError(RuntimeError):
    """Something else wrote audit events or references while the generator ran."""


class References:
    """Case references from the app's own counters, advanced in memory between commits."""

    def __init__(self, province: Province, now: datetime) -> None:
        local_year = timezone.localtime(now).year
        self._prefix = {
            (district.pcode, year): district.reference_prefix(year)
            for district in province.districts
            for year in range(local_year - YEARS, local_year + 1)
        }
        prefixes = set(self._prefix.values())
        ReferenceCounter.objects.bulk_create(
            [ReferenceCounter(prefix=prefix) for prefix in prefixes], ignore_conflicts=True
        )
        self.numbers = dict(
            ReferenceCounter.objects.filter(prefix__in=prefixes).values_list(
                "prefix", "last_number"
            )
        )

    def take(self, district: District, received: datetime) -> str:
        """Return the next reference of the district and the year the case was received in."""
        prefix = self._prefix[(district.pcode, timezone.localtime(received).year)]
        number = self.numbers[prefix] + 1
        self.numbers[prefix] = number
        return f"{prefix}-{number:06d}"


@dataclass
class Prepared:
    """A batch ready to commit, with the state it expects to find and the state it leaves."""

    tables: list[Table]
    head_before: tuple[int, str]
    head_after: tuple[int, str]
    numbers_before: dict[str, int]
    numbers_after: dict[str, int]


def _head() -> tuple[int, str]:
    head, _created = AuditChainHead.objects.get_or_create(
        pk=AuditChainHead.SINGLETON, defaults={"sequence": 0, "hash": GENESIS_HASH}
    )
    return head.sequence, head.hash


def _audit_chain(
    batch: Batch, ids: IdBlocks, usernames: dict[int, str], head: tuple[int, str]
) -> tuple[Table, tuple[int, str]]:
    """Chain the batch's audit events after ``head`` in one ordered pass; return the new head."""
    sequence, previous = head
    table = Table(AuditEvent, AUDIT_FIELDS)
    for event in batch.audit:
        sequence += 1
        label = usernames.get(event.actor_id, "") if event.actor_id is not None else ""
        digest = event_hash(
            sequence=sequence,
            occurred_at=event.occurred_at,
            actor_id=event.actor_id,
            actor_label=label,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            ip_address=None,
            detail=event.detail,
            previous_hash=previous,
        )
        table.add(
            ids.next(AuditEvent),
            sequence,
            event.occurred_at,
            event.actor_id,
            label,
            event.action,
            event.object_type,
            event.object_id,
            None,
            json.dumps(event.detail),
            previous,
            digest,
        )
        previous = digest
    return table, (sequence, previous)


def _commit(prepared: Prepared) -> int:
    """Write one batch in one transaction, if nothing else moved the chain or the counters.

    The chain head and the counters are locked as ``audit_record`` and ``reference_next``
    lock them, so an intake running meanwhile either waits or makes this batch refuse.
    """
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().get(pk=AuditChainHead.SINGLETON)
        changed = sorted(
            prefix
            for prefix, number in prepared.numbers_after.items()
            if number != prepared.numbers_before[prefix]
        )
        counters = list(
            ReferenceCounter.objects.select_for_update().filter(prefix__in=changed).order_by("pk")
        )
        moved = (head.sequence, head.hash) != prepared.head_before or any(
            counter.last_number != prepared.numbers_before[counter.prefix] for counter in counters
        )
        if moved:
            raise GenerationConflictError(
                "Audit events or case references were written while the generator ran; "
                "run it again to continue from the batches already written."
            )
        for counter in counters:
            counter.last_number = prepared.numbers_after[counter.prefix]
        ReferenceCounter.objects.bulk_update(counters, ["last_number"])
        rows = tables_write(prepared.tables)
        AuditChainHead.objects.filter(pk=AuditChainHead.SINGLETON).update(
            sequence=prepared.head_after[0], hash=prepared.head_after[1]
        )
    return rows


def _commit_in_thread(prepared: Prepared) -> int:
    try:
        return _commit(prepared)
    finally:
        # The writer thread has its own connection; do not leave it open between batches.
        connection.close()


def default_batch_size() -> int:
    """Return the cases per transaction: large for COPY, small for SQLite's executemany."""
    return 10_000 if connection.vendor == "postgresql" else 500


def _report(
    report: Callable[[Progress], None] | None,
    done: int,
    cases: int,
    rows: int,
    began: float,
    *,
    stage: str = "cases",
) -> None:
    if report is not None:
        report(Progress(done, cases, rows, time.perf_counter() - began, stage))


def _generated_tables() -> list[str]:
    return [table.model._meta.db_table for table in Batch().tables()] + [AuditEvent._meta.db_table]


def _should_defer(wanted: bool | None, to_write: int, existing: int) -> bool:
    if connection.vendor != "postgresql" or to_write <= 0:
        return False
    if wanted is not None:
        return wanted
    return to_write >= DEFER_INDEXES_AT and to_write >= existing


def synthetic_generate(
    *,
    cases: int,
    seed: int = 8,
    batch_size: int | None = None,
    report: Callable[[Progress], None] | None = None,
    defer_indexes: bool | None = None,
) -> GenerateResult:
    """Bring the number of synthetic cases up to ``cases``, continuing where a run stopped.

    ``defer_indexes``: set the generated tables' secondary indexes and foreign keys aside during
    the load (PostgreSQL); by default, for a load of ``DEFER_INDEXES_AT`` cases or more that at
    least doubles the province. Indexes a stopped run left aside are always rebuilt.
    """
    demo_refuse_in_production()
    began = time.perf_counter()
    province = province_ensure()
    taxonomy = _taxonomy()
    usernames = dict(
        User.objects.filter(username__startswith="bench.").values_list("pk", "username")
    )
    size = batch_size or default_batch_size()
    existing = synthetic_case_count()
    sealer = Sealer()
    ids = IdBlocks()
    now = timezone.now()
    references = References(province, now)
    head = _head()
    # Generating the next batch while PostgreSQL takes in the last one uses both cores. Inside
    # a caller's transaction (tests) the batch must go through the caller's connection.
    pipelined = connection.vendor == "postgresql" and not connection.in_atomic_block
    if not deferred.deferred_pending() and _should_defer(defer_indexes, cases - existing, existing):
        deferred.defer(_generated_tables())
    done, rows = existing, 0
    pending: Future[int] | None = None
    with ThreadPoolExecutor(max_workers=1) as writer:
        while done < cases:
            count = min(size, cases - done)
            shaper = CaseShaper(
                province=province,
                taxonomy=taxonomy,
                sealer=sealer,
                ids=ids,
                now=now,
                # One seed per batch position: a resumed run draws what the stopped one would.
                seed=seed * 1_000_003 + done // size,
            )
            batch = Batch()
            numbers_before = dict(references.numbers)
            for _ in range(count):
                shaper.case(batch, references.take)
            audit, head_after = _audit_chain(batch, ids, usernames, head)
            prepared = Prepared(
                tables=[*batch.tables(), audit],
                head_before=head,
                head_after=head_after,
                numbers_before=numbers_before,
                numbers_after=dict(references.numbers),
            )
            head = head_after
            if pending is not None:
                rows += pending.result()
                pending = None
                _report(report, done, cases, rows, began)
            if pipelined:
                pending = writer.submit(_commit_in_thread, prepared)
            else:
                rows += _commit(prepared)
            done += count
            if not pipelined:
                _report(report, done, cases, rows, began)
        if pending is not None:
            rows += pending.result()
            _report(report, done, cases, rows, began)
    if deferred.deferred_pending():
        deferred.rebuild(
            lambda built, total: _report(report, built, total, rows, began, stage="indexes")
        )
    if connection.vendor == "postgresql" and done > existing:
        with connection.cursor() as cursor:
            # Fresh planner statistics and visibility maps (index-only scans), as autovacuum
            # leaves a live database: the benchmark should not measure a freshly loaded one.
            # VACUUM cannot run inside a transaction (a caller's, in tests): ANALYZE there.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    return GenerateResult(
        existing=existing,
        written=done - existing,
        total=max(done, existing),
        rows=rows,
        seconds=time.perf_counter() - began,
    )
