"""The one way to send an e-mail: ``notify(template, context, to)``.

    notify(
        "training/emails/booking_notice",
        {"booking": booking, "session": session},
        to=[booking.parent],
        attachments=[("overstone-training.ics", session_ics(session), "text/calendar")],
    )

- Subject and body are the templates ``<template>_subject.txt`` and ``<template>_body.txt``,
  rendered now (plain text: wrap each in ``{% autoescape off %}``). Whitespace in the
  subject, line breaks included, becomes single spaces.
- Recipients are users (skipped when inactive or without an address), roles
  (``overstone.roles.Role``: see ``emails_in_role``) or addresses; with none, nothing
  is queued and None is returned.
- The ``Email`` row is written in the caller's transaction and its ``send_email`` task
  queued through the outbox, so nothing leaves unless the change commits.
- One retry policy: a failed try (SMTP or connection error, or anything else) is tried
  again after 1, 2, 4... minutes (the ``retry_emails`` beat task queues it), up to
  MAX_TRIES tries; then it is marked failed and listed for the principal, unless it was
  queued ``withheld_from_principal`` (it is about a complaint or concern about them).
- Links to the site's pages: ``email_link(path)``.
- Kept for a while, then deleted: see ``emails_purge``.
- Sent once: see ``email_send``. What must be decided when it is sent (is the booking
  still confirmed? was this reminder sent already?) is decided by a task that then
  calls ``notify`` in the transaction that records the decision.
"""

import base64
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from overstone.models import Email, School
from overstone.outbox import outbox_enqueue
from overstone.roles import Role
from overstone.schools import school_id_or_default, users_with_roles

logger = logging.getLogger(__name__)

MAX_TRIES = 8  # 1 + 2 + 4 + ... + 64 minutes: about two hours of trying
FIRST_RETRY = timedelta(minutes=1)
# A queued try not made by then (its task lost with a broker) is queued again.
REQUEUE_AFTER = timedelta(minutes=10)


def emails_in_role(role: Role, school: School | int | None = None) -> list[str]:
    """The addresses of every active user in ``role`` at ``school`` (default: the school
    in scope), trust roles included: a record's principal or chair of governors is its
    own school's, never another's."""
    users = users_with_roles([role], school).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def email_link(path: str) -> str:
    """The full address of a page of this site, for an e-mail: it names the school the
    e-mail is from (``?school=``), so that someone with roles in several schools who is
    working in another is offered to switch to it (``SchoolLinkMiddleware``) rather than
    finding no such record::

        {"url": email_link(incident.get_absolute_url())}
    """
    separator = "&" if "?" in path else "?"
    return f"{settings.SITE_URL}{path}{separator}school={school_id_or_default()}"


def _addresses(to: Iterable[AbstractBaseUser | Role | str]) -> list[str]:
    found: list[str] = []
    for recipient in to:
        if isinstance(recipient, Role):
            found += emails_in_role(recipient)
        elif isinstance(recipient, str):
            found.append(recipient.strip())
        elif recipient.is_active:
            found.append((recipient.email or "").strip())
    return list(dict.fromkeys(address for address in found if address))


@transaction.atomic
def notify(
    template: str,
    context: dict,
    to: Iterable[AbstractBaseUser | Role | str],
    *,
    attachments: Iterable[tuple[str, str | bytes, str]] = (),
    withheld_from_principal: bool = False,
) -> Email | None:
    """Queue one e-mail to ``to``; ``attachments`` are (filename, content, mimetype)."""
    addresses = _addresses(to)
    if not addresses:
        logger.warning("Nobody to send %s to", template)
        return None
    # Every e-mail may sign off with the name of the school it is from.
    context = {"school": School.objects.get(pk=school_id_or_default()), **context}
    email = Email.objects.create(
        template=template,
        to=addresses,
        subject=" ".join(render_to_string(f"{template}_subject.txt", context).split()),
        body=render_to_string(f"{template}_body.txt", context),
        attachments=[
            {
                "filename": filename,
                "mimetype": mimetype,
                "content": base64.b64encode(
                    content.encode() if isinstance(content, str) else content
                ).decode(),
            }
            for filename, content, mimetype in attachments
        ],
        next_try_at=timezone.now() + REQUEUE_AFTER,
        withheld_from_principal=withheld_from_principal,
    )
    outbox_enqueue("overstone.tasks.send_email", email.pk)
    return email


def email_send(*, email_id: int) -> bool:
    """Try to send one queued e-mail; True if it was sent now.

    The first statement writes the row, so a second task for the same e-mail (a retry,
    or a task the broker delivered twice) waits for this one's transaction and then finds
    it sent. EMAIL_TIMEOUT bounds that wait.
    """
    try:
        with transaction.atomic():
            waiting = Email.objects.filter(pk=email_id, status=Email.Status.PENDING)
            if not waiting.update(tries=F("tries") + 1):
                return False
            email = Email.objects.get(pk=email_id)
            message = EmailMessage(email.subject, email.body, to=email.to)
            for attachment in email.attachments:
                content = base64.b64decode(attachment["content"])
                message.attach(attachment["filename"], content, attachment["mimetype"])
            message.send()
            email.status, email.sent_at, email.last_error = Email.Status.SENT, timezone.now(), ""
            # Kept no longer than needed: a body may hold a set-password link.
            email.body, email.attachments = "", []
            email.save(update_fields=["status", "sent_at", "last_error", "body", "attachments"])
        return True
    except Exception as error:  # whatever failed, it is retried a bounded number of times
        _email_failed(email_id=email_id, error=error)
        return False


@transaction.atomic
def _email_failed(*, email_id: int, error: Exception) -> None:
    email = Email.objects.select_for_update().get(pk=email_id)
    now = timezone.now()
    email.tries += 1
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    if email.tries >= MAX_TRIES:
        email.status, email.failed_at = Email.Status.FAILED, now
        logger.error("E-mail %s failed %s times, giving up: %s", email.pk, email.tries, error)
    else:
        email.next_try_at = now + FIRST_RETRY * 2 ** (email.tries - 1)
        logger.warning("E-mail %s failed (try %s), will retry: %s", email.pk, email.tries, error)
    email.save(update_fields=["tries", "last_error", "status", "failed_at", "next_try_at"])


@transaction.atomic
def emails_retry_due(*, now: datetime | None = None) -> int:
    """Queue another try of every e-mail waiting whose next try is due (beat, every
    minute)."""
    now = now or timezone.now()
    waiting = Email.objects.filter(status=Email.Status.PENDING, next_try_at__lte=now)
    due = list(waiting.values_list("pk", flat=True))
    for pk in due:
        outbox_enqueue("overstone.tasks.send_email", pk)
    Email.objects.filter(pk__in=due).update(next_try_at=now + REQUEUE_AFTER)
    return len(due)


def emails_purge(*, now: datetime | None = None) -> int:
    """Delete the record of each e-mail sent longer ago than the sent retention period,
    and of each given up on longer ago than the failed one
    (``settings.OVERSTONE_EMAIL_RETENTION_DAYS``); one still being tried stays. Daily, by
    beat; returns how many were deleted."""
    now = now or timezone.now()
    days = settings.OVERSTONE_EMAIL_RETENTION_DAYS
    sent_before = now - timedelta(days=days["sent"])
    failed_before = now - timedelta(days=days["failed"])
    deleted, _ = Email.objects.filter(
        Q(status=Email.Status.SENT, sent_at__lt=sent_before)
        | Q(status=Email.Status.FAILED, failed_at__lt=failed_before)
    ).delete()
    if deleted:
        logger.info("Deleted the records of %s old e-mails", deleted)
    return deleted
