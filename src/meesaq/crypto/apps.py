from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "meesaq.crypto"
    label = "crypto"
