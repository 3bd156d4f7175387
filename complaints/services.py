"""Every write to online complaints and parents' concerns. Each writes a chronology event."""

import logging
from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from complaints.models import (
    About,
    CalendarEntry,
    ComplaintEvent,
    Concern,
    ConcernEvent,
    Evidence,
    OnlineComplaint,
    RemovalRequest,
    Stage,
    StageReminder,
)
from complaints.schooldays import add_school_days
from complaints.selectors import school_calendar
from complaints.stages import STAGES, TRANSITIONS, when_text
from overstone.audit import audit_change
from overstone.evidence import (
    CheckedFile,
    evidence_atomic,
    evidence_create_many,
    evidence_erase,
)
from overstone.models import ANONYMISED_TEXT
from overstone.notify import email_link, emails_in_role, notify
from overstone.outbox import outbox_enqueue
from overstone.references import reference_next
from overstone.roles import Role, user_roles
from overstone.schools import each_school
from overstone.workflow import InvalidTransition, Move, Refused, Workflow, transition

logger = logging.getLogger(__name__)
Kind = ComplaintEvent.Kind


class NotFinished(Refused):
    """Anonymising a complaint or concern that is still being worked on."""


class Anonymised(Refused):
    """Adding to a complaint whose people and text were removed under the retention policy."""


class NoteRequired(Refused):
    """A note the rules need is empty."""


def _event(complaint, kind, actor, summary="", *, from_stage="", to_stage="", changes=None):
    return ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        actor=actor,
        summary=summary,
        from_stage=from_stage,
        to_stage=to_stage,
        changes=changes or {},
    )


def stage_due_for(stage: str, start: date | None = None) -> date | None:
    days = STAGES[stage].school_days
    if days is None:
        return None
    return add_school_days(start or timezone.localdate(), days, calendar=school_calendar())


def _handlers(record: OnlineComplaint | Concern) -> list[str]:
    """Conflict of interest: a complaint or concern about the principal goes to the chair
    of governors of its school instead."""
    role = Role.CHAIR_OF_GOVERNORS if record.about_principal else Role.PRINCIPAL
    return emails_in_role(role, record.school_id)


def _add_evidence(complaint, files, actor, captured_url, captured_at) -> list[Evidence]:
    added = evidence_create_many(
        model=Evidence,
        files=files,
        actor=actor,
        complaint=complaint,
        captured_url=captured_url,
        captured_at=captured_at,
    )
    for evidence in added:
        _event(complaint, Kind.EVIDENCE_ADDED, actor, evidence.chronology_line)
    return added


@evidence_atomic()
def complaint_create(
    *,
    actor,
    platform: str,
    posted_at: datetime,
    content: str,
    about: str,
    category: str,
    post_url: str = "",
    account_handle: str = "",
    posted_by_name: str = "",
    posted_by_parent=None,
    staff_about=(),
    pupils_about: str = "",
    evidence: list[CheckedFile] = (),
    captured_url: str = "",
    captured_at: datetime | None = None,
) -> OnlineComplaint:
    """Record an online complaint at the first stage; the principal (or, for a complaint
    about the principal, the chair of governors) is e-mailed."""
    staff_about = list(staff_about)
    if about == About.STAFF and not staff_about:
        raise ValueError("Name the staff member the post is about.")
    complaint = OnlineComplaint.objects.create(
        reference=reference_next(prefix="CMP"),
        reported_by=actor,
        platform=platform,
        post_url=post_url,
        account_handle=account_handle,
        posted_at=posted_at,
        content=content,
        posted_by_name=posted_by_name,
        posted_by_parent=posted_by_parent,
        about=about,
        pupils_about=pupils_about,
        about_principal=any(Role.PRINCIPAL in user_roles(user) for user in staff_about),
        category=category,
        stage=Stage.REPORTED,
        stage_due=stage_due_for(Stage.REPORTED),
    )
    complaint.staff_about.set(staff_about)
    routed = " It is about the principal, so it goes to the chair of governors."
    _event(
        complaint,
        Kind.CREATED,
        actor,
        f"{complaint.get_category_display()} on {complaint.get_platform_display()}."
        + (routed if complaint.about_principal else ""),
        to_stage=Stage.REPORTED,
    )
    _add_evidence(complaint, list(evidence), actor, captured_url, captured_at)
    outbox_enqueue("complaints.tasks.email_complaint_reported", complaint.pk)
    return complaint


