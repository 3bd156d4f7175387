import time

import pytest
from django.db import transaction

from overstone.models import OutboxMessage
from overstone.outbox import outbox_dispatch, outbox_enqueue
from overstone.tasks import dispatch_outbox


@pytest.mark.django_db
def test_a_message_is_sent_after_commit_and_only_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue(dispatch_outbox)
        assert OutboxMessage.objects.get().dispatched_at is None  # nothing before commit
    message.refresh_from_db()
    assert message.dispatched_at is not None and message.attempts == 1
    assert outbox_dispatch(message_id=message.pk) is False


@pytest.mark.django_db
def test_broker_down_keeps_the_message_pending(monkeypatch, django_capture_on_commit_callbacks):
    from overstone.celery import app

    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue(dispatch_outbox)
    assert time.monotonic() - started < 5
    message.refresh_from_db()
    assert message.dispatched_at is None
    assert message.last_error


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_sweep_on_a_real_worker_sends_what_was_kept(worker):
    kept = OutboxMessage.objects.create(task_name=dispatch_outbox.name)
    with transaction.atomic():
        outbox_enqueue(dispatch_outbox)
    deadline = time.monotonic() + 30
    while OutboxMessage.objects.filter(dispatched_at=None).exists():
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.2)
    kept.refresh_from_db()
    assert kept.attempts == 1
    while f"outbox-{kept.pk}] succeeded" not in worker.log():
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.2)
