"""The figures of an annual report and of the dashboard, counted in the database.

Each section is a function of a school year returning plain JSON-able data with no names
of pupils, staff or parents. The annual report stores the result as its snapshot.
"""

from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from incidents.models import CATEGORY_LABELS, FilteringCategory, Incident
from overstone.models import MonitoredCategory
from overstone.schoolyear import school_year_bounds, school_year_label
from reporting.models import PolicyDocument, PolicyReview


def _incidents(start_year: int):
    start, end = school_year_bounds(start_year)
    return Incident.objects.filter(occurred_at__date__gte=start, occurred_at__date__lte=end)


def _counts_by(queryset, field: str) -> dict[str, int]:
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))


def monitored_counts(start_year: int) -> list[dict]:
    """The policy's monitored categories, this year against the last."""
    this_year = _counts_by(_incidents(start_year), "category")
    last_year = _counts_by(_incidents(start_year - 1), "category")
    return [
        {
            "category": label,
            "this_year": this_year.get(value, 0),
            "last_year": last_year.get(value, 0),
        }
        for value, label in MonitoredCategory.choices
    ]


def incidents_by_category(start_year: int) -> list[dict]:
    counts = _counts_by(_incidents(start_year), "category")
    return [
        {"category": CATEGORY_LABELS[value], "count": counts.get(value, 0)}
        for value in [*FilteringCategory.values, *MonitoredCategory.values]
    ]


def filtering_incidents_by_month(start_year: int) -> dict:
    """Incidents of the filtering categories per month, September to August."""
    start, _ = school_year_bounds(start_year)
    months = [date(start.year + (m + 8) // 12, (m + 8) % 12 + 1, 1) for m in range(12)]
    rows = (
        _incidents(start_year)
        .filter(category__in=FilteringCategory.values)
        .annotate(month=TruncMonth("occurred_at"))
        .order_by()
        .values_list("month", "category")
        .annotate(n=Count("pk"))
    )
    series = {value: [0] * 12 for value in FilteringCategory.values}
    for month, category, n in rows:
        series[category][months.index(date(month.year, month.month, 1))] += n
    return {
        "months": [f"{m:%b}" for m in months],
        "series": {CATEGORY_LABELS[c]: values for c, values in series.items() if any(values)},
    }


def incident_contacts(start_year: int) -> dict:
    return _incidents(start_year).aggregate(
        total=Count("pk"),
        isp=Count("pk", filter=Q(isp_contacted_at__isnull=False)),
        police=Count("pk", filter=Q(police_contacted_at__isnull=False)),
        closed=Count("pk", filter=Q(status=Incident.Status.CLOSED)),
    )


def policies_reviewed(start_year: int) -> dict:
    start, end = school_year_bounds(start_year)
    reviewed = (
        PolicyReview.objects.filter(reviewed_on__gte=start, reviewed_on__lte=end)
        .select_related("policy")
        .order_by("reviewed_on")
    )
    return {
        "reviewed": [
            {
                "title": r.policy.title,
                "version": r.version,
                "reviewed_on": r.reviewed_on.isoformat(),
            }
            for r in reviewed
        ],
        "overdue_at_year_end": list(
            PolicyDocument.objects.filter(review_due__lt=end).values_list("title", flat=True)
        ),
    }


# The report's sections, in order; the task reports progress after each.
SECTIONS = [
    ("monitored", "Monitored online conduct", monitored_counts),
    ("incidents_by_category", "Incidents by category", incidents_by_category),
    ("filtering_by_month", "Filtering incidents by month", filtering_incidents_by_month),
    ("contacts", "ISP and police contacts", incident_contacts),
    ("policies", "Policies reviewed", policies_reviewed),
]


def snapshot_header(start_year: int) -> dict:
    start, end = school_year_bounds(start_year)
    return {
        "school_year": start_year,
        "label": school_year_label(start_year),
        "previous_label": school_year_label(start_year - 1),
        "from": start.isoformat(),
        "to": end.isoformat(),
    }
