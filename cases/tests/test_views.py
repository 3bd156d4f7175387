"""The referrals and tasks on a record's page and in the lists: flagged when overdue (both
sides of the date), seen only by who may see the record, added through forms."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseTask, Referral
from cases.tests.factories import CaseTaskFactory, ReferralFactory
from complaints.models import About
from complaints.tests.factories import ComplaintFactory
from incidents.tests.factories import IncidentFactory
from overstone.models import Membership
from overstone.roles import Role
from overstone.schools import membership_add
from overstone.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def login(client, role):
    user = UserFactory(roles=[role])
    client.force_login(user)
    return user


@pytest.mark.parametrize(("days_late", "flagged"), [(1, True), (0, False)])
def test_an_unanswered_referral_is_flagged_once_its_date_has_passed(client, days_late, flagged):
    login(client, Role.COORDINATOR)
    incident = IncidentFactory()
    ReferralFactory(
        record_reference=incident.reference,
        response_due=timezone.localdate() - timedelta(days=days_late),
        agency_reference="CAD-2291",
    )
    page = client.get(incident.get_absolute_url()).content.decode()
    listing = client.get(reverse("cases:referral_list")).content.decode()
    overdue_only = client.get(reverse("cases:referral_list") + "?overdue=1").content.decode()
    assert "CAD-2291" in page and "CAD-2291" in listing
    assert ('data-testid="referral-overdue"' in page) is flagged
    assert ('data-testid="referral-overdue"' in listing) is flagged
    assert ("CAD-2291" in overdue_only) is flagged


def test_a_referral_with_a_response_is_not_flagged(client):
    login(client, Role.COORDINATOR)
    incident = IncidentFactory()
    ReferralFactory(
        record_reference=incident.reference,
        response_due=timezone.localdate() - timedelta(days=5),
        responded_on=timezone.localdate() - timedelta(days=6),
        outcome="No further action",
    )
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "No further action" in page and 'data-testid="referral-overdue"' not in page


def test_a_complaint_about_the_principal_keeps_its_referrals_and_tasks_from_the_principal(client):
    complaint = ComplaintFactory(about=About.STAFF, about_principal=True)
    chair = UserFactory(roles=[Role.CHAIR_OF_GOVERNORS])
    ReferralFactory(record_reference=complaint.reference, agency_reference="LADO-1")
    CaseTaskFactory(record_reference=complaint.reference, owner=chair, what="Call the LADO")
    login(client, Role.PRINCIPAL)
    assert "LADO-1" not in client.get(reverse("cases:referral_list")).content.decode()
    url = reverse("cases:referral_add", args=[complaint.reference])
    assert client.get(url).status_code == 404
    client.force_login(chair)
    assert "LADO-1" in client.get(reverse("cases:referral_list")).content.decode()
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "LADO-1" in page and "Call the LADO" in page
    assert "Call the LADO" in client.get(reverse("cases:my_tasks")).content.decode()


def test_staff_see_referrals_and_tasks_on_the_incidents_they_logged_only(client):
    staff = login(client, Role.STAFF)
    own, other = IncidentFactory(reported_by=staff), IncidentFactory()
    ReferralFactory(record_reference=own.reference, agency_reference="OWN-1")
    ReferralFactory(record_reference=other.reference, agency_reference="OTHER-1")
    listing = client.get(reverse("cases:referral_list")).content.decode()
    assert "OWN-1" in listing and "OTHER-1" not in listing
    page = client.get(own.get_absolute_url()).content.decode()
    assert "OWN-1" in page and reverse("cases:referral_add", args=[own.reference]) not in page


def test_slt_add_a_referral_and_a_task_to_a_complaint(client):
    slt = login(client, Role.SLT)
    complaint = ComplaintFactory()
    today = timezone.localdate()
    response = client.post(
        reverse("cases:referral_add", args=[complaint.reference]),
        {
            "agency": "platform",
            "referred_on": today.isoformat(),
            "agency_reference": "FB-123",
            "contact": "",
            "response_due": (today + timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302 and response["Location"] == complaint.get_absolute_url()
    response = client.post(
        reverse("cases:task_add", args=[complaint.reference]),
        {"what": "Meet the parents", "owner": slt.pk, "due_on": today.isoformat()},
    )
    assert response.status_code == 302
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "FB-123" in page and "Meet the parents" in page
    assert "Meet the parents" in client.get(reverse("cases:my_tasks")).content.decode()


def test_a_response_expected_before_the_referral_is_refused_with_nothing_saved(client):
    login(client, Role.COORDINATOR)
    incident = IncidentFactory()
    today = timezone.localdate()
    response = client.post(
        reverse("cases:referral_add", args=[incident.reference]),
        {
            "agency": "police",
            "referred_on": today.isoformat(),
            "response_due": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "before the referral was made" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_task_for_someone_who_cannot_see_the_record_comes_back_as_a_message(client):
    login(client, Role.COORDINATOR)
    incident = IncidentFactory()
    staff = UserFactory(roles=[Role.STAFF])
    response = client.post(
        reverse("cases:task_add", args=[incident.reference]),
        {"what": "Statement", "owner": staff.pk, "due_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "may not see" in response.content.decode()
    assert not CaseTask.objects.exists()


def test_the_owner_marks_a_task_done_and_it_leaves_their_queue(client):
    staff = login(client, Role.STAFF)
    incident = IncidentFactory(reported_by=staff)
    task = CaseTaskFactory(record_reference=incident.reference, owner=staff, what="Statement")
    assert 'data-testid="task"' in client.get(reverse("cases:my_tasks")).content.decode()
    response = client.post(reverse("cases:task_done", args=[incident.reference, task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_by == staff
    assert "You have no open tasks" in client.get(reverse("cases:my_tasks")).content.decode()


def test_a_task_on_a_record_its_owner_can_no_longer_see_leaves_their_queue(client):
    coordinator = login(client, Role.COORDINATOR)
    incident = IncidentFactory()
    CaseTaskFactory(record_reference=incident.reference, owner=coordinator, what="Check filter")
    assert "Check filter" in client.get(reverse("cases:my_tasks")).content.decode()
    Membership.objects.filter(user=coordinator).delete()
    membership_add(coordinator, Role.STAFF)
    client.force_login(coordinator)
    assert "Check filter" not in client.get(reverse("cases:my_tasks")).content.decode()


@pytest.mark.parametrize(
    ("due_in_days", "title"),
    [
        (-1, "Your tasks past their due date"),
        (0, "Your tasks due within a week"),
        (7, "Your tasks due within a week"),
        (8, "Your tasks due later"),
    ],
)
def test_open_tasks_are_in_their_owners_work_queue(client, due_in_days, title):
    staff = login(client, Role.STAFF)
    incident = IncidentFactory(reported_by=staff)
    task = CaseTaskFactory(
        record_reference=incident.reference,
        owner=staff,
        due_on=timezone.localdate() + timedelta(days=due_in_days),
    )
    home = client.get(reverse("home")).content.decode()
    titles = [
        "Your tasks past their due date",
        "Your tasks due within a week",
        "Your tasks due later",
    ]
    assert [t for t in titles if t in home] == [title]
    task.done_at = timezone.now()
    task.save(update_fields=["done_at"])
    assert not any(t in client.get(reverse("home")).content.decode() for t in titles)


@pytest.mark.parametrize(("days_late", "listed"), [(1, True), (0, False)])
def test_a_referral_past_its_date_is_in_its_referrers_work_queue(client, days_late, listed):
    coordinator = login(client, Role.COORDINATOR)
    incident = IncidentFactory()
    ReferralFactory(
        record_reference=incident.reference,
        referred_by=coordinator,
        response_due=timezone.localdate() - timedelta(days=days_late),
    )
    home = client.get(reverse("home")).content.decode()
    assert ("Referrals with no answer by their date" in home) is listed
    other = login(client, Role.PRINCIPAL)  # sees it, did not make it: the referrer chases it
    assert (
        other
        and "Referrals with no answer by their date"
        not in client.get(reverse("home")).content.decode()
    )
