"""The termly working party: meetings, agendas, actions, reminders."""

import datetime as dt
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from overstone.audit import audit_change
from overstone.models import MonitoredCategory, School
from overstone.monitored import monitored_counts_between
from overstone.notify import email_link, emails_in_role, notify
from overstone.roles import GOVERNORS, SCHOOL_PERSONNEL, Role, user_roles
from overstone.schools import school_id_or_default
from overstone.schoolyear import school_year_label, school_year_of
from training.models import (
    ActionItem,
    MeetingAttendee,
    Term,
    TermReminder,
    WorkingPartyMeeting,
    WorkingPartyMember,
    WorkingPartyRole,
    term_of,
    term_start,
)
from training.services import TrainingError

logger = logging.getLogger(__name__)


# Working party
# ---------------------------------------------------------------------------
def working_party_monitored_counts(*, since: dt.date | None, until: dt.date) -> dict[str, int]:
    """The policy's monitored counts between two meetings, for the agenda."""
    counts = monitored_counts_between(since=since, until=until)
    return {MonitoredCategory(value).label: n for value, n in counts.items()}


def meeting_agenda_draft(*, held_on: dt.date) -> str:
    """The agenda a new meeting starts with: standing items, the monitored counts since
    the last meeting and every open action carried over."""
    previous = WorkingPartyMeeting.objects.filter(held_on__lt=held_on).order_by("-held_on").first()
    counts = working_party_monitored_counts(
        since=previous.held_on if previous else None, until=held_on
    )
    open_actions = (
        ActionItem.objects.filter(done_at=None, meeting__held_on__lt=held_on)
        .select_related("owner", "meeting")
        .order_by("due_on", "pk")
    )
    since = f" ({previous.held_on:%d %B %Y})" if previous else ""
    lines = [
        "1. Apologies and minutes of the last meeting",
        "2. Social media awareness training for parents",
        f"3. Monitored counts since the last meeting{since}",
        *(f"    - {label}: {count}" for label, count in counts.items()),
    ]
    lines.append("4. Actions carried over")
    if open_actions:
        lines += [
            f"    - {a.description} ({a.owner.get_full_name() or a.owner}, due {a.due_on:%d %b %Y})"
            for a in open_actions
        ]
    else:
        lines.append("    - None open.")
    lines += [
        "5. Further development of the use of social media for the benefit of the school",
        "6. Any other business",
    ]
    return "\n".join(lines)


MEETING_FIELDS = ("school_year", "term", "held_on", "agenda", "minutes", "decisions")


# Which accounts may take each place on the working party.
PLACE_ROLES = {
    WorkingPartyRole.PRINCIPAL: frozenset({Role.PRINCIPAL}),
    WorkingPartyRole.COORDINATOR: frozenset({Role.COORDINATOR}),
    WorkingPartyRole.GOVERNOR: GOVERNORS,
    WorkingPartyRole.PARENT_REPRESENTATIVE: frozenset({Role.PARENT}),
    WorkingPartyRole.OTHER: SCHOOL_PERSONNEL | GOVERNORS,
}


@transaction.atomic
def working_party_member_add(
    *, user, place: str, from_date: dt.date, actor, to_date: dt.date | None = None
) -> WorkingPartyMember:
    place = WorkingPartyRole(place)
    if not user_roles(user) & PLACE_ROLES[place]:
        raise TrainingError(f"{user.get_full_name() or user} cannot be the {place.label.lower()}.")
    if to_date is not None and to_date < from_date:
        raise TrainingError("A membership cannot end before it starts.")
    overlapping = WorkingPartyMember.objects.select_for_update().filter(user=user, place=place)
    if to_date is not None:
        overlapping = overlapping.filter(from_date__lte=to_date)
    if overlapping.exclude(to_date__lt=from_date).exists():
        raise TrainingError(
            f"{user.get_full_name() or user} is already the {place.label.lower()} then."
        )
    member = WorkingPartyMember.objects.create(
        user=user, place=place, from_date=from_date, to_date=to_date, created_by=actor
    )
    audit_change(actor=actor, obj=member, changes={"working party": ["", str(member)]})
    return member


