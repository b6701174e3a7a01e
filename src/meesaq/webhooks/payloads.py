"""What each partner organisation is told: only what it may see, never identity.

- A referral event goes to the two organisations of the referral (the referring one and the
  one it is addressed to), with the referral and the case fields it shares that carry no
  identity (category, title, district, priority, date). The narrative and people are never put
  in a webhook, even when shared: the receiver reads them through the API, where each view is
  audited.
- A case event goes to the organisation that owns the case (reference, status, priority,
  category, district, outcome) and to organisations with a referral of the case addressed to
  them (reference, status and their own referrals' ids only).
"""

from __future__ import annotations

from typing import Any

from meesaq.cases.models import Case
from meesaq.referrals.models import Referral, ReferralStatus, SharedField

# Referrals that no longer entitle the receiver to hear about the case.
ENDED_FOR_RECEIVER = frozenset({ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN})


def referral_data(referral: Referral) -> dict[str, Any]:
    """Return a referral and its shared fields without identity."""
    case = referral.case
    shared = set(referral.shared_fields)
    values = {
        SharedField.CATEGORY: case.category.code,
        SharedField.TITLE: case.title,
        SharedField.DISTRICT: case.district_id,
        SharedField.PRIORITY: case.priority,
        SharedField.INCIDENT_ON: case.incident_on.isoformat() if case.incident_on else None,
    }
    return {
        "referral": {
            "id": referral.pk,
            "case": case.reference,
            "status": referral.status,
            "from_organisation": referral.from_organisation.code,
            "to_organisation": referral.to_organisation.code,
            "shared_fields": list(referral.shared_fields),
            "identity_shared": referral.identity_shared,
            "acknowledge_by": referral.acknowledge_by.isoformat(),
            "complete_by": referral.complete_by.isoformat(),
            "decline_reason": referral.decline_reason,
        },
        "shared": {str(name): value for name, value in values.items() if name in shared},
    }


def referral_audience(referral: Referral) -> dict[int, dict[str, Any]]:
    """Return, per organisation id, what it is told about a referral event."""
    data = referral_data(referral)
    return {referral.from_organisation_id: data, referral.to_organisation_id: data}


def case_audience(case: Case) -> dict[int, dict[str, Any]]:
    """Return, per organisation id, what it is told about a case event."""
    audience: dict[int, dict[str, Any]] = {
        case.organisation_id: {
            "case": {
                "reference": case.reference,
                "status": case.status,
                "priority": case.priority,
                "category": case.category.code,
                "district": case.district_id,
                "outcome": case.outcome.code if case.outcome_id and case.outcome else None,
            }
        }
    }
    referrals = (
        Referral.objects.filter(case=case)
        .exclude(status__in=ENDED_FOR_RECEIVER)
        .exclude(to_organisation_id=case.organisation_id)
        .order_by("id")
        .values_list("to_organisation_id", "pk")
    )
    for organisation_id, referral_id in referrals:
        entry = audience.setdefault(
            organisation_id,
            {"case": {"reference": case.reference, "status": case.status}, "referrals": []},
        )
        entry.setdefault("referrals", []).append(referral_id)
    return audience
