"""The monthly report of a district or province: PDF and XLSX, in English or Urdu, stored.

Generated on demand by staff whose figures cover the place, and each month by the task queue
for every province and district with cases. The figures are every case within the place (the
report is the place's, whoever asks for it); downloads are scoped by jurisdiction and audited.
The PDF reuses the case summary's fonts and HarfBuzz shaping (``meesaq.cases.pdf``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meesaq.accounts.models import User
from meesaq.audit.services import audit_record
from meesaq.cases.pdf import PdfDocument, PdfFonts, _SummaryPdf, fonts_find
from meesaq.core.errors import MeesaqError
from meesaq.geo.models import AdminUnit, Level
from meesaq.reports import charts
from meesaq.reports.exports import xlsx_file
from meesaq.reports.filters import ReportFilters, place_paths
from meesaq.reports.indicators import INDICATORS
from meesaq.reports.models import CaseFact, PeriodicReport
from meesaq.reports.selectors import Bar, Dashboard, Sources, dashboard_from
from meesaq.reports.summary import summary_refreshed_at
from meesaq.reports.views.common import district_map

LANGUAGES = ("en", "ur")


@dataclass(frozen=True)
class MonthlyFigures:
    """What the monthly report shows, computed for one place and month."""

    place: AdminUnit
    month: date
    board: Dashboard
    trend: list[Bar]
    indicators: list[tuple[str, str, str]]


def month_end(month: date) -> date:
    """Return the last day of the month."""
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _indicator_text(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    return f"{value}%" if unit == "%" else _("%(days)s days") % {"days": value}


def monthly_figures(*, place: AdminUnit, month: date) -> MonthlyFigures:
    """Compute the month's figures for every case within the place."""
    sources = Sources.for_place(place)
    filters = ReportFilters(date_from=month, date_to=month_end(month), place=place)
    board = dashboard_from(sources=sources, filters=filters)
    province = AdminUnit.objects.get(pcode=place.path.split("/")[0])
    board.map_province = province
    year_start = month
    for _step in range(11):
        year_start = (year_start - timedelta(days=1)).replace(day=1)
    trend_board = dashboard_from(
        sources=sources, filters=filters.with_(date_from=year_start, date_to=month_end(month))
    )
    indicators = []
    for item in INDICATORS:
        value = item.compute(sources, filters)
        indicators.append(
            (str(item.name), str(item.definition), _indicator_text(value.value, value.unit))
        )
    return MonthlyFigures(
        place=place, month=month, board=board, trend=trend_board.over_time, indicators=indicators
    )


def _table_rows(bars: list[Bar]) -> list[tuple[str, str]]:
    return [(bar.label, str(bar.value)) for bar in bars] or [(_("No cases"), "0")]


def _sections(figures: MonthlyFigures) -> list[tuple[str, list[tuple[str, str]]]]:
    board = figures.board
    return [
        (
            _("Cases this month"),
            [
                (_("Received"), str(board.received)),
                (_("Resolved or closed"), str(board.resolved)),
                (_("Open at the end of the month"), str(board.open_now)),
            ],
        ),
        (_("Indicators"), [(name, value) for name, _definition, value in figures.indicators]),
        (_("Cases by category"), _table_rows(board.by_category)),
        (_("Cases by affected group"), _table_rows(board.by_group)),
        (_("Cases by channel"), _table_rows(board.by_channel)),
        (_("Cases by district"), _table_rows(board.by_district)),
        (_("Open cases by age"), _table_rows(board.age_bands)),
        (
            _("Referrals between organisations"),
            [(bar.label, str(bar.value)) for bar in board.referral_flows]
            or [(_("No referrals"), "0")],
        ),
        (_("Complainant satisfaction"), _table_rows(board.satisfaction)),
    ]


def _title(figures: MonthlyFigures) -> str:
    return _("Monthly report: %(place)s, %(month)s") % {
        "place": figures.place.name,
        "month": date_format(figures.month, "YEAR_MONTH_FORMAT"),
    }


