from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "meesaq.sla"
    label = "sla"

    def ready(self) -> None:
        from meesaq.access import sla as sla_rules

        sla_rules.register()
