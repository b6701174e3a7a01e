from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "meesaq.reports"
    label = "reports"

    def ready(self) -> None:
        from meesaq.access import reports

        reports.register()
        # Register the periodic jobs now, not when the first tick imports the tasks modules.
        from meesaq.reports import tasks  # noqa: F401
