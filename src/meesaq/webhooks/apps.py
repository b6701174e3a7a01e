from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "meesaq.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from meesaq.access import policy
        from meesaq.access.policy import role_rule
        from meesaq.access.roles import Role
        from meesaq.core import events
        from meesaq.webhooks.models import EVENTS
        from meesaq.webhooks.services import event_fan_out

        policy.register_action("webhooks.manage", role_rule(Role.ADMINISTRATOR))
        for event in EVENTS:
            events.subscribe(event, event_fan_out)
