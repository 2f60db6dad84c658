from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from companion.schedules import SCHEDULES


class Command(BaseCommand):
    help = (
        "Create or update the default periodic tasks (companion/schedules.py) in the beat tables."
    )

    def handle(self, *args, **options):
        for name, (task, cron) in SCHEDULES.items():
            crontab, _created = CrontabSchedule.objects.get_or_create(
                minute=cron["minute"],
                hour=cron["hour"],
                day_of_week=cron["day_of_week"],
                day_of_month="*",
                month_of_year="*",
                timezone="UTC",
            )
            PeriodicTask.objects.update_or_create(
                name=name, defaults={"task": task, "crontab": crontab, "enabled": True}
            )
        self.stdout.write(f"{len(SCHEDULES)} schedules installed.")
