import io
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from complaints.models import Concern, OnlineComplaint
from complaints.services import concern_create
from complaints.tests.factories import ComplaintFactory, complaint_at
from incidents.tests.factories import IncidentFactory
from overstone.models import OutboxMessage
from overstone.schoolyear import school_year_of
from overstone.workflow import RecordFinished
from reporting import services
from reporting.models import AnnualReport, PolicyReminder
from reporting.snapshot import (
    complaints_outcomes,
    filtering_incidents_by_month,
    incident_contacts,
    induction_coverage,
    monitored_counts,
    training_delivered,
    working_party,
)
from reporting.templatetags.reporting_tags import change, suppress
from reporting.tests.factories import PolicyFactory
from training.tests.factories import (
    ActionItemFactory,
    BookingFactory,
    InductionRecordFactory,
    MeetingFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def at(day: date):
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10)))


def test_counts_are_split_by_school_year():
    IncidentFactory.create_batch(3, category="racist_homophobic", occurred_at=at(date(2025, 9, 1)))
    IncidentFactory(category="racist_homophobic", occurred_at=at(date(2025, 8, 31)))
    IncidentFactory(
        category="gambling",
        occurred_at=at(date(2025, 10, 3)),
        isp_contacted_at=at(date(2025, 10, 3)),
    )
    ComplaintFactory(category="racist_homophobic", posted_at=at(date(2026, 3, 1)))
    rows = {row["category"]: row for row in monitored_counts(2025)}
    assert rows["Racist or homophobic comment"] == {
        "category": "Racist or homophobic comment",
        "this_year": 4,  # three incidents and one online complaint
        "last_year": 1,
    }
    by_month = filtering_incidents_by_month(2025)
    assert by_month["months"][:2] == ["Sep", "Oct"]
    assert by_month["series"] == {"Gambling": [0, 1] + [0] * 10}
    assert incident_contacts(2025) == {"total": 4, "isp": 1, "police": 0, "closed": 0}


@pytest.mark.parametrize(
    ("value", "shown"), [(0, 0), (1, "fewer than 5"), (4, "fewer than 5"), (5, 5)]
)
def test_small_counts_are_suppressed(value, shown):
    assert suppress(value) == shown


def test_year_on_year_change_hides_suppressed_counts():
    assert change(12, 7) == "+5"
    assert change(5, 9) == "-4"
    assert change(6, 6) == "no change"
    assert change(3, 9) == "—"


def test_recording_a_review_moves_the_date_on(user_with_role):
    policy = PolicyFactory(review_every_months=12)
    services.policy_review_record(
        policy=policy,
        actor=user_with_role("principal"),
        reviewed_on=date(2026, 9, 15),
        version="2.0",
    )
    policy.refresh_from_db()
    assert (policy.version, policy.approved_on, policy.review_due) == (
        "2.0",
        date(2026, 9, 15),
        date(2027, 9, 15),
    )


@pytest.mark.parametrize(
    ("days_left", "kind"),
    [(61, None), (60, "60"), (31, "60"), (30, "30"), (7, "7"), (0, "7"), (-1, "overdue")],
)
def test_reminder_kind(days_left, kind):
    assert services.reminder_kind(days_left) == kind


def test_each_reminder_is_sent_once(sent_mail):
    today = date(2026, 11, 24)
    policy = PolicyFactory(
        title="Parent & Community Policy",
        review_due=today + timedelta(days=30),
        owner__email="owner@school.example",
    )
    PolicyFactory(review_due=today + timedelta(days=200))
    assert services.policy_reminders_send(today=today) == 1
    assert services.policy_reminders_send(today=today) == 0
    assert services.policy_reminders_send(today=today + timedelta(days=1)) == 0
    assert services.policy_reminders_send(today=today + timedelta(days=23)) == 1  # 7 days before
    assert services.policy_reminders_send(today=today + timedelta(days=31)) == 1  # overdue
    assert services.policy_reminders_send(today=today + timedelta(days=40)) == 0
    assert [m.to for m in sent_mail] == [["owner@school.example"]] * 3
    assert sent_mail[0].subject == "Review of Parent & Community Policy due in 30 days"
    assert sent_mail[2].subject.startswith("Overdue")
    assert PolicyReminder.objects.filter(policy=policy).count() == 3


