from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = "Journal (client side)"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the tasks in every process, not only workers)
