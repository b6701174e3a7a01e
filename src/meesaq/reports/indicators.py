"""The indicators, defined in one place: name, definition, numerator, denominator,
disaggregations, and the query over the summary tables that computes each one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import caches
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.accounts.models import User
from meesaq.reports.filters import ReportFilters
from meesaq.reports.medians import median_of
from meesaq.reports.models import CaseCube, CaseFact, CubeMargin, Rollup
from meesaq.reports.selectors import (
    FIGURES_CACHE_SECONDS,
    Sources,
    cube_for,
    figures_cache_key,
    narrow,
    referral_rows,
    uses_margins,
)


@dataclass(frozen=True)
class Value:
    """An indicator's value: a share (numerator of denominator) or a number of days."""

    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    unit: str = "%"


@dataclass(frozen=True)
class Indicator:
    """One indicator as published: what it means and how it is computed."""

    code: str
    name: Promise
    definition: Promise
    numerator: Promise
    denominator: Promise
    disaggregations: tuple[Promise, ...]
    query: str
    compute: Callable[[Sources, ReportFilters], Value]
    # The report builder's measure that disaggregates it ("" when the builder has none).
    measure: str = ""


def _sums(
    sources: Sources, filters: ReportFilters, *, period: bool = True
) -> QuerySet[CaseCube] | QuerySet[CubeMargin]:
    """Return the rows whose measures an indicator sums: the daily totals when they answer."""
    if uses_margins(filters):
        totals = narrow(sources.margins, filters, period=period, day_field="day")
        return totals.filter(rollup=Rollup.TOTAL)
    return cube_for(sources, filters, period=period)


def _share(numerator: int, denominator: int) -> Value:
    value = round(100 * numerator / denominator, 1) if denominator else None
    return Value(value, numerator, denominator)


def _cube_share(on: str, late: str) -> Callable[[Sources, ReportFilters], Value]:
    def compute(user: Sources, filters: ReportFilters) -> Value:
        sums = _sums(user, filters).aggregate(on=Sum(on), late=Sum(late))
        on_time = sums["on"] or 0
        return _share(on_time, on_time + (sums["late"] or 0))

    return compute


def _facts(sources: Sources, filters: ReportFilters) -> QuerySet[CaseFact]:
    return narrow(sources.facts, filters, period=True, day_field="received_on")


def _median(column: str) -> Callable[[Sources, ReportFilters], Value]:
    def compute(user: Sources, filters: ReportFilters) -> Value:
        value = median_of(_facts(user, filters), column=column)
        return Value(round(value, 1) if value is not None else None, unit="days")

    return compute


def _referrals_on_time(user: Sources, filters: ReportFilters) -> Value:
    found = referral_rows(user, filters).aggregate(
        on=Count("pk", filter=Q(acknowledged_on_time=True)),
        measured=Count("pk", filter=Q(acknowledged_on_time__isnull=False)),
    )
    return _share(found["on"] or 0, found["measured"] or 0)


def _satisfied(user: Sources, filters: ReportFilters) -> Value:
    sums = _sums(user, filters).aggregate(
        yes=Sum("satisfied"), partly=Sum("partly_satisfied"), no=Sum("not_satisfied")
    )
    yes = sums["yes"] or 0
    return _share(yes, yes + (sums["partly"] or 0) + (sums["no"] or 0))


def _long_open(user: Sources, filters: ReportFilters) -> Value:
    rows = _sums(user, filters, period=False).filter(day__lte=filters.date_to)
    cutoff = timezone.localdate() - timedelta(days=90)
    sums = rows.aggregate(old=Sum("open", filter=Q(day__lt=cutoff)), all=Sum("open"))
    return _share(sums["old"] or 0, sums["all"] or 0)


