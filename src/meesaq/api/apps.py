from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "meesaq.api"
    label = "api"

    def ready(self) -> None:
        from meesaq.access import policy
        from meesaq.api import tasks  # noqa: F401  # registers the periodic expiry of idempotency keys

        # Every signed-in user may hold personal tokens: a token acts exactly as its user.
        policy.register_action("api.tokens", lambda user, obj: user.is_authenticated)
