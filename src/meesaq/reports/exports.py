"""Exports: the case list as CSV or XLSX (streamed), built tables, and the open-data table.

Case-list exports carry only the columns the list shows (no identity). Identity columns
(the complainant's name and phone, the free-text place) are added only when asked for, only
for cases whose identity the user needs to know, and each such case is audited as
``identity.viewed`` on the "export" channel. Rows are read with ``iterator()`` and written as
they come: CSV goes out line by line, XLSX through openpyxl's write-only mode (rows spill to a
temporary file, never the whole list in memory).
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from meesaq.access import policy
from meesaq.access.cases import case_need_to_know
from meesaq.access.services import identity_viewed
from meesaq.accounts.models import User
from meesaq.cases.models import (
    Case,
    CasePerson,
    Category,
    Channel,
    PersonRole,
    Priority,
    Status,
)
from meesaq.geo.models import AdminUnit
from meesaq.reports.builder import BuiltTable
from meesaq.reports.suppression import SuppressedTable

BATCH = 500
# Characters that make a spreadsheet read a cell as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: object) -> str:
    """Return a value as spreadsheet-safe text (no formula can start it)."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write returns the line (for a streamed CSV)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """Yield CSV lines one by one (with a byte-order mark first, for spreadsheet programs)."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([cell_text(value) for value in row])


def xlsx_file(sheets: Sequence[tuple[str, Iterable[Sequence[object]]]], *, rtl: bool) -> IO[bytes]:
    """Write rows to an XLSX workbook in write-only mode; return the file, rewound."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.sheet_view.rightToLeft = rtl
        for row in rows:
            sheet.append(
                [value if isinstance(value, int | float) else cell_text(value) for value in row]
            )
    output = tempfile.TemporaryFile()  # noqa: SIM115  # handed to FileResponse, which closes it
    workbook.save(output)
    output.seek(0)
    return output


# --- The case list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseExport:
    """What a case-list export holds and whether it carries identity."""

    header: list[str]
    rows: Iterator[list[object]]
    identity: bool


def may_export_identity(user: User) -> bool:
    """Say whether the user may ask for identity columns at all (a case role)."""
    from meesaq.access.roles import CASE_ROLES

    return bool(policy.grants_with(user, CASE_ROLES))


# What each exported row reads (the case list's columns), then the identity columns.
_ROW_COLUMNS = (
    "pk",
    "reference",
    "received_at",
    "title",
    "category_id",
    "district_id",
    "tehsil_id",
    "channel",
    "status",
    "priority",
    "assigned_to_id",
    "first_action_at",
    "resolved_at",
    "closed_at",
)
_IDENTITY_COLUMNS = ("organisation_id", "jurisdiction_path", "place")


class _ExportNames:
    """The labels an export writes, in the active language, each looked up once."""

    def __init__(self) -> None:
        self.statuses = {value: str(label) for value, label in Status.choices}
        self.channels = {value: str(label) for value, label in Channel.choices}
        self.priorities = {value: str(label) for value, label in Priority.choices}
        self.categories = {term.pk: term.label for term in Category.objects.all()}
        self.units = {unit.pk: unit.name for unit in AdminUnit.objects.all()}
        self.officers: dict[int, str] = {}

    def officers_add(self, ids: set[int]) -> None:
        missing = ids - self.officers.keys()
        if missing:
            for officer in User.objects.filter(pk__in=missing):
                self.officers[officer.pk] = officer.display_name


def _complainants(case_ids: list[int]) -> dict[int, Any]:
    links = (
        CasePerson.objects.filter(case__in=case_ids, role=PersonRole.COMPLAINANT)
        .select_related("person")
        .order_by("added_at", "id")
    )
    found: dict[int, Any] = {}
    for link in links:
        found.setdefault(link.case_id, link.person)
    return found


def case_export(
    *,
    user: User,
    cases: QuerySet[Case],
    identity: bool,
    request: HttpRequest | None = None,
) -> CaseExport:
    """Return the header and a lazy row iterator for a case-list export."""
    identity = identity and may_export_identity(user)
    header = [
        _("Reference"),
        _("Received"),
        _("Title"),
        _("Category"),
        _("District"),
        _("Tehsil"),
        _("Channel"),
        _("Status"),
        _("Priority"),
        _("Case officer"),
        _("First action"),
        _("Resolved"),
        _("Closed"),
    ]
    if identity:
        header += [_("Complainant"), _("Complainant's phone"), _("Place (free text)")]

    def when(value: Any) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    names = _ExportNames()
    columns = [*_ROW_COLUMNS, *(_IDENTITY_COLUMNS if identity else ())]

    def rows() -> Iterator[list[object]]:
        # Plain values, not model instances, and every label looked up once per export:
        # a million rows are read at the speed of the database, not of the ORM.
        batch: list[tuple[Any, ...]] = []
        values = cases.order_by("-received_at", "-id").values_list(*columns)
        for row in values.iterator(chunk_size=4 * BATCH):
            batch.append(row)
            if len(batch) >= BATCH:
                yield from _rows(batch)
                batch = []
        if batch:
            yield from _rows(batch)

    def _rows(batch: list[tuple[Any, ...]]) -> Iterator[list[object]]:
        names.officers_add({row[10] for row in batch if row[10] is not None})
        people = _complainants([row[0] for row in batch]) if identity else {}
        for row in batch:
            (pk, reference, received, title, category, district, tehsil, channel, status) = row[:9]
            priority, officer, first_action, resolved, closed = row[9:14]
            line: list[object] = [
                reference,
                when(received),
                title,
                names.categories.get(category, ""),
                names.units.get(district, ""),
                names.units.get(tehsil, "") if tehsil else "",
                names.channels.get(channel, channel),
                names.statuses.get(status, status),
                names.priorities.get(priority, priority),
                names.officers.get(officer, "") if officer is not None else "",
                when(first_action),
                when(resolved),
                when(closed),
            ]
            if identity:
                organisation, path, place = row[14:17]
                case = Case(
                    pk=pk,
                    organisation_id=organisation,
                    jurisdiction_path=path,
                    assigned_to_id=officer,
                )
                if case_need_to_know(user, case):
                    person = people.get(pk)
                    line += [
                        person.full_name if person else "",
                        person.phone if person else "",
                        place,
                    ]
                    identity_viewed(user=user, obj=case, request=request, channel="export")
                    if person is not None:
                        identity_viewed(user=user, obj=person, request=request, channel="export")
                else:
                    hidden = _("Hidden")
                    line += [hidden, hidden, hidden]
            yield line

    return CaseExport(header=[str(h) for h in header], rows=rows(), identity=identity)


# --- Built tables and open data -----------------------------------------------------------------


def built_rows(table: BuiltTable) -> Iterator[list[object]]:
    """Yield a built table's header and rows."""
    yield [table.row_heading, *(label for _key, label in table.columns)]
    for label, values in table.grid():
        yield [label, *("" if value is None else value for value in values)]


