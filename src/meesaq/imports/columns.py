"""The import file: its columns, the template, reading CSV and XLSX, and checking every row.

Checking writes nothing: it reads codes and places once, then looks at each row in memory, so a
file of 10,000 rows is checked in seconds. Problems are kept as codes with arguments and worded
in the reader's language when shown (``problem_text``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meesaq.accounts.models import User
from meesaq.cases.models import AgeBand, Channel, Faith, Gender
from meesaq.cases.selectors.intake import intake_categories, intake_groups
from meesaq.core.archives import check_archive
from meesaq.core.errors import MeesaqError
from meesaq.core.numerals import ascii_digits
from meesaq.crypto.blind_index import normalise_cnic, normalise_phone
from meesaq.geo.models import AdminUnit, Level
from meesaq.orgs.models import Organisation


@dataclass(frozen=True)
class Column:
    """One column of the file."""

    name: str
    required: bool
    help: str | Promise
    example: str


RISKS = (
    "risk_threat_to_life",
    "risk_ongoing_violence",
    "risk_child_involved",
    "risk_mob_threat",
    "risk_displacement",
)
COLUMNS = (
    Column(
        "external_reference", True, _("Your register's own number for the case."), "REG-2025-0001"
    ),
    Column(
        "received_at",
        True,
        _("When it came in: YYYY-MM-DD or YYYY-MM-DD HH:MM."),
        "2025-03-14 10:30",
    ),
    Column("channel", True, _("How it came in (a channel code)."), "walk_in"),
    Column("district", True, _("District P-code."), "PK617"),
    Column("tehsil", False, _("Tehsil P-code."), ""),
    Column("category", True, _("Category code."), "threats"),
    Column("groups", False, _("Affected group codes, separated by ;"), ""),
    Column("title", True, _("A short title without names."), "Threats at the church gate"),
    Column("narrative", False, _("What happened (encrypted)."), ""),
    Column("police_station", False, _("Police station."), ""),
    Column("place", False, _("Where exactly (encrypted)."), ""),
    Column("incident_on", False, _("Date of the incident: YYYY-MM-DD."), ""),
    Column("consent_contact", False, _("yes or no"), "no"),
    Column("consent_share", False, _("yes or no"), "no"),
    *(Column(name, False, _("yes or no"), "no") for name in RISKS),
    Column("complainant_name", False, _("The complainant's name (encrypted)."), ""),
    Column("complainant_cnic", False, _("CNIC, 13 digits."), ""),
    Column("complainant_phone", False, _("Phone number."), ""),
    Column("complainant_gender", False, _("Needed with a complainant: a gender code."), ""),
    Column("complainant_age_band", False, _("Needed with a complainant: an age band code."), ""),
    Column("complainant_faith", False, _("Needed with a complainant: a faith code."), ""),
)
NAMES = tuple(column.name for column in COLUMNS)
REQUIRED = frozenset(column.name for column in COLUMNS if column.required)
COMPLAINANT = tuple(name for name in NAMES if name.startswith("complainant_"))
LIMITS = {
    "external_reference": 100,
    "title": 200,
    "narrative": 10000,
    "police_station": 150,
    "place": 300,
    "complainant_name": 200,
}
YES = {"yes", "y", "true", "1", "ہاں"}
NO = {"no", "n", "false", "0", "", "نہیں"}
VALUE_SHOWN = 60

PROBLEMS: dict[str, Promise] = {
    "required": _("This column must be filled."),
    "too_long": _("Longer than %(limit)s characters."),
    "bad_datetime": _("Not a date and time (YYYY-MM-DD HH:MM)."),
    "bad_date": _("Not a date (YYYY-MM-DD)."),
    "future": _("In the future."),
    "unknown_code": _("Unknown code."),
    "not_a_district": _("Not a district P-code."),
    "outside_reach": _("Outside your organisation's jurisdiction."),
    "tehsil_elsewhere": _("This tehsil is not in the row's district."),
    "bad_yes_no": _("Write yes or no."),
    "bad_cnic": _("Not a CNIC of 13 digits."),
    "bad_phone": _("Not a Pakistani phone number."),
    "complainant_incomplete": _("A complainant needs a gender, an age band and a faith."),
    "repeated_reference": _("The same reference is on row %(row)s."),
    "missing_columns": _("Columns missing from the file: %(names)s."),
    "refused": _("Refused when importing: %(message)s"),
    "unreadable": _("The file could not be read as CSV or XLSX."),
    "too_many_rows": _("More than %(limit)s rows; split the file."),
    "empty": _("The file has no rows."),
}


@dataclass(frozen=True)
class Problem:
    """One problem of one cell: the row as numbered in the spreadsheet (header = 1)."""

    row: int
    column: str
    value: str
    code: str
    args: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Return the problem as stored."""
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "code": self.code,
            "args": self.args,
        }


