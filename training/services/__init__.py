"""Every write in training, one module per subject: ``parents`` (accounts and
invitations), ``bookings`` (sessions, bookings and their notices), ``induction`` and
``working_party``.

Each function is one transaction that records what matters and queues e-mail through
the outbox, so it leaves only after the change commits.
"""

from django.conf import settings

from training.models import AuditEntry


class TrainingError(Exception):
    """A request the rules refuse; the message is meant for the person who asked."""


class InvalidTransition(TrainingError):
    pass


def audit(*, actor, action: str, subject, before: str = "", after: str = "", note: str = ""):
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        subject_type=type(subject).__name__,
        subject_id=subject.pk,
        before=before,
        after=after,
        note=note,
    )


def audit_many(*, actor, action: str, entries: list[tuple]) -> None:
    """``audit`` for many subjects at once, ``entries`` as (subject, after): an import of
    thousands of parents writes its entries in a few queries."""
    actor_id = getattr(actor, "pk", None)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor_id=actor_id,
                action=action,
                subject_type=type(subject).__name__,
                subject_id=subject.pk,
                after=after,
            )
            for subject, after in entries
        ],
        batch_size=1000,
    )


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