_HXL_ATTRIBUTE = re.compile(r"[^a-z0-9]+")


def hxl_attribute(code: str) -> str:
    """Return a code as an HXL attribute (lower-case letters and digits)."""
    return _HXL_ATTRIBUTE.sub("", code.lower()) or "other"


@dataclass(frozen=True)
class OpenTable:
    """An open-data table: districts by a dimension, counts suppressed, with HXL hashtags."""

    row_heading: str
    rows: list[tuple[str, str]]
    columns: list[tuple[str, str]]
    table: SuppressedTable

    def lines(self) -> Iterator[list[str]]:
        """Yield the header row, the HXL hashtag row, the data rows and the totals row."""
        total = _("Total")
        yield [self.row_heading, _("P-code"), *(label for _code, label in self.columns), total]
        yield [
            "#adm2+name",
            "#adm2+code",
            *(f"#affected+cases+{hxl_attribute(code)}" for code, _label in self.columns),
            "#affected+cases+total",
        ]
        width = len(self.columns) + 1
        for index, (code, label) in enumerate(self.rows):
            yield [label, code, *(self.table.shown(index, c) for c in range(width))]
        last = len(self.rows)
        yield [total, "", *(self.table.shown(last, c) for c in range(width))]


def png_of(svg_or_spec: Any) -> bytes:
    """Return PNG bytes of a chart specification."""
    from meesaq.reports.charts import render_png

    return render_png(svg_or_spec)


def as_bytes(lines: Iterable[str]) -> bytes:
    """Return streamed lines joined (for small tables and tests)."""
    buffer = io.StringIO()
    for line in lines:
        buffer.write(line)
    return buffer.getvalue().encode("utf-8")