def problem_text(code: str, args: dict[str, str]) -> str:
    """Word a stored problem in the active language."""
    return (
        str(PROBLEMS.get(code, PROBLEMS["refused"])) % args
        if args
        else str(PROBLEMS.get(code, code))
    )


# --- Template -------------------------------------------------------------------------------


def template_csv() -> bytes:
    """Return the CSV template: the header and one example row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(NAMES)
    writer.writerow([column.example for column in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode()


def template_xlsx() -> bytes:
    """Return the XLSX template: the header, an example row and a sheet explaining each column."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if sheet is None:  # a new workbook always has one sheet
        sheet = book.create_sheet()
    sheet.title = "cases"
    sheet.append(list(NAMES))
    sheet.append([column.example for column in COLUMNS])
    notes = book.create_sheet("columns")
    notes.append(["column", "required", "meaning"])
    for column in COLUMNS:
        notes.append([column.name, "yes" if column.required else "", str(column.help)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- Reading --------------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_csv(data: bytes) -> Iterator[list[str]]:
    text = data.decode("utf-8-sig")
    yield from csv.reader(io.StringIO(text))


def _rows_xlsx(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    for values in sheet.iter_rows(values_only=True):
        yield [_cell(value) for value in values]
    book.close()


def _first_rows(rows: Iterator[list[str]], limit: int) -> list[list[str]]:
    """Keep the header and at most ``limit`` rows; a filled row beyond them means too many.

    Blank rows past the limit are dropped as they are read (trailing blank rows never count),
    so a sheet of millions of empty rows costs nothing to keep.
    """
    kept: list[list[str]] = []
    for cells in rows:
        if len(kept) <= limit:
            kept.append(cells)
        elif any(cell.strip() for cell in cells):
            raise MeesaqError(PROBLEMS["too_many_rows"] % {"limit": limit}, code="too_many_rows")
    return kept


def read_rows(data: bytes, *, file_name: str) -> tuple[list[str], list[list[str]]]:
    """Return the header and the data rows of a CSV or XLSX file."""
    is_xlsx = data[:4] == b"PK\x03\x04"
    if is_xlsx:
        check_archive(data)
    limit = settings.MEESAQ_IMPORT_MAX_ROWS
    try:
        rows = _first_rows(_rows_xlsx(data) if is_xlsx else _rows_csv(data), limit)
    except MeesaqError:
        raise
    except Exception as error:  # openpyxl and csv raise many kinds for a damaged file
        raise MeesaqError(PROBLEMS["unreadable"], code="unreadable") from error
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows or len(rows) < 2:  # noqa: PLR2004  # a header and at least one row
        raise MeesaqError(PROBLEMS["empty"], code="empty")
    header = [cell.strip().lower() for cell in rows[0]]
    return header, rows[1:]


# --- Checking -------------------------------------------------------------------------------


@dataclass
class Context:
    """What checking needs, read once for the whole file."""

    categories: set[str]
    groups: set[str]
    units: dict[str, AdminUnit]
    reach: list[str]
    now: datetime


def context_for(*, user: User, organisation: Organisation) -> Context:
    """Read the codes, the places and the organisation's reach once."""
    from meesaq.access import policy
    from meesaq.access.roles import CASE_ROLES

    units = {
        unit.pcode: unit
        for unit in AdminUnit.objects.filter(level__in=[Level.DISTRICT, Level.TEHSIL]).only(
            "pcode", "level", "parent_id", "path"
        )
    }
    reach = [
        grant.jurisdiction_path
        for grant in policy.grants_with(user, CASE_ROLES)
        if grant.organisation_id == organisation.pk
    ]
    return Context(
        categories=set(intake_categories().values_list("code", flat=True)),
        groups=set(intake_groups().values_list("code", flat=True)),
        units=units,
        reach=reach,
        now=timezone.now(),
    )


def parse_datetime(text: str) -> datetime | None:
    """Return an aware datetime from YYYY-MM-DD[ HH:MM] (in any numeral system), or None."""
    text = ascii_digits(text)
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(text, pattern)  # noqa: DTZ007  # made aware below
        except ValueError:
            continue
        return timezone.make_aware(parsed)
    return None


def parse_date(text: str) -> date | None:
    """Return a date from YYYY-MM-DD (in any numeral system), or None."""
    try:
        return date.fromisoformat(ascii_digits(text))
    except ValueError:
        return None


def yes_no(text: str) -> bool | None:
    """Return True, False, or None when the cell is neither."""
    lowered = text.strip().lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    return None


def _within(path: str, ancestor: str) -> bool:
    return path == ancestor or path.startswith(ancestor + "/")


def check_row(values: dict[str, str], *, row: int, context: Context) -> list[Problem]:  # noqa: PLR0912  # one check per column
    """Return every problem of one row (none when it can be imported)."""
    problems: list[Problem] = []

    def add(column: str, code: str, **args: str) -> None:
        problems.append(Problem(row, column, values.get(column, "")[:VALUE_SHOWN], code, args))

    for name in REQUIRED:
        if not values.get(name):
            add(name, "required")
    for name, limit in LIMITS.items():
        if len(values.get(name, "")) > limit:
            add(name, "too_long", limit=str(limit))
    received = values.get("received_at", "")
    if received:
        moment = parse_datetime(received)
        if moment is None:
            add("received_at", "bad_datetime")
        elif moment > context.now:
            add("received_at", "future")
    incident = values.get("incident_on", "")
    if incident:
        day = parse_date(incident)
        if day is None:
            add("incident_on", "bad_date")
        elif day > timezone.localdate(context.now):
            add("incident_on", "future")
    if values.get("channel") and values["channel"] not in Channel.values:
        add("channel", "unknown_code")
    if values.get("category") and values["category"] not in context.categories:
        add("category", "unknown_code")
    for code in filter(None, (part.strip() for part in values.get("groups", "").split(";"))):
        if code not in context.groups:
            add("groups", "unknown_code")
            break
    district = context.units.get(values.get("district", "").upper())
    if values.get("district"):
        if district is None or district.level != Level.DISTRICT:
            add("district", "not_a_district")
        elif not any(_within(district.path, p) or _within(p, district.path) for p in context.reach):
            add("district", "outside_reach")
    if values.get("tehsil"):
        tehsil = context.units.get(values["tehsil"].upper())
        if tehsil is None or tehsil.level != Level.TEHSIL:
            add("tehsil", "unknown_code")
        elif district is not None and tehsil.parent_id != district.pcode:
            add("tehsil", "tehsil_elsewhere")
    for name in ("consent_contact", "consent_share", *RISKS):
        if yes_no(values.get(name, "")) is None:
            add(name, "bad_yes_no")
    _check_complainant(values, add)
    return problems


def _check_complainant(values: dict[str, str], add: Any) -> None:
    if not any(values.get(name) for name in COMPLAINANT):
        return
    if values.get("complainant_cnic"):
        try:
            normalise_cnic(values["complainant_cnic"])
        except MeesaqError:
            add("complainant_cnic", "bad_cnic")
    if values.get("complainant_phone"):
        try:
            normalise_phone(values["complainant_phone"])
        except MeesaqError:
            add("complainant_phone", "bad_phone")
    for name, choices in (
        ("complainant_gender", Gender.values),
        ("complainant_age_band", AgeBand.values),
        ("complainant_faith", Faith.values),
    ):
        if values.get(name, "") not in choices:
            add(name, "complainant_incomplete")


def rows_as_dicts(header: list[str], rows: list[list[str]]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (spreadsheet row number, values by column) for each non-empty row."""
    for index, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)
        }
        yield index, values


def check_file(
    header: list[str], rows: list[list[str]], *, context: Context
) -> tuple[list[Problem], int]:
    """Return every problem of the file and its number of rows."""
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        names = ", ".join(sorted(missing))
        return [Problem(1, names, "", "missing_columns", {"names": names})], 0
    problems: list[Problem] = []
    first_row: dict[str, int] = {}
    count = 0
    for row, values in rows_as_dicts(header, rows):
        count += 1
        problems.extend(check_row(values, row=row, context=context))
        reference = values.get("external_reference", "")
        if reference:
            if reference in first_row:
                problems.append(
                    Problem(
                        row,
                        "external_reference",
                        reference[:VALUE_SHOWN],
                        "repeated_reference",
                        {"row": str(first_row[reference])},
                    )
                )
            else:
                first_row[reference] = row
    return problems, count
