"""The intake page: staff record a new complaint, after a look at likely duplicates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.cases.forms_intake import IntakeForm, add_service_error
from meesaq.cases.selectors.duplicates import duplicate_candidates
from meesaq.cases.services.intake import case_register_intake
from meesaq.core.errors import MeesaqError


@page("cases.create")
def case_intake(request: HttpRequest) -> HttpResponse:
    """Show the intake form, propose likely duplicates, and register the case it describes."""
    actor = policy.acting_user(request)
    form = IntakeForm(request.POST or None, user=actor)
    context: dict[str, Any] = {"form": form, "candidates": []}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not data["confirm_new"]:
            candidates = duplicate_candidates(
                user=actor,
                district=data["district"],
                category=data["category"],
                incident_on=data["incident_on"],
                received_at=data["received_at"],
                cnic=data["check_cnic"],
                phone=data["check_phone"],
                full_name=data["check_name"],
            )
            if candidates:
                # Nothing is saved: the same form comes back, every value kept, with the cases.
                context["candidates"] = candidates
                return render(request, "cases/intake.html", context)
        try:
            case = case_register_intake(
                actor=actor,
                organisation=data["organisation"],
                district=data["district"],
                tehsil=data["tehsil"],
                received_at=data["received_at"],
                channel=data["channel"],
                category=data["category"],
                groups=data["groups"],
                title=data["title"],
                narrative=data["narrative"],
                police_station=data["police_station"],
                place=data["place"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                incident_on=data["incident_on"],
                consent_contact=data["consent_contact"],
                consent_share=data["consent_share"],
                recorded_on_behalf=data["recorded_on_behalf"],
                risk_threat_to_life=data["risk_threat_to_life"],
                risk_ongoing_violence=data["risk_ongoing_violence"],
                risk_child_involved=data["risk_child_involved"],
                risk_mob_threat=data["risk_mob_threat"],
                risk_displacement=data["risk_displacement"],
                request=request,
            )
        except MeesaqError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("The case was registered as %(reference)s.") % {"reference": case.reference},
            )
            return redirect(case)
    return render(request, "cases/intake.html", context)
