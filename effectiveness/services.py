"""Writes for effectiveness checks and risk assessments.

A check is started (an audit copies the template's lines in use), filled in while it is
in progress, then completed: completing it moves the review date of the policy it is
noted against on (``reporting.services.policy_review_due_move``), in the same
transaction, so a completed check and the register never disagree.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from effectiveness.models import (
    AuditItem,
    CheckKind,
    ChecklistItem,
    EffectivenessCheck,
    RiskAssessment,
    RiskReminder,
)
from overstone.audit import audit_change, field_changes
from overstone.notify import email_link, notify
from overstone.references import reference_next
from overstone.workflow import InvalidTransition, Move, Refused, Workflow, transition
from reporting.services import policy_review_due_move

Status = EffectivenessCheck.Status
REFERENCE_PREFIX = "CHK"
CHECK_FIELDS = [
    "policy",
    "held_on",
    "checked_by",
    "title",
    "spoke_with",
    "tested",
    "result",
    "findings",
    "actions",
]
ITEM_FIELDS = ["outcome", "evidence", "action"]
CHECKLIST_ITEM_FIELDS = ["text", "position", "in_use"]
RISK_FIELDS = ["activity", "risks", "controls", "owner", "review_due"]
# The owner is reminded this many days before the review date, and once it has passed.
RISK_REMINDER_DAYS = 14


class ChecklistEmpty(Refused):
    """An audit needs at least one line in the school's template."""


def _check_audit(move: Move) -> None:
    audit_change(actor=move.actor, obj=move.record, changes=move.changes)


WORKFLOW = Workflow(
    transitions={Status.DRAFT: {Status.COMPLETED}, Status.COMPLETED: set()},
    chronicle=_check_audit,
)


def _values(obj, names: list[str]) -> dict:
    return {name: getattr(obj, name) for name in names}


# ---------------------------------------------------------------------------
# The audit template
# ---------------------------------------------------------------------------
@transaction.atomic
def checklist_item_save(*, item: ChecklistItem, actor) -> ChecklistItem:
    """Add or change a line of the template (the form has validated it)."""
    saved = ChecklistItem.objects.filter(pk=item.pk).first() if item.pk else None
    before = _values(saved, CHECKLIST_ITEM_FIELDS) if saved else {}
    item.save()
    changes = field_changes(before, _values(item, CHECKLIST_ITEM_FIELDS))
    audit_change(actor=actor, obj=item, changes=changes, reference=f"checklist line {item.pk}")
    return item


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------
@transaction.atomic
def check_create(*, kind: str, actor, **fields) -> EffectivenessCheck:
    """Start a check of ``kind``; an audit starts with the template's lines in use."""
    lines = list(ChecklistItem.objects.filter(in_use=True))
    if kind == CheckKind.AUDIT and not lines:
        raise ChecklistEmpty(
            "The audit checklist has no lines in use: add them to the template first."
        )
    check = EffectivenessCheck(
        reference=reference_next(prefix=REFERENCE_PREFIX), kind=kind, created_by=actor, **fields
    )
    check.full_clean()
    check.save()
    if kind == CheckKind.AUDIT:
        AuditItem.objects.bulk_create(
            AuditItem(audit=check, position=number, text=line.text)
            for number, line in enumerate(lines, start=1)
        )
    audit_change(actor=actor, obj=check, changes=field_changes({}, _values(check, CHECK_FIELDS)))
    return check


def _locked_draft(check: EffectivenessCheck) -> EffectivenessCheck:
    check = EffectivenessCheck.objects.select_for_update().get(pk=check.pk)
    WORKFLOW.check_open(check)
    return check


@transaction.atomic
def check_update(*, check: EffectivenessCheck, actor, **fields) -> EffectivenessCheck:
    """Change a check in progress; a completed one stays as it was completed."""
    check = _locked_draft(check)
    before = _values(check, CHECK_FIELDS)
    for name, value in fields.items():
        setattr(check, name, value)
    check.full_clean()
    check.save()
    audit_change(actor=actor, obj=check, changes=field_changes(before, _values(check, fields)))
    return check


