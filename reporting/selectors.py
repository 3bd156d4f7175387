from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from incidents.models import Incident
from overstone.schoolyear import school_year_label, school_year_of
from reporting.models import AnnualReport, PolicyDocument
from reporting.snapshot import (
    filtering_incidents_by_month,
    induction_coverage,
    monitored_counts,
    training_delivered,
)


def policies_due(*, within_days: int = 60) -> QuerySet[PolicyDocument]:
    horizon = timezone.localdate() + timedelta(days=within_days)
    return PolicyDocument.objects.filter(review_due__lte=horizon).select_related("owner")


def dashboard_figures() -> dict:
    year = school_year_of()
    incidents = Incident.objects.aggregate(
        open=Count("pk", filter=Q(status=Incident.Status.OPEN)),
        with_principal=Count("pk", filter=Q(status=Incident.Status.REPORTED_TO_PRINCIPAL)),
    )
    return {
        "year_label": school_year_label(year),
        "previous_label": school_year_label(year - 1),
        "monitored": monitored_counts(year),
        "by_month": filtering_incidents_by_month(year),
        "incidents": incidents,
        "policies_due": policies_due(),
        "training": training_delivered(year),
        "induction": induction_coverage(),
    }


def report_list() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.defer("html", "snapshot").select_related("requested_by")
