from datetime import timedelta

import pytest
from django.utils import timezone

from complaints import demo, services
from complaints.models import About, ComplaintEvent, Meeting, OnlineComplaint, Stage, StageReminder
from complaints.permissions import can_view_complaint
from complaints.tests.factories import (
    ComplaintFactory,
    complaint_at,
    evidence_for,
    move,
    stage_details,
)
from overstone.evidence import evidence_check
from overstone.models import MonitoredCategory, OutboxMessage
from overstone.samples import upload
from overstone.workflow import InvalidTransition, RecordFinished, StaleTransition

pytestmark = pytest.mark.django_db

ALL_PAIRS = [(a.value, b.value) for a in Stage for b in Stage]


def create(actor, **overrides):
    fields = {
        "actor": actor,
        "platform": "facebook",
        "posted_at": timezone.now() - timedelta(hours=3),
        "content": "Disgraceful school, the head should be sacked.",
        "about": About.SCHOOL,
        "category": MonitoredCategory.COMPLAINT_SCHOOL,
    }
    return services.complaint_create(**{**fields, **overrides})


def test_create_records_first_stage_due_date_chronology_and_queues_email(user_with_role):
    principal = user_with_role("principal")
    complaint = create(principal, evidence=[evidence_check(upload())])
    assert complaint.reference.startswith("CMP-")
    assert complaint.stage == Stage.REPORTED
    assert complaint.stage_due > timezone.localdate()
    kinds = list(complaint.events.values_list("kind", flat=True))
    assert kinds == [ComplaintEvent.Kind.CREATED, ComplaintEvent.Kind.EVIDENCE_ADDED]
    assert OutboxMessage.objects.filter(
        task_name="complaints.tasks.email_complaint_reported", args=[complaint.pk]
    ).exists()


def test_a_complaint_about_the_principal_is_routed_to_the_chair(user_with_role):
    principal = user_with_role("principal")
    chair = user_with_role("chair_of_governors")
    slt = user_with_role("slt")
    complaint = create(slt, about=About.STAFF, staff_about=[principal])
    assert complaint.about_principal
    assert services.complaint_recipients(complaint) == [chair.email]
    other = create(slt, about=About.STAFF, staff_about=[user_with_role("staff")])
    assert not other.about_principal
    assert services.complaint_recipients(other) == [principal.email]


@pytest.mark.parametrize(("from_stage", "to_stage"), ALL_PAIRS)
def test_the_whole_transition_map(user_with_role, from_stage, to_stage):
    """Every allowed move works and records who, when and a note; every other is refused."""
    actor = user_with_role("principal")
    complaint = complaint_at(from_stage, actor=actor)
    events_before = complaint.events.count()
    if to_stage in services.TRANSITIONS[from_stage]:
        moved = move(complaint, to_stage, actor)
        assert moved.stage == to_stage
        event = moved.events.last()
        assert (event.kind, event.from_stage, event.to_stage) == (
            "transition",
            from_stage,
            to_stage,
        )
        assert event.actor == actor and event.at is not None
        assert (moved.stage_due is None) == (to_stage in {"resolved", "closed"})
    else:
        finished = from_stage in {"resolved", "closed"}
        refusal = (
            (RecordFinished, "can no longer be changed")
            if finished
            else (InvalidTransition, "cannot move to")
        )
        with pytest.raises(refusal[0], match=refusal[1]):
            services.complaint_transition(
                complaint=complaint, to_stage=to_stage, actor=actor, **stage_details(to_stage)
            ) if to_stage != "reported" else services.complaint_transition(
                complaint=complaint, to_stage=to_stage, actor=actor
            )
        complaint.refresh_from_db()
        assert complaint.stage == from_stage
        assert complaint.events.count() == events_before


