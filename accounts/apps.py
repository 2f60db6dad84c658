from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and care"

    def ready(self) -> None:
        from . import (
            security,  # noqa: F401  (revokes tokens on password change/deactivation)
            signals,  # noqa: F401  (connects login/lockout audit receivers)
            tasks,  # noqa: F401  (registers the tasks in every process, not only workers)
        )
