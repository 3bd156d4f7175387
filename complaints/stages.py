"""The policy's escalation path, one description per stage.

Everything about a stage is read from here: where it may go next, how many school days
its work may take, what must be true before a complaint enters it, what entering it
asks for (the form) and records, and which letters are the right next step while a
complaint is at it. ``complaints.services.complaint_transition`` applies it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from complaints import forms
from complaints.documents import (
    GOVERNORS_MEETING_LETTER,
    LEGAL_WARNING_LETTER,
    PARENTS_MEETING_LETTER,
    REMOVAL_REQUEST_LETTER,
    Letter,
)
from complaints.models import Meeting, OnlineComplaint, RemovalRequest, Stage
from overstone.workflow import InvalidTransition

# What entering a stage records: (complaint, actor, the form's details) -> chronology text.
Recorder = Callable[[OnlineComplaint, object, dict], str]


def when_text(value) -> str:
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d %b %Y %H:%M")
    return value.strftime("%d %b %Y") if value else "not given"


def _record_meeting(kind) -> Recorder:
    def record(complaint, actor, details) -> str:
        meeting = Meeting.objects.create(
            complaint=complaint,
            kind=kind,
            held_at=details["held_at"],
            attendees=details["attendees"],
            notes=details.get("notes", ""),
            outcome=details["outcome"],
            recorded_by=actor,
        )
        return (
            f"{meeting.get_kind_display()} on {when_text(meeting.held_at)}. "
            f"Attended: {meeting.attendees}. Outcome: {meeting.outcome}"
        )

    return record


def _record_removal(complaint, actor, details) -> str:
    removal = RemovalRequest.objects.create(
        complaint=complaint,
        platform=complaint.platform,
        post_url=complaint.post_url,
        platform_reference=details.get("platform_reference", ""),
        requested_at=details["requested_at"],
    )
    return (
        f"Asked {removal.get_platform_display()} on {when_text(removal.requested_at)}, "
        f"reference {removal.platform_reference or 'none given'}."
    )


def _record_support(complaint, actor, details) -> str:
    """About a member of staff: how they were supported and reassured (the policy's first
    step). About the school or pupils there is no one to support: the step is passed, with
    the reason in the chronology."""
    about_staff = complaint.is_about_staff
    if not details["note"].strip():
        raise InvalidTransition(
            "Say how the member of staff was supported and reassured."
            if about_staff
            else f"{complaint.reference} is about {complaint.get_about_display().lower()}, not "
            "a member of staff: give the reason for passing this step."
        )
    if about_staff:
        complaint.support_note = details["note"]
        return ""
    return f"Passed: about {complaint.get_about_display().lower()}, no member of staff to support."


def _record_warning(complaint, actor, details) -> str:
    complaint.warning_given_on = details["warning_given_on"]
    return f"Warning given on {when_text(complaint.warning_given_on)}."


def _record_escalation(complaint, actor, details) -> str:
    complaint.escalated_at = complaint.escalated_at or timezone.now()
    return _record_meeting(Meeting.Kind.GOVERNORS)(complaint, actor, details)


def _record_legal_advice(complaint, actor, details) -> str:
    complaint.legal_adviser = details["adviser"]
    complaint.legal_advice_on = details["advised_on"]
    complaint.legal_advice_summary = details["summary"]
    return f"Advice from {complaint.legal_adviser} on {when_text(complaint.legal_advice_on)}."


def _record_outcome(complaint, actor, details) -> str:
    complaint.outcome = details["note"]
    complaint.finished_at = timezone.now()
    return ""


def _require_evidence(complaint) -> None:
    if not complaint.evidence.exists():
        raise InvalidTransition(
            f"{complaint.reference} has no evidence yet: attach what was posted (a screenshot "
            "or a PDF) before marking the evidence gathered."
        )


def _require_removal_outcome(complaint) -> None:
    """The policy asks for the posts to be removed ("requesting and ensuring"): a complaint
    is resolved only once what came of each request is known."""
    removals = list(complaint.removal_requests.all())
    if not removals:
        raise InvalidTransition(
            f"{complaint.reference} has no removal request yet: record the request to the "
            "platform and its outcome before resolving it."
        )
    waiting = [
        f"{removal.get_platform_display()}, asked {when_text(removal.requested_at)}"
        for removal in removals
        if not removal.outcome
    ]
    if waiting:
        raise InvalidTransition(
            f"Record the outcome of each removal request (removed, refused by the platform or "
            f"author not reachable) before resolving {complaint.reference}. Still waiting: "
            f"{'; '.join(waiting)}."
        )


def _require_parents_meeting(complaint) -> None:
    if not complaint.meetings.filter(kind=Meeting.Kind.PARENTS).exists():
        raise InvalidTransition(f"{complaint.reference} has no meeting with the parents yet.")


@dataclass(frozen=True)
class StageStep:
    """One stage of the path. ``requires``, ``form`` and ``record`` are about entering
    it; ``next``, ``school_days`` and ``letters`` about a complaint that is at it."""

    stage: Stage
    next: frozenset[Stage]
    school_days: int | None = None  # None: a final stage, never due
    form: type[forms.TransitionForm] | None = None
    record: Recorder | None = None
    requires: Callable[[OnlineComplaint], None] | None = None
    letters: tuple[Letter, ...] = ()


STAGES: dict[str, StageStep] = {
    step.stage: step
    for step in [
        StageStep(Stage.REPORTED, frozenset({Stage.STAFF_SUPPORTED}), school_days=1),
        StageStep(
            Stage.STAFF_SUPPORTED,
            frozenset({Stage.EVIDENCE_GATHERED}),
            school_days=3,
            form=forms.SupportForm,
            record=_record_support,
        ),
        StageStep(
            Stage.EVIDENCE_GATHERED,
            frozenset({Stage.PARENTS_MEETING}),
            school_days=5,
            form=forms.EvidenceGatheredForm,
            requires=_require_evidence,
            letters=(PARENTS_MEETING_LETTER,),
        ),
        # The policy lists making the parents aware that posts could lead to legal action
        # before "if the matter is not resolved": it can be recorded at the meeting with
        # them or once removal is requested, and the complaint can still be resolved after
        # it. Arranging the chair of governors' meeting comes only after the warning.
        StageStep(
            Stage.PARENTS_MEETING,
            frozenset({Stage.REMOVAL_REQUESTED, Stage.LEGAL_WARNING_GIVEN}),
            school_days=5,
            form=forms.ParentsMeetingForm,
            record=_record_meeting(Meeting.Kind.PARENTS),
            letters=(PARENTS_MEETING_LETTER, REMOVAL_REQUEST_LETTER, LEGAL_WARNING_LETTER),
        ),
        StageStep(
            Stage.REMOVAL_REQUESTED,
            frozenset({Stage.RESOLVED, Stage.LEGAL_WARNING_GIVEN}),
            school_days=10,
            form=forms.RemovalForm,
            record=_record_removal,
            requires=_require_parents_meeting,
            letters=(REMOVAL_REQUEST_LETTER, LEGAL_WARNING_LETTER),
        ),
        StageStep(
            Stage.RESOLVED,
            frozenset(),
            form=forms.ResolvedForm,
            record=_record_outcome,
            requires=_require_removal_outcome,
        ),
        StageStep(
            Stage.LEGAL_WARNING_GIVEN,
            frozenset({Stage.GOVERNORS_MEETING, Stage.RESOLVED}),
            school_days=10,
            form=forms.WarningForm,
            record=_record_warning,
            # Warned at the parents' meeting, the removal request is recorded at this stage.
            letters=(LEGAL_WARNING_LETTER, REMOVAL_REQUEST_LETTER, GOVERNORS_MEETING_LETTER),
        ),
        StageStep(
            Stage.GOVERNORS_MEETING,
            frozenset({Stage.WAY_FORWARD}),
            school_days=5,
            form=forms.GovernorsMeetingForm,
            record=_record_escalation,
            letters=(GOVERNORS_MEETING_LETTER,),
        ),
        StageStep(
            Stage.WAY_FORWARD,
            frozenset({Stage.RESOLVED, Stage.LEGAL_ADVICE}),
            school_days=10,
            form=forms.WayForwardForm,
        ),
        StageStep(
            Stage.LEGAL_ADVICE,
            frozenset({Stage.CLOSED}),
            school_days=20,
            form=forms.LegalAdviceForm,
            record=_record_legal_advice,
        ),
        StageStep(Stage.CLOSED, frozenset(), form=forms.ClosedForm, record=_record_outcome),
    ]
}
# The escalation path as transition() reads it: from each stage, where it may go next.
TRANSITIONS: dict[str, frozenset[str]] = {stage: step.next for stage, step in STAGES.items()}


def next_steps(complaint: OnlineComplaint) -> list[StageStep]:
    """The stages a complaint may move to now, in the path's order."""
    following = STAGES[complaint.stage].next
    return [step for step in STAGES.values() if step.stage in following]


def letters_available(complaint: OnlineComplaint) -> tuple[Letter, ...]:
    return STAGES[complaint.stage].letters
