"""Every write about retention, legal holds and subject-access requests.

Nothing here deletes a record or anonymises one on its own: the monthly review only lists
records past retention, and each anonymisation is the principal's approval of one record.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from overstone.audit import audit_change
from overstone.notify import email_link, notify
from overstone.personal_data import attached_anonymise, record_kind, record_kinds
from overstone.references import reference_next
from overstone.roles import Role
from overstone.schools import users_with_roles
from overstone.workflow import Move, Refused, Workflow, transition
from privacy.models import Anonymisation, LegalHold, RetentionReview, SubjectAccessRequest
from privacy.selectors import finished_past_retention, past_retention, record_find


class PrivacyError(Refused):
    """A request the rules refuse; the message says why."""


@transaction.atomic
def legal_hold_place(*, reference: str, reason: str, actor) -> LegalHold:
    found = record_find(reference=reference, user=actor)
    if found is None:  # also when it exists but the actor may not open it
        kinds = [kind.name for kind in record_kinds()]
        named = f"{', '.join(kinds[:-1])} or {kinds[-1]}" if len(kinds) > 1 else kinds[0]
        raise PrivacyError(f"No {named} has the reference {reference}.")
    kind, record = found
    # Locked as retention_anonymise locks it: a hold and an anonymisation never cross.
    record = kind.model.objects.select_for_update().get(pk=record.pk)
    if Anonymisation.objects.filter(record_type=kind.name, record_id=record.pk).exists():
        raise PrivacyError(f"{reference} has already been anonymised.")
    try:
        with transaction.atomic():
            hold = LegalHold.objects.create(
                record_type=kind.name,
                record_id=record.pk,
                reference=record.reference,
                reason=reason,
                placed_by=actor,
            )
    except IntegrityError:
        raise PrivacyError(f"{reference} is already on legal hold.") from None
    audit_change(
        actor=actor, obj=hold, reference=hold.reference, changes={"legal hold": ["", reason]}
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, hold: LegalHold, actor) -> LegalHold:
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if not hold.is_active:
        raise PrivacyError(f"The legal hold on {hold.reference} was already lifted.")
    hold.lifted_by, hold.lifted_at = actor, timezone.now()
    hold.save(update_fields=["lifted_by", "lifted_at"])
    audit_change(
        actor=actor, obj=hold, reference=hold.reference, changes={"legal hold": [hold.reason, ""]}
    )
    return hold


def retention_anonymise(
    *, selections: list[tuple[str, int]], actor, today: date | None = None
) -> tuple[list[str], list[str]]:
    """Anonymise the chosen records, each in its own transaction, if each is still past
    retention, not on hold and one the actor may see. Returns the references done and the
    reasons for any not (a record the actor may not see is named by its id only)."""
    today = today or timezone.localdate()
    done, refused = [], []
    for record_type, record_id in selections:
        kind = record_kind(record_type)
        if kind is None:
            refused.append(f"{record_type} {record_id} is not a record retention covers.")
            continue
        with transaction.atomic():
            record = kind.model.objects.select_for_update().filter(pk=record_id).first()
            finished_at = record and finished_past_retention(
                kind=kind, record_id=record_id, user=actor, today=today
            )
            if finished_at is None:
                visible = kind.records(actor).filter(pk=record_id).exists()
                name = record.reference if visible else f"{kind.name} {record_id}"
                refused.append(f"{name} is no longer awaiting a retention decision.")
                continue
            Anonymisation.objects.create(
                record_type=kind.name,
                record_id=record.pk,
                reference=record.reference,
                finished_at=finished_at,
                approved_by=actor,
            )
            kind.anonymise(record, actor)
            attached_anonymise(reference=record.reference, actor=actor)
            audit_change(
                actor=actor, obj=record, changes={"anonymised": ["", "approved as past retention"]}
            )
        done.append(record.reference)
    return done, refused


def _principal():
    """A principal, whose list the review counts (every principal sees the same one)."""
    principals = users_with_roles([Role.PRINCIPAL])
    return principals.order_by("pk").first()


def retention_review_prepare(*, today: date | None = None) -> int:
    """The school's review of the month: count the records past retention and, if there
    are any, tell the principal to decide. Once a month; returns how many were listed (0
    if done)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        month = today.replace(day=1)
        if RetentionReview.objects.select_for_update().filter(month=month).exists():
            return 0
        principal = _principal()
        if principal is None:
            return 0  # no one to decide: tried again on the next run
        listed = past_retention(user=principal, today=today).count()
        RetentionReview.objects.create(month=month, records_listed=listed)
        if listed:
            context = {
                "listed": listed,
                "month": month,
                "url": email_link(reverse("privacy:retention")),
            }
            notify("privacy/emails/review", context, to=[Role.PRINCIPAL])
    return listed


