from celery import shared_task

from .outbox import outbox_relay


@shared_task(name="accounts.tasks.relay_outbox", ignore_result=True)
def relay_outbox_task() -> int:
    """Sends outbox rows the commit hook could not hand to the broker."""
    return outbox_relay()
