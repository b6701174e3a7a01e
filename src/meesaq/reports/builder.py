"""The report builder: rows by columns from the case dimensions, a measure, the usual filters.

Reads the de-identified facts through the access scope, so a built table never holds more than
the builder's own figures, and never an identity. Saved reports keep only the query string and
are checked again on every run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.accounts.models import User
from meesaq.audit.services import audit_record
from meesaq.cases.models import AffectedGroup, Category, Channel, Outcome, Priority, Status
from meesaq.core.errors import MeesaqError
from meesaq.geo.models import AdminUnit
from meesaq.orgs.models import Organisation
from meesaq.reports.filters import ReportFilters
from meesaq.reports.medians import medians_by
from meesaq.reports.models import CaseFact, SavedReport
from meesaq.reports.selectors import narrow

# Each dimension: its label and the fact column it groups by.
DIMENSIONS: dict[str, tuple[Promise, str]] = {
    "category": (_("Category"), "category_id"),
    "group": (_("Affected group"), "group_key"),
    "district": (_("District"), "district_id"),
    "month": (_("Month received"), "month"),
    "status": (_("Status"), "status"),
    "channel": (_("Channel"), "channel"),
    "priority": (_("Priority"), "priority"),
    "outcome": (_("Outcome"), "outcome_id"),
    "organisation": (_("Organisation"), "organisation_id"),
}
MEASURES: dict[str, Promise] = {
    "count": _("Number of cases"),
    "median_first_action": _("Median days to first action"),
    "median_resolution": _("Median days to resolution"),
    "first_action_rate": _("First action on time (%)"),
    "resolution_rate": _("Resolved on time (%)"),
}
MEDIAN_COLUMNS = {
    "median_first_action": "days_to_first_action",
    "median_resolution": "days_to_resolution",
}
RATE_COLUMNS = {
    "first_action_rate": "first_action_on_time",
    "resolution_rate": "resolution_on_time",
}
NONE_KEY = "—"


@dataclass
class BuiltTable:
    """A built table: labelled rows and columns, cells, and what it measures."""

    title: str
    row_heading: str
    measure_label: str
    columns: list[tuple[str, str]]
    rows: list[tuple[str, str]]
    cells: dict[tuple[str, str], float | None] = field(default_factory=dict)

    def value(self, row: str, column: str) -> float | None:
        """Return one cell's value (None when nothing was measured)."""
        return self.cells.get((row, column))

    def grid(self) -> list[tuple[str, list[float | None]]]:
        """Return each row's label and its values in column order."""
        return [
            (label, [self.cells.get((key, column)) for column, _label in self.columns])
            for key, label in self.rows
        ]


def _labeller(dimension: str) -> Callable[[list[Any]], dict[Any, str]]:  # noqa: PLR0911  # one per kind
    def taxonomy(model: Any) -> Callable[[list[Any]], dict[Any, str]]:
        return lambda keys: {t.pk: t.label for t in model.objects.filter(pk__in=keys)}

    choices: dict[str, Any] = {"status": Status, "channel": Channel, "priority": Priority}
    if dimension in choices:
        labels = dict(choices[dimension].choices)
        return lambda keys: {key: str(labels.get(key, key)) for key in keys}
    if dimension == "category":
        return taxonomy(Category)
    if dimension == "outcome":
        return taxonomy(Outcome)
    if dimension == "district":
        return lambda keys: {u.pk: u.name for u in AdminUnit.objects.filter(pk__in=keys)}
    if dimension == "organisation":
        return lambda keys: {o.pk: o.name for o in Organisation.objects.filter(pk__in=keys)}
    if dimension == "group":
        return lambda keys: {g.code: g.label for g in AffectedGroup.objects.filter(code__in=keys)}
    return lambda keys: {key: key.strftime("%Y-%m") for key in keys}


def _explode(key: Any, dimension: str) -> list[Any]:
    if dimension != "group":
        return [key]
    return [code for code in str(key).split(",") if code] or [NONE_KEY]


def _measure_rows(
    facts: QuerySet[CaseFact], fields: list[str], measure: str
) -> list[tuple[tuple[Any, ...], float | None, int]]:
    """Return (key, value, weight) per combination; weight lets group rows be merged."""
    if measure in MEDIAN_COLUMNS:
        found = medians_by(facts, group_by=fields, column=MEDIAN_COLUMNS[measure])
        return [(key, value, 1) for key, value in found.items()]
    if measure in RATE_COLUMNS:
        column = RATE_COLUMNS[measure]
        rows = facts.values(*fields).annotate(
            on=Count("pk", filter=Q(**{column: True})),
            measured=Count("pk", filter=Q(**{f"{column}__isnull": False})),
        )
        return [
            (tuple(r[f] for f in fields), float(r["on"]), r["measured"]) for r in rows.order_by()
        ]
    rows = facts.values(*fields).annotate(total=Count("pk")).order_by()
    return [(tuple(r[f] for f in fields), float(r["total"]), 1) for r in rows]


def _facts(user: User, filters: ReportFilters) -> QuerySet[CaseFact]:
    facts: QuerySet[CaseFact] = narrow(
        policy.scoped(user, CaseFact), filters, period=True, day_field="received_on"
    )
    return facts.annotate(month=TruncMonth("received_on"))


