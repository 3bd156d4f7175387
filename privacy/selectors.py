"""Every read of the data-protection pages. Only the principal reaches them."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import CharField, F, Q, QuerySet, Value
from django.urls import reverse

from complaints.models import Concern, OnlineComplaint
from incidents.models import Incident
from overstone.models import AuditLogEntry
from privacy.models import Anonymisation, LegalHold, SubjectAccessRequest
from privacy.records import KINDS, RecordKind, retention_cutoff
from training.models import Booking, InductionRecord, WorkingPartyMeeting


def _undecided(kind: RecordKind) -> QuerySet:
    """Finished records of a kind with no active legal hold and not yet anonymised."""
    held = LegalHold.objects.filter(record_type=kind.record_type, lifted_at__isnull=True)
    done = Anonymisation.objects.filter(record_type=kind.record_type)
    return (
        kind.finished()
        .exclude(pk__in=held.values("record_id"))
        .exclude(pk__in=done.values("record_id"))
    )


def past_retention(*, today: date, record_type: str = "") -> QuerySet:
    """Records past their retention period awaiting the principal's decision, oldest
    first, as rows of record_type, record_id, reference and finished (one query)."""
    kinds = [KINDS[record_type]] if record_type else list(KINDS.values())
    parts = [
        _undecided(kind)
        .filter(finished__lt=retention_cutoff(kind, today))
        .values("finished", "reference", record_id=F("pk"))
        .annotate(record_type=Value(kind.record_type, output_field=CharField()))
        .values("record_type", "record_id", "reference", "finished")
        .order_by()
        for kind in kinds
    ]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return rows.order_by("finished", "reference")


def finished_past_retention(*, kind: RecordKind, record_id: int, today: date):
    """When the record was finished, if it is awaiting a retention decision; else None."""
    cutoff = retention_cutoff(kind, today)
    records = _undecided(kind).filter(pk=record_id, finished__lt=cutoff)
    return records.values_list("finished", flat=True).first()


def legal_hold_list(*, active: bool = True) -> QuerySet:
    holds = LegalHold.objects.select_related("placed_by", "lifted_by")
    return holds.filter(lifted_at__isnull=active)


def record_find(reference: str) -> tuple[RecordKind, object] | None:
    """The incident, complaint or concern with this reference, and its kind."""
    reference = reference.strip().upper()
    for kind in KINDS.values():
        record = kind.model.objects.filter(reference=reference).first()
        if record is not None:
            return kind, record
    return None


def sar_list(*, status: str = "") -> QuerySet:
    requests = SubjectAccessRequest.objects.select_related("subject_user")
    return requests.filter(status=status) if status else requests


# --- What Overstone holds about a person (subject access) ---------------------------


@dataclass(frozen=True)
class Mention:
    source: str
    reference: str
    on: date | datetime
    summary: str
    url: str


@dataclass(frozen=True)
class Source:
    """Where a person may be mentioned: text searched for their names, links to their
    account, and how one of its records reads on the request's page and export."""

    queryset: QuerySet
    text_fields: tuple[str, ...]
    people_fields: tuple[str, ...]
    date_field: str
    describe: Callable[[Any], Mention]

    def matches(self, terms: list[str], user) -> QuerySet:
        condition = Q(pk__in=[])
        for term in terms:
            for field in self.text_fields:
                condition |= Q(**{f"{field}__icontains": term})
        if user is not None:
            for field in self.people_fields:
                condition |= Q(**{field: user})
        ids = self.queryset.filter(condition).values("pk")
        return self.queryset.filter(pk__in=ids).order_by(self.date_field, "pk")


SOURCES = [
    Source(
        Incident.objects.all(),
        ("description", "location_detail", "outcome", "pupils__name"),
        ("reported_by", "staff_involved"),
        "occurred_at",
        lambda incident: Mention(
            "e-Safety incident",
            incident.reference,
            incident.occurred_at,
            f"{incident.category_label}. {incident.description}",
            incident.get_absolute_url(),
        ),  # fmt: skip
    ),
    Source(
        OnlineComplaint.objects.all(),
        (
            "content",
            "posted_by_name",
            "account_handle",
            "pupils_about",
            "support_note",
            "outcome",
            "legal_advice_summary",
            "meetings__attendees",
            "meetings__notes",
            "meetings__outcome",
        ),
        ("reported_by", "posted_by_parent", "staff_about"),
        "posted_at",
        lambda complaint: Mention(
            "Online complaint",
            complaint.reference,
            complaint.posted_at,
            f"{complaint.get_platform_display()}: {complaint.content}",
            complaint.get_absolute_url(),
        ),  # fmt: skip
    ),
    Source(
        Concern.objects.all(),
        ("subject", "details", "response"),
        ("raised_by",),
        "created_at",
        lambda concern: Mention(
            "Parent's concern",
            concern.reference,
            concern.created_at,
            f"{concern.subject}. {concern.details}",
            reverse("complaints:concern_detail", args=[concern.reference]),
        ),  # fmt: skip
    ),
    Source(
        Booking.objects.select_related("session"),
        (),
        ("parent",),
        "session__starts_at",
        lambda booking: Mention(
            "Training booking",
            booking.session.title,
            booking.session.starts_at,
            f"Booking {booking.get_status_display().lower()}",
            "",
        ),  # fmt: skip
    ),
    Source(
        InductionRecord.objects.all(),
        (),
        ("staff",),
        "completed_on",
        lambda record: Mention(
            "Induction record", record.get_topic_display(), record.completed_on, "Completed", ""
        ),
    ),
    Source(
        WorkingPartyMeeting.objects.all(),
        ("agenda", "minutes", "decisions", "attendees__name"),
        ("actions__owner",),
        "held_on",
        lambda meeting: Mention(
            "Working-party meeting",
            str(meeting),
            meeting.held_on,
            meeting.minutes,
            reverse("training:meeting_detail", args=[meeting.pk]),
        ),  # fmt: skip
    ),
    Source(
        AuditLogEntry.objects.filter(action=AuditLogEntry.Action.CHANGE),
        ("changes",),
        (),
        "at",
        lambda entry: Mention(
            "Audit log",
            f"{entry.object_type} {entry.object_reference}",
            entry.at,
            "; ".join(f"{name}: {old} → {new}" for name, (old, new) in entry.changes.items()),
            "",
        ),  # fmt: skip
    ),
]


def sar_terms(sar: SubjectAccessRequest) -> list[str]:
    """The names searched for: the person's name, other names, their account's name and
    e-mail (records tied to the account are found through it, not by its username).
    Shorter than three letters would match nearly everything, so those are left out."""
    names = [sar.subject_name, *sar.other_names.splitlines()]
    if sar.subject_user is not None:
        names += [sar.subject_user.get_full_name(), sar.subject_user.email]
    terms = []
    for name in names:
        name = " ".join(name.split())
        if len(name) >= 3 and name.casefold() not in {t.casefold() for t in terms}:
            terms.append(name)
    return terms


def sar_mentions(sar: SubjectAccessRequest) -> Iterator[Mention]:
    """Every record that mentions the person, source by source, read in chunks."""
    terms = sar_terms(sar)
    for source in SOURCES:
        for record in source.matches(terms, sar.subject_user).iterator(chunk_size=500):
            yield source.describe(record)


def sar_mention_count(sar: SubjectAccessRequest) -> int:
    terms = sar_terms(sar)
    return sum(source.matches(terms, sar.subject_user).count() for source in SOURCES)
