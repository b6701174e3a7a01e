"""The open-data table: cases by district and one dimension, de-identified and suppressed."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Sum
from django.utils.translation import gettext as _

from meesaq.accounts.models import User
from meesaq.cases.models import AffectedGroup, Category, Channel
from meesaq.geo.models import AdminUnit
from meesaq.reports.exports import OpenTable
from meesaq.reports.filters import ReportFilters
from meesaq.reports.selectors import cube_for
from meesaq.reports.suppression import suppress

OPEN_DATA_COLUMNS = ("category", "group", "channel")


def open_data_table(*, user: User, filters: ReportFilters, by: str) -> OpenTable:
    """Return cases received in the period by district and ``by``, with small cells hidden."""
    by = by if by in OPEN_DATA_COLUMNS else "category"
    rows = cube_for(user, filters)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    if by == "category":
        codes = dict(Category.objects.values_list("pk", "code"))
        for row in rows.values("district_id", "category_id").annotate(n=Sum("received")):
            counts[(row["district_id"], codes[row["category_id"]])] += row["n"] or 0
        columns = [(t.code, t.label) for t in Category.objects.order_by("order", "label_en")]
    elif by == "group":
        for row in rows.values("district_id", "group_key").annotate(n=Sum("received")):
            for code in filter(None, row["group_key"].split(",")):
                counts[(row["district_id"], code)] += row["n"] or 0
        columns = [(t.code, t.label) for t in AffectedGroup.objects.order_by("order", "label_en")]
    else:
        for row in rows.values("district_id", "channel").annotate(n=Sum("received")):
            counts[(row["district_id"], row["channel"])] += row["n"] or 0
        columns = [(code, str(label)) for code, label in Channel.choices]
    districts = sorted({district for district, _code in counts if counts[(district, _code)]})
    units = {u.pcode: u for u in AdminUnit.objects.filter(pcode__in=districts)}
    ordered = sorted(districts, key=lambda code: units[code].name_en)
    table = [[counts.get((district, code), 0) for code, _label in columns] for district in ordered]
    return OpenTable(
        row_heading=_("District"),
        rows=[(code, units[code].name) for code in ordered],
        columns=columns,
        table=suppress(table) if table else suppress([[0] * len(columns)]),
    )