def _group_medians(
    facts: QuerySet[CaseFact], row_dim: str, column_dim: str, measure: str
) -> list[tuple[tuple[Any, ...], float | None, int]]:
    """Medians do not add up: compute them per affected group, one query per group."""
    results = []
    fields = [DIMENSIONS[d][1] for d in (row_dim, column_dim) if d and d != "group"]
    for group in AffectedGroup.objects.values_list("code", flat=True):
        subset = facts.filter(group_key__contains=f",{group},")
        for key, value, weight in _measure_rows(subset, fields, measure):
            full = []
            parts = iter(key)
            for dimension in (row_dim, column_dim):
                if dimension == "group":
                    full.append(f",{group},")
                elif dimension:
                    full.append(next(parts))
            results.append((tuple(full), value, weight))
    return results


def builder_table(  # noqa: PLR0912  # validation, merging and labelling in one place
    *, user: User, filters: ReportFilters, rows: str, columns: str, measure: str
) -> BuiltTable:
    """Compute a built table from the facts the user may count."""
    if rows not in DIMENSIONS or (columns and columns not in DIMENSIONS) or measure not in MEASURES:
        raise MeesaqError(_("Choose rows, columns and a measure from the lists."), code="invalid")
    if rows == columns:
        raise MeesaqError(_("Rows and columns must be different."), code="invalid")
    facts = _facts(user, filters)
    dims = [d for d in (rows, columns) if d]
    if measure in MEDIAN_COLUMNS and "group" in dims:
        found = _group_medians(facts, rows, columns, measure)
    else:
        found = _measure_rows(facts, [DIMENSIONS[d][1] for d in dims], measure)
    sums: dict[tuple[Any, Any], list[float]] = defaultdict(lambda: [0.0, 0.0])
    medians: dict[tuple[Any, Any], float | None] = {}
    for key, value, weight in found:
        row_keys = _explode(key[0], rows)
        column_keys = _explode(key[1], columns) if columns else [""]
        for row_key in row_keys:
            for column_key in column_keys:
                if measure in MEDIAN_COLUMNS:
                    medians[(row_key, column_key)] = value
                else:
                    cell = sums[(row_key, column_key)]
                    cell[0] += value or 0
                    cell[1] += weight
    cells: dict[tuple[Any, Any], float | None]
    if measure in MEDIAN_COLUMNS:
        cells = {k: round(v, 1) if v is not None else None for k, v in medians.items()}
    elif measure in RATE_COLUMNS:
        cells = {k: round(100 * v[0] / v[1], 1) if v[1] else None for k, v in sums.items()}
    else:
        cells = {k: v[0] for k, v in sums.items()}
    row_keys = sorted({k[0] for k in cells}, key=str)
    column_keys = sorted({k[1] for k in cells}, key=str)
    row_labels = _labeller(rows)([k for k in row_keys if k != NONE_KEY])
    column_labels = (
        _labeller(columns)([k for k in column_keys if k not in {"", NONE_KEY}]) if columns else {}
    )
    none = str(_("none"))
    table = BuiltTable(
        title=str(MEASURES[measure]),
        row_heading=str(DIMENSIONS[rows][0]),
        measure_label=str(MEASURES[measure]),
        columns=[
            (
                str(k),
                column_labels.get(k, none if k == NONE_KEY else str(k))
                if columns
                else str(MEASURES[measure]),
            )
            for k in column_keys
        ],
        rows=[(str(k), row_labels.get(k, none)) for k in row_keys],
        cells={(str(k[0]), str(k[1])): v for k, v in cells.items()},
    )
    if rows == "month":
        table.rows.sort(key=lambda item: item[0])
    else:
        table.rows.sort(key=lambda item: item[1])
    return table


# --- Saved reports (writes) -------------------------------------------------------------------

DEFINITION_KEYS = (
    "rows",
    "columns",
    "measure",
    "received_from",
    "received_to",
    "place",
    "category",
    "group",
    "channel",
)


def definition_from(query: QueryDict) -> dict[str, str]:
    """Return the builder's settings from a query string (only the known keys)."""
    return {key: query.get(key, "") for key in DEFINITION_KEYS if query.get(key, "")}


def definition_query(definition: dict[str, str]) -> str:
    """Return a saved definition as the builder's query string."""
    return urlencode({k: v for k, v in definition.items() if k in DEFINITION_KEYS})


def saved_report_create(
    *, actor: User, name: str, shared: bool, definition: dict[str, str]
) -> SavedReport:
    """Save a built report for the actor (shared with their organisation when asked)."""
    if not policy.may(actor, "reports.build"):
        raise MeesaqError(_("You cannot save reports."), code="forbidden")
    name = name.strip()
    if not name:
        raise MeesaqError(
            _("Give the report a name."), code="invalid", fields={"name": [_("Required.")]}
        )
    from meesaq.access.reports import BUILDER_ROLES

    grants = policy.grants_with(actor, BUILDER_ROLES)
    with transaction.atomic():
        report = SavedReport(
            name=name[:120],
            owner=actor,
            organisation_id=grants[0].organisation_id,
            shared=shared,
            definition={k: v for k, v in definition.items() if k in DEFINITION_KEYS},
        )
        try:
            report.full_clean()
        except ValidationError as error:
            raise MeesaqError.from_validation_error(error) from error
        report.save()
        audit_record(actor=actor, action="reports.saved", target=report, detail={"shared": shared})
    return report


def saved_report_delete(*, actor: User, report: SavedReport) -> None:
    """Delete a saved report (its owner only)."""
    if not policy.may(actor, "reports.edit_saved", report):
        raise MeesaqError(_("Only the owner can delete this report."), code="forbidden")
    with transaction.atomic():
        audit_record(actor=actor, action="reports.saved_deleted", target=report, detail={})
        report.delete()


def saved_reports_for(*, user: User) -> QuerySet[SavedReport]:
    """Return the saved reports the user may open: their own and their organisation's shared."""
    return policy.scoped(user, SavedReport).select_related("owner")
