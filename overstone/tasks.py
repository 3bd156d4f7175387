from celery import shared_task

from overstone.outbox import outbox_dispatch_pending


@shared_task(acks_late=True, ignore_result=True)
def dispatch_outbox() -> int:
    """Send what the outbox kept while the broker was down (every minute, by beat)."""
    return outbox_dispatch_pending()
