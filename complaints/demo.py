"""Demo complaints: one at every stage, one overdue, one about the principal, and last
school year's finished ones. Those whose category is about school personnel name the demo
teacher, those about pupils say which; the others pass the staff-support step with a
reason. Who posted is known once the school has met the parents (the letters greet them
by name), not before (they greet "Parent/Carer")."""

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone

from complaints import services
from complaints.models import (
    FINAL_STAGES,
    STAFF_CATEGORIES,
    About,
    Concern,
    OnlineComplaint,
    RemovalRequest,
    Stage,
)
from overstone.evidence import evidence_check
from overstone.models import MonitoredCategory
from overstone.roles import Role
from overstone.samples import PNG
from overstone.schoolyear import school_year_bounds, school_year_of

POSTS = {
    Stage.REPORTED: ("facebook", MonitoredCategory.COMPLAINT_SCHOOL, "Pick-up is chaos again."),
    Stage.STAFF_SUPPORTED: ("x", MonitoredCategory.OFFENSIVE_STAFF, "That teacher is a joke."),
    Stage.EVIDENCE_GATHERED: ("instagram", MonitoredCategory.UNAUTHORISED_PHOTO, "Photo."),
    Stage.PARENTS_MEETING: ("whatsapp", MonitoredCategory.COMPLAINT_STAFF, "Unfair detention."),
    Stage.REMOVAL_REQUESTED: ("facebook", MonitoredCategory.DEFAMATORY_SCHOOL, "Covers up."),
    Stage.RESOLVED: ("tiktok", MonitoredCategory.OFFENSIVE_PUPILS, "Video mocking a class."),
    Stage.LEGAL_WARNING_GIVEN: ("facebook", MonitoredCategory.DEFAMATORY_STAFF, "Liar."),
    Stage.GOVERNORS_MEETING: ("x", MonitoredCategory.ALLEGATION_STAFF, "Allegation thread."),
    Stage.WAY_FORWARD: ("youtube", MonitoredCategory.RACIST_HOMOPHOBIC, "Abusive comment."),
    Stage.LEGAL_ADVICE: ("facebook", MonitoredCategory.THREAT_OF_VIOLENCE, "Threat."),
    Stage.CLOSED: ("other", MonitoredCategory.ALLEGATION_PUPILS, "Forum allegation."),
}

PUPIL_CATEGORIES = {MonitoredCategory.ALLEGATION_PUPILS, MonitoredCategory.OFFENSIVE_PUPILS}
# Until the school has met the parents it does not know who posted.
POSTER_UNKNOWN = {Stage.REPORTED, Stage.STAFF_SUPPORTED, Stage.EVIDENCE_GATHERED}
POSTER = "Mrs J Carter"


def _about(category: str, staff) -> dict:
    """Who a post is about, as its category says."""
    if category in STAFF_CATEGORIES:
        return {"about": About.STAFF, "staff_about": [staff]}
    if category in PUPIL_CATEGORIES:
        return {"about": About.PUPILS, "pupils_about": "A Year 8 class"}
    return {"about": About.SCHOOL}


def _details(stage: str, complaint: OnlineComplaint) -> dict:
    when = timezone.now() - timedelta(days=1)
    meeting = {"held_at": when, "attendees": "Principal, parents", "outcome": "Discussed"}
    support = (
        "Met the member of staff and offered support."
        if complaint.is_about_staff
        else "The post names no member of staff."
    )
    return {
        Stage.STAFF_SUPPORTED: {"note": support},
        Stage.EVIDENCE_GATHERED: {"note": "Screenshots saved."},
        Stage.PARENTS_MEETING: {"details": meeting},
        Stage.REMOVAL_REQUESTED: {"details": {"requested_at": when, "platform_reference": "R1"}},
        Stage.RESOLVED: {"note": "The post was removed and an apology given."},
        Stage.LEGAL_WARNING_GIVEN: {
            "note": "Letter handed over.",
            "details": {"warning_given_on": timezone.localdate()},
        },
        Stage.GOVERNORS_MEETING: {"details": meeting},
        Stage.WAY_FORWARD: {"note": "Mediation agreed."},
        Stage.LEGAL_ADVICE: {
            "details": {
                "adviser": "Local authority legal team",
                "advised_on": timezone.localdate(),
                "summary": "A solicitor's letter is proportionate.",
            }
        },
        Stage.CLOSED: {"note": "Closed after the solicitor's letter."},
    }[stage]


def _path(stage: str) -> list[str]:
    order = [
        Stage.STAFF_SUPPORTED,
        Stage.EVIDENCE_GATHERED,
        Stage.PARENTS_MEETING,
        Stage.REMOVAL_REQUESTED,
    ]
    escalation = [Stage.LEGAL_WARNING_GIVEN, Stage.GOVERNORS_MEETING, Stage.WAY_FORWARD]
    if stage == Stage.REPORTED:
        return []
    if stage == Stage.LEGAL_WARNING_GIVEN:  # the warning given at the meeting with the parents
        return [*order[:-1], stage]
    if stage in order:
        return order[: order.index(stage) + 1]
    if stage == Stage.RESOLVED:
        return [*order, Stage.RESOLVED]
    if stage in escalation:
        return order + escalation[: escalation.index(stage) + 1]
    tail = [Stage.LEGAL_ADVICE] if stage == Stage.LEGAL_ADVICE else [Stage.LEGAL_ADVICE, stage]
    return order + escalation + tail


