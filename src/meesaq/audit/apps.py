from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "meesaq.audit"
    label = "audit"
