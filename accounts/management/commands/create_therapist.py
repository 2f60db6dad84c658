import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import therapist_create
from accounts.twofactor import enrolment_link_create


def therapist_link_hours() -> int:
    from django.conf import settings

    return int(settings.ENROLMENT_LINK_TTL.total_seconds() // 3600)


class Command(BaseCommand):
    help = "Create an approved therapist account. Password from $COMPANION_PASSWORD, else prompted."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--display-name", default="")
        parser.add_argument("--timezone", default="UTC")

    def handle(self, *args, email: str, display_name: str, timezone: str, **options):
        password = os.environ.get("COMPANION_PASSWORD")
        if not password:
            if not os.isatty(0):
                raise CommandError(
                    "Set COMPANION_PASSWORD or run interactively to be prompted for a password."
                )
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        try:
            therapist = therapist_create(
                email=email, password=password, display_name=display_name, timezone_name=timezone
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from exc
        _link, url = enrolment_link_create(user=therapist)
        self.stdout.write(
            self.style.SUCCESS(f"Therapist {therapist.email} created (id {therapist.pk}).")
        )
        self.stdout.write(
            "Give them this one-time link to set up their second sign-in step (it works once, "
            f"for {therapist_link_hours()} hours; `manage.py enrolment_link {therapist.email}` "
            f"makes a new one):\n  {url}"
        )