def _stage_event(move: Move) -> None:
    _event(
        move.record,
        Kind.TRANSITION,
        move.actor,
        move.note,
        from_stage=move.before,
        to_stage=move.after,
        changes=move.changes,
    )


def _last_mover(complaint: OnlineComplaint) -> str:
    last = complaint.events.filter(kind=Kind.TRANSITION).select_related("actor").last()
    return last and last.actor and (last.actor.get_full_name() or last.actor.username)


WORKFLOW = Workflow(
    transitions=TRANSITIONS, chronicle=_stage_event, field="stage", moved_by=_last_mover
)


def _concern_event(move: Move) -> None:
    ConcernEvent.objects.create(
        concern=move.record,
        actor=move.actor,
        from_status=move.before,
        to_status=move.after,
        summary=move.note,
    )


CONCERN_WORKFLOW = Workflow(
    transitions={
        Concern.Status.RECEIVED: {Concern.Status.IN_PROGRESS, Concern.Status.ANSWERED},
        Concern.Status.IN_PROGRESS: {Concern.Status.ANSWERED},
        Concern.Status.ANSWERED: set(),
    },
    chronicle=_concern_event,
)


@transaction.atomic
def complaint_transition(
    *,
    complaint: OnlineComplaint,
    to_stage: str,
    actor,
    expected_stage: str | None = None,
    note: str = "",
    details: dict | None = None,
) -> OnlineComplaint:
    """The one place a complaint's stage changes.

    ``expected_stage`` is the stage the person saw when they chose to move it: if someone
    else moved it meanwhile, the change is refused instead of silently applied twice.
    """
    step = STAGES.get(to_stage)
    details = {"note": note, **(details or {})}

    def enter(complaint: OnlineComplaint) -> str:
        if step.requires:
            step.requires(complaint)
        complaint.stage_entered_at = timezone.now()
        complaint.stage_due = stage_due_for(to_stage)
        return step.record(complaint, actor, details) if step.record else ""

    complaint = transition(
        complaint,
        to=to_stage,
        actor=actor,
        workflow=WORKFLOW,
        expected=expected_stage,
        note=note,
        apply=enter,
    )
    if to_stage == Stage.GOVERNORS_MEETING and not complaint.about_principal:
        outbox_enqueue("complaints.tasks.email_complaint_escalated", complaint.pk)
    return complaint


@transaction.atomic
def complaint_arrange_governors_meeting(
    *, complaint: OnlineComplaint, actor, meeting_at: datetime, place: str, note: str = ""
) -> OnlineComplaint:
    """Arrange the further meeting with the chair of governors and the parents (the
    policy's step when the warning has not resolved it). From now the chair may read the
    complaint to prepare, and is e-mailed once; the letter inviting the parents gives its
    time and place; recording the meeting once it is held moves the complaint to "Met
    with the chair of governors"."""
    complaint = OnlineComplaint.objects.select_for_update().get(pk=complaint.pk)
    WORKFLOW.check_open(complaint)
    if complaint.stage != Stage.LEGAL_WARNING_GIVEN:
        raise InvalidTransition(
            f"{complaint.reference} is at “{complaint.get_stage_display()}”: the meeting with "
            f"the chair of governors is arranged after “{Stage.LEGAL_WARNING_GIVEN.label}”."
        )
    if complaint.escalated_at is not None:
        raise InvalidTransition(
            f"The meeting with the chair of governors for {complaint.reference} is already "
            "arranged."
        )
    complaint.escalated_at = timezone.now()
    complaint.governors_meeting_at = meeting_at
    complaint.governors_meeting_place = place
    complaint.save(
        update_fields=[
            "escalated_at",
            "governors_meeting_at",
            "governors_meeting_place",
            "updated_at",
        ]
    )
    proposed = f"Proposed for {when_text(meeting_at)}, {place}."
    summary = "\n".join(part for part in (proposed, note) if part)
    _event(complaint, Kind.CHAIR_INVITED, actor, summary)
    if not complaint.about_principal:
        outbox_enqueue("complaints.tasks.email_complaint_escalated", complaint.pk)
    return complaint


