"""The governors' annual report says what the policy asks: where complaints ended, the
concerns parents raised privately, training by topic, each against last year, and
"fewer than 5" only where a count is about people."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from complaints import services as complaint_services
from complaints.models import Concern, OnlineComplaint
from complaints.tests.factories import ComplaintFactory, complaint_at, move
from overstone.schoolyear import school_year_of
from reporting.services import build_report_context
from reporting.snapshot import SECTIONS, snapshot_header
from training.models import AwarenessTopic
from training.tests.factories import ActionItemFactory, BookingFactory, MeetingFactory
from training.tests.factories import SessionFactory as TrainingSessionFactory

pytestmark = pytest.mark.django_db

THIS_YEAR = 2025  # 1 September 2025 to 31 August 2026, over before these tests run


def at(day: date):
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10)))


def section(key: str, start_year: int = THIS_YEAR):
    build = {name: build for name, _, build in SECTIONS}[key]
    return build(start_year)


def report_body(start_year: int = THIS_YEAR) -> str:
    snapshot = snapshot_header(start_year)
    for key, _, build in SECTIONS:
        snapshot[key] = build(start_year)
    return render_to_string("reporting/_annual_report_body.html", build_report_context(snapshot))


def cells(html: str, label: str) -> list[str]:
    """The figures of the report's table row headed ``label``."""
    row = re.search(rf"<tr><th>{re.escape(label)}</th>(.*?)</tr>", html, re.S)
    assert row, f"no row {label!r}"
    return re.findall(r'<td class="n">(.*?)</td>', row.group(1))


def created_in(model, obj, day: date):
    model.objects.filter(pk=obj.pk).update(created_at=at(day))


# -- Where online complaints ended ------------------------------------------------------


def test_each_way_a_complaint_can_end_has_its_own_bucket_and_none_is_always_empty():
    complaint_at("resolved")  # removal requested, then resolved
    warned = complaint_at("legal_warning_given")  # warned, resolved without the chair
    move(warned, "resolved")
    for _ in range(3):  # the chair's meeting, then resolved
        move(complaint_at("way_forward"), "resolved")
    complaint_at("closed")  # legal advice, then closed
    complaint_at("governors_meeting")  # still open

    figures = section("complaints", start_year=school_year_of())
    this_year = {name: value["this_year"] for name, value in figures.items()}
    assert this_year == {  # each bucket a different count: none can stand for another
        "reported": 7,
        "resolved_after_parents_meeting": 2,
        "resolved_after_chair_meeting": 3,
        "closed_after_legal_advice": 1,
        "still_open": 1,
        "escalated_to_chair": 5,
        "median_days_to_finish": 0,
    }


def test_complaint_outcomes_stand_beside_last_years():
    created_in(OnlineComplaint, ComplaintFactory(), date(2025, 10, 1))
    old = ComplaintFactory(stage="resolved", stage_due=None)
    OnlineComplaint.objects.filter(pk=old.pk).update(
        created_at=at(date(2024, 10, 1)), finished_at=at(date(2024, 10, 8))
    )
    figures = section("complaints")
    assert figures["reported"] == {"this_year": 1, "last_year": 1}
    assert figures["resolved_after_parents_meeting"] == {"this_year": 0, "last_year": 1}
    assert figures["still_open"] == {"this_year": 1, "last_year": 0}
    assert figures["median_days_to_finish"] == {"this_year": None, "last_year": 7}


def test_the_report_names_the_three_ends_and_no_closed_after_chair_bucket():
    html = report_body()
    assert "Resolved after the meeting with the parents" in html
    assert "Resolved after the meeting with the chair of governors" in html
    assert "Closed after legal advice" in html
    assert "Closed after the meeting with the chair" not in html


# -- Concerns raised privately ----------------------------------------------------------


def raise_concern(parent, day: date, *, answer_by=None) -> Concern:
    concern = complaint_services.concern_create(actor=parent, subject="Homework", details="…")
    if answer_by:
        complaint_services.concern_transition(
            concern=concern, to_status="answered", actor=answer_by, response="Answered."
        )
    created_in(Concern, concern, day)
    return concern


def test_concerns_are_counted_with_how_they_ended_against_last_year(user_with_role):
    parent, principal = user_with_role("parent"), user_with_role("principal")
    days = [date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1)]
    for day in days:
        raise_concern(parent, day, answer_by=principal)
    looked_into = raise_concern(parent, date(2025, 9, 1))
    complaint_services.concern_transition(
        concern=looked_into, to_status="in_progress", actor=principal
    )
    raise_concern(parent, date(2025, 12, 1))  # received, not yet looked into
    raise_concern(parent, date(2025, 8, 31))  # the year before
    raise_concern(parent, date(2026, 9, 1))  # the year after

    figures = section("concerns")
    # Answered today: the middle of the three waited from 1 July.
    answered_on = Concern.objects.filter(status="answered").first().events.last().at
    middle = (answered_on - at(date(2026, 7, 1))).days
    assert figures == {
        "raised": {"this_year": 5, "last_year": 1},
        "answered": {"this_year": 3, "last_year": 0},
        "being_looked_into": {"this_year": 1, "last_year": 0},
        "not_yet_looked_into": {"this_year": 1, "last_year": 1},
        "median_days_to_answer": {"this_year": middle, "last_year": None},
    }


# -- Training by topic ------------------------------------------------------------------


