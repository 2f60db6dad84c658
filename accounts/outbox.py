"""The transactional outbox: how any app causes background work without losing it.

``outbox_enqueue`` writes a row inside the caller's transaction and, on commit, tries to
hand it to the broker with a short, bounded timeout. A row the broker did not take stays
pending; ``accounts.tasks.relay_outbox`` (every minute from beat) sends it later. Tasks
are idempotent, so a row sent twice (commit hook and relay racing) does no harm.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)


def outbox_enqueue(task_name: str, **kwargs: object) -> OutboxMessage:
    message = OutboxMessage.objects.create(task_name=task_name, kwargs=kwargs)
    transaction.on_commit(lambda: _dispatch(message))
    return message


def _send(message: OutboxMessage) -> None:
    from celery import current_app as app

    app.signature(message.task_name, kwargs=message.kwargs).apply_async(
        retry=True,
        retry_policy={
            "max_retries": 1,
            "interval_start": 0,
            "interval_step": 0.5,
            "interval_max": 1,
        },
    )


def _dispatch(message: OutboxMessage) -> bool:
    """Hand a message in hand to the broker, then record the attempt in one UPDATE.

    The row is marked dispatched only after the broker took it; if this process dies in
    between, the relay sends it again (tasks are idempotent).
    """
    try:
        _send(message)
    except Exception as exc:  # the broker is down or unreachable: leave it for the relay
        logger.warning(
            "outbox: broker did not take message %s (%s): %s",
            message.pk,
            message.task_name,
            type(exc).__name__,
        )
        OutboxMessage.objects.filter(pk=message.pk).update(attempts=F("attempts") + 1)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=F("attempts") + 1, dispatched_at=timezone.now()
    )
    return True


def outbox_dispatch(*, message_id: int) -> bool:
    """Send one pending message; True when the broker took it (or it was already sent)."""
    message = OutboxMessage.objects.filter(pk=message_id, dispatched_at__isnull=True).first()
    if message is None:
        return True
    return _dispatch(message)


def outbox_relay(*, older_than: timedelta = timedelta(seconds=10), limit: int = 500) -> int:
    """Send pending messages that their commit hook did not manage to send."""
    cutoff = timezone.now() - older_than
    pending = list(
        OutboxMessage.objects.filter(dispatched_at__isnull=True, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    # Re-read row by row: a commit hook may have sent one of these since the list was taken.
    for pk in pending:
        if not outbox_dispatch(message_id=pk):
            break  # the broker is still down; try again on the next run
        sent += 1
    return sent
