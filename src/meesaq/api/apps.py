from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "meesaq.api"
    label = "api"

    def ready(self) -> None:
        from meesaq.access import policy

        # Every signed-in user may hold personal tokens: a token acts exactly as its user.
        policy.register_action("api.tokens", lambda user, obj: user.is_authenticated)
