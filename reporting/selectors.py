from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils import timezone

from complaints.models import FINAL_STAGES
from complaints.selectors import complaint_list, complaint_stage_counts
from incidents.models import Incident
from overstone.roles import Capability, can
from overstone.schools import school_id_or_default
from overstone.schoolyear import school_year_label, school_year_of
from overstone.selectors import email_failed_list
from reporting.models import AnnualReport, PolicyDocument
from reporting.snapshot import (
    filtering_incidents_by_month,
    incidents_by_category,
    induction_coverage,
    monitored_counts,
    training_delivered,
)


def policy_list() -> QuerySet[PolicyDocument]:
    """The school's register."""
    return PolicyDocument.objects.select_related("owner")


def published_policies() -> QuerySet[PolicyDocument]:
    """The policies the school publishes to everyone who logs in, parents included."""
    return PolicyDocument.objects.exclude(published_text="").order_by("title")


def policies_due(*, within_days: int = 60) -> QuerySet[PolicyDocument]:
    horizon = timezone.localdate() + timedelta(days=within_days)
    return PolicyDocument.objects.filter(review_due__lte=horizon).select_related("owner")


def open_complaints_by_stage(*, user) -> dict | None:
    """Open complaints this user may see, by stage, with how many are overdue."""
    if not can(user, Capability.VIEW_COMPLAINTS):
        return None
    open_complaints = complaint_list(user=user).exclude(stage__in=FINAL_STAGES)
    return {
        "by_stage": [(stage, n) for stage, n in complaint_stage_counts(open_complaints) if n],
        "overdue": open_complaints.filter(overdue=True).count(),
    }


DASHBOARD_CACHE_SECONDS = 60


def dashboard_figures(*, user) -> dict:
    """The dashboard: the school's figures (the same for everyone in the school who may
    see them, so counted at most once a minute, and kept per school), the complaints this
    user may see and, for the principal, how many e-mails could not be sent."""
    school = cache.get_or_set(
        f"dashboard:school-figures:{school_id_or_default()}",
        _school_figures,
        timeout=DASHBOARD_CACHE_SECONDS,
    )
    failed_emails = (
        email_failed_list(user=user).count() if can(user, Capability.VIEW_FAILED_EMAILS) else None
    )
    return {
        **school,
        "complaints": open_complaints_by_stage(user=user),
        "failed_emails": failed_emails,
    }


def _school_figures() -> dict:
    year = school_year_of()
    # Counted through the status index: a filtered COUNT over the whole table scans it all.
    by_status = dict(
        Incident.objects.filter(
            status__in=[Incident.Status.OPEN, Incident.Status.REPORTED_TO_PRINCIPAL]
        )
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    incidents = {
        "open": by_status.get(Incident.Status.OPEN, 0),
        "with_principal": by_status.get(Incident.Status.REPORTED_TO_PRINCIPAL, 0),
    }
    return {
        "year_label": school_year_label(year),
        "previous_label": school_year_label(year - 1),
        "monitored": monitored_counts(year),
        "by_month": filtering_incidents_by_month(year),
        "by_category": [row for row in incidents_by_category(year) if row["count"]],
        "incidents": incidents,
        "policies_due": list(policies_due()),
        "training": training_delivered(year),
        "induction": induction_coverage(),
        "counted_at": timezone.now(),
    }


def report_list() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.defer("html", "snapshot", "development").select_related(
        "requested_by"
    )


def report_development_draft(*, report: AnnualReport) -> str:
    """What the development form starts from: this version's own text, else that of the
    latest earlier version of the same year (a new version usually corrects figures; the
    principal need not write the section again)."""
    if report.development:
        return report.development
    earlier = (
        AnnualReport.objects.filter(school_year=report.school_year, version__lt=report.version)
        .exclude(development="")
        .order_by("-version")
        .values_list("development", flat=True)
        .first()
    )
    return earlier or ""
