from datetime import timedelta

import pytest
from django.utils import timezone

from complaints import demo, services
from complaints.documents import PARENTS_MEETING_LETTER, letter_html
from complaints.models import (
    About,
    ComplaintEvent,
    Meeting,
    OnlineComplaint,
    RemovalRequest,
    Stage,
    StageReminder,
)
from complaints.permissions import can_view_complaint
from complaints.services import Anonymised, NoteRequired
from complaints.tests.factories import (
    ComplaintFactory,
    complaint_at,
    evidence_for,
    move,
    removal_outcome_for,
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


def test_a_complaint_about_the_principal_is_routed_to_the_chair(user_with_role, sent_mail):
    principal = user_with_role("principal")
    chair = user_with_role("chair_of_governors")
    slt = user_with_role("slt")
    complaint = create(slt, about=About.STAFF, staff_about=[principal])
    assert complaint.about_principal
    services.complaint_notify_reported(complaint_id=complaint.pk)
    other = create(slt, about=About.STAFF, staff_about=[user_with_role("staff")])
    assert not other.about_principal
    services.complaint_notify_reported(complaint_id=other.pk)
    assert [mail.to for mail in sent_mail] == [[chair.email], [principal.email]]
    assert complaint.events.get(kind=ComplaintEvent.Kind.NOTIFIED).summary == (
        "E-mailed the chair of governors (1)."
    )


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
    complaint = ComplaintFactory(about=About.STAFF)
    for stage in [
        "staff_supported",
        "evidence_gathered",
        "parents_meeting",
        "removal_requested",
        "legal_warning_given",
        "governors_meeting",
        "way_forward",
        "legal_advice",
    ]:
        complaint = move(complaint, stage)
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


def record_outcome(removal, actor, outcome="removed", note=""):
    return services.complaint_record_removal_outcome(
        removal=removal, actor=actor, outcome=outcome, outcome_at=timezone.now(), note=note
    )


def resolve(complaint, actor):
    return services.complaint_transition(
        complaint=complaint, to_stage="resolved", actor=actor, note="Post gone, apology given."
    )


def test_a_removal_outcome_is_recorded_once(user_with_role):
    complaint = complaint_at("removal_requested")
    removal = complaint.removal_requests.get()
    actor = user_with_role("principal")
    record_outcome(removal, actor)
    with pytest.raises(InvalidTransition, match="already recorded: removed"):
        record_outcome(removal, actor, "refused", note="Changed our mind")
    removal.refresh_from_db()
    assert removal.outcome == "removed" and removal.outcome_at is not None
    assert complaint.events.filter(kind="removal_confirmed").count() == 1


@pytest.mark.parametrize("outcome", ["refused", "author_unreachable"])
def test_a_post_not_removed_needs_a_note_saying_what_happened(user_with_role, outcome):
    complaint = complaint_at("removal_requested")
    removal = complaint.removal_requests.get()
    actor = user_with_role("principal")
    with pytest.raises(NoteRequired, match="the post was not removed"):
        record_outcome(removal, actor, outcome, note="  ")
    removal.refresh_from_db()
    assert removal.outcome == ""
    record_outcome(removal, actor, outcome, note="Their policy allows opinions.")
    removal.refresh_from_db()
    assert (removal.outcome, removal.outcome_note) == (outcome, "Their policy allows opinions.")
    assert "Their policy allows opinions." in complaint.events.last().summary


def test_resolving_waits_for_the_outcome_of_every_removal_request(user_with_role):
    actor = user_with_role("principal")
    complaint = complaint_at("removal_requested")
    with pytest.raises(InvalidTransition, match="Still waiting: Facebook, asked"):
        resolve(complaint, actor)
    record_outcome(complaint.removal_requests.get(), actor, "refused", note="Declined.")
    another = services.complaint_request_removal(
        complaint=complaint,
        actor=actor,
        platform="instagram",
        post_url="https://instagram.example/p/2",
        platform_reference="",
        requested_at=timezone.now(),
    )
    with pytest.raises(InvalidTransition, match="Still waiting: Instagram"):
        resolve(complaint, actor)
    complaint.refresh_from_db()
    assert complaint.stage == "removal_requested" and not complaint.finished_at
    record_outcome(another, actor, "author_unreachable", note="Account deleted; no reply.")
    assert resolve(complaint, actor).stage == "resolved"


def test_a_complaint_about_a_member_of_staff_records_how_they_were_supported(user_with_role):
    actor = user_with_role("principal")
    complaint = ComplaintFactory(about=About.STAFF)
    complaint.staff_about.set([user_with_role("staff")])
    with pytest.raises(InvalidTransition, match="Say how the member of staff was supported"):
        services.complaint_transition(complaint=complaint, to_stage="staff_supported", actor=actor)
    moved = services.complaint_transition(
        complaint=complaint, to_stage="staff_supported", actor=actor, note="Met Mr B."
    )
    assert moved.support_note == "Met Mr B."
    assert moved.events.last().summary == "Met Mr B."


@pytest.mark.parametrize("about", [About.SCHOOL, About.PUPILS])
def test_a_complaint_about_the_school_or_pupils_passes_staff_support_with_a_reason(
    user_with_role, about
):
    actor = user_with_role("principal")
    complaint = ComplaintFactory(about=about)
    with pytest.raises(InvalidTransition, match="not a member of staff: give the reason"):
        services.complaint_transition(
            complaint=complaint, to_stage="staff_supported", actor=actor, note=" "
        )
    assert complaint.events.filter(kind="transition").count() == 0
    moved = services.complaint_transition(
        complaint=complaint, to_stage="staff_supported", actor=actor, note="Nobody is named."
    )
    assert moved.stage == "staff_supported" and moved.support_note == ""
    line = moved.events.last().summary
    assert "Nobody is named." in line
    assert f"Passed: about {about.label.lower()}, no member of staff to support." in line


@pytest.mark.parametrize(
    ("category", "about_staff"),
    [
        (MonitoredCategory.OFFENSIVE_STAFF, True),
        (MonitoredCategory.UNAUTHORISED_PHOTO, True),
        (MonitoredCategory.OFFENSIVE_PUPILS, False),
    ],
)
def test_a_category_about_school_personnel_needs_their_support_even_if_no_one_is_named(
    user_with_role, category, about_staff
):
    """ "That teacher is a joke", recorded as about the school: a member of staff is still
    the one to support and reassure; the step is not passed as if no one were concerned."""
    actor = user_with_role("principal")
    complaint = ComplaintFactory(about=About.SCHOOL, category=category)
    moved = services.complaint_transition(
        complaint=complaint, to_stage="staff_supported", actor=actor, note="Spoke to them."
    )
    line = moved.events.last().summary
    assert (moved.support_note == "Spoke to them.") is about_staff
    assert ("Passed:" in line) is not about_staff


def test_the_legal_action_warning_can_be_given_at_the_parents_meeting(user_with_role):
    """The policy lists the warning before "if the matter is not resolved": given at the
    meeting with the parents, the complaint can still be resolved without the chair."""
    actor = user_with_role("principal")
    complaint = complaint_at("parents_meeting")
    with pytest.raises(InvalidTransition, match="arranged after “Legal-action warning given”"):
        services.complaint_arrange_governors_meeting(
            complaint=complaint,
            actor=actor,
            meeting_at=timezone.now() + timedelta(days=3),
            place="School office",
        )
    warned = move(complaint, "legal_warning_given", actor)
    assert warned.warning_given_on == timezone.localdate()
    with pytest.raises(InvalidTransition, match="has no removal request yet"):
        resolve(warned, actor)
    removal_outcome_for(warned, actor)
    resolved = resolve(warned, actor)
    assert resolved.stage == "resolved" and resolved.escalated_at is None
    stages = list(resolved.events.filter(kind="transition").values_list("to_stage", flat=True))
    assert stages[-3:] == ["parents_meeting", "legal_warning_given", "resolved"]


def test_a_finished_complaint_takes_a_note_and_nothing_else(user_with_role):
    actor = user_with_role("principal")
    complaint = complaint_at("resolved")
    finished_at = complaint.finished_at
    event = services.complaint_add_note(
        complaint=complaint, actor=actor, note="  The parent posted an apology.  "
    )
    assert (event.kind, event.summary, event.actor) == (
        "note",
        "The parent posted an apology.",
        actor,
    )
    complaint.refresh_from_db()
    assert complaint.stage == "resolved" and complaint.finished_at == finished_at
    with pytest.raises(RecordFinished, match="resolved and can no longer be changed"):
        services.complaint_transition(
            complaint=complaint, to_stage="legal_warning_given", actor=actor, note="x"
        )
    with pytest.raises(RecordFinished):
        services.complaint_request_removal(
            complaint=complaint,
            actor=actor,
            platform="facebook",
            post_url="",
            platform_reference="",
            requested_at=timezone.now(),
        )
    with pytest.raises(RecordFinished):
        record_outcome(complaint.removal_requests.get(), actor)
    assert list(complaint.events.filter(kind="note").values_list("summary", flat=True)) == [
        "The parent posted an apology."
    ]


def test_an_empty_note_or_a_note_on_an_anonymised_complaint_is_refused(user_with_role):
    actor = user_with_role("principal")
    complaint = complaint_at("resolved")
    with pytest.raises(NoteRequired, match="Write the note first"):
        services.complaint_add_note(complaint=complaint, actor=actor, note="   ")
    services.complaint_anonymise(complaint=complaint, actor=actor)
    with pytest.raises(Anonymised, match="anonymised under the retention policy"):
        services.complaint_add_note(complaint=complaint, actor=actor, note="Jo Parent rang.")
    assert not complaint.events.filter(kind="note").exists()


def test_anonymising_blanks_what_a_removal_outcome_said(user_with_role):
    actor = user_with_role("principal")
    complaint = complaint_at("removal_requested")
    record_outcome(complaint.removal_requests.get(), actor, "refused", note="Jo Parent refused.")
    complaint = move(complaint, "legal_warning_given", actor)
    complaint = move(complaint, "resolved", actor)
    services.complaint_anonymise(complaint=complaint, actor=actor)
    assert "Jo Parent" not in complaint.removal_requests.get().outcome_note


def test_notify_reported_sends_once_without_pupil_names(user_with_role, sent_mail):
    user_with_role("principal")
    complaint = ComplaintFactory(about=About.PUPILS, pupils_about="Tommy Atkins (Y5)")
    assert services.complaint_notify_reported(complaint_id=complaint.pk) == 1
    assert services.complaint_notify_reported(complaint_id=complaint.pk) == 0
    assert len(sent_mail) == 1
    assert complaint.reference in sent_mail[0].subject
    assert "Tommy" not in sent_mail[0].body and "Atkins" not in sent_mail[0].body


@pytest.mark.parametrize(("stage", "emailed"), [("removal_requested", 1), ("resolved", 0)])
def test_no_needs_you_email_for_a_complaint_finished_before_the_task_ran(
    user_with_role, sent_mail, stage, emailed
):
    """The worker was behind (or the demo was seeded): a complaint already resolved needs
    no one; one still open on its last step before resolving does."""
    user_with_role("principal")
    complaint = complaint_at(stage)
    assert services.complaint_notify_reported(complaint_id=complaint.pk) == emailed
    assert len(sent_mail) == emailed


@pytest.mark.parametrize(("status", "emailed"), [("in_progress", 1), ("answered", 0)])
def test_no_new_concern_email_for_a_concern_answered_before_the_task_ran(
    user_with_role, sent_mail, status, emailed
):
    principal = user_with_role("principal")
    concern = services.concern_create(actor=user_with_role("parent"), subject="S", details="D")
    services.concern_transition(concern=concern, to_status=status, actor=principal)
    assert services.concern_notify_raised(concern_id=concern.pk) == emailed
    assert [mail.to for mail in sent_mail] == [[principal.email]] * emailed


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
    # The demo walks the path as the policy writes it.
    resolved = OnlineComplaint.objects.filter(stage="resolved")
    assert resolved and not RemovalRequest.objects.filter(complaint__in=resolved, outcome="")
    supported = OnlineComplaint.objects.get(account_handle="@demo-staff_supported")
    assert supported.about == About.STAFF and supported.support_note
    passed = OnlineComplaint.objects.get(account_handle="@demo-removal_requested")
    assert passed.about == About.SCHOOL and not passed.support_note
    assert "Passed: about the school" in passed.events.get(to_stage="staff_supported").summary
    warned = OnlineComplaint.objects.get(account_handle="@demo-legal_warning_given")
    assert warned.events.filter(from_stage="parents_meeting", to_stage=warned.stage).exists()
    # What each says of who it is about agrees with its category, and its letters greet
    # whoever posted by name, or "Parent/Carer" while no one knows.
    for complaint in OnlineComplaint.objects.exclude(stage="reported"):
        passed_line = complaint.events.filter(summary__contains="Passed:").exists()
        assert bool(complaint.support_note) is complaint.is_about_staff is not passed_line
    assert OnlineComplaint.objects.get(about_principal=True).category == "complaint_staff"
    for handle, greeting in (
        ("@demo-evidence_gathered", "Dear Parent/Carer,"),
        ("@demo-parents_meeting", f"Dear {demo.POSTER},"),
    ):
        letter = letter_html(
            PARENTS_MEETING_LETTER, OnlineComplaint.objects.get(account_handle=handle)
        )
        assert greeting in letter


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
