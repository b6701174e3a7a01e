from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "meesaq.demo"
    label = "demo"
