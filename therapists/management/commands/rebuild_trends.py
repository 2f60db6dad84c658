from django.core.management.base import BaseCommand

from accounts.models import Role, User
from therapists.trends.store import client_trend, rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the blunting engine's saved state of every client (or of --client ids) from "
        "their first day. Only needed after day rows were changed outside the app (an import, "
        "SQL by hand): a deploy of new engine code, and every change made through the app, "
        "already lead to a rebuild or replay on their own."
    )

    def add_arguments(self, parser):
        parser.add_argument("--client", type=int, action="append", dest="clients", default=[])
        parser.add_argument(
            "--now",
            action="store_true",
            help="rebuild at once (default: drop the states; each is rebuilt on next use)",
        )

    def handle(self, *args, clients: list[int], now: bool, **options):
        ids = clients or list(User.objects.filter(role=Role.CLIENT).values_list("pk", flat=True))
        dropped = rebuild(ids)
        self.stdout.write(f"Dropped {dropped} saved trend states.")
        if now:
            built = 0
            for client in User.objects.filter(pk__in=ids, role=Role.CLIENT).iterator():
                client_trend(client.pk, client.local_today())
                built += 1
            self.stdout.write(f"Rebuilt {built} clients.")
