from datetime import date, timedelta

import pytest
from django.utils import timezone

from effectiveness import services
from effectiveness.models import CheckKind, EffectivenessCheck, RiskReminder
from effectiveness.tests.factories import (
    ChecklistItemFactory,
    RiskAssessmentFactory,
    a_check,
    an_audit,
)
from overstone.models import AuditLogEntry
from overstone.roles import Role
from overstone.tests.factories import UserFactory
from overstone.workflow import InvalidTransition, RecordFinished, StaleTransition
from reporting.tests.factories import PolicyFactory

pytestmark = pytest.mark.django_db


def fill(audit, outcome="met", action=""):
    findings = {
        item.pk: {"outcome": outcome, "evidence": "Seen", "action": action}
        for item in audit.items.all()
    }
    services.audit_items_save(check=audit, findings=findings, actor=audit.created_by)


# ---------------------------------------------------------------------------
# The audit template
# ---------------------------------------------------------------------------
def test_an_audit_starts_with_the_template_lines_in_use_and_keeps_them_when_edited():
    first = ChecklistItemFactory(text="Policy reviewed", position=2)
    ChecklistItemFactory(text="Staff signed", position=1)
    ChecklistItemFactory(text="Retired line", in_use=False)
    audit = an_audit()
    assert [i.text for i in audit.items.all()] == ["Staff signed", "Policy reviewed"]

    first.text = "Policy reviewed against the LA guidance"
    services.checklist_item_save(item=first, actor=audit.created_by)
    assert audit.items.filter(text="Policy reviewed").exists()
    assert an_audit().items.filter(text="Policy reviewed against the LA guidance").exists()


def test_an_audit_cannot_start_from_an_empty_template():
    ChecklistItemFactory(in_use=False)
    with pytest.raises(services.ChecklistEmpty):
        an_audit()
    assert not EffectivenessCheck.objects.exists()


# ---------------------------------------------------------------------------
# Completing a check moves the policy's review date on
# ---------------------------------------------------------------------------
def test_completing_an_audit_moves_the_policy_review_date_on_and_audits_it():
    policy = PolicyFactory(review_due=date(2025, 8, 31), review_every_months=12)
    audit = an_audit(policy=policy, held_on=timezone.localdate())
    fill(audit)
    services.check_complete(check=audit, actor=audit.created_by)

    policy.refresh_from_db()
    assert policy.review_due == policy.next_review_after(timezone.localdate())
    entry = AuditLogEntry.objects.filter(object_reference=str(policy.pk)).latest("pk")
    assert entry.changes["review_due"] == ["2025-08-31", str(policy.review_due)]
    assert audit.reference in entry.changes["because"][1]
    audit.refresh_from_db()
    assert audit.status == EffectivenessCheck.Status.COMPLETED
    assert audit.completed_by == audit.created_by


def test_a_review_date_already_later_is_not_moved_back():
    later = timezone.localdate() + timedelta(days=500)
    policy = PolicyFactory(review_due=later, review_every_months=12)
    check = a_check(policy=policy, findings="Good use of the safety rules")
    services.check_complete(check=check, actor=check.created_by)
    policy.refresh_from_db()
    assert policy.review_due == later


def test_the_review_date_moves_from_the_date_of_the_check():
    policy = PolicyFactory(review_due=date(2025, 8, 31), review_every_months=12)
    held_on = timezone.localdate() - timedelta(days=40)
    check = a_check(policy=policy, held_on=held_on, findings="Pupils knew how to report")
    services.check_complete(check=check, actor=check.created_by)
    policy.refresh_from_db()
    assert policy.review_due == policy.next_review_after(held_on)


def test_an_audit_with_a_line_unchecked_is_not_completed_and_the_date_stays():
    policy = PolicyFactory(review_due=date(2025, 8, 31))
    audit = an_audit(policy=policy)
    first = audit.items.first()
    services.audit_items_save(
        check=audit,
        findings={first.pk: {"outcome": "met", "evidence": "", "action": ""}},
        actor=audit.created_by,
    )
    with pytest.raises(InvalidTransition, match="line 2: met, partly met or not met"):
        services.check_complete(check=audit, actor=audit.created_by)
    policy.refresh_from_db()
    assert policy.review_due == date(2025, 8, 31)
    assert EffectivenessCheck.objects.get().status == EffectivenessCheck.Status.DRAFT


