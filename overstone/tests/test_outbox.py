import re
import time
from textwrap import dedent

import pytest
from django.db import transaction

from conftest import DEAD_BROKER_URL, run_django
from overstone.models import OutboxMessage
from overstone.outbox import outbox_dispatch, outbox_enqueue
from overstone.tasks import dispatch_outbox


@pytest.mark.django_db
def test_a_message_is_sent_after_commit_and_only_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue("overstone.tasks.dispatch_outbox")
        assert OutboxMessage.objects.get().dispatched_at is None  # nothing before commit
    message.refresh_from_db()
    assert message.dispatched_at is not None and message.attempts == 1
    assert outbox_dispatch(message_id=message.pk) is False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_broker_down_saves_at_once_and_keeps_the_message_pending():
    output = run_django(
        dedent("""
            import time
            from django.db import transaction
            from overstone.outbox import outbox_enqueue

            started = time.monotonic()
            with transaction.atomic():
                outbox_enqueue("overstone.tasks.dispatch_outbox")
            print(time.monotonic() - started)
        """),
        CELERY_BROKER_URL=DEAD_BROKER_URL,
    )
    assert float(output) < 3
    message = OutboxMessage.objects.get()
    assert message.dispatched_at is None
    assert "127.0.0.1:1" in message.last_error


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_sweep_on_a_real_worker_sends_what_was_kept(worker):
    kept = OutboxMessage.objects.create(task_name=dispatch_outbox.name)
    with transaction.atomic():
        outbox_enqueue("overstone.tasks.dispatch_outbox")
    deadline = time.monotonic() + 30
    while OutboxMessage.objects.filter(dispatched_at=None).exists():
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.2)
    kept.refresh_from_db()
    assert kept.attempts == 1
    while f"outbox-{kept.pk}] succeeded" not in worker.log():
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.2)


def test_every_task_named_in_the_code_is_registered():
    """Tasks are queued by name; a misspelt one would only fail in the worker."""
    from conftest import ROOT
    from overstone.celery import app

    app.loader.import_default_modules()
    sources = [
        path
        for app_dir in ("overstone", "incidents", "complaints", "training", "reporting", "privacy")
        for path in (ROOT / app_dir).rglob("*.py")
        if "tests" not in path.parts
    ]
    names = {
        name for path in sources for name in re.findall(r'"(\w+\.tasks\.\w+)"', path.read_text())
    }
    assert "training.tasks.send_booking_notice" in names and "overstone.tasks.send_email" in names
    assert sorted(name for name in names if name not in app.tasks) == []