@transaction.atomic
def working_party_member_end(
    *, member: WorkingPartyMember, to_date: dt.date, actor
) -> WorkingPartyMember:
    member = WorkingPartyMember.objects.select_for_update().get(pk=member.pk)
    if member.to_date is not None:
        raise TrainingError("This membership has already ended.")
    if to_date < member.from_date:
        raise TrainingError(f"The membership started on {member.from_date:%d %B %Y}.")
    member.to_date = to_date
    member.save(update_fields=["to_date"])
    audit_change(actor=actor, obj=member, changes={"to date": ["", str(to_date)]})
    return member


def _set_attendees(meeting, members: list[WorkingPartyMember], guests: list[str]) -> None:
    """Members attend by their account; guests by name. A guest kept by name keeps the
    role they had (attendees recorded by name before members had accounts)."""
    for member in members:
        if not member.is_current(meeting.held_on):
            raise TrainingError(
                f"{member.user.get_full_name() or member.user} was not on the working party "
                f"on {meeting.held_on:%d %B %Y}."
            )
    earlier_roles = dict(meeting.attendees.filter(user=None).values_list("name", "role"))
    meeting.attendees.all().delete()
    MeetingAttendee.objects.bulk_create(
        [
            *(
                MeetingAttendee(
                    meeting=meeting,
                    user=member.user,
                    name=member.user.get_full_name() or member.user.username,
                    role=member.place,
                )
                for member in members
            ),
            *(
                MeetingAttendee(
                    meeting=meeting, name=name, role=earlier_roles.get(name, WorkingPartyRole.OTHER)
                )
                for name in guests
            ),
        ]
    )


@transaction.atomic
def meeting_create(
    *, actor, members: list[WorkingPartyMember], guests: list[str], **fields
) -> WorkingPartyMeeting:
    meeting = WorkingPartyMeeting.objects.create(
        created_by=actor, **{name: fields[name] for name in MEETING_FIELDS}
    )
    _set_attendees(meeting, members, guests)
    audit_change(actor=actor, obj=meeting, changes={"meeting": ["", str(meeting)]})
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: WorkingPartyMeeting,
    actor,
    members: list[WorkingPartyMember],
    guests: list[str],
    **fields,
) -> WorkingPartyMeeting:
    meeting = WorkingPartyMeeting.objects.select_for_update().get(pk=meeting.pk)
    changed = [name for name in MEETING_FIELDS if getattr(meeting, name) != fields[name]]
    for name in changed:
        setattr(meeting, name, fields[name])
    meeting.save()
    _set_attendees(meeting, members, guests)
    # Which parts changed, not their text: minutes are long and already kept here.
    audit_change(actor=actor, obj=meeting, changes={"changed": ["", ", ".join(changed)]})
    return meeting


@transaction.atomic
def action_create(
    *, meeting: WorkingPartyMeeting, description: str, owner, due_on: dt.date, actor
) -> ActionItem:
    action = ActionItem.objects.create(
        meeting=meeting, description=description, owner=owner, due_on=due_on
    )
    audit_change(actor=actor, obj=action, changes={"action": ["", description[:200]]})
    return action


@transaction.atomic
def action_complete(*, action: ActionItem, actor) -> ActionItem:
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    if action.is_done:
        raise TrainingError("This action is already done.")
    action.done_at = timezone.now()
    action.done_by = actor
    action.save(update_fields=["done_at", "done_by"])
    audit_change(actor=actor, obj=action, changes={"action": ["open", "done"]})
    return action


REMINDER_AFTER = dt.timedelta(weeks=3)


@transaction.atomic
def term_meeting_reminder_send(*, today: dt.date | None = None) -> bool:
    """Three weeks into a term with no meeting scheduled, remind the school's
    coordinator(s), once."""
    today = today or timezone.localdate()
    school_year, term = school_year_of(today), term_of(today)
    if today < term_start(school_year, term) + REMINDER_AFTER:
        return False
    if WorkingPartyMeeting.objects.filter(school_year=school_year, term=term).exists():
        return False
    recipients = emails_in_role(Role.COORDINATOR)
    if not recipients:
        # Not recorded as reminded: once a coordinator has an address, they are told.
        logger.warning("No coordinator to remind about the %s term meeting", term)
        return False
    reminder, created = TermReminder.objects.get_or_create(school_year=school_year, term=term)
    if not created:
        return False
    context = {
        "school": School.objects.get(pk=school_id_or_default()).name,
        "term": Term(term).label,
        "school_year": school_year_label(school_year),
        "url": email_link(reverse("training:meeting_create")),
    }
    notify("training/emails/term_reminder", context, to=recipients)
    return True