def report_pdf(figures: MonthlyFigures, *, language: str, fonts: PdfFonts | None = None) -> bytes:
    """Render the monthly report as PDF in the active language."""
    fonts = fonts or fonts_find()
    rtl = language == "ur" and fonts.arabic is not None
    refreshed = summary_refreshed_at()
    document = PdfDocument(
        title=_title(figures),
        subtitle=_("Figures as of %(when)s (Pakistan time).")
        % {"when": timezone.localtime(refreshed).strftime("%Y-%m-%d %H:%M") if refreshed else "-"},
        footer=_("De-identified figures. Meesaq monthly report."),
        sections=[],
        rtl=rtl,
    )
    render = _SummaryPdf(document, fonts)
    pdf = render.pdf
    pdf.add_page()
    render.paragraph(document.title, size=17, bold=True)
    render.paragraph(document.subtitle, size=9)
    sections = _sections(figures)
    for heading, rows in sections[:2]:
        pdf.ln(2)
        render.paragraph(heading, size=13, bold=True)
        for label, value in rows:
            render.row(label, value)
    trend = charts.time_spec(
        figures.trend,
        title=_("Cases received and resolved, last twelve months"),
        first=_("Received"),
        second=_("Resolved"),
        value_title=_("Cases"),
        rtl=rtl,
        width=520,
    )
    pdf.ln(2)
    render.paragraph(_("Cases received and resolved, last twelve months"), size=13, bold=True)
    pdf.image(io.BytesIO(charts.render_png(trend)), w=pdf.epw)
    found = district_map(figures.board, figures.board.filters, link_name="reports:dashboard")
    if found is not None and found.svg:
        pdf.add_page()
        render.paragraph(_("Cases by district"), size=13, bold=True)
        pdf.image(io.BytesIO(charts.svg_to_png(found.svg)), w=pdf.epw * 0.8)
        render.paragraph(
            "  ".join(f"{entry.label}" for entry in found.legend[1:]) or _("No cases"), size=8
        )
    if figures.board.by_category:
        spec = charts.bar_spec(
            figures.board.by_category,
            title=_("Cases by category"),
            value_title=_("Cases"),
            rtl=rtl,
            width=420,
        )
        render.paragraph(_("Cases by category"), size=13, bold=True)
        pdf.image(io.BytesIO(charts.render_png(spec)), w=pdf.epw * 0.9)
    for heading, rows in sections[2:]:
        pdf.ln(2)
        render.paragraph(heading, size=13, bold=True)
        for label, value in rows:
            render.row(label, value)
    return bytes(pdf.output())


def report_xlsx(figures: MonthlyFigures, *, rtl: bool) -> bytes:
    """Write the monthly report's tables as an XLSX workbook, one sheet per table."""
    sheets: list[tuple[str, Iterable[Sequence[object]]]] = [
        (
            _("Indicators"),
            [[_("Indicator"), _("Definition"), _("Value")]]
            + [[name, definition, value] for name, definition, value in figures.indicators],
        )
    ]
    for heading, rows in _sections(figures):
        if heading == _("Indicators"):
            continue
        sheets.append(
            (heading, [[heading, _("Cases")], *([label, value] for label, value in rows)])
        )
    sheets.append(
        (
            _("Over time"),
            [[_("Month"), _("Received"), _("Resolved")]]
            + [[bar.label, bar.value, bar.second] for bar in figures.trend],
        )
    )
    output = xlsx_file(sheets, rtl=rtl)
    with output:
        return output.read()


def report_places(user: User) -> list[AdminUnit]:
    """Return the provinces and districts the user may have a monthly report of."""
    from django.db.models import Q

    condition = Q(pk__in=[])
    for path in place_paths(user):
        condition |= Q(path=path) | Q(path__startswith=path + "/")
    from meesaq.access.reports import figure_places

    wide = figure_places(user)
    units = AdminUnit.objects.filter(condition, level__in=[Level.PROVINCE, Level.DISTRICT])
    return [
        unit
        for unit in units.order_by("path")
        if any(unit.path == p or unit.path.startswith(p + "/") for p in wide)
    ]


def periodic_report_generate(
    *, place: AdminUnit, month: date, language: str, actor: User | None = None
) -> PeriodicReport:
    """Generate (again) and store the monthly report of a place in a language."""
    if language not in LANGUAGES:
        raise MeesaqError(_("Choose English or Urdu."), code="invalid")
    if place.level not in {Level.PROVINCE, Level.DISTRICT}:
        raise MeesaqError(_("Monthly reports are for a province or a district."), code="invalid")
    if actor is not None and place not in report_places(actor):
        raise MeesaqError(_("You cannot make a report for this place."), code="forbidden")
    month = month.replace(day=1)
    if month > timezone.localdate():
        raise MeesaqError(_("That month has not started yet."), code="invalid")
    with translation.override(language):
        figures = monthly_figures(place=place, month=month)
        pdf = report_pdf(figures, language=language)
        xlsx = report_xlsx(figures, rtl=language == "ur")
    with transaction.atomic():
        report, _created = PeriodicReport.objects.update_or_create(
            month=month,
            place=place,
            language=language,
            defaults={
                "jurisdiction_path": place.path,
                "pdf": pdf,
                "xlsx": xlsx,
                "generated_at": timezone.now(),
                "generated_by": actor,
            },
        )
        audit_record(
            actor=actor,
            action="reports.periodic_generated",
            target=report,
            detail={"month": month.isoformat(), "place": place.pcode, "language": language},
        )
    return report


def previous_month(today: date | None = None) -> date:
    """Return the first day of last month."""
    today = today or timezone.localdate()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def monthly_reports_generate(*, month: date | None = None) -> int:
    """Generate last month's reports for every province and district with cases; return how many."""
    month = month or previous_month()
    end = month_end(month)
    paths = set(
        CaseFact.objects.filter(received_on__lte=end).values_list("jurisdiction_path", flat=True)
    )
    codes: set[str] = set()
    for path in paths:
        parts = path.split("/")
        codes.add(parts[0])
        codes.add(parts[-1])
    made = 0
    for unit in AdminUnit.objects.filter(
        pcode__in=codes, level__in=[Level.PROVINCE, Level.DISTRICT]
    ):
        for language in LANGUAGES:
            if not PeriodicReport.objects.filter(
                month=month, place=unit, language=language
            ).exists():
                periodic_report_generate(place=unit, month=month, language=language)
                made += 1
    return made
