"""Thin Celery tasks: take primary keys, call a service. Each is safe to run twice."""

from celery import shared_task

from overstone.schools import each_school
from training.services import bookings, parents, working_party


@shared_task(acks_late=True, ignore_result=True)
def send_parent_invitation(invitation_id: int) -> bool:
    return parents.invitation_send(invitation_id=invitation_id)


@shared_task(acks_late=True, ignore_result=True)
def send_booking_notice(booking_id: int, kind: str) -> bool:
    return bookings.booking_notice_send(booking_id=booking_id, kind=kind)


@shared_task(acks_late=True, ignore_result=True)
def queue_session_reminders() -> int:
    """Beat, hourly: the day-before reminders, school by school."""
    return sum(bookings.session_reminders_queue() for _school in each_school())


@shared_task(acks_late=True, ignore_result=True)
def remind_unscheduled_term_meeting() -> int:
    """Beat, every six hours: each school three weeks into a term without a working party
    meeting reminds its coordinator(s). The number of schools reminded."""
    return sum(working_party.term_meeting_reminder_send() for _school in each_school())


@shared_task(acks_late=True, ignore_result=True)
def send_parent_invitations(invitation_ids: list[int]) -> int:
    """The invitations of an import, a batch a task."""
    return sum(parents.invitation_send(invitation_id=pk) for pk in invitation_ids)


@shared_task(acks_late=True, ignore_result=True)
def import_parents(job_id: int) -> None:
    parents.parents_import_job_run(job_id=job_id)
