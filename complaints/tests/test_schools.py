"""Complaints, concerns and the term calendar are kept per school: each school sees, finds
and acts on its own; its deadlines are counted in its own calendar; what goes to the
principal or the chair of governors goes to its own, day by day as when first told."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopeError, scope

from complaints import services
from complaints.models import (
    CalendarEntry,
    ComplaintEvent,
    Concern,
    ConcernEvent,
    Evidence,
    OnlineComplaint,
)
from complaints.tasks import remind_overdue_complaints, remind_overdue_concerns
from complaints.tests.factories import ComplaintFactory
from overstone.celery import app as celery_app
from overstone.models import AuditLogEntry, OutboxMessage, School
from overstone.roles import Role
from overstone.schools import (
    membership_add,
    school_scope,
    trust_membership_add,
)
from overstone.schoolyear import is_school_day
from overstone.tests.factories import UserFactory, person_at

pytestmark = pytest.mark.django_db

REFERENCE = r"[A-Z]+(?:-[A-Z0-9]+)+"  # as in a URL (overstone.references)


def complaint_in(school: School, **fields) -> OnlineComplaint:
    return ComplaintFactory(school=school, reported_by=person_at(Role.SLT, school), **fields)


def concern_in(school: School, subject: str, **fields) -> Concern:
    with school_scope(school):  # as the parent's request would
        return services.concern_create(
            actor=person_at(Role.PARENT, school), subject=subject, details="-", **fields
        )


def run_queued(task_name: str) -> None:
    """What the worker would do with the tasks queued: each in the school that queued it."""
    celery_app.loader.import_default_modules()
    for message in OutboxMessage.objects.filter(task_name=task_name, dispatched_at=None):
        celery_app.tasks[task_name].apply(
            args=message.args, headers={"school_id": message.school_id}
        )


def mails_to(sent_mail, user) -> list[str]:
    return [mail.subject for mail in sent_mail if user.email in mail.to]


def test_each_school_lists_opens_and_finds_its_own_complaints_and_concerns(client, schools):
    one, two = schools
    ours = complaint_in(one, content="Parking chaos at the gate")
    theirs = complaint_in(two, content="Zebra crossing chaos")
    theirs_about_head = complaint_in(two, about_principal=True, content="The head again")
    our_concern = concern_in(one, "Lunch queue")
    their_concern = concern_in(two, "Uniform prices")

    client.force_login(person_at(Role.PRINCIPAL, one))
    board = client.get(reverse("complaints:board")).text
    assert ours.reference in board and theirs.reference not in board
    assert "1 complaint, overdue first" in board
    concerns = client.get(reverse("complaints:concern_manage")).text
    assert our_concern.reference in concerns and their_concern.reference not in concerns
    assert client.get(ours.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(their_concern.get_absolute_url()).status_code == 404
    assert "Parking chaos" in client.get(reverse("search"), {"q": "chaos"}).text
    assert "Zebra" not in client.get(reverse("search"), {"q": "chaos"}).text
    assert their_concern.reference not in client.get(reverse("search"), {"q": "Uniform"}).text
    assert our_concern.reference in client.get(reverse("search"), {"q": "Lunch"}).text

    client.force_login(person_at(Role.PRINCIPAL, two))
    board = client.get(reverse("complaints:board")).text
    assert theirs.reference in board and ours.reference not in board
    assert "Zebra crossing chaos" in client.get(reverse("search"), {"q": "chaos"}).text

    # The chair of governors of the first school does not see the other's about its head.
    client.force_login(person_at(Role.CHAIR_OF_GOVERNORS, one))
    assert theirs_about_head.reference not in client.get(reverse("complaints:escalated")).text
    assert client.get(theirs_about_head.get_absolute_url()).status_code == 404
    client.force_login(person_at(Role.CHAIR_OF_GOVERNORS, two))
    assert theirs_about_head.reference in client.get(reverse("complaints:escalated")).text


def test_nobody_acts_on_another_schools_complaint_or_concern(client, schools):
    one, two = schools
    theirs = complaint_in(two)
    their_concern = concern_in(two, "Uniform prices")
    client.force_login(person_at(Role.PRINCIPAL, one))
    moved = client.post(
        reverse("complaints:transition", args=[theirs.reference]),
        {"to_stage": "staff_supported", "staff_supported-note": "Not ours to move"},
    )
    noted = client.post(
        reverse("complaints:note_add", args=[theirs.reference]), {"note": "Not ours"}
    )
    answered = client.post(
        their_concern.get_absolute_url(),
        {"to_status": "answered", "expected_status": "received", "response": "Not ours"},
    )
    assert (moved.status_code, noted.status_code, answered.status_code) == (404, 404, 404)
    theirs.refresh_from_db()
    their_concern.refresh_from_db()
    assert theirs.stage == "reported" and not their_concern.response
    assert not ComplaintEvent.objects.filter(complaint=theirs, kind="note").exists()


def test_what_is_recorded_in_a_request_is_the_schools_and_carries_its_code(client, schools):
    one, two = schools
    client.force_login(person_at(Role.PRINCIPAL, two))
    client.post(
        reverse("complaints:create"),
        {
            "platform": "x",
            "posted_at": "2026-01-10T09:00",
            "content": "Recorded at Two Oaks",
            "about": "school",
            "category": "complaint_school",
        },
    )
    complaint = OnlineComplaint.objects.get(content="Recorded at Two Oaks")
    assert complaint.school == two and complaint.reference.startswith("TWO-CMP-")

    client.force_login(person_at(Role.PARENT, two))
    client.post(reverse("complaints:concern_create"), {"subject": "Trip", "details": "Cost"})
    concern = Concern.objects.get(subject="Trip")
    assert concern.school == two and concern.reference.startswith("TWO-CON-")

    client.force_login(person_at(Role.PARENT, one))  # the first school has no code
    client.post(reverse("complaints:concern_create"), {"subject": "Menu", "details": "Cost"})
    assert Concern.objects.get(subject="Menu").reference.startswith("CON-")


def test_a_complaint_about_the_principal_goes_to_the_chair_of_its_own_school(
    client, schools, sent_mail
):
    one, two = schools
    chair_one = person_at(Role.CHAIR_OF_GOVERNORS, one)
    chair_two = person_at(Role.CHAIR_OF_GOVERNORS, two)
    principal_one, principal_two = person_at(Role.PRINCIPAL, one), person_at(Role.PRINCIPAL, two)
    # The first school's principal teaches at the second: there, not its principal.
    visiting = person_at(Role.PRINCIPAL, one)
    membership_add(visiting, Role.STAFF, two)

    client.force_login(person_at(Role.SLT, two))
    for content, named in (("The head is hopeless", principal_two), ("That teacher", visiting)):
        client.post(
            reverse("complaints:create"),
            {
                "platform": "facebook",
                "posted_at": "2026-01-10T09:00",
                "content": content,
                "about": "staff",
                "staff_about": [named.pk],
                "category": "complaint_staff",
            },
        )
    about_head = OnlineComplaint.objects.get(content="The head is hopeless")
    about_teacher = OnlineComplaint.objects.get(content="That teacher")
    assert about_head.about_principal and not about_teacher.about_principal
    run_queued("complaints.tasks.email_complaint_reported")

    assert mails_to(sent_mail, chair_two) == [f"Online complaint {about_head.reference} needs you"]
    assert mails_to(sent_mail, principal_two) == [
        f"Online complaint {about_teacher.reference} needs you"
    ]
    assert mails_to(sent_mail, chair_one) == mails_to(sent_mail, principal_one) == []
    assert mails_to(sent_mail, visiting) == []

    # Escalated to the chair of governors: the second school's.
    escalated = complaint_in(two)
    with school_scope(two):
        assert services.complaint_notify_escalated(complaint_id=escalated.pk) == 1
    assert len(mails_to(sent_mail, chair_two)) == 2 and mails_to(sent_mail, chair_one) == []


def test_the_daily_reminders_go_school_by_school_to_each_schools_own(schools, sent_mail):
    one, two = schools
    principal_one, principal_two = person_at(Role.PRINCIPAL, one), person_at(Role.PRINCIPAL, two)
    chair_one = person_at(Role.CHAIR_OF_GOVERNORS, one)
    chair_two = person_at(Role.CHAIR_OF_GOVERNORS, two)
    yesterday = timezone.localdate() - timedelta(days=1)
    ours = complaint_in(one, stage_due=yesterday)
    theirs = complaint_in(two, stage_due=yesterday, about_principal=True)
    complaint_in(two, stage_due=timezone.localdate() + timedelta(days=2))  # not due yet
    our_concern = concern_in(one, "Lunch queue")
    their_concern = concern_in(two, "Uniform prices", about_principal=True)
    Concern.objects.update(answer_due=yesterday)

    # As beat runs them: in no school, each walking every school.
    assert remind_overdue_complaints.apply().get() == 2
    assert remind_overdue_concerns.apply().get() == 2
    queued = OutboxMessage.objects.filter(task_name__startswith="complaints.tasks.remind_overdue_")
    assert sorted((m.task_name.split("_")[-1], m.args[0], m.school_id) for m in queued) == [
        ("complaint", ours.pk, one.pk),
        ("complaint", theirs.pk, two.pk),
        ("concern", our_concern.pk, one.pk),
        ("concern", their_concern.pk, two.pk),
    ]
    run_queued("complaints.tasks.remind_overdue_complaint")
    run_queued("complaints.tasks.remind_overdue_concern")

    def references(user) -> list[str]:
        return sorted(re.findall(REFERENCE, " ".join(mails_to(sent_mail, user))))

    assert references(principal_one) == sorted([ours.reference, our_concern.reference])
    assert references(chair_two) == sorted([theirs.reference, their_concern.reference])
    assert references(principal_two) == references(chair_one) == []


def test_the_term_calendar_is_each_schools_own(client, schools):
    one, two = schools
    today = timezone.localdate()
    with school_scope(one):
        due_at_one = services.concern_answer_due(raised_on=today)
    # The second school is closed from tomorrow to the day the first would answer by.
    client.force_login(person_at(Role.PRINCIPAL, two))
    client.post(
        reverse("complaints:calendar"),
        {
            "kind": "holiday",
            "name": "Two Oaks closure",
            "starts_on": today + timedelta(days=1),
            "ends_on": due_at_one,
        },
    )
    closure = CalendarEntry.objects.get(name="Two Oaks closure")
    assert closure.school == two
    assert "Two Oaks closure" in client.get(reverse("complaints:calendar")).text

    with school_scope(one):
        assert is_school_day(due_at_one)
    with school_scope(two):
        assert not is_school_day(due_at_one)
    assert concern_in(one, "Lunch queue").answer_due == due_at_one
    assert concern_in(two, "Uniform prices").answer_due > due_at_one

    client.force_login(person_at(Role.PRINCIPAL, one))
    assert "Two Oaks closure" not in client.get(reverse("complaints:calendar")).text
    deleted = client.post(reverse("complaints:calendar_delete", args=[closure.pk]))
    assert deleted.status_code == 404 and CalendarEntry.objects.filter(pk=closure.pk).exists()


@pytest.mark.parametrize(
    "model", [OnlineComplaint, Evidence, ComplaintEvent, Concern, ConcernEvent, CalendarEntry]
)
def test_records_are_not_read_outside_a_schools_scope(model):
    with scope(), pytest.raises(ScopeError):
        model.objects.count()


def test_the_trust_lead_reads_every_schools_complaints_and_changes_none(client, schools):
    one, two = schools
    ours = complaint_in(one)
    about_head = complaint_in(two, about_principal=True, content="The head again")
    lead = UserFactory()
    trust_membership_add(lead, Role.TRUST_LEAD)
    client.force_login(lead)
    assert reverse("complaints:board") in client.get(reverse("home")).text
    board = client.get(reverse("complaints:board")).text
    assert ours.reference in board and about_head.reference not in board
    assert client.get(about_head.get_absolute_url()).status_code == 404

    client.post(reverse("school_switch"), {"school": two.pk})
    board = client.get(reverse("complaints:board")).text
    assert about_head.reference in board and ours.reference not in board
    page = client.get(about_head.get_absolute_url()).text
    assert "The head again" in page and "More actions" not in page
    assert AuditLogEntry.objects.filter(
        user=lead, action="view", object_reference=about_head.reference, school=two
    ).exists()

    refused = [
        client.post(
            reverse("complaints:transition", args=[about_head.reference]),
            {"to_stage": "staff_supported", "staff_supported-note": "From the trust"},
        ),
        client.post(reverse("complaints:note_add", args=[about_head.reference]), {"note": "-"}),
        client.get(reverse("complaints:evidence_add", args=[about_head.reference])),
        client.post(reverse("complaints:bundle", args=[about_head.reference])),
        client.post(reverse("complaints:letter", args=[about_head.reference, "governors_meeting"])),
        client.get(reverse("complaints:create")),
    ]
    assert [response.status_code for response in refused] == [403] * 6
    about_head.refresh_from_db()
    assert about_head.stage == "reported"
    assert not ComplaintEvent.objects.filter(complaint=about_head, actor=lead).exists()