@evidence_atomic()
def complaint_add_evidence(
    *,
    complaint: OnlineComplaint,
    actor,
    files: list[CheckedFile],
    captured_url: str = "",
    captured_at: datetime | None = None,
) -> list[Evidence]:
    complaint = OnlineComplaint.objects.select_for_update().get(pk=complaint.pk)
    WORKFLOW.check_open(complaint)
    return _add_evidence(complaint, files, actor, captured_url, captured_at)


@transaction.atomic
def complaint_request_removal(
    *,
    complaint: OnlineComplaint,
    actor,
    platform: str,
    post_url: str,
    platform_reference: str,
    requested_at: datetime,
) -> RemovalRequest:
    """Another post to take down (the first is recorded with the removal_requested stage)."""
    complaint = OnlineComplaint.objects.select_for_update().get(pk=complaint.pk)
    WORKFLOW.check_open(complaint)
    removal = RemovalRequest.objects.create(
        complaint=complaint,
        platform=platform,
        post_url=post_url,
        platform_reference=platform_reference,
        requested_at=requested_at,
    )
    _event(
        complaint,
        Kind.REMOVAL_REQUESTED,
        actor,
        f"{removal.get_platform_display()} {post_url or ''} asked on {when_text(requested_at)}, "
        f"reference {platform_reference or 'none given'}.",
    )
    return removal


@transaction.atomic
def complaint_record_removal_outcome(
    *, removal: RemovalRequest, actor, outcome: str, outcome_at: datetime, note: str = ""
) -> RemovalRequest:
    """What came of asking a platform to remove a post: removed, refused by the platform
    or the author not reachable (the last two need a note saying what happened). Recorded
    once; resolving the complaint waits for every request's outcome (complaints.stages)."""
    outcome = RemovalRequest.Outcome(outcome)
    note = note.strip()
    if outcome != RemovalRequest.Outcome.REMOVED and not note:
        raise NoteRequired(
            f"Say what happened: the post was not removed ({outcome.label.lower()})."
        )
    complaint = OnlineComplaint.objects.select_for_update().get(pk=removal.complaint_id)
    WORKFLOW.check_open(complaint)
    removal = RemovalRequest.objects.select_for_update().get(pk=removal.pk)
    if removal.outcome:
        raise InvalidTransition(
            f"The outcome of that request was already recorded: "
            f"{removal.get_outcome_display().lower()} ({when_text(removal.outcome_at)})."
        )
    removal.outcome, removal.outcome_at, removal.outcome_note = outcome, outcome_at, note
    removal.save(update_fields=["outcome", "outcome_at", "outcome_note"])
    _event(
        complaint,
        Kind.REMOVAL_OUTCOME,
        actor,
        "\n".join(
            part
            for part in (
                f"{removal.get_platform_display()} post: {outcome.label.lower()} "
                f"({when_text(outcome_at)}).",
                note,
            )
            if part
        ),
    )
    return removal


@transaction.atomic
def complaint_add_note(*, complaint: OnlineComplaint, actor, note: str) -> ComplaintEvent:
    """A line in the chronology, open or finished (the parent posted again after it was
    resolved, the platform wrote back late): the stage does not change and a finished
    complaint stays otherwise as it was. Not on an anonymised one, which must stay so."""
    complaint = OnlineComplaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.events.filter(kind=Kind.ANONYMISED).exists():
        raise Anonymised(
            f"{complaint.reference} was anonymised under the retention policy: nothing more "
            "can be added to it."
        )
    note = note.strip()
    if not note:
        raise NoteRequired("Write the note first: nothing was added.")
    return _event(complaint, Kind.NOTE, actor, note)


def complaint_letter_produced(*, complaint: OnlineComplaint, actor, title: str, fmt: str) -> None:
    _event(complaint, Kind.LETTER, actor, f"{title} ({fmt.upper()})")


def complaint_bundle_downloaded(*, complaint: OnlineComplaint, actor, manifest: str) -> None:
    _event(complaint, Kind.BUNDLE, actor, f"Evidence bundle for legal advice.\n{manifest}")


def complaint_evidence_tampered(*, evidence: Evidence, actor) -> None:
    logger.error("Evidence %s of %s failed its SHA-256 check", evidence.pk, evidence.complaint)
    _event(
        evidence.complaint,
        Kind.EVIDENCE_TAMPERED,
        actor,
        f"{evidence.original_name}: the stored file no longer matches SHA-256 {evidence.sha256}; "
        "download refused.",
    )


