from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "meesaq.access"
    label = "access"

    def ready(self) -> None:
        from meesaq.access import rules

        rules.register()
