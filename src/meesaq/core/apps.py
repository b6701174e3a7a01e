from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "meesaq.core"
    label = "core"
