"""The dashboards' figures, read from the summary tables through the access module's scopes."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.cache import caches
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.accounts.models import User
from meesaq.cases.models import AffectedGroup, Category, Channel, FeedbackAnswer
from meesaq.cases.timeliness import (
    FIRST_ACTION_LATE,
    FIRST_ACTION_ON_TIME,
    RESOLVED_LATE,
    RESOLVED_ON_TIME,
)
from meesaq.geo.models import AdminUnit, Level
from meesaq.orgs.models import Organisation
from meesaq.reports.filters import ReportFilters
from meesaq.reports.models import CaseCube, CaseFact, CubeMargin, ReferralFact
from meesaq.reports.scan import Scan, cube_scan, margin_scan

AGE_BANDS: tuple[tuple[int, int | None, Promise], ...] = (
    (0, 7, _("Up to a week")),
    (8, 30, _("8 to 30 days")),
    (31, 90, _("31 to 90 days")),
    (91, 365, _("91 days to a year")),
    (366, None, _("Over a year")),
)
WEEKLY_UP_TO_DAYS = 120
# Figures are exact until the next refresh (every five minutes); the key carries its time.
FIGURES_CACHE_SECONDS = 15 * 60


@dataclass(frozen=True)
class Bar:
    """One labelled value of a figure, with the case list address behind it (or "")."""

    key: str
    label: str
    value: int
    url: str = ""
    second: int = 0
    # The dashboard narrowed to this value (the tehsils of a district), for every role.
    view_url: str = ""


@dataclass(frozen=True)
class Rate:
    """A share: how many of how many, and the percentage (None when nothing was measured)."""

    label: str
    numerator: int
    denominator: int
    # The case list of the numerator's cases, and of the late ones ("" when there is none).
    url: str = ""
    late_url: str = ""

    @property
    def late(self) -> int:
        """Return how many were measured and not on time."""
        return self.denominator - self.numerator

    @property
    def percent(self) -> float | None:
        """Return the share in per cent, or None with no denominator."""
        return round(100 * self.numerator / self.denominator, 1) if self.denominator else None


@dataclass
class Dashboard:
    """Every figure of the dashboard, already scoped and filtered."""

    filters: ReportFilters
    received: int = 0
    resolved: int = 0
    open_now: int = 0
    over_time: list[Bar] = field(default_factory=list)
    period_unit: str = "week"
    age_bands: list[Bar] = field(default_factory=list)
    by_category: list[Bar] = field(default_factory=list)
    by_group: list[Bar] = field(default_factory=list)
    by_channel: list[Bar] = field(default_factory=list)
    by_district: list[Bar] = field(default_factory=list)
    # The tehsils of a district's (or a tehsil's) dashboard; empty above district level.
    by_tehsil: list[Bar] = field(default_factory=list)
    compliance: list[Rate] = field(default_factory=list)
    referral_flows: list[Bar] = field(default_factory=list)
    satisfaction: list[Bar] = field(default_factory=list)
    map_province: AdminUnit | None = None


@dataclass(frozen=True)
class Sources:
    """The summary rows figures may be computed from: a user's scope, or a report's place."""

    cube: QuerySet[CaseCube]
    referrals: QuerySet[ReferralFact]
    facts: QuerySet[CaseFact]
    margins: QuerySet[CubeMargin]

    @classmethod
    def for_user(cls, user: User) -> Sources:
        """Return the rows the access module lets this user count."""
        return cls(
            cube=policy.scoped(user, CaseCube),
            referrals=policy.scoped(user, ReferralFact),
            facts=policy.scoped(user, CaseFact),
            margins=policy.scoped(user, CubeMargin),
        )

    @classmethod
    def for_place(cls, place: AdminUnit) -> Sources:
        """Return every row within a place (the stored monthly report of that place)."""
        within = Q(jurisdiction_path=place.path) | Q(jurisdiction_path__startswith=place.path + "/")
        return cls(
            cube=CaseCube.objects.filter(within),
            referrals=ReferralFact.objects.filter(within),
            facts=CaseFact.objects.filter(within),
            margins=CubeMargin.objects.filter(within),
        )


def cube_for(
    user: User | Sources, filters: ReportFilters, *, period: bool = True
) -> QuerySet[CaseCube]:
    """Return the user's cube rows narrowed by the filters (and the period when asked)."""
    sources = user if isinstance(user, Sources) else Sources.for_user(user)
    return narrow(sources.cube, filters, period=period, day_field="day")


