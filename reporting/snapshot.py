"""The figures of an annual report and of the dashboard, counted in the database.

Each section is a function of a school year returning plain JSON-able data with no names
of pupils, staff or parents. The annual report stores the result as its snapshot.

Every count is one SQL aggregate (no loop over rows in Python): the report of a school
with a million incidents is counted in the database.
"""

from collections.abc import Callable
from datetime import date

from django.db.models import (
    Count,
    DurationField,
    Expression,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.models import Agency, Referral
from complaints.models import FINAL_STAGES, Concern, ConcernEvent, OnlineComplaint, Stage
from incidents.models import CATEGORY_LABELS, FilteringCategory, Incident
from overstone.models import MonitoredCategory
from overstone.monitored import monitored_counts_between
from overstone.schoolyear import days_q, school_year_bounds, school_year_label
from overstone.selectors import school_personnel
from reporting.models import PolicyDocument, PolicyReview
from surveys.models import SMALL_GROUP, CouncilMeeting, Question, Survey
from surveys.selectors import survey_results
from training.models import (
    ActionItem,
    Audience,
    AwarenessTopic,
    Booking,
    BookingStatus,
    InductionTopic,
    SessionStatus,
    Term,
    TrainingSession,
    WorkingPartyMeeting,
)
from training.selectors import induction_records_current


def _incidents(start_year: int):
    return Incident.objects.filter(days_q("occurred_at", *school_year_bounds(start_year)))


def _span(start_year: int) -> dict:
    since, until = school_year_bounds(start_year)
    return {"since": since, "until": until}


def _counts_by(queryset, field: str) -> dict[str, int]:
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))


def _against_last_year(count: Callable[[int], dict]) -> Callable[[int], dict]:
    """A section whose figures each stand beside the same figure a year earlier:
    ``{name: {"this_year": ..., "last_year": ...}}``, as the monitored counts do."""

    def section(start_year: int) -> dict:
        this_year, last_year = count(start_year), count(start_year - 1)
        return {
            name: {"this_year": value, "last_year": last_year[name]}
            for name, value in this_year.items()
        }

    section.__doc__ = count.__doc__
    return section


