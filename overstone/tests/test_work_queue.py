"""The home page's work queue: what waits on each person, most urgent first, with one
link to act; the navigation's badge counts the same."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Stage
from complaints.services import concern_create
from complaints.tests.factories import ComplaintFactory
from incidents.models import Incident
from incidents.tests.factories import IncidentFactory
from overstone.models import Email
from overstone.roles import Role
from overstone.tests.factories import UserFactory
from overstone.workqueue import Urgency, work_count, work_queue
from privacy.services import sar_create
from reporting.tests.factories import PolicyFactory
from training.tests.factories import ActionItemFactory, BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def queue(user) -> dict[str, int]:
    return {item.title: item.count for item in work_queue(user)}


def overdue_complaint():
    return ComplaintFactory(stage_due=TODAY - dt.timedelta(days=1))


def fill_principals_work(principal, n: int) -> None:
    """``n`` of everything that waits on the principal, plus work that is not theirs."""
    for _ in range(n):
        overdue_complaint()
        ComplaintFactory(stage_due=TODAY)  # due today: not overdue yet
        IncidentFactory(status=Incident.Status.OPEN)
        concern_create(actor=UserFactory(roles=[Role.PARENT]), subject="Trip", details="Cost")
        sar_create(actor=principal, subject_name="Pat", received_on=TODAY - dt.timedelta(days=40))
        PolicyFactory(review_due=TODAY - dt.timedelta(days=1))
        ActionItemFactory(owner=principal, due_on=TODAY - dt.timedelta(days=2))
        ActionItemFactory(due_on=TODAY - dt.timedelta(days=2))  # someone else's
        Email.objects.create(template="t", to=["a@b.example"], subject="s", body="b",
                             status=Email.Status.FAILED, next_try_at=timezone.now())  # fmt: skip


def test_the_principal_sees_each_kind_of_work_counted_overdue_first(user_with_role):
    principal = user_with_role(Role.PRINCIPAL)
    fill_principals_work(principal, 2)
    items = work_queue(principal)
    assert {item.title: item.count for item in items} == {
        "Complaint stages overdue": 2,
        "Subject-access requests overdue": 2,
        "Policies overdue for review": 2,
        "Working-party actions overdue": 2,
        "Incidents waiting to be reported to the principal": 2,
        "Concerns from parents to answer": 2,
        "E-mails that could not be sent": 2,
    }
    urgencies = [item.urgency for item in items]
    assert urgencies == sorted(urgencies) and urgencies[0] == Urgency.OVERDUE
    assert work_count(principal) == 14


def test_overdue_is_on_the_right_side_of_today(user_with_role):
    coordinator = user_with_role(Role.COORDINATOR)
    PolicyFactory(review_due=TODAY - dt.timedelta(days=1))
    PolicyFactory(review_due=TODAY)
    ActionItemFactory(owner=coordinator, due_on=TODAY - dt.timedelta(days=1))
    ActionItemFactory(owner=coordinator, due_on=TODAY)
    ActionItemFactory(
        owner=coordinator, due_on=TODAY - dt.timedelta(days=9), done_at=timezone.now()
    )
    assert queue(coordinator) == {
        "Policies overdue for review": 1,
        "Working-party actions overdue": 1,
        "Policies due for review soon": 1,
        "Working-party actions for you": 1,
    }


def test_a_subject_access_request_is_due_this_week_then_overdue(user_with_role):
    principal = user_with_role(Role.PRINCIPAL)
    sar_create(actor=principal, subject_name="Soon", received_on=TODAY - dt.timedelta(days=25))
    sar_create(actor=principal, subject_name="Later", received_on=TODAY - dt.timedelta(days=5))
    assert queue(principal) == {"Subject-access requests due this week": 1}


def test_nobody_sees_work_that_is_not_theirs(user_with_role):
    principal = user_with_role(Role.PRINCIPAL)
    fill_principals_work(principal, 1)
    for role in (Role.STAFF, Role.GOVERNOR, Role.PARENT):
        assert work_queue(user_with_role(role)) == []
    # SLT manage complaints and concerns, not incidents, policies or e-mails.
    assert queue(user_with_role(Role.SLT)) == {
        "Complaint stages overdue": 1,
        "Concerns from parents to answer": 1,
    }


def test_the_chair_counts_only_overdue_complaints_escalated_to_them(user_with_role):
    chair = user_with_role(Role.CHAIR_OF_GOVERNORS)
    overdue_complaint()
    ComplaintFactory(
        stage=Stage.LEGAL_WARNING_GIVEN,
        stage_due=TODAY - dt.timedelta(days=1),
        escalated_at=timezone.now(),
    )
    [item] = work_queue(chair)
    assert item.count == 1 and item.url == reverse("complaints:escalated")


def test_a_parent_sees_their_next_booking_and_open_concerns(user_with_role):
    parent = user_with_role(Role.PARENT)
    BookingFactory(
        parent=parent,
        session=SessionFactory(title="Later one", starts_at=timezone.now() + dt.timedelta(days=20)),
    )
    BookingFactory(
        parent=parent,
        session=SessionFactory(title="Next one", starts_at=timezone.now() + dt.timedelta(days=3)),
    )
    BookingFactory(
        parent=parent,
        session=SessionFactory(title="Past one", starts_at=timezone.now() - dt.timedelta(days=3)),
    )
    concern_create(actor=parent, subject="Homework", details="Too much.")
    assert queue(parent) == {
        "Your next training: Next one": 1,
        "Your concerns being looked into": 1,
    }
    # Information, not work waiting: no badge.
    assert work_count(parent) == 0


def test_home_lists_the_work_with_one_link_to_act_and_the_badge(client, user_with_role):
    principal = user_with_role(Role.PRINCIPAL)
    fill_principals_work(principal, 3)
    client.force_login(principal)
    page = client.get(reverse("home")).text
    assert "Complaint stages overdue" in page and f'href="{reverse("complaints:board")}"' in page
    assert 'data-testid="work-badge">21<' in page

    badge = client.get(reverse("work_badge")).text
    assert 'data-testid="work-badge">21<' in badge


def test_the_badge_is_each_persons_own(client, user_with_role):
    principal = user_with_role(Role.PRINCIPAL)
    fill_principals_work(principal, 1)
    client.force_login(principal)
    assert "work-badge" in client.get(reverse("work_badge")).text
    client.force_login(user_with_role(Role.STAFF))
    assert "work-badge" not in client.get(reverse("work_badge")).text
    assert "Nothing is waiting for you" in client.get(reverse("home")).text


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.COORDINATOR, Role.PARENT])
def test_home_queries_do_not_grow_with_rows(
    client, user_with_role, django_assert_max_num_queries, role
):
    user = user_with_role(role)
    principal = user if role == Role.PRINCIPAL else user_with_role(Role.PRINCIPAL)
    fill_principals_work(principal, 1)
    client.force_login(user)
    with django_assert_max_num_queries(16) as one:
        client.get(reverse("home"))
    fill_principals_work(principal, 6)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("home"))
