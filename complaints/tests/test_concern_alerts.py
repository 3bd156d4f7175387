"""A parent's concern: announced, answered by e-mail, overdue after a set number of school
days and reminded once."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import CalendarEntry, Concern
from overstone.models import Email, OutboxMessage
from overstone.roles import Role
from overstone.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 3, 2)  # in term: no closure the calendar's defaults know of


@pytest.fixture
def principal():
    return UserFactory(roles=[Role.PRINCIPAL])


@pytest.fixture
def chair():
    return UserFactory(roles=[Role.CHAIR_OF_GOVERNORS])


@pytest.fixture
def parent():
    return UserFactory(roles=[Role.PARENT])


def raise_concern(parent, **fields) -> Concern:
    return services.concern_create(
        actor=parent, subject="School trip", details="The trip cost is too high.", **fields
    )


def queued(task: str, concern: Concern) -> bool:
    return OutboxMessage.objects.filter(task_name=task, args=[concern.pk]).exists()


def test_a_new_concern_is_announced_to_the_principal_once(principal, chair, parent, sent_mail):
    concern = raise_concern(parent)
    assert queued("complaints.tasks.email_concern_raised", concern)
    assert services.concern_notify_raised(concern_id=concern.pk) == 1
    assert services.concern_notify_raised(concern_id=concern.pk) == 0
    [mail] = sent_mail
    assert mail.to == [principal.email] and concern.reference in mail.subject
    assert concern.get_absolute_url() in mail.body
    assert "trip cost" not in mail.body  # what the parent wrote stays in Overstone


def test_a_concern_about_the_principal_goes_to_the_chair_not_the_principal(
    client, principal, chair, parent, sent_mail
):
    client.force_login(parent)
    response = client.post(
        reverse("complaints:concern_create"),
        {"subject": "The head", "details": "The principal ignored me.", "about_principal": "on"},
        follow=True,
    )
    assert "has reached the chair of governors" in response.text
    concern = Concern.objects.get()
    assert concern.about_principal
    services.concern_notify_raised(concern_id=concern.pk)
    [mail] = sent_mail
    assert mail.to == [chair.email]
    assert concern.events.last().summary == "E-mailed the chair of governors (1)."

    url = reverse("complaints:concern_detail", args=[concern.reference])
    client.force_login(principal)
    assert client.get(url).status_code == 404
    assert concern.reference not in client.get(reverse("complaints:concern_manage")).text
    client.force_login(chair)
    assert concern.reference in client.get(reverse("complaints:concern_manage")).text
    response = client.post(
        url,
        {"to_status": "answered", "expected_status": "received", "response": "Noted."},
        follow=True,
    )
    concern.refresh_from_db()
    assert concern.is_answered and concern.response == "Noted."


def test_a_concern_not_about_the_principal_is_hidden_from_the_chair(client, chair, parent):
    concern = raise_concern(parent)
    client.force_login(chair)
    url = reverse("complaints:concern_detail", args=[concern.reference])
    assert client.get(url).status_code == 404


def test_the_answer_is_emailed_to_the_parent_once(principal, parent, sent_mail):
    concern = raise_concern(parent)
    services.concern_transition(concern=concern, to_status="in_progress", actor=principal)
    assert not queued("complaints.tasks.email_concern_answered", concern)
    assert services.concern_notify_answered(concern_id=concern.pk) == 0  # not answered yet
    services.concern_transition(
        concern=concern, to_status="answered", actor=principal, response="We will lower it."
    )
    assert queued("complaints.tasks.email_concern_answered", concern)
    assert services.concern_notify_answered(concern_id=concern.pk) == 1
    assert services.concern_notify_answered(concern_id=concern.pk) == 0
    [mail] = sent_mail
    assert mail.to == [parent.email] and concern.reference in mail.subject
    assert "We will lower it." in mail.body


def test_the_answer_is_due_a_set_number_of_school_days_after_it_was_raised(settings):
    settings.OVERSTONE_CONCERN_ANSWER_SCHOOL_DAYS = 2
    assert services.concern_answer_due(raised_on=MONDAY) == MONDAY + timedelta(days=2)
    friday = MONDAY + timedelta(days=4)
    assert services.concern_answer_due(raised_on=friday) == friday + timedelta(days=4)  # Tue
    CalendarEntry.objects.create(
        kind=CalendarEntry.Kind.INSET, name="INSET", starts_on=friday + timedelta(days=3),
        ends_on=friday + timedelta(days=3),
    )  # fmt: skip
    assert services.concern_answer_due(raised_on=friday) == friday + timedelta(days=5)  # Wed


def test_answered_on_the_last_school_day_is_never_overdue_nor_reminded(principal, parent):
    concern = raise_concern(parent)
    due = concern.answer_due
    assert due > timezone.localdate()
    services.concern_transition(concern=concern, to_status="answered", actor=principal)
    concern.refresh_from_db()
    assert not concern.is_overdue(due + timedelta(days=1))
    assert services.concern_remind_overdue(concern_id=concern.pk, today=due + timedelta(1)) == 0


def test_unanswered_a_day_after_its_last_school_day_it_is_overdue_and_reminded_once(
    principal, parent, sent_mail
):
    concern = raise_concern(parent)
    due = concern.answer_due
    assert not concern.is_overdue(due)
    assert services.concern_remind_overdue(concern_id=concern.pk, today=due) == 0
    late = due + timedelta(days=1)
    assert concern.is_overdue(late)
    assert services.concern_remind_overdue(concern_id=concern.pk, today=late) == 1
    assert services.concern_remind_overdue(concern_id=concern.pk, today=late) == 0
    [mail] = sent_mail
    assert mail.to == [principal.email] and "Overdue" in mail.subject
    assert concern.reference in mail.subject


def test_the_daily_task_queues_only_overdue_concerns_not_yet_reminded(principal, parent):
    today = timezone.localdate()
    overdue, due_today, answered = (raise_concern(parent) for _ in range(3))
    Concern.objects.filter(pk__in=[overdue.pk, answered.pk]).update(
        answer_due=today - timedelta(days=1)
    )
    Concern.objects.filter(pk=due_today.pk).update(answer_due=today)
    services.concern_transition(concern=answered, to_status="answered", actor=principal)
    assert services.concern_reminders_queue() == 1
    assert queued("complaints.tasks.remind_overdue_concern", overdue)
    services.concern_remind_overdue(concern_id=overdue.pk)
    assert services.concern_reminders_queue() == 0


def test_an_overdue_concern_shows_on_the_list_and_its_page(client, principal, parent):
    today = timezone.localdate()
    late, on_time = raise_concern(parent), raise_concern(parent)
    Concern.objects.filter(pk=late.pk).update(answer_due=today - timedelta(days=1))
    Concern.objects.filter(pk=on_time.pk).update(answer_due=today)
    client.force_login(principal)
    listing = client.get(reverse("complaints:concern_manage")).text
    assert listing.count('data-testid="overdue"') == 1
    for concern, shown in ((late, True), (on_time, False)):
        page = client.get(reverse("complaints:concern_detail", args=[concern.reference])).text
        assert ('data-testid="overdue"' in page) is shown


def test_failed_emails_about_a_concern_about_the_principal_are_not_listed_for_the_principal(
    client, principal, chair, parent
):
    """The principal follows up failed e-mails; those about a concern about them (to the
    chair, and the parent's acknowledgement) would tell them it exists and who raised it."""
    about_them = raise_concern(parent, about_principal=True)
    other = raise_concern(parent)
    for concern in (about_them, other):
        services.concern_acknowledge(concern_id=concern.pk)
        services.concern_notify_raised(concern_id=concern.pk)
    Email.objects.update(status=Email.Status.FAILED, failed_at=timezone.now())

    client.force_login(principal)
    page = client.get(reverse("failed_emails")).text
    assert other.reference in page
    assert about_them.reference not in page and chair.email not in page


def test_the_audit_log_does_not_show_the_principal_a_concern_about_them(
    client, principal, chair, parent
):
    """The chair opening a concern about the principal is audited, but the audit log (the
    principal's page) does not list it; one opened by the principal is listed."""
    about_them = raise_concern(parent, about_principal=True)
    other = raise_concern(parent)
    client.force_login(chair)
    assert client.get(about_them.get_absolute_url()).status_code == 200
    client.force_login(principal)
    assert client.get(other.get_absolute_url()).status_code == 200

    page = client.get(reverse("audit_log")).text
    assert other.reference in page
    assert about_them.reference not in page
