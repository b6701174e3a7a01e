"""The case list and search: scoped by the access module, filtered, paged by keyset."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core import signing
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from meesaq.access import policy
from meesaq.access.roles import Role
from meesaq.accounts.models import User
from meesaq.cases.deadlines import overdue_q
from meesaq.cases.models import Case, CasePerson, Person, PersonNameToken, Priority
from meesaq.cases.references import REFERENCE
from meesaq.cases.timeliness import referral_filter, satisfaction_filter, timeliness_filter
from meesaq.core.errors import MeesaqError
from meesaq.core.numerals import ascii_digits
from meesaq.crypto.blind_index import (
    index_for_cnic,
    index_for_phone,
    name_index_tokens,
    normalise_cnic,
    normalise_phone,
)
from meesaq.geo.models import AdminUnit, Level

PAGE_SIZE = 25
CURSOR_SALT = "meesaq.cases.list.cursor"
SORTS = ("newest", "oldest", "priority")
# Digits as people type numbers: separators, a leading +, Urdu digits.
_NUMBER_LIKE = re.compile(r"^[\d\s\-+().\u06f0-\u06f9\u0660-\u0669]+$")
# The search kinds that look at identity-derived data (blind indexes); each search is audited.
IDENTITY_SEARCH_KINDS = frozenset({"cnic", "phone", "name"})
_PRIORITY_RANK = models.Case(
    models.When(priority=Priority.URGENT, then=models.Value(0)),
    models.When(priority=Priority.HIGH, then=models.Value(1)),
    default=models.Value(2),
    output_field=models.IntegerField(),
)


@dataclass(frozen=True)
class CaseFilters:
    """What the list is narrowed to; empty values mean "any"."""

    status: str = ""
    priority: str = ""
    category: str = ""
    group: str = ""
    place: AdminUnit | None = None
    channel: str = ""
    # "accepted" or "spam" (public complaints marked by staff).
    moderation: str = ""
    # "me", "none" (unassigned) or a user's id.
    assigned: str = ""
    overdue: bool = False
    received_from: date | None = None
    received_to: date | None = None
    sort: str = "newest"
    query: str = ""
    # The dashboards' drill-downs (see cases.timeliness): a service-level figure, a
    # satisfaction answer, referrals from one organisation to another ("12-34") sent in a period.
    timeliness: str = ""
    satisfaction: str = ""
    referral: str = ""
    referred_from: date | None = None
    referred_to: date | None = None


@dataclass(frozen=True)
class CasePage:
    """One page of the list, with opaque cursors to the pages before and after it."""

    cases: list[Case]
    previous_cursor: str | None = None
    next_cursor: str | None = None
    # What the search box was taken for: "", "reference", "cnic", "phone" or "name" (title
    # words or name tokens).
    search_kind: str = ""


# --- Search -----------------------------------------------------------------------------------


def search_kind(query: str) -> str:
    """Say what a search query is: a reference, a CNIC, a phone number, or words."""
    text = query.strip()
    if not text:
        return ""
    if REFERENCE.match(ascii_digits(text).upper()):
        return "reference"
    if _NUMBER_LIKE.match(text):
        for kind, normalise in (("cnic", normalise_cnic), ("phone", normalise_phone)):
            try:
                normalise(text)
            except MeesaqError:
                continue
            return kind
    return "name"


# A name held by more people than this is common: its cases are dense in the list, and it is
# found by walking the list in order. A rarer one is found from its holders' ids.
COMMON_NAME_HOLDERS = 2_000


def _people_with(kind: str, text: str) -> QuerySet[Any] | list[int]:
    """Return the people whose blind index matches (every name token for a name).

    A query for a CNIC or phone; for a name, the holders' ids when they are few (the planner
    then knows how few), else the query.
    """
    if kind == "cnic":
        return Person.objects.filter(cnic_index=index_for_cnic(text)).values("pk")
    if kind == "phone":
        return Person.objects.filter(phone_index=index_for_phone(text)).values("pk")
    tokens = sorted(set(name_index_tokens(text)))
    if not tokens:
        return []
    # One semi-join per token (not a GROUP BY over every holder of a common name).
    matching = PersonNameToken.objects.filter(token=tokens[0])
    for token in tokens[1:]:
        matching = matching.filter(
            person__in=PersonNameToken.objects.filter(token=token).values("person")
        )
    holders = list(matching.values_list("person", flat=True)[: COMMON_NAME_HOLDERS + 1])
    if len(holders) <= COMMON_NAME_HOLDERS:
        return holders
    return matching.values("person")


def _search(queryset: QuerySet[Case], query: str) -> tuple[list[QuerySet[Case]], str]:
    """Return the searched cases as alternatives (their union is the answer) and the kind.

    Words are looked for in titles and in people's names: two alternatives, each of which the
    database can answer from its own index in list order, where one query with OR between
    them would have to gather every case of a common name first.
    """
    kind = search_kind(query)
    text = query.strip()
    if kind == "":
        return [queryset], kind
    if kind == "reference":
        return [queryset.filter(reference=ascii_digits(text).upper())], kind
    with_person = Q(
        pk__in=CasePerson.objects.filter(person__in=_people_with(kind, text)).values("case")
    )
    if kind in {"cnic", "phone"}:
        return [queryset.filter(with_person)], kind
    # Title words: each word somewhere in the title.
    title = Q()
    for word in text.split():
        title &= Q(title__icontains=word)
    return [queryset.filter(title), queryset.filter(with_person)], kind


# --- Filters ----------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filter(queryset: QuerySet[Case], filters: CaseFilters, user: User) -> QuerySet[Case]:
    exact = {
        "status": filters.status,
        "priority": filters.priority,
        "category__code": filters.category,
        "channel": filters.channel,
        "moderation": filters.moderation,
    }
    queryset = queryset.filter(**{name: value for name, value in exact.items() if value})
    if filters.group:
        queryset = queryset.filter(groups__code=filters.group)
    if filters.place is not None:
        unit = filters.place
        if unit.level == Level.TEHSIL:
            queryset = queryset.filter(tehsil=unit)
        else:
            # Served by the case_place_received index (jurisdiction_path, -received_at).
            queryset = queryset.filter(
                Q(jurisdiction_path=unit.path) | Q(jurisdiction_path__startswith=unit.path + "/")
            )
    if filters.assigned == "me":
        queryset = queryset.filter(assigned_to__pk=user.pk)
    elif filters.assigned == "none":
        queryset = queryset.filter(assigned_to__isnull=True)
    elif filters.assigned.isdigit():
        queryset = queryset.filter(assigned_to__pk=int(filters.assigned))
    if filters.overdue:
        queryset = queryset.filter(overdue_q(now=timezone.now()))
    if filters.received_from is not None:
        queryset = queryset.filter(received_at__gte=_day_start(filters.received_from))
    if filters.received_to is not None:
        queryset = queryset.filter(
            received_at__lt=_day_start(filters.received_to + timedelta(days=1))
        )
    return _drilldown_filter(queryset, filters)


def _drilldown_filter(queryset: QuerySet[Case], filters: CaseFilters) -> QuerySet[Case]:
    if filters.timeliness:
        queryset = timeliness_filter(queryset, filters.timeliness, now=timezone.now())
    if filters.satisfaction:
        queryset = satisfaction_filter(queryset, filters.satisfaction)
    if filters.referral:
        queryset = referral_filter(
            queryset,
            filters.referral,
            sent_from=_day_start(filters.referred_from) if filters.referred_from else None,
            sent_before=(
                _day_start(filters.referred_to + timedelta(days=1)) if filters.referred_to else None
            ),
        )
    return queryset


# --- Keyset pagination ------------------------------------------------------------------------

# Each sort: the ordered columns and whether each runs from high to low.
_SORT_COLUMNS: dict[str, tuple[tuple[str, bool], ...]] = {
    "newest": (("received_at", True), ("id", True)),
    "oldest": (("received_at", False), ("id", False)),
    "priority": (("priority_rank", False), ("received_at", True), ("id", True)),
}


def _key_of(case: Case, sort: str) -> list[Any]:
    values: list[Any] = []
    for column, _descending in _SORT_COLUMNS[sort]:
        value = getattr(case, column)
        values.append(value.isoformat() if isinstance(value, datetime) else value)
    return values


def _cursor(direction: str, sort: str, key: list[Any]) -> str:
    return signing.dumps({"d": direction, "s": sort, "k": key}, salt=CURSOR_SALT)


def _read_cursor(cursor: str | None, sort: str) -> tuple[str, list[Any]] | None:
    """Return the direction and key of a cursor for this sort, or None (then: the first page)."""
    if not cursor:
        return None
    try:
        data = signing.loads(cursor, salt=CURSOR_SALT)
        if data["s"] != sort or data["d"] not in {"after", "before"}:
            return None
        columns = _SORT_COLUMNS[sort]
        key = list(data["k"])
        if len(key) != len(columns):
            return None
        parsed = [
            datetime.fromisoformat(value) if column == "received_at" else int(value)
            for (column, _descending), value in zip(columns, key, strict=True)
        ]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return str(data["d"]), parsed


def _beyond(columns: tuple[tuple[str, bool], ...], key: list[Any], *, forward: bool) -> Q:
    """Return rows strictly after (forward) or before the key in the sort's order."""
    condition = Q(pk__in=[])
    for index, (column, descending) in enumerate(columns):
        equal = Q(**{name: key[i] for i, (name, _d) in enumerate(columns[:index])})
        lookup = "lt" if descending == forward else "gt"
        condition |= equal & Q(**{f"{column}__{lookup}": key[index]})
    return condition


