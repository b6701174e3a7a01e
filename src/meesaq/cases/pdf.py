"""The case summary PDF: fonts found on the server, a document of what the viewer may see, fpdf2.

fpdf2 writes the PDF in pure Python; with text shaping on it hands each run to HarfBuzz
(uharfbuzz), which joins Urdu letters and lays them out right to left. Urdu needs an
Arabic-script font, which the operating system provides (Debian's fonts-noto-core installs Noto
Naskh Arabic and Noto Nastaliq Urdu); when none is installed, the Urdu PDF says so plainly, in
English and in Roman Urdu, and gives the summary in English instead of printing empty boxes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meesaq.access import policy
from meesaq.access.services import identity_viewed
from meesaq.audit.services import audit_record
from meesaq.cases.selectors import page as selectors
from meesaq.cases.selectors.people import people_on_case

if TYPE_CHECKING:
    from fpdf import FPDF

    from meesaq.accounts.models import User
    from meesaq.cases.models import Case

# Preferred first: Naskh reads well in print and shapes reliably; Nastaliq is the Urdu style
# but its tall stacked glyphs need much more line height.
ARABIC_FONT_FILES = (
    "NotoNaskhArabic-Regular.ttf",
    "NotoNaskhArabicUI-Regular.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoNastaliqUrdu-Regular.ttf",
)
LATIN_FONT_FILES = ("DejaVuSans.ttf", "NotoSans-Regular.ttf", "LiberationSans-Regular.ttf")
SYSTEM_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
KNOWN_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/liberation"),
)
FONT_SUFFIXES = (".ttf", ".otf")
ARABIC_NAME = re.compile(r"naskh|nastaliq|urdu|arabic", re.IGNORECASE)
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+")
FC_TIMEOUT_SECONDS = 5

# Printed when the Urdu PDF is asked for and no Arabic-script font is installed. Deliberately not
# translated: the reader of this message has an Urdu interface but a server that cannot print it.
NO_URDU_FONT_NOTICE = (
    "Urdu font not installed on this server: ask the administrator to install the "
    "fonts-noto-core package. The summary below is in English.",
    "Urdu font is server par install nahin hai: administrator se fonts-noto-core package "
    "install karne ko kahein. Neeche khulasa angrezi mein hai.",
)


@dataclass(frozen=True)
class PdfFonts:
    """The font files the PDF can use; None where the server has none of that kind."""

    arabic: Path | None
    latin: Path | None

    def bold_of(self, path: Path | None) -> Path | None:
        """Return the bold face beside a regular font file, if installed."""
        if path is None:
            return None
        for name in (path.name.replace("-Regular", "-Bold"), path.stem + "-Bold" + path.suffix):
            candidate = path.with_name(name)
            if candidate != path and candidate.is_file():
                return candidate
        return None


def _scan(directories: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for directory in directories:
        if directory.is_dir():
            found.extend(
                path
                for path in sorted(directory.rglob("*"))
                if path.suffix.lower() in FONT_SUFFIXES and path.is_file()
            )
    return found


def _pick(files: Sequence[Path], names: Sequence[str]) -> Path | None:
    by_name = {path.name: path for path in files}
    return next((by_name[name] for name in names if name in by_name), None)


def _fontconfig_urdu_fonts() -> list[Path]:
    """Ask fontconfig for regular fonts that cover Urdu; empty when fontconfig is missing."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        # A fixed argument list and no shell: nothing from a request reaches this command.
        completed = subprocess.run(  # noqa: S603
            [fc_list, ":lang=ur:style=Regular", "file"],
            capture_output=True,
            text=True,
            timeout=FC_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    paths = [Path(line.strip().rstrip(":")) for line in completed.stdout.splitlines()]
    # Naskh and Nastaliq first, then whatever else covers Urdu (a Kufi face is the last resort).
    return sorted(
        (p for p in paths if p.suffix.lower() in FONT_SUFFIXES and p.is_file()),
        key=lambda p: (not re.search("naskh|nastaliq", p.name, re.IGNORECASE), p.name),
    )


def fonts_find(search_dirs: Sequence[Path] | None = None) -> PdfFonts:
    """Find an Arabic-script font and a Latin font for the PDF.

    Without ``search_dirs``: the usual Debian paths, then fontconfig, then a scan of the system
    font folders (the answer is cached). With ``search_dirs``: only a scan of those folders.
    """
    if search_dirs is None:
        return _system_fonts()
    files = _scan(search_dirs)
    arabic = _pick(files, ARABIC_FONT_FILES) or next(
        (path for path in files if ARABIC_NAME.search(path.name)), None
    )
    return PdfFonts(arabic=arabic, latin=_pick(files, LATIN_FONT_FILES))


@lru_cache(maxsize=1)
def _system_fonts() -> PdfFonts:
    known = [directory / name for directory in KNOWN_FONT_DIRS for name in ARABIC_FONT_FILES]
    arabic = next((path for path in known if path.is_file()), None)
    if arabic is None:
        arabic = next(iter(_fontconfig_urdu_fonts()), None)
    latin = next(
        (
            directory / name
            for name in LATIN_FONT_FILES
            for directory in KNOWN_FONT_DIRS
            if (directory / name).is_file()
        ),
        None,
    )
    if arabic is None or latin is None:
        scanned = fonts_find(SYSTEM_FONT_DIRS)
        arabic = arabic or scanned.arabic
        latin = latin or scanned.latin
    return PdfFonts(arabic=arabic, latin=latin)


# --- The document ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfSection:
    """A heading with labelled rows, lines of text, or a sentence saying it is empty."""

    heading: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    empty: str = ""


@dataclass(frozen=True)
class PdfDocument:
    """What the PDF shows, already in its language and limited to what the viewer may see."""

    title: str
    subtitle: str
    footer: str
    sections: list[PdfSection]
    rtl: bool = False
    notice: tuple[str, ...] = ()
    identity_shown: tuple[models.Model, ...] = ()


def _people_section(*, user: User, case: Case) -> tuple[PdfSection, list[models.Model]] | None:
    """Return the people on the case, and the people whose identity it shows."""
    rows: list[tuple[str, str]] = []
    shown: list[models.Model] = []
    for entry in people_on_case(user=user, case=case):
        facts = entry.demographics
        described = [str(facts.gender), str(facts.age_band), str(facts.faith)]
        if facts.disability:
            described.append(_("has a disability"))
        if entry.identity is None:
            who = [f"{entry.pseudonym} ({_('identity hidden')})"]
        else:
            who = [entry.pseudonym] + [f"{label}: {value}" for label, value in entry.identity]
            shown.append(entry.person)
        rows.append((", ".join(str(role) for role in entry.roles), "; ".join(who + described)))
    return PdfSection(_("People"), rows=rows, empty=_("Nobody recorded yet.")), shown


def case_summary_document(*, user: User, case: Case, rtl: bool) -> PdfDocument:
    """Collect the summary of a case in the active language, as the viewer may see it.

    ``identity_shown`` lists the rows (the case, people) whose identity the document holds, for
    the caller to audit.
    """
    identity_visible = policy.may_see_identity(user, case)
    summary = selectors.case_summary_rows(case=case, identity_visible=identity_visible)
    narrative = case.narrative if identity_visible else _("Hidden")
    arrow = " ← " if rtl else " → "
    history = [
        f"{row.occurred_at} · {row.from_status}{arrow}{row.to_status} · {row.actor}"
        + (f" · {row.reason}" if row.reason else "")
        for row in selectors.case_history(case=case)
    ]
    timeline = [
        f"{row.occurred_on} · {row.kind} · {row.author}: {row.note}"
        + (f" ({'; '.join(row.details)})" if row.details else "")
        for row in selectors.case_timeline(user=user, case=case, identity_visible=identity_visible)
    ]
    sections = [
        PdfSection(_("Summary"), rows=[(row.label, row.value) for row in summary]),
        PdfSection(_("What happened"), lines=[narrative or _("No narrative recorded.")]),
    ]
    shown: list[models.Model] = [case] if identity_visible else []
    people = _people_section(user=user, case=case)
    if people is not None:
        sections.append(people[0])
        shown += people[1]
    sections += [
        PdfSection(_("Status history"), lines=history, empty=_("No status changes yet.")),
        PdfSection(_("Timeline"), lines=timeline, empty=_("Nothing recorded yet.")),
        PdfSection(
            _("Attachments"),
            lines=selectors.case_attachment_rows(
                user=user, case=case, identity_visible=identity_visible
            ),
            empty=_("No files."),
        ),
    ]
    return PdfDocument(
        title=_("Case summary"),
        subtitle=_("%(reference)s · generated %(when)s by %(user)s")
        % {
            "reference": case.reference,
            "when": selectors.when(timezone.now()),
            "user": user.display_name,
        },
        footer=_("Confidential: handle and share only as the case requires."),
        sections=sections,
        rtl=rtl,
        identity_shown=tuple(shown),
    )


# --- Rendering ---------------------------------------------------------------------------------

LABEL_WIDTH = 58.0
GAP = 3.0
LINE = 6.0
BODY_SIZE = 10
# Characters outside Latin-1 that the built-in Helvetica cannot print: dashes, arrows, dot.
_CORE_REPLACEMENTS = str.maketrans(
    {"\u2014": "-", "\u2013": "-", "\u2192": "->", "\u2190": "<-", "\u00b7": "-"}
)


class _SummaryPdf:
    """An FPDF with Meesaq's fonts, direction and footer."""

    def __init__(self, document: PdfDocument, fonts: PdfFonts) -> None:
        from fpdf import FPDF

        footer = document.footer
        rtl = document.rtl
        render = self

        class _Pdf(FPDF):
            def footer(self) -> None:
                self.set_y(-14)
                render.font(size=8)
                self.multi_cell(0, 4, render.text(f"{footer}  {self.page_no()}/{{nb}}"), align="C")

        self.pdf: FPDF = _Pdf(format="A4")
        self.rtl = rtl
        self.align = "R" if rtl else "L"
        self.family, self.unicode = self._register(fonts)
        self.arabic_ok = fonts.arabic is not None
        self.pdf.set_auto_page_break(auto=True, margin=18)
        self.pdf.set_title(document.title)
        self.pdf.set_creator("Meesaq")

    def _register(self, fonts: PdfFonts) -> tuple[str, bool]:
        pdf = self.pdf
        families: list[str] = []
        for family, path in (("urdu", fonts.arabic), ("latin", fonts.latin)):
            if path is None:
                continue
            pdf.add_font(family, "", str(path))
            pdf.add_font(family, "B", str(fonts.bold_of(path) or path))
            families.append(family)
        if not families:
            return "helvetica", False
        # The document's own script leads; the other font fills in the glyphs it lacks.
        if not self.rtl:
            families.reverse()
        main, *fallbacks = families
        if fallbacks:
            pdf.set_fallback_fonts(fallbacks, exact_match=False)
        pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if self.rtl else None)
        return main, True

    def font(self, *, size: float = BODY_SIZE, bold: bool = False) -> None:
        """Select the body font."""
        self.pdf.set_font(self.family, "B" if bold else "", size)

    def text(self, value: str) -> str:
        """Return text the chosen fonts can print: no empty boxes for a missing script."""
        if not self.arabic_ok:
            value = ARABIC_SCRIPT.sub(_("[Urdu text: no Urdu font on this server]"), value)
        if not self.unicode:
            value = (
                value.translate(_CORE_REPLACEMENTS).encode("latin-1", "replace").decode("latin-1")
            )
        return value

    def paragraph(self, value: str, *, size: float = BODY_SIZE, bold: bool = False) -> None:
        """Write a paragraph across the page."""
        self.font(size=size, bold=bold)
        self.pdf.multi_cell(
            0,
            LINE * size / BODY_SIZE,
            self.text(value),
            align=self.align,
            new_x="LMARGIN",
            new_y="NEXT",
        )

    def row(self, label: str, value: str) -> None:
        """Write a label and its value side by side (label at the start of the line)."""
        pdf = self.pdf
        value_width = pdf.epw - LABEL_WIDTH - GAP
        label, value = self.text(label), self.text(value or "—")
        self.font(bold=True)
        label_height = pdf.multi_cell(LABEL_WIDTH, LINE, label, dry_run=True, output="HEIGHT")
        self.font()
        value_height = pdf.multi_cell(value_width, LINE, value, dry_run=True, output="HEIGHT")
        height = max(float(label_height), float(value_height))  # type: ignore[arg-type]  # output="HEIGHT" returns a float
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
        top = pdf.get_y()
        label_x = pdf.l_margin + (value_width + GAP if self.rtl else 0)
        value_x = pdf.l_margin + (0 if self.rtl else LABEL_WIDTH + GAP)
        self.font(bold=True)
        pdf.set_xy(label_x, top)
        pdf.multi_cell(LABEL_WIDTH, LINE, label, align=self.align)
        self.font()
        pdf.set_xy(value_x, top)
        pdf.multi_cell(value_width, LINE, value, align=self.align)
        pdf.set_xy(pdf.l_margin, top + height + 1)

    def section(self, section: PdfSection) -> None:
        """Write a section: its heading, then its rows or lines, or the sentence for none."""
        self.pdf.ln(3)
        self.paragraph(section.heading, size=13, bold=True)
        for label, value in section.rows:
            self.row(label, value)
        for line in section.lines:
            self.paragraph(line)
        if not section.rows and not section.lines and section.empty:
            self.paragraph(section.empty)


