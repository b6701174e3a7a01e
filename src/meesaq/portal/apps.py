from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "meesaq.portal"
    label = "portal"

    def ready(self) -> None:
        from meesaq.access import portal as portal_rules

        portal_rules.register()
