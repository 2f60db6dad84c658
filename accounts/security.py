"""Security receivers: credentials die with the password, the account, or the data.

- A password change or a deactivation revokes every API token of the user (portal
  sessions already end through Django's session auth hash and ModelBackend's is_active
  check; knox tokens would otherwise live on until they expire).
- A data export's zip holds decrypted clinical text, so its file is removed from disk
  when its row goes, including when the whole account is deleted.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import DataExport, User


def revoke_api_tokens(user: User) -> int:
    """Delete every knox token of ``user``; returns how many there were."""
    from knox.models import AuthToken

    deleted, _detail = AuthToken.objects.filter(user=user).delete()
    return deleted


@receiver(post_save, sender=User, dispatch_uid="accounts.security.revoke_tokens")
def _revoke_tokens_on_password_change_or_deactivation(
    sender, instance: User, created: bool, update_fields=None, **kwargs
) -> None:
    if created:
        return
    # AbstractBaseUser.set_password() keeps the raw password in _password until save()
    # has run (post_save fires before it is cleared), so this is exactly "password changed".
    password_changed = getattr(instance, "_password", None) is not None
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return
    if password_changed or not instance.is_active:
        revoke_api_tokens(instance)


@receiver(post_delete, sender=DataExport, dispatch_uid="accounts.security.export_file")
def _remove_export_file(sender, instance: DataExport, **kwargs) -> None:
    if not instance.file_name:
        return
    from .exports import export_dir

    path = export_dir() / instance.file_name
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
