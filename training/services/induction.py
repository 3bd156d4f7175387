"""Staff induction records and their confirmation."""

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from overstone.audit import audit_change
from training.models import (
    InductionRecord,
    InductionTopic,
    InductionValidity,
)
from training.services import TrainingError

logger = logging.getLogger(__name__)
User = get_user_model()


# Staff induction
# ---------------------------------------------------------------------------
@transaction.atomic
def induction_record(*, staff, topic: str, completed_on: dt.date, actor) -> InductionRecord:
    if completed_on > timezone.localdate():
        raise TrainingError("The completion date cannot be in the future.")
    record = InductionRecord.objects.select_for_update().filter(staff=staff, topic=topic).first()
    if record is None:
        record = InductionRecord.objects.create(staff=staff, topic=topic, completed_on=completed_on)
        audit_change(actor=actor, obj=record, changes={"completed on": ["", str(completed_on)]})
        return record
    before = str(record.completed_on)
    record.completed_on = completed_on
    # A changed date needs confirming again.
    record.confirmed_at = None
    record.confirmed_by = None
    record.save(update_fields=["completed_on", "confirmed_at", "confirmed_by"])
    audit_change(actor=actor, obj=record, changes={"completed on": [before, str(completed_on)]})
    return record


@transaction.atomic
def induction_confirm(*, record: InductionRecord, actor) -> InductionRecord:
    record = InductionRecord.objects.select_for_update().get(pk=record.pk)
    if record.is_confirmed:
        raise TrainingError("This record is already confirmed.")
    record.confirmed_at = timezone.now()
    record.confirmed_by = actor
    record.save(update_fields=["confirmed_at", "confirmed_by"])
    audit_change(actor=actor, obj=record, changes={"induction": ["recorded", "confirmed"]})
    return record


@transaction.atomic
def induction_validity_set(*, months: dict[str, int | None], actor) -> list[InductionValidity]:
    """How many months each topic counts for (None: it never expires); writes only the
    topics whose validity changed."""
    changed = []
    for topic in InductionTopic:
        wanted = months.get(topic.value) or None
        row, _ = InductionValidity.objects.select_for_update().get_or_create(topic=topic.value)
        if row.valid_months == wanted:
            continue
        before, row.valid_months = row.valid_months, wanted
        row.save(update_fields=["valid_months"])
        audit_change(
            actor=actor, obj=row, changes={"valid months": [str(before or ""), str(wanted or "")]}
        )
        changed.append(row)
    return changed
