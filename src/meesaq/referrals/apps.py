from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "meesaq.referrals"
    label = "referrals"