def test_a_line_not_fully_met_needs_its_action():
    audit = an_audit()
    fill(audit, outcome="partly")
    with pytest.raises(InvalidTransition, match="the action"):
        services.check_complete(check=audit, actor=audit.created_by)
    fill(audit, outcome="partly", action="Add it to the PSHE plan")
    assert services.check_complete(check=audit, actor=audit.created_by).status == "completed"


@pytest.mark.parametrize(
    ("kind", "fields", "missing"),
    [
        (CheckKind.FILTERING, {"tested": "Gambling sites"}, "the result"),
        (CheckKind.FILTERING, {"result": "effective"}, "what was tested"),
        (CheckKind.CONVERSATION, {"findings": "They know the rules"}, "whom you spoke with"),
        (CheckKind.OBSERVATION, {}, "the findings"),
    ],
)
def test_each_kind_names_what_is_still_to_record(kind, fields, missing):
    check = a_check(kind, **fields)
    with pytest.raises(InvalidTransition, match=missing):
        services.check_complete(check=check, actor=check.created_by)


def test_a_completed_check_can_no_longer_be_changed():
    check = a_check(findings="Fine")
    services.check_complete(check=check, actor=check.created_by)
    with pytest.raises(RecordFinished):
        services.check_update(check=check, actor=check.created_by, findings="Changed")
    with pytest.raises(StaleTransition, match="Completed"):  # completed twice: once
        services.check_complete(check=check, actor=check.created_by)


def test_changes_to_a_check_in_progress_are_audited():
    check = a_check(findings="First notes")
    services.check_update(check=check, actor=check.created_by, findings="Second notes")
    entry = AuditLogEntry.objects.filter(object_reference=check.reference).latest("pk")
    assert entry.changes == {"findings": ["First notes", "Second notes"]}


# ---------------------------------------------------------------------------
# Risk assessments: reminders once per review date, before it and after it
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("days_to_review", "kind"),
    [
        (services.RISK_REMINDER_DAYS + 1, None),
        (services.RISK_REMINDER_DAYS, RiskReminder.Kind.DUE_SOON),
        (0, RiskReminder.Kind.DUE_SOON),
        (-1, RiskReminder.Kind.OVERDUE),
    ],
)
def test_risk_reminders_on_both_sides_of_the_review_date(sent_mail, days_to_review, kind):
    today = date(2026, 11, 10)
    assessment = RiskAssessmentFactory(review_due=today + timedelta(days=days_to_review))
    assert services.risk_reminders_send(today=today) == (1 if kind else 0)
    assert list(RiskReminder.objects.values_list("kind", flat=True)) == ([kind] if kind else [])
    assert len(sent_mail) == (1 if kind else 0)
    if kind:
        assert sent_mail[0].to == [assessment.owner.email]
        assert ("Overdue" in sent_mail[0].subject) == (kind == RiskReminder.Kind.OVERDUE)


def test_each_risk_reminder_is_sent_once_per_review_date(sent_mail):
    today = date(2026, 11, 10)
    assessment = RiskAssessmentFactory(review_due=today + timedelta(days=3))
    services.risk_reminders_send(today=today)
    assert services.risk_reminders_send(today=today + timedelta(days=1)) == 0
    assert services.risk_reminders_send(today=today + timedelta(days=4)) == 1  # overdue
    assert services.risk_reminders_send(today=today + timedelta(days=5)) == 0

    assessment.review_due = today + timedelta(days=10)  # reviewed: a new date
    services.risk_assessment_save(assessment=assessment, actor=assessment.owner)
    assert services.risk_reminders_send(today=today + timedelta(days=5)) == 1
    assert len(sent_mail) == 3


def test_changing_a_risk_assessment_is_audited():
    assessment = RiskAssessmentFactory(controls="Filtering")
    actor = UserFactory(roles=[Role.PRINCIPAL])
    assessment.controls = "Filtering and supervision"
    services.risk_assessment_save(assessment=assessment, actor=actor)
    entry = AuditLogEntry.objects.latest("pk")
    assert entry.user == actor
    assert entry.changes == {"controls": ["Filtering", "Filtering and supervision"]}
