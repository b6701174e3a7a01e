from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "meesaq.sla"
    label = "sla"
