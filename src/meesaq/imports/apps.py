from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "meesaq.imports"
    label = "imports"

    def ready(self) -> None:
        from meesaq.access import policy
        from meesaq.access.cases import CASE_ACTORS

        # Bringing a register in creates cases: case officers and supervisors, not intake alone.
        policy.register_action("imports.run", policy.role_rule(*CASE_ACTORS))