def _median_days(queryset: QuerySet, took: Expression, finished: int) -> int | None:
    """Days taken by the middle one of ``finished`` records in order of ``took`` (a duration
    every record of the queryset has): picked by the database, not by loading thousands
    of timestamps into Python to sort."""
    if not finished:
        return None
    ordered = (
        queryset.annotate(took=ExpressionWrapper(took, DurationField()))
        .order_by("took", "pk")
        .values_list("took", flat=True)
    )
    return ordered[finished // 2].days


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
    """Every category an incident can have (filtering, online abuse, online conduct), so
    a category added to the log is counted here without a change."""
    counts = _counts_by(_incidents(start_year), "category")
    return [
        {"category": label, "count": counts.get(value, 0)}
        for value, label in CATEGORY_LABELS.items()
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


def referrals_made(start_year: int) -> dict:
    """Incidents and complaints referred to outside agencies this year, by agency, and
    how many of those had no response by the date one was expected (as of now)."""
    start, end = school_year_bounds(start_year)
    today = timezone.localdate()
    return Referral.objects.filter(referred_on__gte=start, referred_on__lte=end).aggregate(
        total=Count("pk"),
        **{agency.value: Count("pk", filter=Q(agency=agency)) for agency in Agency},
        answered=Count("pk", filter=Q(responded_on__isnull=False)),
        late=Count(
            "pk",
            filter=Q(responded_on__isnull=True, response_due__lt=today)
            | Q(responded_on__gt=F("response_due")),
        ),
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
    """Online complaints reported this year: how far along the policy's path each went
    before it ended, and how long that took.

    The path (complaints' map of stages) allows three ends: resolved without the
    chair of governors (after meeting the parents, perhaps after the warning about legal
    action), resolved after the meeting with the chair of governors, or closed once legal
    advice has been taken (the only way to "closed").
    """
    start, end = school_year_bounds(start_year)
    complaints = OnlineComplaint.objects.filter(days_q("created_at", start, end))
    resolved = Q(stage=Stage.RESOLVED)
    figures = complaints.aggregate(
        reported=Count("pk"),
        resolved_after_parents_meeting=Count("pk", filter=resolved & Q(escalated_at__isnull=True)),
        resolved_after_chair_meeting=Count("pk", filter=resolved & Q(escalated_at__isnull=False)),
        closed_after_legal_advice=Count("pk", filter=Q(stage=Stage.CLOSED)),
        still_open=Count("pk", filter=~Q(stage__in=FINAL_STAGES)),
        escalated_to_chair=Count("pk", filter=Q(escalated_at__isnull=False)),
        finished=Count("pk", filter=Q(finished_at__isnull=False)),
    )
    figures["median_days_to_finish"] = _median_days(
        complaints.filter(finished_at__isnull=False),
        F("finished_at") - F("created_at"),
        figures.pop("finished"),
    )
    return figures


def concerns_raised(start_year: int) -> dict:
    """Concerns parents raised privately this year (the "traditional" complaints route the
    policy asks them to use instead of social media) and how they ended."""
    start, end = school_year_bounds(start_year)
    concerns = Concern.objects.filter(days_q("created_at", start, end))
    Status = Concern.Status
    figures = concerns.aggregate(
        raised=Count("pk"),
        answered=Count("pk", filter=Q(status=Status.ANSWERED)),
        being_looked_into=Count("pk", filter=Q(status=Status.IN_PROGRESS)),
        not_yet_looked_into=Count("pk", filter=Q(status=Status.RECEIVED)),
    )
    # When it was answered is the time of its chronology line (kept when anonymised).
    answered_at = ConcernEvent.objects.filter(
        concern=OuterRef("pk"), to_status=Status.ANSWERED
    ).values("at")[:1]
    figures["median_days_to_answer"] = _median_days(
        concerns.filter(status=Status.ANSWERED),
        Subquery(answered_at) - F("created_at"),
        figures["answered"],
    )
    return figures


def _sessions_held(start_year: int) -> QuerySet:
    """Awareness sessions held in a school year: not cancelled and already started."""
    start, end = school_year_bounds(start_year)
    return TrainingSession.objects.filter(
        days_q("starts_at", start, min(end, timezone.localdate())),
        status=SessionStatus.SCHEDULED,
    )


def training_delivered(start_year: int) -> dict:
    """Awareness sessions held this year and attendance."""
    held = _sessions_held(start_year)
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


def _has_topic(value: str) -> Q:
    """Sessions whose topics (a JSON list of the topics' plain-word values) include
    ``value``: found as the quoted word in the list's text, which works the same on
    PostgreSQL and SQLite (SQLite has no JSON containment lookup). No value is another
    value with quotes around it, so a quoted value matches only itself."""
    return Q(topics__icontains=f'"{value}"')


def _training_by_topic(start_year: int) -> dict[str, dict]:
    # Attendance is counted per session first, so each session's topics are read once
    # rather than once for each of its bookings.
    held = _sessions_held(start_year).annotate(
        attended=Count("bookings", filter=Q(bookings__status=BookingStatus.ATTENDED))
    )
    aggregates = {}
    for value in AwarenessTopic.values:
        covered = _has_topic(value)
        aggregates[f"{value}:sessions"] = Count("pk", filter=covered)
        aggregates[f"{value}:attended"] = Sum("attended", filter=covered, default=0)
    figures = held.aggregate(**aggregates)
    return {
        value: {figure: figures[f"{value}:{figure}"] for figure in ("sessions", "attended")}
        for value in AwarenessTopic.values
    }


def training_by_topic(start_year: int) -> list[dict]:
    """For each of the policy's awareness topics: the sessions held that covered it and
    the bookings attended at them, this year and last."""
    this_year, last_year = _training_by_topic(start_year), _training_by_topic(start_year - 1)
    return [
        {
            "topic": label,
            **{
                figure: {
                    "this_year": this_year[value][figure],
                    "last_year": last_year[value][figure],
                }
                for figure in ("sessions", "attended")
            },
        }
        for value, label in AwarenessTopic.choices
    ]


def induction_coverage(start_year: int | None = None) -> dict:
    """How many school personnel have each induction topic confirmed and still valid (as of
    now): a topic that must be renewed (e.g. e-safety every year) and has expired does not
    count, as the induction matrix shows it expired."""
    staff = school_personnel()
    confirmed = induction_records_current().filter(staff__in=staff, confirmed_at__isnull=False)
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


def working_party_actions(start_year: int) -> dict:
    return ActionItem.objects.filter(meeting__school_year=start_year).aggregate(
        raised=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False))
    )


def working_party(start_year: int) -> dict:
    meetings = WorkingPartyMeeting.objects.filter(school_year=start_year)
    return {
        "meetings": [
            {"term": Term(term).label, "held_on": held_on.isoformat()}
            for term, held_on in meetings.order_by("held_on").values_list("term", "held_on")
        ],
        "actions": _against_last_year(working_party_actions)(start_year),
    }


def surveys_included(start_year: int) -> dict:
    """Surveys closed this year that the principal chose to include: each question's
    counts (no free text), a question answered by fewer than SMALL_GROUP not broken down."""
    start, end = school_year_bounds(start_year)
    included = Survey.objects.filter(
        in_annual_report=True, closes_on__gte=start, closes_on__lte=end
    ).order_by("closes_on", "pk")
    return {
        "small_group": SMALL_GROUP,
        "surveys": [
            {
                "title": survey.title,
                "audiences": survey.audience_labels(),
                "anonymous": survey.anonymous,
                "responses": survey.responses.count(),
                "questions": [
                    {
                        "text": result.question.text,
                        "respondents": result.overall.respondents,
                        "counts": result.overall.counts,
                    }
                    for result in survey_results(survey=survey)
                    if result.question.kind != Question.Kind.TEXT
                ],
            }
            for survey in included
        ],
    }


def school_council(start_year: int) -> list[dict]:
    """The School Council's meetings this year: what pupils raised about online safety
    and the school's response."""
    start, end = school_year_bounds(start_year)
    meetings = CouncilMeeting.objects.filter(held_on__gte=start, held_on__lte=end)
    return [
        {
            "held_on": meeting.held_on.isoformat(),
            "points": [
                {"raised": point.raised, "response": point.school_response}
                for point in meeting.points.all()
            ],
        }
        for meeting in meetings.order_by("held_on").prefetch_related("points")
    ]


# The report's sections, in order; the task reports progress after each.
SECTIONS = [
    ("monitored", "Monitored online conduct", monitored_counts),
    ("incidents_by_category", "Incidents by category", incidents_by_category),
    ("filtering_by_month", "Filtering incidents by month", filtering_incidents_by_month),
    ("contacts", "ISP and police contacts", _against_last_year(incident_contacts)),
    ("referrals", "Referrals to outside agencies", _against_last_year(referrals_made)),
    ("complaints", "Online complaints", _against_last_year(complaints_outcomes)),
    ("concerns", "Concerns raised privately", _against_last_year(concerns_raised)),
    ("training", "Awareness training", _against_last_year(training_delivered)),
    ("training_by_topic", "Training by topic", training_by_topic),
    ("induction", "Staff induction", induction_coverage),
    ("working_party", "Working party", working_party),
    ("policies", "Policies reviewed", policies_reviewed),
    ("surveys", "Surveys", surveys_included),
    ("school_council", "School Council", school_council),
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
