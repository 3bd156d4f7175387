"""Every read of the data-protection pages, limited to what the user may see.

The records belong to their apps, which declare them (overstone.personal_data) with the
visibility of their own pages: a record its own page hides from a user is not listed,
found or counted here for that user either.
"""

from collections.abc import Iterator
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.db.models import CharField, F, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from overstone.personal_data import (
    Mention,
    RecordKind,
    record_kinds,
    subject_access_sources,
    withheld_notes,
)
from privacy.models import Anonymisation, LegalHold, SubjectAccessRequest


def retention_cutoff(kind: RecordKind, today: date) -> datetime:
    """Records finished before this moment are past their retention period."""
    day = today - relativedelta(years=kind.retention_years)  # 29 February: the 28th
    return timezone.make_aware(datetime.combine(day, time.min))


def _undecided(kind: RecordKind, user) -> QuerySet:
    """Finished records of a kind this user may see, with no active legal hold and not
    yet anonymised."""
    held = LegalHold.objects.filter(record_type=kind.name, lifted_at__isnull=True)
    done = Anonymisation.objects.filter(record_type=kind.name)
    return (
        kind.finished_for(user)
        .exclude(pk__in=held.values("record_id"))
        .exclude(pk__in=done.values("record_id"))
    )


def past_retention(*, user, today: date, kind: RecordKind | None = None) -> QuerySet:
    """Records past their retention period awaiting this user's decision, oldest first,
    as rows of record_type, record_id, reference and finished (one query)."""
    kinds = [kind] if kind else record_kinds()
    parts = [
        _undecided(kind, user)
        .filter(finished__lt=retention_cutoff(kind, today))
        .values("finished", "reference", record_id=F("pk"))
        .annotate(record_type=Value(kind.name, output_field=CharField()))
        .values("record_type", "record_id", "reference", "finished")
        .order_by()
        for kind in kinds
    ]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return rows.order_by("finished", "reference")


def finished_past_retention(*, kind: RecordKind, record_id: int, user, today: date):
    """When the record was finished, if it is awaiting this user's retention decision;
    else None (also for a record the user may not see)."""
    cutoff = retention_cutoff(kind, today)
    records = _undecided(kind, user).filter(pk=record_id, finished__lt=cutoff)
    return records.values_list("finished", flat=True).first()


def _legal_holds(user) -> QuerySet:
    """Legal holds on records this user may see."""
    visible = Q(pk__in=[])
    for kind in record_kinds():
        records = kind.records(user).order_by().values("pk")
        visible |= Q(record_type=kind.name, record_id__in=records)
    return LegalHold.objects.filter(visible)


def legal_hold_list(*, user, active: bool = True) -> QuerySet:
    holds = _legal_holds(user).select_related("placed_by", "lifted_by")
    return holds.filter(lifted_at__isnull=active)


def legal_hold_get(*, user, pk: int) -> LegalHold:
    hold = _legal_holds(user).filter(pk=pk).first()
    if hold is None:
        raise Http404("No such legal hold")
    return hold


def record_find(*, reference: str, user) -> tuple[RecordKind, object] | None:
    """The record with this reference that this user may see, and its kind."""
    reference = reference.strip().upper()
    for kind in record_kinds():
        record = kind.records(user).filter(reference=reference).first()
        if record is not None:
            return kind, record
    return None


def retention_withheld(*, user) -> list[str]:
    """Why some records are left out of this user's retention list and legal holds."""
    return withheld_notes(user, record_kinds())


def sar_list(*, status: str = "") -> QuerySet:
    requests = SubjectAccessRequest.objects.select_related("subject_user")
    return requests.filter(status=status) if status else requests


# --- What Overstone holds about a person (subject access) ---------------------------


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


def sar_mentions(*, sar: SubjectAccessRequest, user) -> Iterator[Mention]:
    """Every record this user may see that mentions the person, source by source, read
    in chunks."""
    terms = sar_terms(sar)
    for source in subject_access_sources():
        records = source.find(terms=terms, account=sar.subject_user, user=user)
        for record in records.iterator(chunk_size=500):
            yield source.describe(record)


def sar_mention_count(*, sar: SubjectAccessRequest, user) -> int:
    terms = sar_terms(sar)
    return sum(
        source.find(terms=terms, account=sar.subject_user, user=user).count()
        for source in subject_access_sources()
    )


def sar_withheld(*, user) -> list[str]:
    """Why some records are left out of this user's subject-access searches."""
    return withheld_notes(user, subject_access_sources())
