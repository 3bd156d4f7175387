from celery import shared_task

from overstone.evidence import evidence_orphans_report
from overstone.imports import import_job_errors_purge
from overstone.notify import email_send, emails_purge, emails_retry_due
from overstone.outbox import outbox_dispatch_pending
from overstone.schools import each_school
from overstone.twofactor import two_factor_reset_notify


@shared_task(acks_late=True, ignore_result=True)
def dispatch_outbox() -> int:
    """Send what the outbox kept while the broker was down (every minute, by beat)."""
    return outbox_dispatch_pending()


@shared_task(acks_late=True)
def send_email(email_id: int) -> bool:
    """One try at an e-mail queued by ``overstone.notify``."""
    return email_send(email_id=email_id)


@shared_task(acks_late=True, ignore_result=True)
def retry_emails() -> int:
    """Beat, every minute: another try of each e-mail whose back-off is over, school by
    school (each try is queued in its e-mail's school)."""
    return sum(emails_retry_due() for _ in each_school())


@shared_task(acks_late=True, ignore_result=True)
def purge_old_emails() -> int:
    """Daily, by beat: delete the records of e-mails past their retention period, school
    by school."""
    return sum(emails_purge() for _ in each_school())


@shared_task(acks_late=True, ignore_result=True)
def purge_import_errors() -> int:
    """Daily, by beat: empty the row problems of imports past their retention period,
    school by school."""
    return sum(import_job_errors_purge() for _ in each_school())


@shared_task(acks_late=True)
def email_two_factor_reset(user_id: int, audit_entry_id: int) -> int:
    return two_factor_reset_notify(user_id=user_id, audit_entry_id=audit_entry_id)


@shared_task(acks_late=True, ignore_result=True)
def report_evidence_orphans() -> int:
    """Daily, by beat: tell the principals how many stored files no record refers to."""
    return evidence_orphans_report()