def test_generating_again_makes_a_new_version_once_the_last_has_finished(user_with_role):
    principal = user_with_role("principal")
    first = services.annual_report_request(school_year=2025, actor=principal)
    again = services.annual_report_request(school_year=2025, actor=principal)
    assert again == first  # still queued: the same request twice is one report
    other_year = services.annual_report_request(school_year=2024, actor=principal)
    assert (other_year.version, other_year.pk != first.pk) == (1, True)
    AnnualReport.objects.filter(pk=first.pk).update(status=AnnualReport.Status.DONE)
    second = services.annual_report_request(school_year=2025, actor=principal)
    assert (first.version, second.version) == (1, 2)
    AnnualReport.objects.filter(pk=second.pk).update(status=AnnualReport.Status.FAILED)
    assert services.annual_report_request(school_year=2025, actor=principal).version == 3
    assert OutboxMessage.objects.count() == 4
    with pytest.raises(ValueError):
        services.annual_report_request(school_year=school_year_of() + 1, actor=principal)


def test_a_report_is_html_and_pdf_without_names(user_with_role):
    incident = IncidentFactory(category="threat_of_violence", occurred_at=at(date(2025, 11, 2)))
    incident.pupils.create(name="Zebedee Pupilname", year_group="9")
    incident.reported_by.last_name = "Quillfeather"  # a name no chart label contains
    incident.reported_by.save()
    IncidentFactory.create_batch(6, category="gambling", occurred_at=at(date(2025, 11, 2)))
    concern = concern_create(
        actor=user_with_role("parent", last_name="Ottoline"),
        subject="Quillfeather's class",
        details="Zebedee was upset.",
    )
    Concern.objects.filter(pk=concern.pk).update(created_at=at(date(2025, 11, 3)))
    report = services.annual_report_request(school_year=2025, actor=user_with_role("principal"))
    report = services.annual_report_generate(report_id=report.pk)

    assert report.status == AnnualReport.Status.DONE and report.progress == 100
    assert report.snapshot["contacts"]["total"] == {"this_year": 7, "last_year": 0}
    assert "Zebedee" not in report.html and "Quillfeather" not in report.html
    assert "Ottoline" not in report.html
    assert "Comment threatening violence" in report.html and "fewer than 5" in report.html
    assert "<svg" in report.html
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(report.pdf.read())).pages)
    assert "Monitored online conduct" in text and "Racist or homophobic comment" in text
    assert (
        "Concerns raised privately" in text and "Resolved after the meeting with the chair" in text
    )
    assert "Quillfeather" not in text and "Ottoline" not in text
    # Running it again (a redelivered task) changes nothing.
    assert services.annual_report_generate(report_id=report.pk).pdf.name == report.pdf.name


def test_a_failure_shows_the_reason_and_can_be_retried(user_with_role, monkeypatch):
    principal = user_with_role("principal")
    report = services.annual_report_request(school_year=2025, actor=principal)

    def broken(year):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "SECTIONS", [("monitored", "Monitored", broken)])
    report = services.annual_report_generate(report_id=report.pk)
    assert report.status == AnnualReport.Status.FAILED
    assert "the disk is full" in report.error
    monkeypatch.undo()
    services.annual_report_retry(report=report, actor=principal)
    assert services.annual_report_generate(report_id=report.pk).status == AnnualReport.Status.DONE
    with pytest.raises(RecordFinished, match=f"{report} is ready and can no longer be changed"):
        services.annual_report_retry(report=report, actor=principal)


def test_1_september_makes_last_years_report_once():
    first = services.annual_report_for_last_year()
    assert first.school_year == school_year_of() - 1
    assert services.annual_report_for_last_year() is None