def _order(columns: tuple[tuple[str, bool], ...], *, forward: bool) -> list[str]:
    return [("-" if descending == forward else "") + name for name, descending in columns]


def _in_order(rows: list[Case], columns: tuple[tuple[str, bool], ...], *, forward: bool) -> None:
    # Stable sorts from the last column to the first: the order the database gives.
    for column, descending in reversed(columns):
        rows.sort(key=lambda case: getattr(case, column), reverse=descending == forward)


def _page(alternatives: list[QuerySet[Case]], sort: str, cursor: str | None, size: int) -> CasePage:
    """Return one keyset page of the union of the alternatives (usually just one)."""
    columns = _SORT_COLUMNS[sort]
    position = _read_cursor(cursor, sort)
    forward = position is None or position[0] == "after"
    found: dict[int, Case] = {}
    for alternative in alternatives:
        queryset = alternative
        if sort == "priority":
            queryset = queryset.annotate(priority_rank=_PRIORITY_RANK)
        if position is not None:
            queryset = queryset.filter(_beyond(columns, position[1], forward=forward))
        for case in queryset.order_by(*_order(columns, forward=forward))[: size + 1]:
            found.setdefault(case.pk, case)
    rows = list(found.values())
    if len(alternatives) > 1:
        _in_order(rows, columns, forward=forward)
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    if not rows:
        return CasePage(cases=[])
    # Coming forward from a cursor there are rows before; going back, rows after.
    has_before = (position is not None) if forward else more
    has_after = more if forward else True
    return CasePage(
        cases=rows,
        previous_cursor=_cursor("before", sort, _key_of(rows[0], sort)) if has_before else None,
        next_cursor=_cursor("after", sort, _key_of(rows[-1], sort)) if has_after else None,
    )