def pdf_render(document: PdfDocument, *, fonts: PdfFonts) -> bytes:
    """Render the document as PDF bytes with the given fonts."""
    render = _SummaryPdf(document, fonts)
    render.pdf.add_page()
    for line in document.notice:
        render.paragraph(line, bold=True)
    if document.notice:
        render.pdf.ln(2)
    render.paragraph(document.title, size=18, bold=True)
    render.paragraph(document.subtitle, size=9)
    for section in document.sections:
        render.section(section)
    return bytes(render.pdf.output())


def case_summary_pdf(
    *,
    user: User,
    case: Case,
    language: str,
    request: HttpRequest | None = None,
    fonts: PdfFonts | None = None,
) -> bytes:
    """Build the summary PDF of a case for the user in a language, and audit that it was made.

    The caller has already checked that the user may see the case. When identity is in the PDF,
    the view of it is audited as ``identity.viewed`` on the "pdf" channel.
    """
    fonts = fonts or fonts_find()
    notice: tuple[str, ...] = ()
    written_in = language
    if language == "ur" and fonts.arabic is None:
        written_in, notice = "en", NO_URDU_FONT_NOTICE
    with translation.override(written_in):
        document = case_summary_document(user=user, case=case, rtl=written_in == "ur")
    if notice:
        document = replace(document, rtl=False, notice=notice)
    content = pdf_render(document, fonts=fonts)
    with transaction.atomic():
        for shown in document.identity_shown:
            identity_viewed(user=user, obj=shown, request=request, channel="pdf")
        audit_record(
            actor=user,
            action="cases.summary_pdf",
            target=case,
            request=request,
            detail={"language": language, "written_in": written_in},
        )
    return content
