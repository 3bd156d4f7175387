from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from complaints.models import (
    FINAL_STAGES,
    CalendarEntry,
    ComplaintEvent,
    Concern,
    Evidence,
    OnlineComplaint,
    Stage,
)
from complaints.schooldays import SchoolCalendar
from overstone.roles import Capability, Role, can, user_roles
from overstone.schools import school_id_or_default, users_with_roles
from overstone.schoolyear import days_q

User = get_user_model()


def visible_complaints_q(user) -> Q:
    """The complaints this user may see, as a filter (see complaints.permissions)."""
    roles = user_roles(user)
    allowed = Q(pk__in=[])
    if can(user, Capability.MANAGE_COMPLAINTS):
        allowed = Q()
        if Role.PRINCIPAL in roles:
            allowed = Q(about_principal=False)
    if Role.CHAIR_OF_GOVERNORS in roles:
        allowed |= Q(about_principal=True) | Q(escalated_at__isnull=False)
    return allowed


def complaint_list(*, user, today: date | None = None) -> QuerySet[OnlineComplaint]:
    """Complaints this user may see, overdue first, then by due date: one query a page.

    Every unfinished stage has a due date and a finished complaint has none
    (services.stage_due_for), so the overdue ones are exactly those with the earliest due
    dates: ordering by due date (no date last) puts them first, and the index
    ``complaint_board_order`` serves that order without evaluating ``overdue`` per row.
    """
    today = today or timezone.localdate()
    evidence_count = (
        Evidence.objects.filter(complaint=OuterRef("pk"))
        .order_by()
        .values("complaint")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        OnlineComplaint.objects.filter(visible_complaints_q(user))
        .annotate(
            evidence_count=Coalesce(Subquery(evidence_count), 0),
            overdue=Case(
                When(Q(stage_due__lt=today) & ~Q(stage__in=FINAL_STAGES), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by(F("stage_due").asc(nulls_last=True), "-created_at", "-pk")
    )


def complaint_stage_counts(queryset: QuerySet[OnlineComplaint]) -> list[tuple[Stage, int]]:
    # COUNT(*), not of a column: the index complaint_stage_counts answers it alone.
    counts = dict(
        queryset.order_by().values_list("stage").annotate(n=Count("*")).values_list("stage", "n")
    )
    return [(stage, counts.get(stage.value, 0)) for stage in Stage]


def complaint_get(*, user, reference: str) -> OnlineComplaint:
    """One complaint with everything its page shows, or 404 if this user may not see it."""
    complaint = (
        complaint_list(user=user)
        .select_related("reported_by", "posted_by_parent")
        .prefetch_related(
            "staff_about",
            "meetings",
            "removal_requests",
            Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")),
            Prefetch("events", queryset=ComplaintEvent.objects.select_related("actor")),
        )
        .filter(reference=reference)
        .first()
    )
    if complaint is None:
        raise Http404("No such complaint")
    return complaint


def complaints_reported_by(*, user) -> QuerySet[OnlineComplaint]:
    """What a member of staff reported: they see its reference and stage, nothing more."""
    return OnlineComplaint.objects.filter(reported_by=user).order_by("-created_at", "-pk")


def parents() -> QuerySet:
    return users_with_roles([Role.PARENT]).order_by("last_name", "first_name", "username")


def concern_list(*, user) -> QuerySet[Concern]:
    """All concerns for those who manage complaints, except that, as for complaints, one
    about the principal is hidden from the principal and is the chair of governors'; a
    parent's own for a parent."""
    concerns = Concern.objects.select_related("raised_by")
    roles = user_roles(user)
    if can(user, Capability.MANAGE_COMPLAINTS):
        return concerns.filter(about_principal=False) if Role.PRINCIPAL in roles else concerns
    if Role.CHAIR_OF_GOVERNORS in roles:
        return concerns.filter(about_principal=True)
    return concerns.filter(raised_by=user)


def concern_get(*, user, reference: str) -> Concern:
    concern = (
        concern_list(user=user)
        .prefetch_related("events__actor")
        .filter(reference=reference)
        .first()
    )
    if concern is None:
        raise Http404("No such concern")
    return concern


def school_calendar() -> SchoolCalendar:
    """The term calendar of the school in scope: each school keeps its own (outside any
    scope, as in a shell, the only school's)."""
    entries = list(
        CalendarEntry.objects.filter(school_id=school_id_or_default()).values_list(
            "kind", "starts_on", "ends_on"
        )
    )
    return SchoolCalendar.of(
        terms=[(s, e) for kind, s, e in entries if kind == CalendarEntry.Kind.TERM],
        closed=[(s, e) for kind, s, e in entries if kind != CalendarEntry.Kind.TERM],
    )


def calendar_entries() -> QuerySet[CalendarEntry]:
    return CalendarEntry.objects.all()


def complaint_counts_by_category(*, since: date | None, until: date) -> dict[str, int]:
    """Complaints per monitored category whose post was made between two dates (inclusive)."""
    complaints = OnlineComplaint.objects.filter(days_q("posted_at", since, until))
    return dict(complaints.order_by().values_list("category").annotate(n=Count("pk")))
