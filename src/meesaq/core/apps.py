from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "meesaq.core"
    label = "core"

    def ready(self) -> None:
        from meesaq.core import checks  # noqa: F401  # registers the deploy checks
