"""Every address Meesaq answers. Pages live under a language prefix (/en/, /ur/)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from meesaq.access.decorators import page
from meesaq.access.policy import PUBLIC
from meesaq.core import views as core_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", core_views.healthz, name="healthz-root"),
    path("i18n/setlang/", page(PUBLIC)(set_language), name="set_language"),
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
    path("reports/", include("meesaq.reports.urls")),
    prefix_default_language=True,
)

handler400 = "meesaq.core.views.bad_request"
handler403 = "meesaq.core.views.permission_denied"
handler404 = "meesaq.core.views.page_not_found"
handler500 = "meesaq.core.views.server_error"
