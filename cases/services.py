"""Every write to referrals and case tasks, and their reminders.

A referral or task is added by whoever may act on its record (``cases.records``); each
change is audited under the record's reference. Reminders go once each: a referral with
no response by its date to whoever referred it, a task on its due date to its owner.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from cases.models import CaseTask, Referral
from cases.records import (
    about_principal,
    case_record,
    may_act_on,
    may_complete_task,
    record_url,
)
from overstone.audit import audit_change, field_changes
from overstone.models import ANONYMISED_TEXT
from overstone.notify import email_link, notify
from overstone.workflow import Refused


class CaseRefused(Refused):
    """A referral or task the rules do not allow (the record finished, an owner who may not
    see the record, a task already done)."""


def _check_may_act(*, actor, reference: str):
    record = case_record(user=actor, reference=reference)
    if record is None or not may_act_on(actor, record):
        raise CaseRefused(f"{reference} can no longer be changed by you.")
    return record


REFERRAL_FIELDS = (
    "agency",
    "referred_on",
    "agency_reference",
    "contact",
    "response_due",
    "responded_on",
    "outcome",
)


@transaction.atomic
def referral_create(
    *,
    reference: str,
    agency: str,
    referred_on: date,
    response_due: date,
    agency_reference: str = "",
    contact: str = "",
    actor,
) -> Referral:
    _check_may_act(actor=actor, reference=reference)
    if response_due < referred_on:
        raise CaseRefused("A response cannot be expected before the referral was made.")
    referral = Referral.objects.create(
        record_reference=reference,
        agency=agency,
        referred_on=referred_on,
        response_due=response_due,
        agency_reference=agency_reference,
        contact=contact,
        referred_by=actor,
    )
    after = {name: getattr(referral, name) for name in REFERRAL_FIELDS}
    audit_change(actor=actor, obj=referral, changes=field_changes({}, after))
    return referral


@transaction.atomic
def referral_record_response(
    *, referral: Referral, responded_on: date, outcome: str, actor
) -> Referral:
    """The agency's response: when, and what came of it. Recorded again, it replaces the
    earlier one (both stay in the audit log)."""
    _check_may_act(actor=actor, reference=referral.record_reference)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if responded_on < referral.referred_on:
        raise CaseRefused("The response cannot be dated before the referral was made.")
    before = {name: getattr(referral, name) for name in REFERRAL_FIELDS}
    referral.responded_on, referral.outcome = responded_on, outcome
    referral.save(update_fields=["responded_on", "outcome"])
    after = {name: getattr(referral, name) for name in REFERRAL_FIELDS}
    audit_change(actor=actor, obj=referral, changes=field_changes(before, after))
    return referral


@transaction.atomic
def case_task_create(*, reference: str, what: str, owner, due_on: date, actor) -> CaseTask:
    _check_may_act(actor=actor, reference=reference)
    if case_record(user=owner, reference=reference) is None:
        raise CaseRefused(
            f"{owner.get_full_name() or owner.username} may not see {reference}, so cannot "
            "be given a task on it."
        )
    task = CaseTask.objects.create(
        record_reference=reference, what=what, owner=owner, due_on=due_on, created_by=actor
    )
    audit_change(
        actor=actor,
        obj=task,
        changes={"task": ["", what], "owner": ["", str(owner)], "due": ["", str(due_on)]},
    )
    return task


@transaction.atomic
def case_task_complete(*, task: CaseTask, actor) -> CaseTask:
    task = CaseTask.objects.select_for_update().get(pk=task.pk)
    if task.is_done:
        raise CaseRefused(f"“{task.what}” was already marked done.")
    record = case_record(user=actor, reference=task.record_reference)
    if record is None or not may_complete_task(actor, task, may_act=may_act_on(actor, record)):
        raise CaseRefused(f"{task.record_reference} can no longer be changed by you.")
    task.done_at, task.done_by = timezone.now(), actor
    task.save(update_fields=["done_at", "done_by"])
    audit_change(actor=actor, obj=task, changes={"done": ["", task.what]})
    return task


def referral_reminders_send(*, today: date | None = None) -> int:
    """Remind whoever made each referral still unanswered after its expected date; each
    once. Returns how many were sent."""
    today = today or timezone.localdate()
    late = Referral.objects.filter(
        responded_on__isnull=True, response_due__lt=today, reminded_at__isnull=True
    )
    sent = 0
    for pk in late.values_list("pk", flat=True):
        with transaction.atomic():
            referral = Referral.objects.select_for_update().select_related("referred_by").get(pk=pk)
            if referral.reminded_at is not None or not referral.is_overdue(today):
                continue
            context = {"referral": referral, "url": _url(referral.record_reference)}
            notify(
                "cases/emails/referral_overdue",
                context,
                to=[referral.referred_by],
                withheld_from_principal=about_principal(referral.record_reference),
            )
            referral.reminded_at = timezone.now()
            referral.save(update_fields=["reminded_at"])
            sent += 1
    return sent


def case_task_reminders_send(*, today: date | None = None) -> int:
    """Remind each open task's owner on the day it is due (or the first day after, if the
    reminder could not go then); each once. Returns how many were sent."""
    today = today or timezone.localdate()
    due = CaseTask.objects.filter(done_at__isnull=True, due_on__lte=today, reminded_at__isnull=True)
    sent = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            task = CaseTask.objects.select_for_update().select_related("owner").get(pk=pk)
            if task.reminded_at is not None or task.is_done:
                continue
            context = {
                "task": task,
                "late": task.due_on < today,
                "url": _url(task.record_reference),
            }
            notify(
                "cases/emails/task_due",
                context,
                to=[task.owner],
                withheld_from_principal=about_principal(task.record_reference),
            )
            task.reminded_at = timezone.now()
            task.save(update_fields=["reminded_at"])
            sent += 1
    return sent


def _url(reference: str) -> str:
    return email_link(record_url(reference))


@transaction.atomic
def case_anonymise(*, reference: str, actor) -> int:
    """Blank what the referrals and tasks on an anonymised record say about anyone,
    keeping what the annual report counts (agency, dates). Called with the record's own
    anonymisation (``overstone.personal_data.AttachedToRecord``). Returns how many."""
    referrals = Referral.objects.filter(record_reference=reference)
    tasks = CaseTask.objects.filter(record_reference=reference)
    changed = referrals.update(contact="", agency_reference="", outcome=ANONYMISED_TEXT)
    changed += tasks.update(what=ANONYMISED_TEXT)
    return changed
