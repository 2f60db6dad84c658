from django.apps import AppConfig


class CompanionConfig(AppConfig):
    name = "companion"
    verbose_name = "Site content"

    def ready(self) -> None:
        from . import converters  # noqa: F401  (registers <id:...> before any URL conf loads)
