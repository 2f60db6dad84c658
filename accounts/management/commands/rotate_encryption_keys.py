"""Re-encrypt every encrypted column under the newest key in FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keep the old ones after it),
deploy, run this command, then drop the old keys. Works on the stored tokens directly
(MultiFernet.rotate), in short transactions of ``--chunk-size`` rows, so it can run
while the site is up and be re-run safely: values already under the newest key are
left alone.
"""

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F, TextField, Value
from django.db.models.functions import Cast

from accounts.fields import encrypted_fields, fernet


class Command(BaseCommand):
    help = "Re-encrypt every EncryptedTextField value under the newest FIELD_ENCRYPTION_KEYS key."

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk-size", type=int, default=500, help="Rows per transaction (default 500)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change; write nothing."
        )

    def handle(self, *args, chunk_size: int, dry_run: bool, **options):
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        newest = Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode())
        rotator = fernet()
        total = 0
        for model, names in encrypted_fields():
            for name in names:
                rotated = self._rotate_column(model, name, newest, rotator, chunk_size, dry_run)
                total += rotated
                if rotated:
                    self.stdout.write(f"{model._meta.label}.{name}: {rotated} re-encrypted")
        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        self.stdout.write(self.style.SUCCESS(f"{total} value(s) {verb}."))

    def _rotate_column(self, model, name, newest, rotator, chunk_size, dry_run) -> int:
        # The raw token, not the decrypted value: Cast to a plain TextField skips the
        # field's from_db_value, and Value(output_field=TextField()) skips encryption.
        raw = f"_raw_{name}"
        base = model._default_manager.exclude(**{f"{name}__isnull": True}).exclude(**{name: ""})
        last_pk = None
        rotated = 0
        while True:
            qs = base.order_by("pk")
            if last_pk is not None:
                qs = qs.filter(pk__gt=last_pk)
            with transaction.atomic():
                rows = list(
                    qs.annotate(**{raw: Cast(F(name), output_field=TextField())}).values_list(
                        "pk", raw
                    )[:chunk_size]
                )
                if not rows:
                    return rotated
                for pk, token in rows:
                    if self._is_current(newest, token):
                        continue
                    try:
                        new_token = rotator.rotate(token.encode("ascii")).decode("ascii")
                    except InvalidToken as exc:
                        raise CommandError(
                            f"{model._meta.label} {pk} {name}: no configured key decrypts it. Rows before it "
                            "are done; add the missing key and run the command again."
                        ) from exc
                    rotated += 1
                    if not dry_run:
                        model._default_manager.filter(pk=pk).update(
                            **{name: Value(new_token, output_field=TextField())}
                        )
            last_pk = rows[-1][0]

    @staticmethod
    def _is_current(newest: Fernet, token: str) -> bool:
        try:
            newest.decrypt(token.encode("ascii"))
        except InvalidToken:
            return False
        return True
