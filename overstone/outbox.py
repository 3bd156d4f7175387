"""Durable queueing of Celery tasks: see OutboxMessage.

Tasks are named, never imported, so that services and tasks do not import each other:

    outbox_enqueue("training.tasks.send_booking_notice", booking.pk, "confirmed")
"""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from overstone.celery import app as celery_app
from overstone.models import OutboxMessage
from overstone.schools import current_school_id

logger = logging.getLogger(__name__)


def outbox_enqueue(task_name: str, *args: int | str) -> OutboxMessage:
    """Queue the task named ``task_name`` with ``args`` (ids, and plain values such as a
    kind) to run after the current transaction commits."""
    message = OutboxMessage.objects.create(
        task_name=task_name, args=list(args), school_id=current_school_id()
    )
    transaction.on_commit(lambda: outbox_dispatch(message_id=message.pk))
    return message


def outbox_dispatch(*, message_id: int) -> bool:
    """Send one message to the broker, once. False if it was already sent or the broker
    is down (then it stays pending for the next sweep)."""
    claimed = OutboxMessage.objects.filter(pk=message_id, dispatched_at=None).update(
        dispatched_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        celery_app.send_task(
            message.task_name,
            args=message.args,
            task_id=f"outbox-{message.pk}",
            headers={"school_id": message.school_id},
        )
    except Exception as exc:  # any broker failure: keep the message for later
        logger.warning("Broker unavailable, %s stays in the outbox: %s", message, exc)
        OutboxMessage.objects.filter(pk=message_id).update(
            dispatched_at=None, last_error=str(exc)[:1000]
        )
        return False
    return True


def outbox_dispatch_pending(*, limit: int = 500) -> int:
    pending = OutboxMessage.objects.filter(dispatched_at=None).values_list("pk", flat=True)
    return sum(outbox_dispatch(message_id=pk) for pk in list(pending[:limit]))
