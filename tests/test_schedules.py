"""Periodic jobs are installed into the beat tables from the one list, idempotently."""

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from companion.schedules import SCHEDULES

pytestmark = pytest.mark.django_db


def test_install_schedules_installs_every_listed_job_once():
    call_command("install_schedules")
    call_command("install_schedules")
    installed = {t.name: t for t in PeriodicTask.objects.all()}
    assert set(installed) == set(SCHEDULES)
    for name, (task, cron) in SCHEDULES.items():
        assert installed[name].task == task and installed[name].enabled
        crontab = installed[name].crontab
        assert (crontab.minute, crontab.hour, crontab.day_of_week) == (
            cron["minute"],
            cron["hour"],
            cron["day_of_week"],
        )


def test_every_scheduled_task_exists():
    from celery import current_app

    assert {task for task, _cron in SCHEDULES.values()} <= set(current_app.tasks)
