"""The case list: filters, search and keyset pages over the cases the user may see."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.audit.services import audit_record
from meesaq.cases.forms_list import CaseListForm
from meesaq.cases.search_terms import search_address_parameters, search_form_data
from meesaq.cases.selectors.cases import IDENTITY_SEARCH_KINDS, case_list_for_user
from meesaq.cases.timeliness import referral_names


@page("cases.list")
def case_list(request: HttpRequest) -> HttpResponse:
    """List the cases the user may see, filtered and searched, one keyset page at a time."""
    user = policy.acting_user(request)
    if request.method == "POST" or "q" in request.GET:
        # The search box's text goes into the session; the address gets a token (see
        # search_terms). An old link with ?q= is answered the same way.
        submitted = request.POST if request.method == "POST" else request.GET
        parameters = search_address_parameters(request, submitted)
        address = reverse("cases:list")
        return redirect(f"{address}?{parameters.urlencode()}" if parameters else address)
    data, search_ended = search_form_data(request)
    if search_ended:
        messages.info(request, _("That search has ended. Please search again."))
    form = CaseListForm(data or None, user=user)
    if form.is_bound:
        form.is_valid()
    filters = form.filters()
    result = case_list_for_user(user=user, filters=filters, cursor=request.GET.get("cursor"))
    if result.search_kind in IDENTITY_SEARCH_KINDS:
        # Looking people up by CNIC, phone or name uses identity-derived indexes: audited, with
        # the kind of search only, never what was searched for.
        audit_record(
            actor=user,
            action="cases.identity_search",
            request=request,
            detail={"kind": result.search_kind},
        )
    rows = [(case, case.get_absolute_url()) for case in result.cases]
    return render(
        request,
        "cases/list.html",
        {
            "form": form,
            "page": result,
            "rows": rows,
            "sort": filters.sort,
            "searching": bool(filters.query.strip()),
            "filtering": any(data.get(name) for name in form.fields if name not in {"q", "sort"}),
            "may_create": policy.may(user, "cases.create"),
            "referral_pair": referral_names(filters.referral),
        },
    )
