"""Referrals and tasks: who may add them, reminders once each (both sides of the date),
the annual report's count and anonymisation with the record."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases.models import Agency, CaseTask, Referral
from cases.services import (
    CaseRefused,
    case_task_complete,
    case_task_create,
    case_task_reminders_send,
    referral_create,
    referral_record_response,
    referral_reminders_send,
)
from cases.tests.factories import CaseTaskFactory, ReferralFactory
from complaints.models import About
from complaints.tests.factories import ComplaintFactory
from incidents.models import Incident
from incidents.tests.factories import IncidentFactory
from overstone.models import ANONYMISED_TEXT
from overstone.personal_data import attached_anonymise
from overstone.roles import Role
from overstone.tests.factories import UserFactory
from reporting.snapshot import referrals_made

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)


@pytest.fixture
def coordinator():
    return UserFactory(roles=[Role.COORDINATOR], email="coord@school.example")


def test_the_coordinator_refers_an_incident_and_records_the_response(coordinator):
    incident = IncidentFactory()
    referral = referral_create(
        reference=incident.reference,
        agency=Agency.LADO,
        referred_on=TODAY,
        response_due=TODAY + timedelta(days=5),
        agency_reference="LADO-77",
        contact="Ms Reed",
        actor=coordinator,
    )
    referral_record_response(
        referral=referral, responded_on=TODAY, outcome="No further action.", actor=coordinator
    )
    referral.refresh_from_db()
    assert (referral.responded_on, referral.outcome) == (TODAY, "No further action.")
    assert not referral.is_overdue(TODAY + timedelta(days=30))


def test_nothing_is_added_to_a_record_the_actor_may_not_act_on(coordinator):
    closed = IncidentFactory(status=Incident.Status.CLOSED, closed_at=timezone.now())
    staff = UserFactory(roles=[Role.STAFF])
    someone_elses = IncidentFactory()
    with pytest.raises(CaseRefused):
        referral_create(
            reference=closed.reference,
            agency=Agency.ISP,
            referred_on=TODAY,
            response_due=TODAY,
            actor=coordinator,
        )
    with pytest.raises(CaseRefused):
        case_task_create(
            reference=someone_elses.reference, what="x", owner=staff, due_on=TODAY, actor=staff
        )
    assert not Referral.objects.exists() and not CaseTask.objects.exists()


def test_a_task_goes_only_to_someone_who_may_see_the_record(coordinator):
    incident = IncidentFactory()
    other_staff = UserFactory(roles=[Role.STAFF])
    with pytest.raises(CaseRefused, match="may not see"):
        case_task_create(
            reference=incident.reference,
            what="Write a statement",
            owner=other_staff,
            due_on=TODAY,
            actor=coordinator,
        )
    reporter = UserFactory(roles=[Role.STAFF])
    own = IncidentFactory(reported_by=reporter)
    task = case_task_create(
        reference=own.reference,
        what="Write a statement",
        owner=reporter,
        due_on=TODAY,
        actor=coordinator,
    )
    assert task.owner == reporter


def test_the_chair_alone_works_on_a_complaint_about_the_principal():
    principal = UserFactory(roles=[Role.PRINCIPAL])
    chair = UserFactory(roles=[Role.CHAIR_OF_GOVERNORS])
    complaint = ComplaintFactory(about=About.STAFF, about_principal=True)
    with pytest.raises(CaseRefused):
        referral_create(
            reference=complaint.reference,
            agency=Agency.LADO,
            referred_on=TODAY,
            response_due=TODAY,
            actor=principal,
        )
    with pytest.raises(CaseRefused, match="may not see"):
        case_task_create(
            reference=complaint.reference, what="x", owner=principal, due_on=TODAY, actor=chair
        )
    referral_create(
        reference=complaint.reference,
        agency=Agency.LADO,
        referred_on=TODAY,
        response_due=TODAY,
        actor=chair,
    )
    assert Referral.objects.get().referred_by == chair


def test_the_owner_marks_their_task_done_once_and_no_one_else_unrelated_may():
    reporter = UserFactory(roles=[Role.STAFF])
    incident = IncidentFactory(reported_by=reporter)
    task = CaseTaskFactory(record_reference=incident.reference, owner=reporter)
    with pytest.raises(CaseRefused):
        case_task_complete(task=task, actor=UserFactory(roles=[Role.STAFF]))
    case_task_complete(task=task, actor=reporter)
    with pytest.raises(CaseRefused, match="already"):
        case_task_complete(task=task, actor=reporter)
    task.refresh_from_db()
    assert task.done_by == reporter


def test_a_referral_unanswered_after_its_date_is_reminded_once(coordinator, sent_mail):
    incident = IncidentFactory()
    ReferralFactory(
        record_reference=incident.reference,
        agency=Agency.ISP,
        response_due=TODAY - timedelta(days=1),
        referred_by=coordinator,
    )
    ReferralFactory(record_reference=incident.reference, response_due=TODAY)  # due today
    ReferralFactory(
        record_reference=incident.reference,
        response_due=TODAY - timedelta(days=3),
        responded_on=TODAY - timedelta(days=4),
    )
    assert referral_reminders_send(today=TODAY) == 1
    assert referral_reminders_send(today=TODAY) == 0
    [mail] = sent_mail
    assert mail.to == ["coord@school.example"]
    assert "No response yet" in mail.subject and incident.reference in mail.subject
    assert incident.get_absolute_url() in mail.body
    # The one due today is reminded the day after, once.
    assert referral_reminders_send(today=TODAY + timedelta(days=1)) == 1
    assert referral_reminders_send(today=TODAY + timedelta(days=2)) == 0


def test_a_task_is_reminded_to_its_owner_once_when_due(coordinator, sent_mail):
    incident = IncidentFactory()
    CaseTaskFactory(record_reference=incident.reference, owner=coordinator, due_on=TODAY)
    CaseTaskFactory(record_reference=incident.reference, due_on=TODAY + timedelta(days=1))
    CaseTaskFactory(
        record_reference=incident.reference, due_on=TODAY, done_at=timezone.now()
    )  # done: never reminded
    assert case_task_reminders_send(today=TODAY) == 1
    assert case_task_reminders_send(today=TODAY) == 0
    [mail] = sent_mail
    assert mail.to == ["coord@school.example"] and "Due today" in mail.subject
    assert "Call the parents" in mail.body
    assert case_task_reminders_send(today=TODAY + timedelta(days=1)) == 1


def test_the_annual_report_counts_referrals_made_in_the_school_year():
    start, end = date(2025, 9, 1), date(2026, 8, 31)
    ReferralFactory(referred_on=start - timedelta(days=1), response_due=start)  # last year
    ReferralFactory(referred_on=start, agency=Agency.POLICE, response_due=start, responded_on=start)
    today = timezone.localdate()
    ReferralFactory(referred_on=end, agency=Agency.LADO, response_due=today + timedelta(days=30))
    ReferralFactory(
        referred_on=date(2025, 10, 1),
        agency=Agency.PLATFORM,
        response_due=date(2025, 10, 8),
        responded_on=date(2025, 10, 9),  # answered, a day late
    )
    ReferralFactory(  # no response, and its date has passed
        referred_on=date(2025, 11, 1), agency=Agency.HR, response_due=today - timedelta(days=1)
    )
    ReferralFactory(referred_on=end + timedelta(days=1), response_due=end)  # next year
    counts = referrals_made(2025)
    assert counts["total"] == 4
    assert (counts["police"], counts["lado"], counts["platform"], counts["hr"]) == (1, 1, 1, 1)
    assert counts["isp"] == 0
    assert counts["answered"] == 2
    assert counts["late"] == 2  # answered after its date, and not answered by it


def test_referrals_and_tasks_are_anonymised_with_their_record(coordinator):
    incident = IncidentFactory()
    referral = ReferralFactory(
        record_reference=incident.reference, contact="PC Ellis", outcome="Spoke to Tom Hart"
    )
    task = CaseTaskFactory(record_reference=incident.reference, what="Call Tom Hart's mother")
    other = CaseTaskFactory(record_reference="INC-2026-0999", what="Call Ann")
    attached_anonymise(reference=incident.reference, actor=coordinator)
    referral.refresh_from_db(), task.refresh_from_db(), other.refresh_from_db()
    assert (referral.contact, referral.outcome) == ("", ANONYMISED_TEXT)
    assert task.what == ANONYMISED_TEXT
    assert other.what == "Call Ann"
    assert referral.agency == Agency.POLICE  # still counted in the annual report
