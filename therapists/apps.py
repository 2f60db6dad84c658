from django.apps import AppConfig


class TherapistsConfig(AppConfig):
    name = "therapists"
    verbose_name = "Therapist side"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the tasks in every process, not only workers)
