"""What training holds about people, for data protection (see overstone.personal_data).

Training's pages have no per-record rule (each page is open to a role or to the person
themselves), so whoever may answer a subject-access request reads all of these."""

from django.urls import reverse

from overstone.personal_data import Mention, NotPersonal, SubjectAccessSource, register
from training.models import (
    Booking,
    InductionRecord,
    ParentProfile,
    TrainingSession,
    WorkingPartyMeeting,
    WorkingPartyMember,
)

register(
    SubjectAccessSource(
        label="Parent account",
        model=ParentProfile,
        records=lambda user: ParentProfile.objects.all(),
        text_fields=(),
        account_fields=("user",),
        date_field="created_at",
        describe=lambda profile: Mention(
            "Parent account",
            str(profile),
            profile.created_at,
            f"Child's year group: {profile.child_year_group}",
            "",
        ),
    ),
    SubjectAccessSource(
        label="Training booking",
        model=Booking,
        records=lambda user: Booking.objects.select_related("session"),
        text_fields=(),
        account_fields=("parent",),
        date_field="session__starts_at",
        describe=lambda booking: Mention(
            "Training booking",
            booking.session.title,
            booking.session.starts_at,
            f"Booking {booking.get_status_display().lower()}",
            "",
        ),
    ),
    SubjectAccessSource(
        label="Induction record",
        model=InductionRecord,
        records=lambda user: InductionRecord.objects.all(),
        text_fields=(),
        account_fields=("staff",),
        date_field="completed_on",
        describe=lambda record: Mention(
            "Induction record", record.get_topic_display(), record.completed_on, "Completed", ""
        ),
    ),
    SubjectAccessSource(
        label="Working-party meeting",
        model=WorkingPartyMeeting,
        records=lambda user: WorkingPartyMeeting.objects.all(),
        text_fields=("agenda", "minutes", "decisions", "attendees__name", "actions__description"),
        account_fields=("actions__owner", "attendees__user"),
        date_field="held_on",
        describe=lambda meeting: Mention(
            "Working-party meeting",
            str(meeting),
            meeting.held_on,
            meeting.minutes,
            reverse("training:meeting_detail", args=[meeting.pk]),
        ),
    ),
    SubjectAccessSource(
        label="Working-party membership",
        model=WorkingPartyMember,
        records=lambda user: WorkingPartyMember.objects.all(),
        text_fields=(),
        account_fields=("user",),
        date_field="from_date",
        describe=lambda member: Mention(
            "Working-party membership",
            member.get_place_display(),
            member.from_date,
            f"Until {member.to_date:%d %B %Y}" if member.to_date else "Current",
            "",
        ),
    ),
    SubjectAccessSource(
        label="Training session",
        model=TrainingSession,
        records=lambda user: TrainingSession.objects.all(),
        text_fields=("events__summary",),
        account_fields=(),
        date_field="starts_at",
        describe=lambda session: Mention(
            "Training session",
            session.title,
            session.starts_at,
            "Named in the session's history",
            reverse("training:session_detail", args=[session.pk]),
        ),
    ),
    NotPersonal(
        "training.SessionEvent",
        ("actor",),
        "Who changed a session: the school's record of its staff at work (what each line "
        "says is searched, with the session).",
    ),
    NotPersonal(
        "training.ParentProfile",
        ("created_by",),
        "Who added the parent: the school's record of its staff at work.",
    ),
    NotPersonal(
        "training.ParentInvitation",
        ("user", "created_by"),
        "When a set-password e-mail was sent to an account; the parent's account is listed "
        "as their Parent account.",
    ),
    NotPersonal(
        "training.TrainingSession",
        ("created_by", "cancel_reason"),
        "Who set the session up, and why it was cancelled (told to everyone booked).",
    ),
    NotPersonal(
        "training.InductionRecord",
        ("confirmed_by",),
        "Who confirmed the training: the school's record of its staff at work.",
    ),
    NotPersonal(
        "training.WorkingPartyMeeting",
        ("created_by",),
        "Who wrote the minutes up: the school's record of its staff at work.",
    ),
    NotPersonal(
        "training.WorkingPartyMember",
        ("created_by",),
        "Who added the member: the school's record of its staff at work.",
    ),
    NotPersonal(
        "training.ActionItem",
        ("done_by",),
        "Who ticked the action off: the school's record of its staff at work.",
    ),
)
