from django.core.management.base import BaseCommand, CommandError

from accounts.models import User, canonical_email
from accounts.twofactor import enrolment_link_create, needs_second_factor


class Command(BaseCommand):
    help = (
        "Print a new one-time link with which a therapist or staff member sets up their "
        "second sign-in step (older unused links stop working). --email also sends it."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--email", dest="send", action="store_true", help="also email it")

    def handle(self, *args, email: str, send: bool, **options):
        user = User.objects.filter(email=canonical_email(email)).first()
        if user is None:
            raise CommandError(f"No account with the email {email}.")
        if not needs_second_factor(user):
            raise CommandError("Only therapists and staff have a second sign-in step.")
        link, url = enrolment_link_create(user=user, send_email=send)
        self.stdout.write(f"{url}\n(works once, until {link.expires_at:%Y-%m-%d %H:%M} UTC)")
