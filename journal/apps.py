from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = "Journal (client side)"

    def ready(self) -> None:
        from accounts.exports import register_sheets

        from . import tasks  # noqa: F401  (registers the tasks in every process, not only workers)
        from .exports import journal_sheets

        register_sheets(journal_sheets)
