from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "meesaq.notifications"
    label = "notifications"
