from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "meesaq.reports"
    label = "reports"

    def ready(self) -> None:
        from meesaq.access import reports

        reports.register()