def test_training_induction_and_working_party_are_counted():
    session = SessionFactory(starts_at=at(date(2025, 10, 1)))
    BookingFactory.create_batch(6, session=session, status="attended")
    BookingFactory.create_batch(2, session=session, status="no_show")
    SessionFactory(starts_at=at(date(2025, 11, 1)), status="cancelled")
    record = InductionRecordFactory(confirmed_at=timezone.now())
    InductionRecordFactory(staff=record.staff, topic="inclusion")  # not confirmed yet
    ActionItemFactory(meeting=MeetingFactory(school_year=2025), done_at=timezone.now())

    assert training_delivered(2025) == {
        "sessions": 1,
        "parent_sessions": 1,
        "attended": 6,
        "no_show": 2,
        "attendance_rate": 75,
    }
    coverage = induction_coverage()
    assert (coverage["staff"], coverage["complete"]) == (2, 0)  # + the action owner
    assert {"topic": "E-safety", "confirmed": 1} in coverage["topics"]
    assert working_party(2025)["actions"] == {
        "raised": {"this_year": 1, "last_year": 0},
        "done": {"this_year": 1, "last_year": 0},
    }


def test_complaint_outcomes_say_where_each_ended():
    complaint_at("resolved")
    complaint_at("closed")
    complaint_at("removal_requested")
    figures = complaints_outcomes(school_year_of())
    assert figures["reported"] == 3
    assert figures["resolved_after_parents_meeting"] == 1
    assert figures["escalated_to_chair"] == 1
    assert figures["closed_after_legal_advice"] == 1
    assert figures["still_open"] == 1
    assert figures["median_days_to_finish"] == 0


def test_median_days_to_finish_is_the_middle_finished_complaint():
    start = timezone.make_aware(datetime(2025, 10, 1, 9))
    for days in (20, 1, 10, 3):  # sorted: 1, 3, 10, 20; the middle (upper) one is 10
        complaint = ComplaintFactory(stage="resolved", stage_due=None)
        OnlineComplaint.objects.filter(pk=complaint.pk).update(
            created_at=start, finished_at=start + timedelta(days=days, hours=5)
        )
    ComplaintFactory()  # still open: not counted
    assert complaints_outcomes(2025)["median_days_to_finish"] == 10
    OnlineComplaint.objects.filter(finished_at=start + timedelta(days=20, hours=5)).delete()
    assert complaints_outcomes(2025)["median_days_to_finish"] == 3


def test_a_stalled_report_can_be_started_again(user_with_role):
    principal = user_with_role("principal")
    report = services.annual_report_request(school_year=2025, actor=principal)
    with pytest.raises(services.ReportNotRetryable):
        services.annual_report_retry(report=report, actor=principal)  # still fresh
    AnnualReport.objects.filter(pk=report.pk).update(
        status=AnnualReport.Status.RUNNING,
        requested_at=timezone.now() - timedelta(minutes=45),
    )
    report = services.annual_report_retry(report=report, actor=principal)
    assert report.status == AnnualReport.Status.QUEUED


def test_a_title_with_a_line_break_is_refused_and_an_old_one_still_gets_its_reminder(
    sent_mail, user_with_role
):
    """Issue 14 point 8: a line break in a title made the reminder raise every day."""
    from django.core.exceptions import ValidationError

    from reporting.models import PolicyDocument

    principal = user_with_role("principal")
    policy = PolicyFactory(title="Mobile Phones Policy", owner__email="owner@school.example")
    policy.title = "Mobile Phones\nPolicy"
    with pytest.raises(ValidationError, match="no line breaks"):
        services.policy_save(policy=policy, actor=principal)
    # One saved before titles were checked:
    today = date(2026, 11, 24)
    PolicyDocument.objects.filter(pk=policy.pk).update(
        title="Mobile Phones\r\nPolicy", review_due=today + timedelta(days=7)
    )
    assert services.policy_reminders_send(today=today) == 1
    [reminder] = sent_mail
    assert reminder.subject == "Review of Mobile Phones Policy due in 7 days"


def test_a_stalled_report_does_not_stop_a_new_request(user_with_role):
    principal = user_with_role("principal")
    stalled = services.annual_report_request(school_year=2025, actor=principal)
    AnnualReport.objects.filter(pk=stalled.pk).update(
        status=AnnualReport.Status.RUNNING,
        requested_at=timezone.now() - timedelta(minutes=29),
    )
    assert services.annual_report_request(school_year=2025, actor=principal) == stalled
    AnnualReport.objects.filter(pk=stalled.pk).update(
        requested_at=timezone.now() - timedelta(minutes=31)
    )
    assert services.annual_report_request(school_year=2025, actor=principal).version == 2