def test_training_is_counted_by_topic_against_last_year():
    both = TrainingSessionFactory(
        topics=["home_to_school", "complaints_process"], starts_at=at(date(2025, 10, 1))
    )
    BookingFactory.create_batch(3, session=both, status="attended")
    BookingFactory(session=both, status="no_show")
    TrainingSessionFactory(topics=["complaints_process"], starts_at=at(date(2026, 2, 1)))
    TrainingSessionFactory(
        topics=["complaints_process"], starts_at=at(date(2026, 3, 1)), status="cancelled"
    )
    TrainingSessionFactory(topics=["school_to_home"], starts_at=at(date(2025, 3, 1)))

    rows = {row["topic"]: row for row in section("training_by_topic")}
    assert [row["topic"] for row in section("training_by_topic")] == AwarenessTopic.labels
    assert rows[AwarenessTopic.COMPLAINTS_PROCESS.label] == {
        "topic": AwarenessTopic.COMPLAINTS_PROCESS.label,
        "sessions": {"this_year": 2, "last_year": 0},
        "attended": {"this_year": 3, "last_year": 0},
    }
    # Each topic counts only the sessions that covered it.
    assert rows[AwarenessTopic.HOME_TO_SCHOOL.label]["sessions"] == {
        "this_year": 1,
        "last_year": 0,
    }
    assert rows[AwarenessTopic.SCHOOL_TO_HOME.label]["sessions"] == {
        "this_year": 0,
        "last_year": 1,
    }
    assert rows[AwarenessTopic.BENEFITS.label]["sessions"] == {"this_year": 0, "last_year": 0}
    assert section("training")["sessions"] == {"this_year": 2, "last_year": 1}


# -- "Fewer than 5" only for counts about people ---------------------------------------


def test_fewer_than_5_hides_counts_of_people_only(user_with_role):
    parent = user_with_role("parent")
    for _ in range(4):
        raise_concern(parent, date(2025, 10, 1))
    for _ in range(5):
        raise_concern(parent, date(2024, 10, 1))
    for day in (1, 2, 3):
        TrainingSessionFactory(topics=["benefits"], starts_at=at(date(2025, 10, day)))
    meeting = MeetingFactory(school_year=THIS_YEAR)
    ActionItemFactory.create_batch(3, meeting=meeting)

    html = report_body()
    assert cells(html, "Concerns raised privately") == ["fewer than 5", "5", "—"]
    assert cells(html, "Sessions held") == ["3", "0", "+3"]
    assert cells(html, "Actions agreed") == ["3", "0", "+3"]
    benefits = re.search(r"<td>The benefits of social media</td>(.*?)</tr>", html, re.S)
    assert re.findall(r'<td class="n">(.*?)</td>', benefits.group(1))[:3] == ["3", "0", "+3"]


def test_the_median_and_the_rate_are_not_taken_for_counts():
    session = TrainingSessionFactory(starts_at=at(date(2025, 10, 1)))
    BookingFactory.create_batch(3, session=session, status="attended")
    BookingFactory(session=session, status="no_show")
    complaint = ComplaintFactory(stage="resolved", stage_due=None)
    OnlineComplaint.objects.filter(pk=complaint.pk).update(
        created_at=at(date(2025, 10, 1)), finished_at=at(date(2025, 10, 4))
    )
    html = report_body()
    assert cells(html, "Complaints reported") == ["fewer than 5", "0", "—"]
    assert cells(html, "Median time to resolution (days)") == ["3", "—", "—"]
    assert cells(html, "Bookings attended") == ["fewer than 5", "0", "—"]
    assert cells(html, "Attendance rate (%)") == ["75", "—", "—"]


@pytest.mark.parametrize(("older", "shown"), [(4, "fewer than 5"), (5, "5")])
def test_a_count_of_complaints_is_hidden_below_5(older, shown):
    for _ in range(older):
        complaint = ComplaintFactory()
        created_in(OnlineComplaint, complaint, date(2025, 11, 1) - timedelta(days=400))
    assert cells(report_body(), "Complaints reported")[1] == shown


# -- Incidents by category ----------------------------------------------------------------


def test_the_report_counts_the_new_incident_categories():
    from incidents.tests.factories import IncidentFactory

    IncidentFactory(category="grooming", occurred_at=at(date(2025, 10, 1)))
    IncidentFactory(category="cyberbullying", occurred_at=at(date(2026, 3, 2)))
    IncidentFactory(category="cyberbullying", occurred_at=at(date(2024, 3, 2)))  # last year
    IncidentFactory(category="other_web", occurred_at=at(date(2026, 1, 5)))
    counts = {row["category"]: row["count"] for row in section("incidents_by_category")}
    assert counts["Grooming"] == 1
    assert counts["Cyberbullying"] == 1
    assert counts["Offensive e-mail"] == 0
    assert counts["Other web content"] == 1
    assert section("filtering_by_month")["series"]["Other web content"][4] == 1  # January


# -- Staff induction that must be renewed --------------------------------------------------


@pytest.mark.parametrize(("days_later", "counted"), [(1, 1), (0, 0)])
def test_an_expired_induction_topic_is_not_counted_as_confirmed(
    user_with_role, days_later, counted
):
    """E-safety renewed every year: done a year ago tomorrow it still counts; done a year
    ago today it has expired, in the report as in the induction matrix."""
    from dateutil.relativedelta import relativedelta

    from training.models import InductionValidity
    from training.tests.factories import InductionRecordFactory

    InductionValidity.objects.create(topic="e_safety", valid_months=12)
    staff = user_with_role("staff")
    completed_on = timezone.localdate() - relativedelta(months=12) + timedelta(days=days_later)
    InductionRecordFactory(
        staff=staff, topic="e_safety", completed_on=completed_on, confirmed_at=timezone.now()
    )
    InductionRecordFactory(
        staff=staff, topic="complaints", completed_on=date(2020, 1, 1), confirmed_at=timezone.now()
    )
    topics = {row["topic"]: row["confirmed"] for row in section("induction")["topics"]}
    assert topics["E-safety"] == counted
    assert topics["Complaints"] == 1  # no validity: never expires
