from collections import deque
from datetime import timedelta

import factory
from django.utils import timezone

from complaints import services
from complaints.models import About, Evidence, OnlineComplaint, Platform, Stage
from overstone.evidence import evidence_check, evidence_create
from overstone.models import MonitoredCategory
from overstone.roles import Role
from overstone.samples import upload
from overstone.tests.factories import UserFactory


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OnlineComplaint

    reference = factory.Sequence(lambda n: f"CMP-2026-{n + 9000:04d}")
    platform = Platform.FACEBOOK
    post_url = "https://facebook.example/groups/parents/posts/1"
    account_handle = "@angry.parent"
    posted_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))
    content = "The new maths teacher is useless and should be sacked."
    posted_by_name = "A parent of a Year 5 pupil"
    about = About.SCHOOL
    category = MonitoredCategory.COMPLAINT_SCHOOL
    reported_by = factory.SubFactory(UserFactory, roles=[Role.SLT])
    stage = Stage.REPORTED
    stage_due = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=3))


def evidence_for(complaint: OnlineComplaint, name: str = "screenshot.png", **kwargs) -> Evidence:
    return evidence_create(
        model=Evidence,
        checked=evidence_check(upload(name, **kwargs)),
        actor=complaint.reported_by,
        complaint=complaint,
    )


def stage_details(stage: str) -> dict:
    """What the form for moving to ``stage`` would give the service."""
    now = timezone.now() - timedelta(hours=1)
    meeting = {"held_at": now, "attendees": "Principal; both parents", "outcome": "Agreed"}
    return {
        Stage.STAFF_SUPPORTED: {"note": "Met the teacher; offered support."},
        Stage.EVIDENCE_GATHERED: {"note": "Screenshots taken."},
        Stage.PARENTS_MEETING: {"details": meeting},
        Stage.REMOVAL_REQUESTED: {"details": {"requested_at": now, "platform_reference": "FB-123"}},
        Stage.RESOLVED: {"note": "Post removed, apology given."},
        Stage.LEGAL_WARNING_GIVEN: {
            "note": "Letter sent.",
            "details": {"warning_given_on": timezone.localdate()},
        },
        Stage.GOVERNORS_MEETING: {"details": meeting},
        Stage.WAY_FORWARD: {"note": "Mediation agreed."},
        Stage.LEGAL_ADVICE: {
            "details": {
                "adviser": "LA legal services",
                "advised_on": timezone.localdate(),
                "summary": "Defamation letter possible.",
            }
        },
        Stage.CLOSED: {"note": "Closed on legal advice."},
    }[stage]


def path_to(stage: str) -> list[str]:
    """The shortest list of stages from reported to ``stage`` (excluding reported); of two
    as short, the one whose stages come first in the path's order (removal requested
    before the legal-action warning)."""
    queue, seen = deque([[Stage.REPORTED.value]]), {Stage.REPORTED.value}
    while queue:
        path = queue.popleft()
        if path[-1] == stage:
            return path[1:]
        for nxt in [s for s in services.TRANSITIONS if s in services.TRANSITIONS[path[-1]]]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append([*path, nxt])
    raise ValueError(stage)


def removal_outcome_for(complaint: OnlineComplaint, actor=None, outcome: str = "removed") -> None:
    """Each removal request answered (one asked first if there is none), as resolving needs."""
    actor = actor or complaint.reported_by
    if not complaint.removal_requests.exists():
        services.complaint_request_removal(
            complaint=complaint,
            actor=actor,
            platform=complaint.platform,
            post_url=complaint.post_url,
            platform_reference="FB-456",
            requested_at=timezone.now() - timedelta(hours=1),
        )
    for removal in complaint.removal_requests.filter(outcome=""):
        services.complaint_record_removal_outcome(
            removal=removal,
            actor=actor,
            outcome=outcome,
            outcome_at=timezone.now(),
            note="" if outcome == "removed" else "The platform declined.",
        )


def move(complaint: OnlineComplaint, stage: str, actor=None) -> OnlineComplaint:
    if stage == Stage.EVIDENCE_GATHERED and not complaint.evidence.exists():
        evidence_for(complaint)
    if stage == Stage.RESOLVED:
        removal_outcome_for(complaint, actor)
    return services.complaint_transition(
        complaint=complaint,
        to_stage=stage,
        actor=actor or complaint.reported_by,
        **stage_details(stage),
    )


def complaint_at(stage: str, actor=None, **fields) -> OnlineComplaint:
    """A complaint walked through the real service to ``stage``."""
    complaint = ComplaintFactory(**fields)
    for step in path_to(stage):
        complaint = move(complaint, step, actor)
    return complaint
