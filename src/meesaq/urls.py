"""Every address Meesaq answers. Pages live under a language prefix (/en/, /ur/)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from meesaq.access.decorators import page
from meesaq.access.policy import PUBLIC
from meesaq.api.api import api
from meesaq.core import views as core_views
from meesaq.portal import hooks as portal_hooks

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", core_views.healthz, name="healthz-root"),
    path("readyz", core_views.readyz, name="readyz"),
    path("i18n/setlang/", page(PUBLIC)(set_language), name="set_language"),
    path("hooks/messages/", portal_hooks.inbound, name="portal-inbound"),
    # The REST API: tokens or session, its own error shape, walked by tests/api (not the pages').
    path("api/v1/", api.urls),
]

urlpatterns += i18n_patterns(
    path("", include("meesaq.core.urls")),
    path("account/", include("meesaq.accounts.urls")),
    path("organisations/", include("meesaq.orgs.urls")),
    path("places/", include("meesaq.geo.urls")),
    path("access/", include("meesaq.access.urls")),
    path("audit/", include("meesaq.audit.urls")),
    path("cases/", include("meesaq.cases.urls")),
    path("referrals/", include("meesaq.referrals.urls")),
    path("notifications/", include("meesaq.notifications.urls")),
    path("deadlines/", include("meesaq.sla.urls")),
    path("", include("meesaq.portal.urls")),
    path("api/", include("meesaq.api.urls")),
    path("imports/", include("meesaq.imports.urls")),
    path("webhooks/", include("meesaq.webhooks.urls")),
    path("reports/", include("meesaq.reports.urls")),
    prefix_default_language=True,
)

handler400 = "meesaq.core.views.bad_request"
handler403 = "meesaq.core.views.permission_denied"
handler404 = "meesaq.core.views.page_not_found"
handler500 = "meesaq.core.views.server_error"