def _complaint(handle, actor, principal, stage, *, staff, **fields):
    platform, category, content = POSTS[stage]
    category = fields.pop("category", category)
    details = {
        "platform": platform,
        "post_url": f"https://{platform}.example/{handle.strip('@')}",
        "account_handle": handle,
        "posted_at": timezone.now() - timedelta(days=3),
        "content": content,
        "posted_by_name": "" if stage in POSTER_UNKNOWN else POSTER,
        "category": category,
        **_about(category, staff),
    }
    complaint = services.complaint_create(actor=actor, **(details | fields))
    for step in _path(stage):
        if step == Stage.EVIDENCE_GATHERED:
            screenshot = SimpleUploadedFile("screenshot.png", PNG)
            services.complaint_add_evidence(
                complaint=complaint, actor=principal, files=[evidence_check(screenshot)]
            )
        if step == Stage.RESOLVED:
            for removal in complaint.removal_requests.filter(outcome=""):
                services.complaint_record_removal_outcome(
                    removal=removal,
                    actor=principal,
                    outcome=RemovalRequest.Outcome.REMOVED,
                    outcome_at=timezone.now() - timedelta(hours=2),
                )
        complaint = services.complaint_transition(
            complaint=complaint, to_stage=step, actor=principal, **_details(step, complaint)
        )
    return complaint


# Last school year's complaints, all finished: (final stage, category, days to finish).
HISTORY = [
    (Stage.RESOLVED, MonitoredCategory.COMPLAINT_SCHOOL, 9),
    (Stage.RESOLVED, MonitoredCategory.OFFENSIVE_STAFF, 14),
    (Stage.RESOLVED, MonitoredCategory.COMPLAINT_STAFF, 6),
    (Stage.RESOLVED, MonitoredCategory.OFFENSIVE_PUPILS, 11),
    (Stage.RESOLVED, MonitoredCategory.UNAUTHORISED_PHOTO, 8),
    (Stage.RESOLVED, MonitoredCategory.COMPLAINT_SCHOOL, 12),
    (Stage.RESOLVED, MonitoredCategory.DEFAMATORY_SCHOOL, 17),
    (Stage.CLOSED, MonitoredCategory.DEFAMATORY_STAFF, 41),
    (Stage.CLOSED, MonitoredCategory.ALLEGATION_STAFF, 63),
    (Stage.CLOSED, MonitoredCategory.THREAT_OF_VIOLENCE, 35),
]


def _history(principal, staff) -> int:
    """Finished complaints spread over last school year (dates moved back: demo only)."""
    start, _ = school_year_bounds(school_year_of() - 1)
    created = 0
    for n, (stage, category, days) in enumerate(HISTORY):
        handle = f"@history-{n}"
        if OnlineComplaint.objects.filter(account_handle=handle).exists():
            continue
        complaint = _complaint(handle, principal, principal, stage, staff=staff, category=category)
        reported = timezone.make_aware(datetime.combine(start, time(9))) + timedelta(
            days=30 * n + 12
        )
        # Told about at the time: the "needs you" e-mail queued by complaint_create finds
        # it notified when it runs (seed_demo commits once, at the end) and sends nothing.
        OnlineComplaint.objects.filter(pk=complaint.pk).update(
            posted_at=reported - timedelta(days=1),
            created_at=reported,
            stage_entered_at=reported + timedelta(days=days),
            finished_at=reported + timedelta(days=days),
            stage_due=None,
            notified_at=reported,
        )
        created += 1
    return created


def seed(people) -> str:
    principal, slt, staff = people[Role.PRINCIPAL], people[Role.SLT], people[Role.STAFF]
    created = _history(principal, staff)
    for stage in Stage:
        handle = f"@demo-{stage.value}"
        if not OnlineComplaint.objects.filter(account_handle=handle).exists():
            _complaint(handle, principal, principal, stage, staff=staff)
            created += 1
    if not OnlineComplaint.objects.filter(account_handle="@demo-overdue").exists():
        overdue = _complaint(
            "@demo-overdue", principal, principal, Stage.STAFF_SUPPORTED, staff=staff
        )
        OnlineComplaint.objects.filter(pk=overdue.pk).update(
            stage_due=timezone.localdate() - timedelta(days=3)
        )
        created += 1
    if not OnlineComplaint.objects.filter(account_handle="@demo-about-principal").exists():
        _complaint(
            "@demo-about-principal",
            slt,
            slt,
            Stage.REPORTED,
            staff=principal,
            category=MonitoredCategory.COMPLAINT_STAFF,
            content="The head ignores every parent who complains.",
        )
        created += 1
    parent = people[Role.PARENT]
    if not Concern.objects.filter(raised_by=parent).exists():
        services.concern_create(
            actor=parent,
            subject="Photos of the class trip",
            details="I would rather ask you than post about it: were photos shared online?",
        )
    # Two finished complaints pretend to have finished seven years ago, so the retention
    # list of data protection has work (privacy.demo puts one on legal hold).
    # The whole record moves back, so that it was still posted before it finished.
    old = OnlineComplaint.objects.filter(stage__in=FINAL_STAGES).order_by("pk")[:2]
    back = timedelta(days=7 * 365)
    OnlineComplaint.objects.filter(
        pk__in=[c.pk for c in old], finished_at__gt=timezone.now() - back
    ).update(
        posted_at=F("posted_at") - back,
        created_at=F("created_at") - back,
        stage_entered_at=F("stage_entered_at") - back,
        finished_at=F("finished_at") - back,
        notified_at=F("created_at") - back,
    )
    return f"{created} complaint(s) created"
