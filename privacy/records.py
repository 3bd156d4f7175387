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
    anonymise: Callable  # the owning app's service: (*, <record>=..., actor) -> record
    argument: str  # its keyword for the record
    url_name: str
    finished_label: str  # "e-Safety incidents, after they are closed"

    @property
    def retention_years(self) -> int:
        return settings.OVERSTONE_RETENTION_YEARS[self.record_type]

    def finished(self) -> models.QuerySet:
        """Its finished records, each with ``finished_at``: when retention starts."""
        if self.record_type == RecordType.INCIDENT:
            return Incident.objects.filter(status=Incident.Status.CLOSED).annotate(
                finished=F("closed_at")
            )
        if self.record_type == RecordType.COMPLAINT:
            return OnlineComplaint.objects.filter(stage__in=FINAL_STAGES).annotate(
                finished=F("finished_at")
            )
        answered = Q(events__to_status=Concern.Status.ANSWERED)
        return Concern.objects.filter(status=Concern.Status.ANSWERED).annotate(
            finished=Max("events__at", filter=answered)
        )

    def url(self, reference: str) -> str:
        return reverse(self.url_name, args=[reference])


KINDS: dict[str, RecordKind] = {
    kind.record_type: kind
    for kind in (
        RecordKind(
            RecordType.INCIDENT,
            Incident,
            incident_anonymise,
            "incident",
            "incidents:detail",
            "e-Safety incidents, after they are closed,",
        ),
        RecordKind(
            RecordType.COMPLAINT,
            OnlineComplaint,
            complaint_anonymise,
            "complaint",
            "complaints:detail",
            "online complaints, after they are resolved or closed,",
        ),
        RecordKind(
            RecordType.CONCERN,
            Concern,
            concern_anonymise,
            "concern",
            "complaints:concern_detail",
            "parents' concerns, after they are answered,",
        ),
    )
}


def retention_cutoff(kind: RecordKind, today: date) -> datetime:
    """Records finished before this moment are past their retention period."""
    day = today - relativedelta(years=kind.retention_years)  # 29 February: the 28th
    return timezone.make_aware(datetime.combine(day, time.min))
