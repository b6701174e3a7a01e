from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "meesaq.backup"
    label = "backup"
