"""Test settings: the real settings plus a test-only app that plays an identity-bearing module."""

from meesaq.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405

# The real Argon2 algorithm with cheap parameters, so hundreds of test sign-ins stay quick.
PASSWORD_HASHERS = ["tests.hashers.QuickArgon2PasswordHasher"]

# Static files without the manifest, which exists only after collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files from the source folders (no collectstatic before tests).
STATIC_ROOT = None  # type: ignore[assignment]  # whitenoise then serves from the finders
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The webhook tests' receiver runs on 127.0.0.1; tests/webhooks/test_addresses.py turns it off.
MEESAQ_WEBHOOK_ALLOW_PRIVATE = True
