from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "meesaq.notifications"
    label = "notifications"

    def ready(self) -> None:
        from meesaq.access import system as system_rules

        system_rules.register()
