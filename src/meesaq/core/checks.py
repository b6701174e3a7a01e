"""`meesaq check --deploy`: production misconfiguration, said in plain words."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

HINT = "See the README section 'Production'."


@register(Tags.security, deploy=True)
def production_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Report every setting that would be unsafe on a production server."""
    problems: list[CheckMessage] = []
    if not settings.PRODUCTION:
        problems.append(
            Error(
                "Meesaq is in development mode: secrets come from var/dev-secrets.json and demo "
                "accounts are allowed. Set MEESAQ_MODE=production on a real server.",
                hint=HINT,
                id="meesaq.E001",
            )
        )
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append(
            Error(
                "The database is not PostgreSQL. SQLite is for trying Meesaq on one machine; "
                "set DATABASE_URL to a PostgreSQL database for real use.",
                hint=HINT,
                id="meesaq.E002",
            )
        )
    if settings.DEBUG:
        problems.append(
            Error(
                "DEBUG is on: error pages would show internal details. Set DEBUG=false.",
                hint=HINT,
                id="meesaq.E003",
            )
        )
    if "*" in settings.ALLOWED_HOSTS:
        problems.append(
            Error(
                "ALLOWED_HOSTS accepts any host name. List the site's real host names.",
                hint=HINT,
                id="meesaq.E004",
            )
        )
    if not settings.SESSION_COOKIE_SECURE or not settings.CSRF_COOKIE_SECURE:
        problems.append(
            Error(
                "Cookies may travel without HTTPS. Serve the site over HTTPS and set "
                "MEESAQ_SECURE_COOKIES=true.",
                hint=HINT,
                id="meesaq.E005",
            )
        )
    if settings.SECURE_HSTS_SECONDS < 31536000:  # noqa: PLR2004  # one year, the usual minimum
        problems.append(
            Warning(
                "Browsers are not told to insist on HTTPS (HSTS shorter than a year). "
                "Set MEESAQ_HSTS_SECONDS=31536000 once HTTPS works.",
                hint=HINT,
                id="meesaq.W001",
            )
        )
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        problems.append(
            Warning(
                "E-mail is written to the console instead of being sent: set EMAIL_BACKEND and "
                "EMAIL_HOST so that set-password links and alerts reach people.",
                hint=HINT,
                id="meesaq.W002",
            )
        )
    if settings.MEESAQ_SMS_BACKEND == "console":
        problems.append(
            Warning(
                "Text messages are written to the log instead of being sent: configure "
                "MEESAQ_SMS_BACKEND with your SMS gateway.",
                hint=HINT,
                id="meesaq.W003",
            )
        )
    return problems
