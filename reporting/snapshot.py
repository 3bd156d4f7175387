"""The figures of an annual report and of the dashboard, counted in the database.

Each section is a function of a school year returning plain JSON-able data with no names
of pupils, staff or parents. The annual report stores the result as its snapshot.
"""

from datetime import date

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from complaints.models import FINAL_STAGES, OnlineComplaint, Stage
from incidents.models import CATEGORY_LABELS, FilteringCategory, Incident
from overstone.models import MonitoredCategory
from overstone.monitored import monitored_counts_between
from overstone.schoolyear import days_q, school_year_bounds, school_year_label
from overstone.selectors import school_personnel
from reporting.models import PolicyDocument, PolicyReview
from training.models import (
    ActionItem,
    Audience,
    Booking,
    BookingStatus,
    InductionRecord,
    InductionTopic,
    SessionStatus,
    Term,
    TrainingSession,
    WorkingPartyMeeting,
)


def _incidents(start_year: int):
    return Incident.objects.filter(days_q("occurred_at", *school_year_bounds(start_year)))


def _span(start_year: int) -> dict:
    since, until = school_year_bounds(start_year)
    return {"since": since, "until": until}


def _counts_by(queryset, field: str) -> dict[str, int]:
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))


def monitored_counts(start_year: int) -> list[dict]:
    """The policy's monitored categories, this year against the last."""
    this_year = monitored_counts_between(**_span(start_year))
    last_year = monitored_counts_between(**_span(start_year - 1))
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


def complaints_outcomes(start_year: int) -> dict:
    """Online complaints reported this year: how they ended, where, and how long it took."""
    start, end = school_year_bounds(start_year)
    complaints = OnlineComplaint.objects.filter(days_q("created_at", start, end))
    closed = Q(stage=Stage.CLOSED)
    figures = complaints.aggregate(
        reported=Count("pk"),
        still_open=Count("pk", filter=~Q(stage__in=FINAL_STAGES)),
        resolved_after_parents_meeting=Count("pk", filter=Q(stage=Stage.RESOLVED)),
        closed_after_chair_meeting=Count(
            "pk", filter=closed & Q(escalated_at__isnull=False, legal_advice_on__isnull=True)
        ),
        closed_after_legal_advice=Count("pk", filter=closed & Q(legal_advice_on__isnull=False)),
        escalated_to_chair=Count("pk", filter=Q(escalated_at__isnull=False)),
        finished=Count("pk", filter=Q(finished_at__isnull=False)),
    )
    finished = figures.pop("finished")
    # The middle one of the finished complaints in order of time taken: picked by the
    # database, not by loading thousands of timestamps into Python to sort.
    took = (
        complaints.filter(finished_at__isnull=False)
        .annotate(took=ExpressionWrapper(F("finished_at") - F("created_at"), DurationField()))
        .order_by("took", "pk")
        .values_list("took", flat=True)
    )
    figures["median_days_to_finish"] = took[finished // 2].days if finished else None
    return figures


def training_delivered(start_year: int) -> dict:
    """Awareness sessions held this year (not cancelled, already started) and attendance."""
    start, end = school_year_bounds(start_year)
    held = TrainingSession.objects.filter(
        days_q("starts_at", start, min(end, timezone.localdate())),
        status=SessionStatus.SCHEDULED,
    )
    bookings = Booking.objects.filter(session__in=held)
    figures = bookings.aggregate(
        attended=Count("pk", filter=Q(status=BookingStatus.ATTENDED)),
        no_show=Count("pk", filter=Q(status=BookingStatus.NO_SHOW)),
    )
    figures["sessions"] = held.count()
    figures["parent_sessions"] = held.filter(audience=Audience.PARENTS).count()
    marked = figures["attended"] + figures["no_show"]
    figures["attendance_rate"] = round(100 * figures["attended"] / marked) if marked else None
    return figures


def induction_coverage(start_year: int | None = None) -> dict:
    """How many school personnel have each induction topic confirmed (as of now)."""
    staff = school_personnel()
    confirmed = InductionRecord.objects.filter(staff__in=staff, confirmed_at__isnull=False)
    per_topic = dict(
        confirmed.order_by().values_list("topic").annotate(n=Count("staff", distinct=True))
    )
    complete = (
        staff.annotate(done=Count("induction_records", filter=Q(induction_records__in=confirmed)))
        .filter(done=len(InductionTopic.values))
        .count()
    )
    return {
        "staff": staff.count(),
        "complete": complete,
        "topics": [
            {"topic": label, "confirmed": per_topic.get(value, 0)}
            for value, label in InductionTopic.choices
        ],
    }


def working_party(start_year: int) -> dict:
    meetings = WorkingPartyMeeting.objects.filter(school_year=start_year)
    actions = ActionItem.objects.filter(meeting__school_year=start_year).aggregate(
        raised=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False))
    )
    return {
        "meetings": [
            {"term": Term(term).label, "held_on": held_on.isoformat()}
            for term, held_on in meetings.order_by("held_on").values_list("term", "held_on")
        ],
        "actions": actions,
    }


# The report's sections, in order; the task reports progress after each.
SECTIONS = [
    ("monitored", "Monitored online conduct", monitored_counts),
    ("incidents_by_category", "Incidents by category", incidents_by_category),
    ("filtering_by_month", "Filtering incidents by month", filtering_incidents_by_month),
    ("contacts", "ISP and police contacts", incident_contacts),
    ("complaints", "Online complaints", complaints_outcomes),
    ("training", "Awareness training", training_delivered),
    ("induction", "Staff induction", induction_coverage),
    ("working_party", "Working party", working_party),
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
