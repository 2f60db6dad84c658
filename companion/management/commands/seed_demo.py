"""Demo data for the embedded default: a therapist, clients in their care, staff.

Idempotent: running it again leaves an existing demo alone. Later parts of the product
(check-ins, homework, medications) add their demo history through the hooks below.
"""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import CareRelationship, Role, User

DEMO_PASSWORD = "demo-password-1234"
THERAPIST = ("therapist@demo.companion", "Dr. Morgan Lee")
CLIENTS = [
    ("alex@demo.companion", "Alex", "Europe/Berlin"),
    ("sam@demo.companion", "Sam", "America/New_York"),
    ("rivka@demo.companion", "Rivka", "Europe/London"),
    ("jo@demo.companion", "Jo", "Europe/Berlin"),
]
STAFF = ("staff@demo.companion", "Staff")
# A member of the "content" group (companion migration 0006): the admin as content staff see it.
CONTENT_EDITOR = ("content@demo.companion", "Content editor")
DEMO_CODES = 30


class Command(BaseCommand):
    help = "Create the demo therapist, clients with months of check-ins, and a staff user."

    @transaction.atomic
    def handle(self, *args, **options):
        if User.objects.filter(email=THERAPIST[0]).exists():
            self.stdout.write("Demo data already present; leaving it as it is.")
            return
        now = timezone.now()
        therapist = User.objects.create_user(
            THERAPIST[0],
            DEMO_PASSWORD,
            display_name=THERAPIST[1],
            role=Role.THERAPIST,
            timezone="Europe/Berlin",
            therapist_approved_at=now,
        )
        User.objects.create_superuser(STAFF[0], DEMO_PASSWORD, display_name=STAFF[1])
        editor = User.objects.create_user(
            CONTENT_EDITOR[0],
            DEMO_PASSWORD,
            display_name=CONTENT_EDITOR[1],
            role=Role.STAFF,
            is_staff=True,
        )
        editor.groups.add(Group.objects.get(name="content"))
        clients = []
        for email, name, tz in CLIENTS:
            client = User.objects.create_user(
                email,
                DEMO_PASSWORD,
                display_name=name,
                timezone=tz,
                reminder_times=["09:00", "20:00"],
            )
            CareRelationship.objects.create(
                therapist=therapist, client=client, started_at=now - timezone.timedelta(days=200)
            )
            clients.append(client)
        self.seed_second_step([therapist, User.objects.get(email=STAFF[0]), editor])
        self.seed_history(therapist, clients)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data created: 1 therapist, {len(clients)} clients, 2 staff "
                "(an administrator and a content editor)."
            )
        )

    def seed_second_step(self, users: list[User]) -> None:
        """Demo only: known single-use backup codes, so the demo needs no authenticator app."""
        from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

        for user in users:
            device = StaticDevice.objects.create(user=user, name="demo backup codes")
            StaticToken.objects.bulk_create(
                [StaticToken(device=device, token=f"demo{n:04d}") for n in range(1, DEMO_CODES + 1)]
            )

    def seed_history(self, therapist: User, clients: list[User]) -> None:
        """Months of check-ins and the rest; filled in by the journal and therapist sides."""
        from companion.demo import seed_history

        seed_history(therapist=therapist, clients=clients, stdout=self.stdout)
