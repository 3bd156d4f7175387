"""Referrals and case tasks are kept per school (overstone.schools): a person working in
one school sees and acts on that school's only; reminders go school by school."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

import cases.tasks
from cases.models import CaseTask, Referral
from cases.tests.factories import CaseTaskFactory, ReferralFactory
from incidents.tests.factories import IncidentFactory
from overstone.models import School
from overstone.roles import Role
from overstone.schools import ScopeError, default_school, membership_add
from overstone.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def first():
    return default_school()


@pytest.fixture
def second(first):
    return School.objects.create(trust=first.trust, name="Second School", code="TWO")


def person(role: Role, school: School):
    user = UserFactory()
    membership_add(user, role, school)
    return user


@pytest.fixture
def their_coordinator(second):
    return person(Role.COORDINATOR, second)


@pytest.fixture
def theirs(second, their_coordinator):
    """School two's incident, with an overdue referral and a task due today."""
    incident = IncidentFactory(school=second, reference="TWO-INC-2026-0001")
    referral = ReferralFactory(
        school=second,
        record_reference=incident.reference,
        referred_by=their_coordinator,
        agency_reference="CAD-TWO",
        response_due=timezone.localdate() - timedelta(days=1),
    )
    task = CaseTaskFactory(
        school=second,
        record_reference=incident.reference,
        owner=their_coordinator,
        what="Call their parents",
        due_on=timezone.localdate(),
    )
    return incident, referral, task


def test_the_lists_show_only_the_schools_own_referrals_and_tasks(client, first, theirs):
    ours = IncidentFactory(school=first)
    coordinator = person(Role.COORDINATOR, first)
    ReferralFactory(school=first, record_reference=ours.reference, agency_reference="CAD-ONE")
    CaseTaskFactory(school=first, record_reference=ours.reference, owner=coordinator)
    client.force_login(coordinator)
    listed = client.get(reverse("cases:referral_list")).text
    assert "CAD-ONE" in listed and "CAD-TWO" not in listed
    tasks = client.get(reverse("cases:my_tasks")).text
    assert "Call the parents" in tasks and "Call their parents" not in tasks


def test_another_schools_case_cannot_be_acted_on(client, first, theirs):
    incident, referral, task = theirs
    ref = incident.reference
    client.force_login(person(Role.COORDINATOR, first))
    for url in (
        reverse("cases:referral_add", args=[ref]),
        reverse("cases:task_add", args=[ref]),
        reverse("cases:referral_response", args=[ref, referral.pk]),
    ):
        assert client.get(url).status_code == 404
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("cases:referral_response", args=[ref, referral.pk]),
        {"responded_on": today, "outcome": "Answered by the wrong school"},
    )
    assert response.status_code == 404
    add = client.post(
        reverse("cases:referral_add", args=[ref]),
        {"agency": "police", "referred_on": today, "response_due": today},
    )
    assert add.status_code == 404
    done = client.post(reverse("cases:task_done", args=[ref, task.pk]))
    assert done.status_code == 404
    referral.refresh_from_db()
    task.refresh_from_db()
    assert referral.responded_on is None and task.done_at is None
    assert Referral.objects.count() == 1


def test_a_referral_and_a_task_added_belong_to_the_school(client, second, their_coordinator):
    incident = IncidentFactory(school=second, reference="TWO-INC-2026-0002")
    client.force_login(their_coordinator)
    today = timezone.localdate().isoformat()
    client.post(
        reverse("cases:referral_add", args=[incident.reference]),
        {"agency": "police", "referred_on": today, "response_due": today},
    )
    client.post(
        reverse("cases:task_add", args=[incident.reference]),
        {"what": "Ring the ISP", "owner": their_coordinator.pk, "due_on": today},
    )
    assert Referral.objects.get().school == second
    assert CaseTask.objects.get().school == second


def test_reminders_go_school_by_school(first, theirs, sent_mail):
    incident, referral, task = theirs
    ours = IncidentFactory(school=first)
    coordinator = person(Role.COORDINATOR, first)
    ReferralFactory(
        school=first,
        record_reference=ours.reference,
        referred_by=coordinator,
        response_due=timezone.localdate() - timedelta(days=1),
    )
    # Beat tasks, outside any school's scope.
    assert cases.tasks.remind_overdue_referrals() == 2
    assert cases.tasks.remind_due_case_tasks() == 1
    sent = sorted((mail.to[0], mail.body) for mail in sent_mail)
    assert [to for to, _ in sent].count(coordinator.email) == 1
    assert all(incident.reference not in body for to, body in sent if to == coordinator.email)
    referral.refresh_from_db()
    task.refresh_from_db()
    assert referral.reminded_at is not None and task.reminded_at is not None


@pytest.mark.parametrize("model", [Referral, CaseTask])
def test_a_query_outside_any_schools_scope_fails_loudly(model):
    with scope(), pytest.raises(ScopeError):
        model.objects.count()
