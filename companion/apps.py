from django.apps import AppConfig


class CompanionConfig(AppConfig):
    name = "companion"
    verbose_name = "Site content"

    def ready(self) -> None:
        from journal.selectors.safety import crisis_resources_provider_register

        from . import converters  # noqa: F401  (registers <id:...> before any URL conf loads)
        from .safety import crisis_resources_for

        # Journal shows crisis resources (the safety button, PHQ-9 item 9) but may not
        # import companion, where staff keep them: it asks whoever registered.
        crisis_resources_provider_register(crisis_resources_for)
