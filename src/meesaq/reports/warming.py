"""Compute every organisation's default dashboard after a refresh, so no visitor waits for it.

Figures are cached under a key made of the refresh time, the grants, the filters and the
language (``selectors.figures_cache_key``): one user per distinct set of figure grants stands
for everyone with the same grants, in each language. The ``figures`` cache lives in the
database, so what the job worker computes here serves the web processes.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from meesaq.access.reports import FIGURE_ROLES
from meesaq.accounts.models import User
from meesaq.orgs.models import Membership
from meesaq.reports.filters import ReportFilters, default_period
from meesaq.reports.selectors import dashboard_for_user, grant_signature


def default_dashboards_warm() -> int:
    """Cache the default dashboard (last twelve months, whole scope) of every set of grants.

    Returns how many distinct sets of grants were computed (each in every language).
    """
    start, end = default_period()
    filters = ReportFilters(date_from=start, date_to=end)
    members = (
        Membership.objects.filter(
            is_active=True,
            organisation__is_active=True,
            user__is_active=True,
            role__in=sorted(FIGURE_ROLES),
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    seen: set[str] = set()
    for user in User.objects.filter(pk__in=members).order_by("pk"):
        signature = repr(grant_signature(user))
        if signature in seen:
            continue
        seen.add(signature)
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                dashboard_for_user(user=user, filters=filters)
    return len(seen)
