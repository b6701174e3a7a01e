from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "meesaq.referrals"
    label = "referrals"

    def ready(self) -> None:
        from meesaq.access import referrals as referral_rules

        referral_rules.register()