def _searched(*, user: User, filters: CaseFilters) -> tuple[list[QuerySet[Case]], str]:
    queryset = _filter(policy.scoped(user, Case), filters, user)
    alternatives, kind = _search(queryset, filters.query)
    # The list never shows identity: the encrypted columns are neither read nor decrypted.
    return [
        alternative.select_related("category", "district", "assigned_to").defer(
            "narrative", "place"
        )
        for alternative in alternatives
    ], kind


def case_queryset_for_user(*, user: User, filters: CaseFilters) -> tuple[QuerySet[Case], str]:
    """Return the list's cases (scoped, filtered, searched; unordered) and the search kind."""
    alternatives, kind = _searched(user=user, filters=filters)
    queryset = alternatives[0]
    for alternative in alternatives[1:]:
        queryset = queryset | alternative
    return queryset, kind


def case_list_for_user(
    *, user: User, filters: CaseFilters, cursor: str | None = None, page_size: int = PAGE_SIZE
) -> CasePage:
    """Return one page of the cases the user may see, filtered, searched and sorted."""
    alternatives, kind = _searched(user=user, filters=filters)
    sort = filters.sort if filters.sort in SORTS else "newest"
    page = _page(alternatives, sort, cursor, page_size)
    return CasePage(
        cases=page.cases,
        previous_cursor=page.previous_cursor,
        next_cursor=page.next_cursor,
        search_kind=kind,
    )


def case_officer_choices(*, user: User) -> list[tuple[str, str]]:
    """Return the officers a user may filter by: case roles in the user's organisations."""
    organisations = {grant.organisation_id for grant in policy.grants_for(user)}
    officers = (
        User.objects.filter(
            memberships__organisation_id__in=organisations,
            memberships__role__in=[Role.CASE_OFFICER, Role.SUPERVISOR],
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    return [(str(officer.pk), officer.display_name) for officer in officers]