def test_an_unknown_stage_is_refused_clearly(user_with_role):
    complaint = ComplaintFactory()
    with pytest.raises(InvalidTransition, match="cannot move to “nonsense”"):
        services.complaint_transition(
            complaint=complaint, to_stage="nonsense", actor=user_with_role("principal")
        )


def test_a_stale_move_is_refused_and_says_it_changed(user_with_role):
    complaint = ComplaintFactory()
    first, second = user_with_role("principal"), user_with_role("slt")
    services.complaint_transition(
        complaint=complaint,
        to_stage="staff_supported",
        actor=first,
        expected_stage="reported",
        note="Supported.",
    )
    with pytest.raises(StaleTransition, match="changed while you were working"):
        services.complaint_transition(
            complaint=complaint,
            to_stage="staff_supported",
            actor=second,
            expected_stage="reported",
            note="Me too.",
        )
    assert complaint.events.filter(kind="transition").count() == 1


def test_evidence_must_be_attached_before_it_is_gathered(user_with_role):
    complaint = complaint_at("staff_supported")
    actor = user_with_role("principal")
    with pytest.raises(InvalidTransition, match="no evidence yet"):
        services.complaint_transition(
            complaint=complaint, to_stage="evidence_gathered", actor=actor, note="Done"
        )
    evidence_for(complaint)
    services.complaint_transition(
        complaint=complaint, to_stage="evidence_gathered", actor=actor, note="Done"
    )


def test_stage_records_are_kept(user_with_role):
    complaint = complaint_at("legal_advice")
    assert complaint.support_note
    assert list(complaint.meetings.values_list("kind", flat=True)) == [
        Meeting.Kind.PARENTS,
        Meeting.Kind.GOVERNORS,
    ]
    assert complaint.removal_requests.get().platform_reference == "FB-123"
    assert complaint.warning_given_on and complaint.escalated_at
    assert complaint.legal_adviser == "LA legal services"
    closed = move(complaint, "closed")
    assert closed.outcome == "Closed on legal advice." and closed.finished_at


def test_escalation_queues_an_email_to_the_chair():
    complaint = complaint_at("governors_meeting")
    assert OutboxMessage.objects.filter(
        task_name="complaints.tasks.email_complaint_escalated", args=[complaint.pk]
    ).exists()


def test_finished_complaints_take_no_more_changes(user_with_role):
    complaint = complaint_at("resolved")
    with pytest.raises(RecordFinished, match="resolved and can no longer be changed"):
        services.complaint_add_evidence(
            complaint=complaint, actor=user_with_role("principal"), files=[]
        )


def test_removal_confirmation_once(user_with_role):
    complaint = complaint_at("removal_requested")
    removal = complaint.removal_requests.get()
    actor = user_with_role("principal")
    services.complaint_confirm_removal(removal=removal, actor=actor, removed_at=timezone.now())
    with pytest.raises(InvalidTransition, match="already confirmed"):
        services.complaint_confirm_removal(removal=removal, actor=actor, removed_at=timezone.now())
    assert complaint.events.filter(kind="removal_confirmed").count() == 1


def test_notify_reported_sends_once_without_pupil_names(user_with_role, sent_mail):
    user_with_role("principal")
    complaint = ComplaintFactory(about=About.PUPILS, pupils_about="Tommy Atkins (Y5)")
    assert services.complaint_notify_reported(complaint_id=complaint.pk) == 1
    assert services.complaint_notify_reported(complaint_id=complaint.pk) == 0
    assert len(sent_mail) == 1
    assert complaint.reference in sent_mail[0].subject
    assert "Tommy" not in sent_mail[0].body and "Atkins" not in sent_mail[0].body