PLACE = _("district")
CATEGORY = _("category")
GROUP = _("affected group")
CHANNEL = _("channel")
PRIORITY = _("priority")
MONTH = _("month")
STANDARD = (PLACE, CATEGORY, GROUP, CHANNEL, PRIORITY, MONTH)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="first_action_on_time",
        name=_("First action within the deadline"),
        definition=_(
            "Share of the cases received in the period whose first action (not a note) was "
            "recorded by its deadline (in working time; by the priority's default otherwise)."
        ),
        numerator=_("Cases whose first action came on or before its deadline"),
        denominator=_(
            "Cases with a first action, plus cases still waiting after the deadline passed"
        ),
        disaggregations=STANDARD,
        query="CaseCube: Σ first_action_on_time ÷ Σ (first_action_on_time + first_action_late)",
        compute=_cube_share("first_action_on_time", "first_action_late"),
        measure="first_action_rate",
    ),
    Indicator(
        code="resolution_on_time",
        name=_("Resolved within the deadline"),
        definition=_(
            "Share of the cases received in the period that were resolved or closed by their "
            "resolution deadline."
        ),
        numerator=_("Cases resolved on or before the resolution deadline"),
        denominator=_("Cases resolved, plus open cases past the resolution deadline"),
        disaggregations=STANDARD,
        query="CaseCube: Σ resolution_on_time ÷ Σ (resolution_on_time + resolution_late)",
        compute=_cube_share("resolution_on_time", "resolution_late"),
        measure="resolution_rate",
    ),
    Indicator(
        code="median_days_to_first_action",
        name=_("Median days to first action"),
        definition=_("The middle number of days from receipt to the first action."),
        numerator=_("Days from receipt to first action, for each case with one"),
        denominator=_("The median of those days (not a share)"),
        disaggregations=STANDARD,
        query="CaseFact: median(days_to_first_action) over received_on in the period",
        compute=_median("days_to_first_action"),
        measure="median_first_action",
    ),
    Indicator(
        code="median_days_to_resolution",
        name=_("Median days to resolution"),
        definition=_("The middle number of days from receipt to resolution or closure."),
        numerator=_("Days from receipt to resolution, for each resolved case"),
        denominator=_("The median of those days (not a share)"),
        disaggregations=STANDARD,
        query="CaseFact: median(days_to_resolution) over received_on in the period",
        compute=_median("days_to_resolution"),
        measure="median_resolution",
    ),
    Indicator(
        code="referrals_acknowledged_on_time",
        name=_("Referrals acknowledged within the deadline"),
        definition=_(
            "Share of the referrals sent in the period that the receiving organisation "
            "accepted, declined or questioned by the acknowledgement deadline."
        ),
        numerator=_("Referrals acknowledged on or before the deadline"),
        denominator=_("Referrals acknowledged, plus open referrals past the deadline"),
        disaggregations=(PLACE, CATEGORY, GROUP, CHANNEL),
        query="ReferralFact: count(acknowledged_on_time) ÷ count(acknowledged_on_time not null)",
        compute=_referrals_on_time,
    ),
    Indicator(
        code="complainants_satisfied",
        name=_("Complainants satisfied"),
        definition=_(
            "Share of the complainants who answered the satisfaction call or SMS after closure "
            "and said they were satisfied."
        ),
        numerator=_("Answers “satisfied”"),
        denominator=_("Answers “satisfied”, “partly satisfied” and “not satisfied”"),
        disaggregations=(PLACE, CATEGORY, GROUP, CHANNEL, MONTH),
        query="CaseCube: Σ satisfied ÷ Σ (satisfied + partly_satisfied + not_satisfied)",
        compute=_satisfied,
    ),
    Indicator(
        code="open_over_90_days",
        name=_("Open cases older than 90 days"),
        definition=_("Share of the cases open now that were received more than 90 days ago."),
        numerator=_("Open cases received more than 90 days ago"),
        denominator=_("Open cases"),
        disaggregations=(PLACE, CATEGORY, GROUP, CHANNEL, PRIORITY),
        query="CaseCube: Σ open where day < today - 90 ÷ Σ open (day ≤ end of the period)",
        compute=_long_open,
    ),
)


def indicator_get(code: str) -> Indicator | None:
    """Return the indicator with this code, if there is one."""
    return next((item for item in INDICATORS if item.code == code), None)


def indicator_values(*, user: User, filters: ReportFilters) -> list[tuple[Indicator, Value]]:
    """Return every indicator with its current value for what the user may see."""
    key = figures_cache_key("indicators", user, filters)
    cached: list[Value] | None = caches["figures"].get(key) if key else None
    if cached is None:
        sources = Sources.for_user(user)
        cached = [item.compute(sources, filters) for item in INDICATORS]
        if key:
            caches["figures"].set(key, cached, FIGURES_CACHE_SECONDS)
    return list(zip(INDICATORS, cached, strict=True))