def narrow(
    rows: QuerySet[Any], filters: ReportFilters, *, period: bool, day_field: str
) -> QuerySet[Any]:
    """Apply the filters to summary rows (cube or facts)."""
    if period:
        rows = rows.filter(
            **{f"{day_field}__gte": filters.date_from, f"{day_field}__lte": filters.date_to}
        )
    place = filters.place
    if place is not None:
        if place.level == Level.TEHSIL:
            rows = rows.filter(tehsil_id=place.pcode)
        else:
            rows = rows.filter(
                Q(jurisdiction_path=place.path) | Q(jurisdiction_path__startswith=place.path + "/")
            )
    if filters.category:
        rows = rows.filter(category__code=filters.category)
    if filters.group:
        rows = rows.filter(group_key__contains=f",{filters.group},")
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    return rows


def _labels(model: type[Category] | type[AffectedGroup]) -> dict[Any, tuple[str, str]]:
    return {term.pk: (term.code, term.label) for term in model.objects.all()}


def _period_start(day: date, unit: str) -> date:
    if unit == "month":
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())


def _over_time(scan: Scan, filters: ReportFilters, unit: str) -> list[Bar]:
    totals: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for day, sums in scan.by_day.items():
        if day < filters.date_from:
            continue
        bucket = totals[_period_start(day, unit)]
        bucket[0] += sums.get("received", 0)
        bucket[1] += sums.get("resolved", 0)
    start = _period_start(filters.date_from, unit)
    bars = []
    while start <= filters.date_to:
        if unit == "month":
            end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        else:
            end = start + timedelta(days=6)
        received, resolved = totals.get(start, [0, 0])
        view = filters.with_(
            date_from=max(start, filters.date_from), date_to=min(end, filters.date_to)
        )
        bars.append(
            Bar(
                key=start.isoformat(),
                label=start.strftime("%Y-%m") if unit == "month" else start.isoformat(),
                value=received,
                second=resolved,
                url=view.case_list_url(),
            )
        )
        start = end + timedelta(days=1)
    return bars


def _age_bands(scan: Scan, filters: ReportFilters, today: date) -> list[Bar]:
    counts = [0] * len(AGE_BANDS)
    for day, sums in scan.by_day.items():
        age = (today - day).days
        for index, (low, high, _label) in enumerate(AGE_BANDS):
            if age >= low and (high is None or age <= high):
                counts[index] += sums.get("open", 0)
                break
    bars = []
    for (low, high, label), count in zip(AGE_BANDS, counts, strict=True):
        oldest = today - timedelta(days=high) if high is not None else date(2000, 1, 1)
        view = filters.with_(date_from=oldest, date_to=today - timedelta(days=low))
        bars.append(Bar(key=str(low), label=str(label), value=count, url=view.case_list_url()))
    return bars


def _sorted(bars: list[Bar]) -> list[Bar]:
    return sorted(bars, key=lambda bar: (-bar.value, bar.label))


def _by_group(scan: Scan, filters: ReportFilters) -> list[Bar]:
    labels = dict(_labels(AffectedGroup).values())
    counts: dict[str, int] = defaultdict(int)
    for key, total in scan.by["group_key"].items():
        for code in filter(None, key.split(",")):
            counts[code] += total
    return _sorted(
        [
            Bar(code, labels.get(code, code), total, filters.case_list_url(group=code))
            for code, total in counts.items()
        ]
    )


def province_of(user: User, filters: ReportFilters) -> AdminUnit | None:
    """Return the province whose districts the map draws."""
    from meesaq.reports.filters import place_paths

    if filters.place is not None:
        code = filters.place.path.split("/")[0]
    else:
        paths = place_paths(user)
        if not paths:
            return None
        code = paths[0].split("/")[0]
    return AdminUnit.objects.filter(pcode=code).first()


