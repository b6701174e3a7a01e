"""Administrators edit the bilingual taxonomy: categories, affected groups, outcomes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.accounts.models import User
from meesaq.audit.services import audit_record
from meesaq.cases.models import AffectedGroup, Category, Outcome
from meesaq.cases.models.taxonomy import TaxonomyTerm
from meesaq.core.errors import MeesaqError

TAXONOMIES: dict[str, type[TaxonomyTerm]] = {
    "categories": Category,
    "groups": AffectedGroup,
    "outcomes": Outcome,
}


def taxonomy_term_save(
    *, actor: User, term: TaxonomyTerm, request: HttpRequest | None = None
) -> TaxonomyTerm:
    """Create or update a term; its code never changes once cases may refer to it."""
    if not policy.may(actor, "taxonomy.manage"):
        raise MeesaqError(_("Only administrators can change the taxonomy."), code="forbidden")
    creating = term.pk is None
    if not creating:
        stored = type(term)._default_manager.get(pk=term.pk)
        if stored.code != term.code:
            raise MeesaqError(
                _("A term's code cannot change; add a new term and stop using this one."),
                code="code_locked",
                fields={"code": [_("The code cannot change.")]},
            )
    try:
        term.full_clean()
    except ValidationError as error:
        raise MeesaqError.from_validation_error(error) from error
    with transaction.atomic():
        term.save()
        audit_record(
            actor=actor,
            action="cases.taxonomy_created" if creating else "cases.taxonomy_updated",
            target=term,
            request=request,
            detail={"code": term.code, "active": term.is_active},
        )
    return term
