from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "meesaq.geo"
    label = "geo"
