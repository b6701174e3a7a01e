from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "meesaq.cases"
    label = "cases"

    def ready(self) -> None:
        from meesaq.access import cases as case_rules

        case_rules.register()
