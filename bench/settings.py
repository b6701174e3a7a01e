"""Settings of the benchmark server only: the real settings plus the query-counting middleware.

``bench/scenarios.py`` starts ``meesaq serve`` with ``DJANGO_SETTINGS_MODULE=bench.settings``;
nothing else uses this module, and it refuses production mode like the generator does.
"""

from django.core.exceptions import ImproperlyConfigured

from meesaq.settings import *  # noqa: F403

if PRODUCTION:  # noqa: F405
    raise ImproperlyConfigured("The benchmark settings are for development installations only.")

MIDDLEWARE = ["bench.query_count.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405

# The Django admin, for the changelist baseline only (bench/admin.py); Meesaq itself has none.
INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.admin", "bench"]  # noqa: F405
ROOT_URLCONF = "bench.urls"
