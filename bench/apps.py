"""The benchmark's own app: it registers the admin baseline (bench/admin.py)."""

from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Loads bench/admin.py through the admin's autodiscovery."""

    name = "bench"
    default_auto_field = "django.db.models.BigAutoField"