def _by_district(scan: Scan, filters: ReportFilters) -> list[Bar]:
    counts = scan.by["district_id"]
    units = AdminUnit.objects.filter(pcode__in=list(counts)).only(
        "pcode", "name_en", "name_ur", "level", "parent_id", "path"
    )
    return _sorted(
        [
            Bar(
                unit.pcode,
                unit.name,
                counts[unit.pcode],
                filters.with_(place=unit).case_list_url(),
            )
            for unit in units
        ]
    )


def _by_tehsil(scan: Scan, filters: ReportFilters) -> list[Bar]:
    place = filters.place
    if place is None or place.level < Level.DISTRICT:
        return []
    district = place if place.level == Level.DISTRICT else place.parent
    counts = scan.by.get("tehsil_id", {})
    tehsils = AdminUnit.objects.filter(level=Level.TEHSIL, parent=district).only(
        "pcode", "name_en", "name_ur", "level", "parent_id", "path"
    )
    return _sorted(
        [
            Bar(
                unit.pcode,
                unit.name,
                counts.get(unit.pcode, 0),
                filters.with_(place=unit).case_list_url(),
                view_url=filters.with_(place=unit).url("reports:dashboard"),
            )
            for unit in tehsils
        ]
    )


def _compliance(scan: Scan, user: Sources, filters: ReportFilters) -> list[Rate]:
    sums = scan.totals
    referrals = referral_rows(user, filters).aggregate(
        on=Count("pk", filter=Q(acknowledged_on_time=True)),
        measured=Count("pk", filter=Q(acknowledged_on_time__isnull=False)),
    )
    fa_on, res_on = sums.get("first_action_on_time", 0), sums.get("resolution_on_time", 0)
    return [
        Rate(
            str(_("First action on time")),
            fa_on,
            fa_on + sums.get("first_action_late", 0),
            url=filters.case_list_url(timeliness=FIRST_ACTION_ON_TIME),
            late_url=filters.case_list_url(timeliness=FIRST_ACTION_LATE),
        ),
        Rate(
            str(_("Resolved on time")),
            res_on,
            res_on + sums.get("resolution_late", 0),
            url=filters.case_list_url(timeliness=RESOLVED_ON_TIME),
            late_url=filters.case_list_url(timeliness=RESOLVED_LATE),
        ),
        Rate(
            str(_("Referrals acknowledged on time")),
            referrals["on"] or 0,
            referrals["measured"] or 0,
        ),
    ]


def referral_rows(user: User | Sources, filters: ReportFilters) -> QuerySet[ReferralFact]:
    """Return the user's referral facts narrowed by the filters."""
    sources = user if isinstance(user, Sources) else Sources.for_user(user)
    return narrow(sources.referrals, filters, period=True, day_field="sent_on")


def _referral_flows(user: Sources, filters: ReportFilters) -> list[Bar]:
    rows = list(
        referral_rows(user, filters)
        .values("from_organisation", "to_organisation")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=Q(acknowledged_on_time=True)))
    )
    ids = {row["from_organisation"] for row in rows} | {row["to_organisation"] for row in rows}
    names = {org.pk: org.name for org in Organisation.objects.filter(pk__in=ids)}
    arrow = " → "
    return _sorted(
        [
            Bar(
                f"{row['from_organisation']}-{row['to_organisation']}",
                f"{names.get(row['from_organisation'], '?')}{arrow}"
                f"{names.get(row['to_organisation'], '?')}",
                row["total"],
                second=row["on_time"],
                # The cases with such a referral sent in the period (whenever received).
                url=filters.case_list_url(
                    received_from="",
                    received_to="",
                    referral=f"{row['from_organisation']}-{row['to_organisation']}",
                    referred_from=filters.date_from.isoformat(),
                    referred_to=filters.date_to.isoformat(),
                ),
            )
            for row in rows
        ]
    )


def _satisfaction(scan: Scan, filters: ReportFilters) -> list[Bar]:
    sums = scan.totals
    measures = (
        (FeedbackAnswer.SATISFIED, "satisfied"),
        (FeedbackAnswer.PARTLY, "partly_satisfied"),
        (FeedbackAnswer.NOT_SATISFIED, "not_satisfied"),
    )
    return [
        Bar(
            str(answer),
            str(answer.label),
            sums.get(measure, 0),
            filters.case_list_url(satisfaction=str(answer)),
        )
        for answer, measure in measures
    ]


