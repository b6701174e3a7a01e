"""The case summary PDF, in the language of the address it is asked for under (/en/ or /ur/)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.cases import pdf
from meesaq.cases.selectors.page import case_get_for_page


@page("cases.list")
def case_summary_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    """Send the summary of one case as a PDF download, with only what the viewer may see."""
    user = policy.acting_user(request)
    case = case_get_for_page(user=user, reference=reference)
    language = "ur" if (get_language() or "").startswith("ur") else "en"
    content = pdf.case_summary_pdf(user=user, case=case, language=language, request=request)
    response = HttpResponse(content, content_type="application/pdf")
    # The reference is the only name the file gets: it carries no personal data.
    response["Content-Disposition"] = f'attachment; filename="{case.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
