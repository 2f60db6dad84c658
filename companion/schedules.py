"""Every periodic job, named and listed in one place.

Installed into django-celery-beat's tables by migration 0001 of companion (and again by
``manage.py install_schedules``), so staff can see and change them in the admin.
"""

# name → (task, crontab fields: minute, hour, day_of_week)
SCHEDULES: dict[str, tuple[str, dict[str, str]]] = {
    "Check-in reminders (every 5 minutes)": (
        "journal.tasks.send_due_reminders",
        {"minute": "*/5", "hour": "*", "day_of_week": "*"},
    ),
    "Homework and questionnaire reminders (hourly; sent 18:00 local)": (
        "journal.tasks.send_care_reminders",
        {"minute": "10", "hour": "*", "day_of_week": "*"},
    ),
    "Weekly client summaries, opt-in (hourly; sent Sunday 17:00 local)": (
        "journal.tasks.send_weekly_summaries",
        {"minute": "15", "hour": "*", "day_of_week": "*"},
    ),
    "Outbox relay (every minute)": (
        "accounts.tasks.relay_outbox",
        {"minute": "*", "hour": "*", "day_of_week": "*"},
    ),
    "Weekly therapist digests (hourly; sent Monday morning in each therapist's time zone)": (
        "therapists.tasks.send_weekly_digests",
        {"minute": "5", "hour": "*", "day_of_week": "*"},
    ),
    "Nightly trend refresh": (
        "therapists.tasks.refresh_trends",
        {"minute": "30", "hour": "2", "day_of_week": "*"},
    ),
}
