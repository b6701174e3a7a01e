"""Turn the codes an API caller sends into rows, with a field error for each unknown code."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.accounts.models import User
from meesaq.cases.models import AffectedGroup, Case, Category, Outcome
from meesaq.cases.selectors.intake import intake_categories, intake_groups
from meesaq.cases.selectors.page import case_get_for_page
from meesaq.core.errors import MeesaqError
from meesaq.geo.models import AdminUnit
from meesaq.geo.selectors import unit_get
from meesaq.orgs.models import Organisation


def unknown(field: str) -> MeesaqError:
    """Return the refusal of a code that names nothing the caller may use."""
    message = _("Unknown code.")
    return MeesaqError(
        _("Please correct the marked fields."), code="invalid", fields={field: [message]}
    )


def case_for(user: User, reference: str) -> Case:
    """Return the case the user may see, or 404 (missing and forbidden alike)."""
    return case_get_for_page(user=user, reference=reference.strip().upper())


def organisation_for(user: User, code: str, *, field: str = "organisation") -> Organisation:
    """Return an active organisation of the directory by its code."""
    found = policy.scoped(user, Organisation).filter(code=code.strip(), is_active=True).first()
    if found is None:
        raise unknown(field)
    return found


def unit_for(pcode: str, *, field: str) -> AdminUnit:
    """Return an administrative unit by its P-code."""
    found = unit_get(pcode)
    if found is None:
        raise unknown(field)
    return found


def category_for(code: str) -> Category:
    """Return a category in use by its code."""
    found = intake_categories().filter(code=code).first()
    if found is None:
        raise unknown("category")
    return found


def groups_for(codes: list[str]) -> list[AffectedGroup]:
    """Return the affected groups in use with these codes."""
    found = list(intake_groups().filter(code__in=set(codes)))
    if len(found) != len(set(codes)):
        raise unknown("groups")
    return found


def outcomes_in_use() -> QuerySet[Outcome]:
    """Return the outcomes in use, in their order (a taxonomy: not sensitive)."""
    return Outcome.objects.filter(is_active=True).order_by("order", "label_en")


def outcome_for(code: str) -> Outcome | None:
    """Return an outcome by its code (none for an empty code)."""
    if not code:
        return None
    found = outcomes_in_use().filter(code=code).first()
    if found is None:
        raise unknown("outcome")
    return found