def complaint_notify_reported(*, complaint_id: int) -> int:
    """E-mail whoever handles a new complaint, once, unless it has finished by the time this
    runs (the demo's finished complaints): a "needs you" for a resolved one misleads. No
    names in the e-mail: it gives the reference, category and platform and links to
    Overstone."""
    return _announce_new(
        OnlineComplaint,
        complaint_id,
        template="complaints/emails/reported",
        name="complaint",
        chronicle=lambda complaint, line: _event(complaint, Kind.NOTIFIED, None, line),
        done=lambda complaint: complaint.is_finished,
    )


def complaint_notify_escalated(*, complaint_id: int) -> int:
    """Tell the chair of governors a complaint has reached them, once, unless it has
    finished by the time this runs (e.g. the demo's finished complaints): nothing needs them."""
    with transaction.atomic():
        complaint = OnlineComplaint.objects.select_for_update().filter(pk=complaint_id).first()
        if (
            complaint is None
            or complaint.finished_at is not None
            or complaint.events.filter(
                kind=Kind.NOTIFIED, to_stage=Stage.GOVERNORS_MEETING
            ).exists()
        ):
            return 0
        recipients = emails_in_role(Role.CHAIR_OF_GOVERNORS, complaint.school_id)
        context = {"complaint": complaint, "url": email_link(complaint.get_absolute_url())}
        notify(
            "complaints/emails/escalated",
            context,
            to=recipients,
            withheld_from_principal=complaint.about_principal,
        )
        _event(
            complaint,
            Kind.NOTIFIED,
            None,
            f"E-mailed the chair of governors ({len(recipients)}).",
            to_stage=Stage.GOVERNORS_MEETING,
        )
    return len(recipients)


def complaints_overdue(*, today: date | None = None):
    today = today or timezone.localdate()
    return (
        OnlineComplaint.objects.filter(stage_due__lt=today)
        .exclude(stage__in=[Stage.RESOLVED, Stage.CLOSED])
        .values_list("pk", flat=True)
    )


@transaction.atomic
def complaint_reminders_queue() -> int:
    """One reminder task per overdue complaint of every school, run in its school; each
    sends at most once per stage, so queueing twice in a day sends nothing twice."""
    queued = 0
    for _school in each_school():
        overdue = list(complaints_overdue())
        for complaint_id in overdue:
            outbox_enqueue("complaints.tasks.remind_overdue_complaint", complaint_id)
        queued += len(overdue)
    return queued


def complaint_remind_overdue(*, complaint_id: int, today: date | None = None) -> int:
    """Remind whoever handles it that its current stage is overdue: once per stage."""
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            complaint = OnlineComplaint.objects.select_for_update().filter(pk=complaint_id).first()
            if complaint is None or not complaint.is_overdue(today):
                return 0
            if StageReminder.objects.filter(complaint=complaint, stage=complaint.stage).exists():
                return 0
            recipients = _handlers(complaint)
            StageReminder.objects.create(
                complaint=complaint, stage=complaint.stage, recipients=len(recipients)
            )
            context = {
                "complaint": complaint,
                "url": email_link(complaint.get_absolute_url()),
            }
            notify(
                "complaints/emails/overdue",
                context,
                to=recipients,
                withheld_from_principal=complaint.about_principal,
            )
            _event(
                complaint,
                Kind.REMINDER,
                None,
                f"“{complaint.get_stage_display()}” was due {when_text(complaint.stage_due)}; "
                f"reminded {len(recipients)}.",
            )
    except IntegrityError:  # another worker sent it at the same moment
        return 0
    return len(recipients)


@transaction.atomic
def concern_create(*, actor, subject: str, details: str, about_principal: bool = False) -> Concern:
    """Record a parent's concern; they get an acknowledgement and the principal (the chair
    of governors when it is about the principal) is told. It is due to be answered
    OVERSTONE_CONCERN_ANSWER_SCHOOL_DAYS school days later."""
    concern = Concern.objects.create(
        reference=reference_next(prefix="CON"),
        raised_by=actor,
        subject=subject,
        details=details,
        about_principal=about_principal,
        answer_due=concern_answer_due(raised_on=timezone.localdate()),
    )
    ConcernEvent.objects.create(
        concern=concern, actor=actor, to_status=concern.status, summary="Raised"
    )
    outbox_enqueue("complaints.tasks.email_concern_acknowledgement", concern.pk)
    outbox_enqueue("complaints.tasks.email_concern_raised", concern.pk)
    return concern


