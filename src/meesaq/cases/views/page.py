"""The case page: the summary card, then each part's section (people, workflow, timeline, files)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.access.services import identities_viewed
from meesaq.cases.selectors.page import case_get_for_page, case_summary_rows
from meesaq.cases.views.actions import timeline_section
from meesaq.cases.views.attachments import attachments_section
from meesaq.cases.views.duplicates import duplicates_section
from meesaq.cases.views.feedback import feedback_section
from meesaq.cases.views.people import people_section
from meesaq.cases.views.workflow import workflow_section
from meesaq.referrals.views import referrals_section
from meesaq.sla.views import sla_section

if TYPE_CHECKING:
    from meesaq.accounts.models import User
    from meesaq.cases.models import Case


def case_sections(
    *, request: HttpRequest, user: User, case: Case, identity_visible: bool
) -> dict[str, dict[str, Any]]:
    """Return the context of each part's section, under the key its partial reads.

    ``identity_visible`` is the page's one decision for the case's own identity (notes, file
    names, the complainant's words); each person's is the policy's, person by person.
    """
    return {
        "people": people_section(request=request, user=user, case=case),
        "workflow": workflow_section(request=request, user=user, case=case),
        "timeline": timeline_section(
            request=request, user=user, case=case, identity_visible=identity_visible
        ),
        "attachments": attachments_section(
            request=request, user=user, case=case, identity_visible=identity_visible
        ),
        "deadlines": sla_section(request=request, user=user, case=case),
        "referrals": referrals_section(request=request, user=user, case=case),
        "duplicates": duplicates_section(request=request, user=user, case=case),
        "feedback": feedback_section(
            request=request, user=user, case=case, identity_visible=identity_visible
        ),
    }


def _summary_pdf_links(reference: str) -> list[tuple[str, str, str]]:
    """Return (language code, the language's own name, URL) of the summary PDF in each language."""
    links = []
    for code, own_name in (("en", "English"), ("ur", "اردو")):
        with translation.override(code):
            links.append(
                (code, own_name, reverse("cases:summary_pdf", kwargs={"reference": reference}))
            )
    return links


@page("cases.list")
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """Show one case: its summary, and the sections of the parts that work on it."""
    user = policy.acting_user(request)
    case = case_get_for_page(user=user, reference=reference)
    identity_visible = policy.may_see_identity(user, case)
    break_glass_url = ""
    if not identity_visible and policy.may_break_glass(user, case):
        break_glass_url = (
            reverse(
                "access:break_glass_request",
                kwargs={"object_type": case._meta.label_lower, "object_id": case.pk},
            )
            + "?"
            + urlencode({"next": request.path})
        )
    context: dict[str, Any] = {
        "case": case,
        "rows": case_summary_rows(case=case, identity_visible=identity_visible),
        "identity_visible": identity_visible,
        "break_glass_url": break_glass_url,
        "pdf_links": _summary_pdf_links(case.reference),
    }
    sections = case_sections(
        request=request, user=user, case=case, identity_visible=identity_visible
    )
    context.update(sections)
    # Every identity the page shows (the case's own, the people's) in one append to the chain.
    shown = [case] if identity_visible else []
    identities_viewed(
        user=user, objs=[*shown, *sections["people"]["identities_shown"]], request=request
    )
    return render(request, "cases/detail.html", context)
