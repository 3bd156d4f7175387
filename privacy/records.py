"""The records the retention policy covers: where each keeps its finish date, how long it
is kept after it (a setting) and which service of its own app anonymises it."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone

from complaints.models import FINAL_STAGES, Concern, OnlineComplaint
from complaints.services import complaint_anonymise, concern_anonymise
from incidents.models import Incident
from incidents.services import incident_anonymise
from privacy.models import RecordType


@dataclass(frozen=True)
class RecordKind:
    record_type: RecordType
    model: type[models.Model]
    finished: Callable[[], models.QuerySet]  # its finished records, each with ``finished``
    anonymise: Callable  # the owning app's service, as (record, actor)
    url_name: str
    finished_label: str  # "e-Safety incidents, after they are closed,"

    @property
    def retention_years(self) -> int:
        return settings.OVERSTONE_RETENTION_YEARS[self.record_type]

    def url(self, reference: str) -> str:
        return reverse(self.url_name, args=[reference])


def _answered_concerns() -> models.QuerySet:
    answered = Q(events__to_status=Concern.Status.ANSWERED)
    return Concern.objects.filter(status=Concern.Status.ANSWERED).annotate(
        finished=Max("events__at", filter=answered)
    )


KINDS: dict[str, RecordKind] = {
    kind.record_type: kind
    for kind in (
        RecordKind(
            RecordType.INCIDENT,
            Incident,
            lambda: Incident.objects.filter(status=Incident.Status.CLOSED).annotate(
                finished=F("closed_at")
            ),
            lambda record, actor: incident_anonymise(incident=record, actor=actor),
            "incidents:detail",
            "e-Safety incidents, after they are closed,",
        ),
        RecordKind(
            RecordType.COMPLAINT,
            OnlineComplaint,
            lambda: OnlineComplaint.objects.filter(stage__in=FINAL_STAGES).annotate(
                finished=F("finished_at")
            ),
            lambda record, actor: complaint_anonymise(complaint=record, actor=actor),
            "complaints:detail",
            "online complaints, after they are resolved or closed,",
        ),
        RecordKind(
            RecordType.CONCERN,
            Concern,
            _answered_concerns,
            lambda record, actor: concern_anonymise(concern=record, actor=actor),
            "complaints:concern_detail",
            "parents' concerns, after they are answered,",
        ),
    )
}


def retention_cutoff(kind: RecordKind, today: date) -> datetime:
    """Records finished before this moment are past their retention period."""
    day = today - relativedelta(years=kind.retention_years)  # 29 February: the 28th
    return timezone.make_aware(datetime.combine(day, time.min))