def concern_answer_due(*, raised_on: date) -> date:
    days = settings.OVERSTONE_CONCERN_ANSWER_SCHOOL_DAYS
    return add_school_days(raised_on, days, calendar=school_calendar())


def concern_transition(
    *, concern: Concern, to_status: str, actor, response: str = "", expected_status: str = ""
) -> Concern:
    """Move a concern on; once answered, the answer is e-mailed to the parent."""

    def reply(concern: Concern) -> None:
        if response:
            concern.response = response
        if to_status == Concern.Status.ANSWERED:
            concern.answered_at = timezone.now()
            outbox_enqueue("complaints.tasks.email_concern_answered", concern.pk)

    return transition(
        concern,
        to=to_status,
        actor=actor,
        workflow=CONCERN_WORKFLOW,
        expected=expected_status,
        note=response,
        apply=reply,
    )


def _email_parent_once(
    concern_id: int, *, template: str, sent_field: str, ready=None, line: str = ""
) -> int:
    """E-mail the parent who raised a concern, once: ``sent_field`` records it was done.
    Nothing is sent before ``ready(concern)`` holds, nor to a parent without an address;
    ``line``, if given, goes in the concern's chronology."""
    with transaction.atomic():
        concern = Concern.objects.select_for_update().filter(pk=concern_id).first()
        if concern is None or getattr(concern, sent_field) is not None:
            return 0
        if (ready and not ready(concern)) or not (concern.raised_by and concern.raised_by.email):
            return 0
        notify(
            template,
            {"concern": concern, "url": email_link(reverse("complaints:concern_list"))},
            to=[concern.raised_by],
            withheld_from_principal=concern.about_principal,
        )
        setattr(concern, sent_field, timezone.now())
        concern.save(update_fields=[sent_field])
        if line:
            _concern_line(concern, line)
    return 1


def concern_acknowledge(*, concern_id: int) -> int:
    """The parent's acknowledgement e-mail, once."""
    return _email_parent_once(
        concern_id,
        template="complaints/emails/concern_acknowledgement",
        sent_field="acknowledged_at",
    )


def _concern_line(concern: Concern, summary: str) -> None:
    ConcernEvent.objects.create(concern=concern, actor=None, summary=summary)


def _to_whom(record: OnlineComplaint | Concern) -> str:
    return "the chair of governors" if record.about_principal else "the principal"


def _announce_new(model, pk: int, *, template: str, name: str, chronicle, done) -> int:
    """E-mail a new complaint or concern to whoever handles it (the principal, or the chair
    of governors when it is about the principal), once: its `notified_at` says it was done.
    Not once `done(record)`: a record finished (answered) before the task ran needs no one.
    The record is in the context as `name`, with `url` to its page; `chronicle(record,
    line)` writes the record's chronology line."""
    with transaction.atomic():
        record = model.objects.select_for_update().filter(pk=pk).first()
        if record is None or record.notified_at is not None or done(record):
            return 0
        recipients = _handlers(record)
        notify(
            template,
            {name: record, "url": email_link(record.get_absolute_url())},
            to=recipients,
            withheld_from_principal=record.about_principal,
        )
        record.notified_at = timezone.now()
        record.save(update_fields=["notified_at"])
        chronicle(record, f"E-mailed {_to_whom(record)} ({len(recipients)}).")
    return len(recipients)


def concern_notify_raised(*, concern_id: int) -> int:
    """Tell the principal (or the chair of governors) of a new concern, once. The e-mail
    gives the reference and a link, not what the parent wrote."""
    return _announce_new(
        Concern,
        concern_id,
        template="complaints/emails/concern_raised",
        name="concern",
        chronicle=_concern_line,
        done=lambda concern: concern.is_answered,
    )


def concern_notify_answered(*, concern_id: int) -> int:
    """E-mail the parent the school's answer, once."""
    return _email_parent_once(
        concern_id,
        template="complaints/emails/concern_answered",
        sent_field="answer_emailed_at",
        ready=lambda concern: concern.is_answered,
        line="The answer was e-mailed to the parent.",
    )