@transaction.atomic
def audit_items_save(
    *, check: EffectivenessCheck, findings: dict[int, dict], actor
) -> EffectivenessCheck:
    """Save the audit's findings, ``{item pk: {"outcome", "evidence", "action"}}``."""
    check = _locked_draft(check)
    for item in check.items.filter(pk__in=findings):
        before = _values(item, ITEM_FIELDS)
        for name in ITEM_FIELDS:
            setattr(item, name, findings[item.pk][name])
        changes = field_changes(before, _values(item, ITEM_FIELDS))
        if changes:
            item.save(update_fields=ITEM_FIELDS)
            reference = f"{check.reference} line {item.position}"
            audit_change(actor=actor, obj=item, changes=changes, reference=reference)
    return check


def check_missing(check: EffectivenessCheck) -> list[str]:
    """What must still be recorded before the check can be completed."""
    if check.kind == CheckKind.AUDIT:
        items = list(check.items.all())
        missing = [f"line {i.position}: met, partly met or not met" for i in items if not i.outcome]
        missing += [
            f"line {i.position}: the action (it is {i.get_outcome_display().lower()})"
            for i in items
            if i.outcome and i.outcome != "met" and not i.action.strip()
        ]
        return missing
    if check.kind == CheckKind.FILTERING:
        needed = {"tested": "what was tested", "result": "the result"}
    elif check.kind == CheckKind.CONVERSATION:
        needed = {"spoke_with": "whom you spoke with", "findings": "the findings"}
    else:
        needed = {"findings": "the findings"}
    return [label for name, label in needed.items() if not str(getattr(check, name)).strip()]


def check_complete(*, check: EffectivenessCheck, actor) -> EffectivenessCheck:
    """Complete the check and move its policy's review date on, both or neither."""

    def complete(check: EffectivenessCheck) -> None:
        missing = check_missing(check)
        if missing:
            raise InvalidTransition(
                f"{check.reference} cannot be completed yet. Still to record: {'; '.join(missing)}."
            )
        if check.held_on > timezone.localdate():
            raise InvalidTransition(f"{check.reference} is dated in the future.")
        check.completed_at, check.completed_by = timezone.now(), actor

    with transaction.atomic():
        check = transition(
            check,
            to=Status.COMPLETED,
            actor=actor,
            workflow=WORKFLOW,
            expected=Status.DRAFT,
            apply=complete,
        )
        policy_review_due_move(
            policy=check.policy,
            checked_on=check.held_on,
            actor=actor,
            because=f"{check.reference} {check.get_kind_display().lower()} completed",
        )
    return check


# ---------------------------------------------------------------------------
# Risk assessments
# ---------------------------------------------------------------------------
@transaction.atomic
def risk_assessment_save(*, assessment: RiskAssessment, actor) -> RiskAssessment:
    """Add or change a risk assessment (the form has validated it). A new review date
    brings new reminders (they are kept per date)."""
    assessment.full_clean()
    saved = RiskAssessment.objects.filter(pk=assessment.pk).first() if assessment.pk else None
    before = _values(saved, RISK_FIELDS) if saved else {}
    assessment.save()
    changes = field_changes(before, _values(assessment, RISK_FIELDS))
    audit_change(actor=actor, obj=assessment, changes=changes, reference=assessment.activity)
    return assessment


def risk_reminder_kind(assessment: RiskAssessment, today: date) -> str | None:
    """Which reminder is due today: before the review date, or once it has passed."""
    if assessment.is_overdue(today):
        return RiskReminder.Kind.OVERDUE
    if assessment.review_due - today <= timedelta(days=RISK_REMINDER_DAYS):
        return RiskReminder.Kind.DUE_SOON
    return None


def risk_reminders_send(*, today: date | None = None) -> int:
    """E-mail each owner before a review falls due and when it is overdue, each once per
    review date (daily, beat)."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=RISK_REMINDER_DAYS)
    sent = 0
    for assessment in RiskAssessment.objects.filter(review_due__lte=horizon):
        kind = risk_reminder_kind(assessment, today)
        with transaction.atomic():
            _, created = RiskReminder.objects.get_or_create(
                assessment=assessment, review_due=assessment.review_due, kind=kind
            )
            if not created:
                continue
            context = {
                "assessment": assessment,
                "overdue": kind == RiskReminder.Kind.OVERDUE,
                "url": email_link(assessment.get_absolute_url()),
            }
            notify("effectiveness/emails/risk_reminder", context, to=[assessment.owner])
            sent += 1
    return sent
