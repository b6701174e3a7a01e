"""The auditor's pages: the trail with filters, and a verification of the chain.

Reading these pages is deliberately not written to the audit trail: the trail holds no personal
data, only auditors may read it, and recording every page and filter change would flood the trail
with reads of itself (and make the read-only verification page a writer). See ADR 0003.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.audit.forms import AuditFilterForm
from meesaq.audit.selectors import audit_chain_verify, audit_event_list


@page("audit.read")
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """Show the trail newest first, fifty events a page, narrowed by the filter form."""
    form = AuditFilterForm(request.GET)
    events = None
    if form.is_valid():
        events = audit_event_list(
            user=policy.acting_user(request),
            filters=form.filters(),
            before=form.cleaned_data["before"],
            after=form.cleaned_data["after"],
        )
    return render(request, "audit/event_list.html", {"form": form, "page": events})


@page("audit.read")
@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    """Verify the whole chain and show whether it is intact, or where it first breaks."""
    result, head = audit_chain_verify(user=policy.acting_user(request))
    return render(request, "audit/verify.html", {"result": result, "head": head})