# Days before the due date that the principal is reminded of an open request.
DUE_SOON_DAYS = 7


def sar_reminders_send(*, today: date | None = None) -> int:
    """Remind the principal of the school's open subject-access requests due within a
    week, and again of those now late: each reminder once per request. Returns how many
    were sent."""
    today = today or timezone.localdate()
    open_requests = SubjectAccessRequest.objects.filter(
        status=SubjectAccessRequest.Status.OPEN,
        due_on__lte=today + timedelta(days=DUE_SOON_DAYS),
    )
    sent = 0
    for pk in open_requests.values_list("pk", flat=True):
        with transaction.atomic():
            sar = SubjectAccessRequest.objects.select_for_update().get(pk=pk)
            late = sar.due_on < today
            field = "reminded_overdue_at" if late else "reminded_due_soon_at"
            if sar.status != sar.Status.OPEN or getattr(sar, field) is not None:
                continue
            context = {
                "sar": sar,
                "late": late,
                "days_left": (sar.due_on - today).days,
                "url": email_link(sar.get_absolute_url()),
            }
            notify("privacy/emails/sar_reminder", context, to=[Role.PRINCIPAL])
            setattr(sar, field, timezone.now())
            sar.save(update_fields=[field])
            sent += 1
    return sent


@transaction.atomic
def sar_create(
    *,
    actor,
    subject_name: str,
    received_on: date,
    subject_user=None,
    other_names: str = "",
    notes: str = "",
) -> SubjectAccessRequest:
    sar = SubjectAccessRequest.objects.create(
        reference=reference_next(prefix="SAR"),
        subject_name=subject_name,
        subject_user=subject_user,
        other_names=other_names,
        received_on=received_on,
        due_on=received_on + relativedelta(months=1),
        notes=notes,
        created_by=actor,
    )
    audit_change(actor=actor, obj=sar, changes={"due on": ["", str(sar.due_on)]})
    return sar


def _sar_audit(move: Move) -> None:
    audit_change(actor=move.actor, obj=move.record, changes=move.changes)


SAR_WORKFLOW = Workflow(
    transitions={
        SubjectAccessRequest.Status.OPEN: {SubjectAccessRequest.Status.COMPLETED},
        SubjectAccessRequest.Status.COMPLETED: set(),
    },
    chronicle=_sar_audit,
)


@transaction.atomic
def sar_extend(*, sar: SubjectAccessRequest, reason: str, actor) -> SubjectAccessRequest:
    """A complex request: due three months after receipt instead of one (once only)."""
    sar = SubjectAccessRequest.objects.select_for_update().get(pk=sar.pk)
    SAR_WORKFLOW.check_open(sar)
    if sar.extension_reason:
        raise PrivacyError(f"{sar.reference} has already been extended.")
    before = str(sar.due_on)
    sar.due_on, sar.extension_reason = sar.received_on + relativedelta(months=3), reason
    sar.reminded_due_soon_at = sar.reminded_overdue_at = None  # remind again for the new date
    fields = ["due_on", "extension_reason", "reminded_due_soon_at", "reminded_overdue_at"]
    sar.save(update_fields=fields)
    audit_change(actor=actor, obj=sar, changes={"due on": [before, str(sar.due_on)]})
    return sar


def sar_complete(
    *, sar: SubjectAccessRequest, actor, on: date | None = None
) -> SubjectAccessRequest:
    def stop_the_clock(sar: SubjectAccessRequest) -> None:
        sar.completed_on = on or timezone.localdate()

    return transition(
        sar,
        to=SubjectAccessRequest.Status.COMPLETED,
        actor=actor,
        workflow=SAR_WORKFLOW,
        apply=stop_the_clock,
    )