@transaction.atomic
def concern_reminders_queue(*, today: date | None = None) -> int:
    """Daily: one reminder task per overdue concern not reminded yet, of every school,
    run in its school."""
    today = today or timezone.localdate()
    queued = 0
    for _school in each_school():
        overdue = list(
            Concern.objects.filter(answer_due__lt=today, reminded_at=None)
            .exclude(status=Concern.Status.ANSWERED)
            .values_list("pk", flat=True)
        )
        for concern_id in overdue:
            outbox_enqueue("complaints.tasks.remind_overdue_concern", concern_id)
        queued += len(overdue)
    return queued


def concern_remind_overdue(*, concern_id: int, today: date | None = None) -> int:
    """Remind the principal (or the chair) that a concern is past its answer date: once."""
    with transaction.atomic():
        concern = Concern.objects.select_for_update().filter(pk=concern_id).first()
        if concern is None or concern.reminded_at is not None or not concern.is_overdue(today):
            return 0
        recipients = _handlers(concern)
        context = {
            "concern": concern,
            "url": email_link(concern.get_absolute_url()),
        }
        notify(
            "complaints/emails/concern_overdue",
            context,
            to=recipients,
            withheld_from_principal=concern.about_principal,
        )
        concern.reminded_at = timezone.now()
        concern.save(update_fields=["reminded_at"])
        _concern_line(
            concern,
            f"Overdue: it was due {when_text(concern.answer_due)}; reminded "
            f"{_to_whom(concern)} ({len(recipients)}).",
        )
    return len(recipients)


@transaction.atomic
def complaint_anonymise(*, complaint: OnlineComplaint, actor) -> OnlineComplaint:
    """Remove what identifies anyone from a finished complaint, keeping what the annual
    report counts (category, platform, stages, dates). Called only for a record the
    principal approved as past its retention period (privacy.services).

    The chronology keeps who did what and when; what its lines said is blanked.
    """
    complaint = OnlineComplaint.objects.select_for_update().get(pk=complaint.pk)
    if not complaint.is_finished:
        raise NotFinished(f"{complaint.reference} is still open; only finished records expire.")
    for field in ("content", "outcome", "support_note", "legal_advice_summary"):
        if getattr(complaint, field):
            setattr(complaint, field, ANONYMISED_TEXT)
    complaint.post_url = complaint.account_handle = complaint.posted_by_name = ""
    complaint.legal_adviser = ""
    complaint.pupils_about = ""
    complaint.posted_by_parent = None
    complaint.save()
    complaint.staff_about.clear()
    complaint.meetings.update(attendees=ANONYMISED_TEXT, notes="", outcome=ANONYMISED_TEXT)
    complaint.removal_requests.update(post_url="", platform_reference="")
    complaint.removal_requests.exclude(outcome_note="").update(outcome_note=ANONYMISED_TEXT)
    evidence_erase(complaint.evidence.all())
    complaint.events.redact(summary="", changes={})
    _event(complaint, Kind.ANONYMISED, actor, "Text, people and evidence files removed.")
    return complaint


@transaction.atomic
def concern_anonymise(*, concern: Concern, actor) -> Concern:
    """Remove the parent and what they wrote from an answered concern (retention)."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if not concern.is_answered:
        raise NotFinished(f"{concern.reference} is not answered; only finished records expire.")
    parent = concern.raised_by
    concern.subject = concern.details = ANONYMISED_TEXT
    concern.response = ""
    concern.raised_by = None
    concern.save(update_fields=["subject", "details", "response", "raised_by", "updated_at"])
    concern.events.redact(summary="")
    concern.events.filter(actor=parent).redact(actor=None)
    ConcernEvent.objects.create(concern=concern, actor=actor, summary=ANONYMISED_TEXT)
    return concern


@transaction.atomic
def calendar_entry_add(*, actor, kind: str, name: str, starts_on: date, ends_on: date):
    entry = CalendarEntry(kind=kind, name=name, starts_on=starts_on, ends_on=ends_on)
    entry.full_clean()
    entry.save()
    audit_change(actor=actor, obj=entry, changes={"entry": ["", str(entry)]}, reference=str(entry))
    return entry


@transaction.atomic
def calendar_entry_remove(*, actor, entry: CalendarEntry) -> None:
    audit_change(actor=actor, obj=entry, changes={"entry": [str(entry), ""]}, reference=str(entry))
    entry.delete()
