"""Every Celery task's name, written once.

Apps enqueue work for each other by name (journal asks therapists to refresh a trend
without importing therapists), so the names are shared constants: the task decorators,
the outbox calls and the beat schedule all use these, and a test checks that each names
a registered task.
"""

# accounts
RELAY_OUTBOX = "accounts.tasks.relay_outbox"
BUILD_EXPORT = "accounts.tasks.build_export"
SEND_ENROLMENT_LINK = "accounts.tasks.send_enrolment_link"
SEND_REGISTRATION_NOTICE = "accounts.tasks.send_registration_notice"
SEND_INVITATION = "accounts.tasks.send_invitation"

# journal
SEND_DUE_REMINDERS = "journal.tasks.send_due_reminders"
SCHEDULE_NEXT_REMINDER = "journal.tasks.schedule_next_reminder"
SEND_CARE_REMINDERS = "journal.tasks.send_care_reminders"
SEND_WEEKLY_SUMMARIES = "journal.tasks.send_weekly_summaries"

# therapists
REFRESH_CLIENT_TREND = "therapists.tasks.refresh_client_trend"
REFRESH_TREND_CHUNK = "therapists.tasks.refresh_trend_chunk"
REFRESH_TRENDS = "therapists.tasks.refresh_trends"
RAISE_SAFETY_FLAG = "therapists.tasks.raise_safety_flag"
ASSESS_WORSENING = "therapists.tasks.assess_worsening"
SEND_DIGEST_CHUNK = "therapists.tasks.send_digest_chunk"
SEND_WEEKLY_DIGESTS = "therapists.tasks.send_weekly_digests"