def grant_signature(user: User) -> list[tuple[int, str, str]]:
    """Return what decides the figures a user may count: their grants, in a stable order."""
    return sorted(
        (g.organisation_id, str(g.role), g.jurisdiction_path) for g in policy.grants_for(user)
    )


def figures_cache_key(kind: str, user: User, filters: ReportFilters) -> str | None:
    """Return a cache key for figures of this scope and these filters, as of the last refresh.

    The figures change only when the summary tables are refreshed, so a key that includes the
    refresh time, the user's grants (what they may count) and the language is exact.
    """
    from meesaq.reports.summary import summary_refreshed_at

    refreshed = summary_refreshed_at()
    if refreshed is None:
        return None
    grants = grant_signature(user)
    text = repr(
        (kind, refreshed.isoformat(), grants, sorted(filters.query().items()), get_language())
    )
    return "meesaq.reports.figures." + hashlib.sha256(text.encode()).hexdigest()


def dashboard_for_user(*, user: User, filters: ReportFilters) -> Dashboard:
    """Compute the dashboard's figures for what the user may see, from the cube only."""
    key = figures_cache_key("dashboard", user, filters)
    cached: Dashboard | None = caches["figures"].get(key) if key else None
    if cached is not None:
        return cached
    board = dashboard_from(sources=Sources.for_user(user), filters=filters)
    board.map_province = province_of(user, filters)
    if key:
        caches["figures"].set(key, board, FIGURES_CACHE_SECONDS)
    return board


def uses_margins(filters: ReportFilters) -> bool:
    """Tell whether the margins answer these filters (period and a place above tehsil only)."""
    place = filters.place
    return not (filters.category or filters.group or filters.channel) and (
        place is None or place.level != Level.TEHSIL
    )


def _scan(sources: Sources, filters: ReportFilters) -> Scan:
    cube = cube_for(sources, filters, period=False)
    if uses_margins(filters):
        margins = narrow(sources.margins, filters, period=False, day_field="day")
        return margin_scan(margins, cube, start=filters.date_from, end=filters.date_to)
    return cube_scan(cube.filter(day__lte=filters.date_to), start=filters.date_from)


def dashboard_from(*, sources: Sources, filters: ReportFilters) -> Dashboard:
    """Compute the dashboard's figures from these summary rows, in one read of the cube."""
    scan = _scan(sources, filters)
    today = timezone.localdate()
    unit = "week" if (filters.date_to - filters.date_from).days <= WEEKLY_UP_TO_DAYS else "month"
    board = Dashboard(filters=filters, period_unit=unit)
    board.received = scan.totals.get("received", 0)
    board.resolved = scan.totals.get("resolved", 0)
    board.over_time = _over_time(scan, filters, unit)
    board.age_bands = _age_bands(scan, filters, today)
    board.open_now = sum(bar.value for bar in board.age_bands)
    categories = _labels(Category)
    board.by_category = _sorted(
        [
            Bar(
                categories[pk][0],
                categories[pk][1],
                total,
                filters.case_list_url(category=categories[pk][0]),
            )
            for pk, total in scan.by["category_id"].items()
        ]
    )
    board.by_group = _by_group(scan, filters)
    channels = dict(Channel.choices)
    board.by_channel = _sorted(
        [
            Bar(code, str(channels.get(code, code)), total, filters.case_list_url(channel=code))
            for code, total in scan.by["channel"].items()
        ]
    )
    board.by_district = _by_district(scan, filters)
    board.compliance = _compliance(scan, sources, filters)
    board.referral_flows = _referral_flows(sources, filters)
    board.satisfaction = _satisfaction(scan, filters)
    board.by_tehsil = _by_tehsil(scan, filters)
    return board


def without_links(board: Dashboard) -> Dashboard:
    """Drop the case list addresses from every figure (for roles that may not list cases)."""
    from dataclasses import replace

    for name in (
        "over_time",
        "age_bands",
        "by_category",
        "by_group",
        "by_channel",
        "by_district",
        "by_tehsil",
        "referral_flows",
        "satisfaction",
    ):
        setattr(board, name, [replace(bar, url="") for bar in getattr(board, name)])
    board.compliance = [replace(rate, url="", late_url="") for rate in board.compliance]
    return board
