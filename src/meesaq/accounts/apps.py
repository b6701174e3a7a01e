from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "meesaq.accounts"
    label = "accounts"
