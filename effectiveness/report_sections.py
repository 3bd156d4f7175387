"""The effectiveness checks in the governors' annual report (reporting.sections):
counts per kind, the audit's lines met, the filtering reviews' results and the risk
assessments. No names and no free text: only counts, dates and the school's own lines."""

from django.db.models import Count, Q

from effectiveness.models import (
    AuditItem,
    CheckKind,
    EffectivenessCheck,
    FilteringResult,
    Outcome,
    RiskAssessment,
)
from overstone.schoolyear import school_year_bounds
from reporting.sections import ReportSection, register


def effectiveness_figures(start_year: int) -> dict:
    """Checks completed with a date in the school year."""
    start, end = school_year_bounds(start_year)
    completed = EffectivenessCheck.objects.filter(
        status=EffectivenessCheck.Status.COMPLETED, held_on__gte=start, held_on__lte=end
    )
    per_kind = dict(completed.order_by().values_list("kind").annotate(n=Count("pk")))
    audits = []
    for audit in completed.filter(kind=CheckKind.AUDIT).order_by("held_on", "pk"):
        outcomes = AuditItem.objects.filter(audit=audit).aggregate(
            **{value: Count("pk", filter=Q(outcome=value)) for value in Outcome.values}
        )
        audits.append({"held_on": audit.held_on.isoformat(), **outcomes})
    filtering = [
        {"held_on": held_on.isoformat(), "result": FilteringResult(result).label}
        for held_on, result in completed.filter(kind=CheckKind.FILTERING)
        .order_by("held_on", "pk")
        .values_list("held_on", "result")
    ]
    return {
        "kinds": [
            {"kind": label, "completed": per_kind.get(value, 0)}
            for value, label in CheckKind.choices
        ],
        "audits": audits,
        "filtering": filtering,
        "risk_assessments": RiskAssessment.objects.aggregate(
            total=Count("pk"), overdue_at_year_end=Count("pk", filter=Q(review_due__lt=end))
        ),
    }


register(
    ReportSection(
        key="effectiveness",
        title="Effectiveness checks",
        build=effectiveness_figures,
        template="effectiveness/_annual_report_section.html",
    )
)
