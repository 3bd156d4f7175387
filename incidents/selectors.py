from datetime import date

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, When
from django.db.models import Value as V
from django.db.models.functions import Coalesce
from django.http import Http404

from incidents.models import Evidence, Incident, IncidentEvent, Severity
from overstone.models import RecordLink
from overstone.roles import Capability, can
from overstone.schoolyear import days_q

SEVERITY_RANK = Case(
    *(When(severity=value, then=V(rank)) for rank, value in enumerate(Severity.values)),
    output_field=IntegerField(),
)


def incident_list(*, user) -> QuerySet[Incident]:
    """Incidents this user may see, ready for a list page: one query per page."""
    evidence_count = (
        Evidence.objects.filter(incident=OuterRef("pk"))
        .order_by()
        .values("incident")
        .annotate(n=Count("pk"))
        .values("n")
    )
    incidents = Incident.objects.select_related("reported_by").annotate(
        evidence_count=Coalesce(Subquery(evidence_count), 0), severity_rank=SEVERITY_RANK
    )
    if not can(user, Capability.VIEW_ALL_INCIDENTS):
        incidents = incidents.filter(reported_by=user)
    return incidents


def incident_get(*, user, reference: str) -> Incident:
    """One incident with everything its page shows, or 404 if this user may not see it."""
    incident = (
        incident_list(user=user)
        .prefetch_related(
            "pupils__pupil",
            "staff_involved",
            Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")),
            Prefetch("events", queryset=IncidentEvent.objects.select_related("actor")),
        )
        .filter(reference=reference)
        .first()
    )
    if incident is None:
        raise Http404("No such incident")
    return incident


def incident_counts_by_category(*, since: date | None, until: date) -> dict[str, int]:
    """Incidents per category that occurred between two dates (inclusive), for the
    monitored counts: an incident linked to an online complaint about the same post is
    counted through the complaint, once (see overstone.models.RecordLink)."""
    linked = RecordLink.objects.values("incident_reference")
    incidents = Incident.objects.filter(days_q("occurred_at", since, until)).exclude(
        reference__in=linked
    )
    return dict(incidents.order_by().values_list("category").annotate(n=Count("pk")))