def test_overdue_reminder_once_per_stage(user_with_role, sent_mail):
    principal = user_with_role("principal")
    complaint = ComplaintFactory(stage_due=timezone.localdate() - timedelta(days=1))
    assert list(services.complaints_overdue()) == [complaint.pk]
    assert services.complaint_remind_overdue(complaint_id=complaint.pk) == 1
    assert services.complaint_remind_overdue(complaint_id=complaint.pk) == 0
    assert len(sent_mail) == 1 and sent_mail[0].to == [principal.email]
    assert StageReminder.objects.filter(complaint=complaint, stage="reported").count() == 1
    # The next stage, once overdue, is reminded again.
    moved = move(complaint, "staff_supported", principal)
    type(moved).objects.filter(pk=moved.pk).update(
        stage_due=timezone.localdate() - timedelta(days=1)
    )
    assert services.complaint_remind_overdue(complaint_id=complaint.pk) == 1
    assert len(sent_mail) == 2


def test_overdue_reminder_for_a_complaint_about_the_principal_goes_to_the_chair(
    user_with_role, sent_mail
):
    user_with_role("principal")
    chair = user_with_role("chair_of_governors")
    complaint = ComplaintFactory(
        about_principal=True, stage_due=timezone.localdate() - timedelta(days=2)
    )
    services.complaint_remind_overdue(complaint_id=complaint.pk)
    assert sent_mail[0].to == [chair.email]


def test_concern_workflow(user_with_role, sent_mail):
    parent = user_with_role("parent")
    principal = user_with_role("principal")
    concern = services.concern_create(actor=parent, subject="Homework", details="Too much.")
    assert services.concern_acknowledge(concern_id=concern.pk) == 1
    assert services.concern_acknowledge(concern_id=concern.pk) == 0
    assert sent_mail[0].to == [parent.email]
    services.concern_transition(
        concern=concern, to_status="answered", actor=principal, response="We will review it."
    )
    with pytest.raises(RecordFinished, match="answered and can no longer be changed"):
        services.concern_transition(concern=concern, to_status="in_progress", actor=principal)
    assert concern.events.count() == 2


def test_demo_data_has_every_stage_one_overdue_and_one_about_the_principal():
    from overstone.management.commands.seed_demo import demo_people

    people = demo_people("demo-pw")
    demo.seed(people)
    demo.seed(people)
    stages = set(OnlineComplaint.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    assert OnlineComplaint.objects.filter(stage_due__lt=timezone.localdate()).count() == 1
    assert OnlineComplaint.objects.filter(about_principal=True).count() == 1
    assert OnlineComplaint.objects.count() == len(Stage) + 2 + len(demo.HISTORY)


def test_arranging_the_chairs_meeting_lets_the_chair_prepare_and_mails_once(
    user_with_role, sent_mail
):
    chair = user_with_role("chair_of_governors", email="chair@school.example")
    principal = user_with_role("principal")
    complaint = complaint_at("legal_warning_given")
    assert not can_view_complaint(chair, complaint)
    with pytest.raises(InvalidTransition, match="arranged after"):
        services.complaint_arrange_governors_meeting(
            complaint=complaint_at("removal_requested"),
            actor=principal,
            meeting_at=timezone.now() + timedelta(days=3),
            place="the school",
        )
    complaint = services.complaint_arrange_governors_meeting(
        complaint=complaint,
        actor=principal,
        meeting_at=timezone.now() + timedelta(days=3),
        place="the school",
    )
    assert can_view_complaint(chair, complaint) and complaint.stage == "legal_warning_given"
    assert complaint.events.last().kind == "chair_invited"
    with pytest.raises(InvalidTransition, match="already arranged"):
        services.complaint_arrange_governors_meeting(
            complaint=complaint, actor=principal, meeting_at=timezone.now(), place="the school"
        )
    assert services.complaint_notify_escalated(complaint_id=complaint.pk) == 1
    arranged_at = complaint.escalated_at
    held = move(complaint, "governors_meeting", principal)
    assert held.escalated_at == arranged_at  # access dates from the arrangement
    assert services.complaint_notify_escalated(complaint_id=complaint.pk) == 0
    assert [mail.to for mail in sent_mail] == [["chair@school.example"]]
