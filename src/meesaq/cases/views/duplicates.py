"""The duplicates part of the case page: the original a case repeats, and its duplicates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from meesaq.cases.selectors.duplicates import duplicates_of, original_of

if TYPE_CHECKING:
    from django.http import HttpRequest

    from meesaq.accounts.models import User
    from meesaq.cases.models import Case


def duplicates_section(*, request: HttpRequest, user: User, case: Case) -> dict[str, Any]:
    """Return the duplicates section's context: the original (if any) and the duplicates."""
    return {
        "case": case,
        "original": original_of(user=user, case=case),
        "duplicates": duplicates_of(user=user, case=case),
    }
