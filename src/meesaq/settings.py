"""Meesaq's one settings module: every value comes from the environment through typed helpers.

Two modes, chosen by MEESAQ_MODE:
- ``development`` (default): local secrets are created once in ``var/`` and SQLite is used.
- ``production``: the server refuses to start until every secret and host is given.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("MEESAQ_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("MEESAQ_VAR_DIR", PROJECT_DIR / "var")).resolve()


def env_str(name: str, default: str = "") -> str:
    """Return a string variable, or the default when it is unset or empty."""
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, *, default: bool) -> bool:
    """Return a yes/no variable; accepts 1/0, true/false, yes/no, on/off."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    """Return a whole-number variable."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from error


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Return a comma-separated list variable."""
    raw = os.environ.get(name, "")
    items = [item.strip() for item in raw.split(",") if item.strip()]
    return items or list(default or [])


MODE = env_str("MEESAQ_MODE", "development")
if MODE not in {"development", "production"}:
    raise ImproperlyConfigured("MEESAQ_MODE must be 'development' or 'production'.")
PRODUCTION = MODE == "production"


def _development_secrets() -> dict[str, str]:
    """Create (once) and return the local secrets used in development mode."""
    path = VAR_DIR / "dev-secrets.json"
    if path.exists():
        stored: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        return stored
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    created = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MEESAQ_ENCRYPTION_KEYS": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "MEESAQ_BLIND_INDEX_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    path.write_text(json.dumps(created, indent=2), encoding="utf-8")
    path.chmod(0o600)
    return created


_REQUIRED_SECRETS = ("SECRET_KEY", "MEESAQ_ENCRYPTION_KEYS", "MEESAQ_BLIND_INDEX_KEY")


def _secret(name: str) -> str:
    value = env_str(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(
            f"{name} is not set. In production every secret must come from the environment; "
            "see the README section 'Production'."
        )
    return _development_secrets()[name]


SECRET_KEY = _secret("SECRET_KEY")
# "keyid:base64key" entries, comma-separated, newest first: new writes use the first key.
MEESAQ_ENCRYPTION_KEYS = _secret("MEESAQ_ENCRYPTION_KEYS")
MEESAQ_BLIND_INDEX_KEY = _secret("MEESAQ_BLIND_INDEX_KEY")

DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production: it would show internal details.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set: name the host names this site answers to."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's own widget templates, for the project-wide form renderer below.
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "meesaq.core",
    "meesaq.geo",
    "meesaq.accounts",
    "meesaq.orgs",
    "meesaq.access",
    "meesaq.crypto",
    "meesaq.audit",
    "meesaq.demo",
    "meesaq.cases",
    "meesaq.notifications",
    "meesaq.referrals",
    "meesaq.sla",
    "meesaq.backup",
    "meesaq.portal",
    # The REST API (django-ninja; "ninja" also serves its bundled Swagger UI files), bulk
    # import and outbound webhooks.
    "ninja",
    "meesaq.api",
    "meesaq.imports",
    "meesaq.webhooks",
    "meesaq.reports",
]

# Background work: Django's tasks API (the django-tasks backport) with a database-backed queue,
# so it runs on SQLite and PostgreSQL with no other server. `meesaq worker` runs the jobs.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# `meesaq serve` starts one job worker beside the web server unless this is false.
MEESAQ_RUN_WORKER = env_bool("MEESAQ_RUN_WORKER", default=True)

# Dashboard figures are cached in the database (a table of the reports app), so the figures the
# job worker computes after each refresh serve the web processes too. Everything else uses the
# per-process memory cache.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "figures": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "reports_figurecache",
        # Room for every organisation's warmed dashboards in both languages, and visitors'
        # own filters; entries expire 15 minutes after they are written.
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "meesaq.accounts.middleware.IdleSessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "meesaq.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Widgets render through the project's templates, so templates/django/forms/ can replace a
# built-in one (the select, whose per-option includes cost most of a case page's forms).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "meesaq.urls"
WSGI_APPLICATION = "meesaq.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "meesaq.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_DEFAULT_SQLITE = VAR_DIR / "meesaq.sqlite3"
DATABASE_URL = env_str("DATABASE_URL")
if PRODUCTION and not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set: production runs on PostgreSQL, "
        "e.g. postgres://meesaq@db.internal:5432/meesaq."
    )
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{_DEFAULT_SQLITE}"
_database: dict[str, Any] = dict(dj_database_url.parse(DATABASE_URL, conn_max_age=60))
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write; IMMEDIATE avoids upgrade deadlocks between writers.
    _database["CONN_MAX_AGE"] = 0
    _database["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
    }
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Sign-in ----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Django's own rules, through subclasses whose messages are in Meesaq's Urdu catalogue.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "meesaq.accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "meesaq.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "meesaq.accounts.validators.CommonPasswordValidator"},
    {"NAME": "meesaq.accounts.validators.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = env_int("MEESAQ_SET_PASSWORD_LINK_HOURS", 72) * 3600

AXES_FAILURE_LIMIT = env_int("MEESAQ_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("MEESAQ_LOGIN_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Axes keeps the request's form data with each failure; mask everything a person typed.
AXES_SENSITIVE_PARAMETERS = ["username", "password", "code", "confirmation"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The client's address behind MEESAQ_PROXY_COUNT reverse proxies, for the sign-in lockout and the
# portal's rate limits. X-Forwarded-For is believed only behind a configured proxy (otherwise
# anyone could forge it), and only when it holds exactly what the proxies wrote: the client, then
# one entry per proxy but the last (ipware's count), else the connecting address is used.
MEESAQ_PROXY_COUNT = env_int("MEESAQ_PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = max(MEESAQ_PROXY_COUNT - 1, 0)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if MEESAQ_PROXY_COUNT else ("REMOTE_ADDR",)
)

OTP_TOTP_ISSUER = "Meesaq"

# Idle sessions end: the cookie's age restarts on every request.
SESSION_COOKIE_AGE = env_int("MEESAQ_SESSION_IDLE_MINUTES", 30) * 60
# The idle clock restarts at most once a minute (accounts.middleware.IdleSessionRefreshMiddleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("MEESAQ_SECURE_COOKIES", default=PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Security headers -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("MEESAQ_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
# Preloading makes browsers refuse plain HTTP to the domain before their first visit.
SECURE_HSTS_PRELOAD = env_bool("MEESAQ_HSTS_PRELOAD", default=PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("MEESAQ_SSL_REDIRECT", default=PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
if env_bool("MEESAQ_BEHIND_PROXY", default=PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# --- API, bulk import, webhooks ---------------------------------------------------------------
# Longest life of a personal API token, in days.
MEESAQ_API_TOKEN_MAX_DAYS = env_int("MEESAQ_API_TOKEN_MAX_DAYS", 365)
# Calls per caller and period ("120/m", "5000/h"); a caller over it gets 429.
MEESAQ_API_RATE = env_str("MEESAQ_API_RATE", "120/m")
# Largest import file in megabytes and most rows in one import.
MEESAQ_IMPORT_MAX_MB = env_int("MEESAQ_IMPORT_MAX_MB", 10)
MEESAQ_IMPORT_MAX_ROWS = env_int("MEESAQ_IMPORT_MAX_ROWS", 20000)
# Seconds to wait for a partner's webhook receiver before the delivery counts as failed.
MEESAQ_WEBHOOK_TIMEOUT_SECONDS = env_int("MEESAQ_WEBHOOK_TIMEOUT_SECONDS", 10)
# Deliveries of one event before it is given up (with a doubling delay from one minute).
MEESAQ_WEBHOOK_ATTEMPTS = env_int("MEESAQ_WEBHOOK_ATTEMPTS", 6)
# Allow webhook receivers on loopback or private addresses (a receiver on the same network).
MEESAQ_WEBHOOK_ALLOW_PRIVATE = env_bool("MEESAQ_WEBHOOK_ALLOW_PRIVATE", default=False)

# --- Languages --------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ur", _("Urdu"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Karachi"

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("MEESAQ_MEDIA_DIR", str(VAR_DIR / "files")))
MEESAQ_MAX_UPLOAD_MB = env_int("MEESAQ_MAX_UPLOAD_MB", 20)
# Most that a zip-based upload (XLSX, DOCX, ODT; files and imports) may unpack to: zip bombs.
MEESAQ_MAX_UNPACKED_MB = env_int("MEESAQ_MAX_UNPACKED_MB", 100)
# Encrypted backups (`meesaq backup`); keep a copy on another machine.
MEESAQ_BACKUP_DIR = Path(env_str("MEESAQ_BACKUP_DIR", str(VAR_DIR / "backups")))
# Keep uploads in memory up to the limit, so unencrypted files never touch a temporary folder.
FILE_UPLOAD_MAX_MEMORY_SIZE = (MEESAQ_MAX_UPLOAD_MB + 1) * 1024 * 1024

# --- Email and SMS ----------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "meesaq@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The SMS gateway adapter ("console" writes messages to the log without the recipient's number).
MEESAQ_SMS_BACKEND = env_str("MEESAQ_SMS_BACKEND", "console")
MEESAQ_SMS_API_URL = env_str("MEESAQ_SMS_API_URL")
MEESAQ_SMS_API_KEY = env_str("MEESAQ_SMS_API_KEY")

# How many days after closure a dissatisfied complainant may ask to reopen the case.
MEESAQ_FEEDBACK_REOPEN_DAYS = env_int("MEESAQ_FEEDBACK_REOPEN_DAYS", 30)

# --- Public portal ----------------------------------------------------------------------------
# Rate limits per client address (as axes derives it behind MEESAQ_PROXY_COUNT proxies) and per
# tracking code. Each is "so many in so many minutes".
MEESAQ_PORTAL_LODGE_LIMIT = env_int("MEESAQ_PORTAL_LODGE_LIMIT", 5)
MEESAQ_PORTAL_LODGE_WINDOW_MINUTES = env_int("MEESAQ_PORTAL_LODGE_WINDOW_MINUTES", 60)
MEESAQ_PORTAL_ADD_LIMIT = env_int("MEESAQ_PORTAL_ADD_LIMIT", 20)
MEESAQ_PORTAL_TRACK_LIMIT_PER_ADDRESS = env_int("MEESAQ_PORTAL_TRACK_LIMIT_PER_ADDRESS", 10)
MEESAQ_PORTAL_TRACK_LIMIT_PER_CODE = env_int("MEESAQ_PORTAL_TRACK_LIMIT_PER_CODE", 5)
MEESAQ_PORTAL_TRACK_WINDOW_MINUTES = env_int("MEESAQ_PORTAL_TRACK_WINDOW_MINUTES", 15)
# Evidence files per complaint or addition; each within MEESAQ_PORTAL_MAX_UPLOAD_MB.
MEESAQ_PORTAL_MAX_FILES = env_int("MEESAQ_PORTAL_MAX_FILES", 3)
MEESAQ_PORTAL_MAX_UPLOAD_MB = env_int("MEESAQ_PORTAL_MAX_UPLOAD_MB", 10)
# The SMS/WhatsApp gateway's webhook: the shared secret that signs each request (HMAC-SHA256 of
# "timestamp.body"), how old a signed request may be, and the district (P-code) where messages
# without a place are opened. The webhook answers 503 until the secret and district are set.
MEESAQ_INBOUND_SECRET = env_str("MEESAQ_INBOUND_SECRET")
MEESAQ_INBOUND_WINDOW_SECONDS = env_int("MEESAQ_INBOUND_WINDOW_SECONDS", 300)
MEESAQ_INBOUND_DISTRICT = env_str("MEESAQ_INBOUND_DISTRICT")

# --- Demo -------------------------------------------------------------------------------------
MEESAQ_DEMO_PASSWORD = env_str("MEESAQ_DEMO_PASSWORD")

# --- Logging: structured, and never personal data (identity is never passed to a logger). ---
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "meesaq.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own loggers in the same JSON lines and at the same level (SQL is logged at
        # DEBUG only when DEBUG is on, and then only with encrypted identities as parameters).
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # Request bodies and URLs of failed requests stay out of the logs.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # Axes names the username and address of every failure; the audit trail records
        # sign-in failures instead, without the typed name.
        "axes": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # fontTools reports every font-subsetting step of the PDF writer at INFO.
        "fontTools": {"level": "WARNING"},
    },
}
ADMINS: list[tuple[str, str]] = []
