from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "meesaq.orgs"
    label = "orgs"
