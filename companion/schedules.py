"""Every periodic job, named and listed in one place.

Installed into django-celery-beat's tables by ``manage.py install_schedules`` (``make
run`` and the production steps in the README run it; it is idempotent), so staff can see
and change them in the admin.
"""

from accounts import task_names

# name → (task, crontab fields: minute, hour, day_of_week)
SCHEDULES: dict[str, tuple[str, dict[str, str]]] = {
    "Check-in reminders (every 5 minutes)": (
        task_names.SEND_DUE_REMINDERS,
        {"minute": "*/5", "hour": "*", "day_of_week": "*"},
    ),
    "Homework and questionnaire reminders (hourly; sent 18:00 local)": (
        task_names.SEND_CARE_REMINDERS,
        {"minute": "10", "hour": "*", "day_of_week": "*"},
    ),
    "Weekly client summaries, opt-in (hourly; sent Sunday 17:00 local)": (
        task_names.SEND_WEEKLY_SUMMARIES,
        {"minute": "15", "hour": "*", "day_of_week": "*"},
    ),
    "Outbox relay (every minute)": (
        task_names.RELAY_OUTBOX,
        {"minute": "*", "hour": "*", "day_of_week": "*"},
    ),
    "Weekly therapist digests (hourly; sent Monday morning in each therapist's time zone)": (
        task_names.SEND_WEEKLY_DIGESTS,
        {"minute": "5", "hour": "*", "day_of_week": "*"},
    ),
    "Nightly trend refresh": (
        task_names.REFRESH_TRENDS,
        {"minute": "30", "hour": "2", "day_of_week": "*"},
    ),
}
