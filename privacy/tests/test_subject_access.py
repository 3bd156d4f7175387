"""Subject access: every record that mentions a person, found by their names and their
account, exported for the response, with the one-month due date tracked."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.services import concern_create
from complaints.tests.factories import ComplaintFactory
from incidents.models import Incident, PupilInvolved
from incidents.services import incident_transition
from incidents.tests.factories import IncidentFactory
from incidents.tests.factories import evidence_for as incident_evidence
from overstone.models import AuditLogEntry
from overstone.roles import Role
from privacy import services
from privacy.models import SubjectAccessRequest
from privacy.selectors import sar_mentions
from training.tests.factories import BookingFactory, MeetingFactory, ParentProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def principal(user_with_role):
    return user_with_role(Role.PRINCIPAL)


@pytest.fixture
def parent(user_with_role):
    return user_with_role(
        Role.PARENT, first_name="Pat", last_name="Quimby", email="pat.quimby@home.example"
    )


def request_for(principal, parent=None, **fields) -> SubjectAccessRequest:
    fields.setdefault("subject_name", "Pat Quimby")
    fields.setdefault("received_on", timezone.localdate())
    return services.sar_create(actor=principal, subject_user=parent, **fields)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 11, 2), date(2026, 12, 2)),
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2026, 12, 15), date(2027, 1, 15)),
    ],
)
def test_the_answer_is_due_one_calendar_month_after_receipt(principal, received, due):
    assert request_for(principal, received_on=received).due_on == due


def test_a_complex_request_is_extended_once_to_three_months(principal):
    sar = request_for(principal, received_on=date(2026, 11, 2))
    sar = services.sar_extend(sar=sar, reason="Many records", actor=principal)
    assert sar.due_on == date(2027, 2, 2)
    with pytest.raises(services.PrivacyError, match="already been extended"):
        services.sar_extend(sar=sar, reason="Again", actor=principal)


def test_records_are_found_by_name_other_names_and_account(principal, parent):
    incident = IncidentFactory(description="A pupil said Pat Quimby shared the photo.")
    unrelated = IncidentFactory(description="Gambling site on an IT suite PC.")
    pupil_incident = IncidentFactory()
    PupilInvolved.objects.create(incident=pupil_incident, name="PAT QUIMBY", year_group="9")
    handle = ComplaintFactory(account_handle="@quimbyonline", content="Rude post")
    by_account = ComplaintFactory(posted_by_parent=parent, content="Another post")
    concern = concern_create(actor=parent, subject="Trip", details="Coach times")
    booking = BookingFactory(parent=parent)
    meeting = MeetingFactory(minutes="Pat Quimby (parent representative) offered to help.")
    sar = request_for(principal, parent, other_names="@quimbyonline\nP\n")
    found = {(m.source, m.reference) for m in sar_mentions(sar=sar, user=principal)}
    assert found == {
        ("e-Safety incident", incident.reference),
        ("e-Safety incident", pupil_incident.reference),
        ("Online complaint", handle.reference),
        ("Online complaint", by_account.reference),
        ("Parent's concern", concern.reference),
        ("Training booking", booking.session.title),
        ("Working-party meeting", str(meeting)),
    }
    assert unrelated.reference not in {reference for _, reference in found}


def test_chronology_notes_evidence_names_and_the_parent_account_are_found(principal, parent):
    """Where a person is named only in a line of a record's chronology, in the name of an
    evidence file, or is a parent with an account, the request still finds them."""
    noted = incident_transition(
        incident=IncidentFactory(description="A rude post"),
        to_status=Incident.Status.REPORTED_TO_PRINCIPAL,
        actor=principal,
        note="Phoned Pat Quimby, who agreed to take the post down.",
    )
    filed = IncidentFactory(description="A post")
    incident_evidence(filed, name="pat-quimby-post.png")
    ParentProfileFactory(user=parent, child_year_group="Year 6")
    unrelated = ComplaintFactory(content="Another rude post")
    sar = request_for(principal, parent, other_names="Pat-Quimby")
    found = {m.reference: m for m in sar_mentions(sar=sar, user=principal)}
    assert noted.reference in found and filed.reference in found
    assert unrelated.reference not in found
    account = next(m for m in found.values() if m.source == "Parent account")
    assert account.summary == "Child's year group: Year 6"


def test_the_page_lists_mentions_and_the_export_is_audited(client, principal, parent):
    incident = IncidentFactory(description="Pat Quimby was named.")
    concern = concern_create(actor=parent, subject="=HYPERLINK(1)", details="Spreadsheet")
    sar = request_for(principal, parent)
    client.force_login(principal)
    page = client.get(sar.get_absolute_url())
    assert incident.reference in page.content.decode()
    export = client.get(reverse("privacy:sar_export", args=[sar.reference]))
    rows = list(csv.reader(io.StringIO(export.getvalue().decode())))
    assert rows[0][:2] == ["Record", "Reference"]
    by_reference = {row[1]: row for row in rows[1:]}
    assert by_reference[incident.reference][3] == "Gambling. Pat Quimby was named."
    assert by_reference[incident.reference][4].endswith(incident.get_absolute_url())
    assert by_reference[concern.reference][3] == "'=HYPERLINK(1). Spreadsheet"
    actions = set(
        AuditLogEntry.objects.filter(object_reference=sar.reference).values_list(
            "action", flat=True
        )
    )
    assert actions == {"change", "view", "export"}  # logged, seen, exported


def test_logging_a_request_and_refusing_a_future_date(client, principal, parent):
    client.force_login(principal)
    url = reverse("privacy:sar_create")
    tomorrow = timezone.localdate() + timedelta(days=1)
    refused = client.post(url, {"subject_name": "Pat Quimby", "received_on": tomorrow})
    assert "cannot be in the future" in refused.content.decode()
    assert not SubjectAccessRequest.objects.exists()
    response = client.post(
        url,
        {"subject_name": "Pat  Quimby", "subject_user": parent.pk, "received_on": "2026-11-02"},
        follow=True,
    )
    sar = SubjectAccessRequest.objects.get()
    assert sar.subject_name == "Pat Quimby" and sar.due_on == date(2026, 12, 2)
    assert "due on 02 December 2026" in response.content.decode()


def test_overdue_requests_show_and_completion_stops_the_clock(client, principal):
    old = request_for(principal, subject_name="Alex Old", received_on=date(2020, 1, 6))
    client.force_login(principal)
    listing = client.get(reverse("privacy:sar_list")).content.decode()
    assert "Overdue" in listing and old.reference in listing
    client.post(old.get_absolute_url(), {"action": "complete"})
    old.refresh_from_db()
    assert old.status == "completed" and old.completed_on == timezone.localdate()
    assert "Overdue" not in client.get(reverse("privacy:sar_list")).content.decode()
    again = client.post(old.get_absolute_url(), {"action": "extend", "reason": "x"}, follow=True)
    assert "completed and can no longer be changed" in again.content.decode()


def test_a_long_list_is_cut_on_the_page_but_whole_in_the_export(
    client, principal, parent, monkeypatch
):
    from privacy.views import SubjectAccessDetailView

    monkeypatch.setattr(SubjectAccessDetailView, "shown", 2)
    incidents = IncidentFactory.create_batch(3, description="About Pat Quimby")
    sar = request_for(principal)
    client.force_login(principal)
    page = client.get(sar.get_absolute_url()).content.decode()
    assert "The first 2 are shown here; the CSV download has all 3." in page
    export = client.get(reverse("privacy:sar_export", args=[sar.reference])).getvalue()
    assert all(incident.reference in export.decode() for incident in incidents)


def test_the_principal_is_reminded_a_week_before_and_when_late_once_each(
    principal, user_with_role, sent_mail
):
    head = user_with_role(Role.PRINCIPAL, email="head@school.example")
    sar = request_for(principal, received_on=date(2026, 11, 2))  # due 2 December
    quiet = request_for(principal, subject_name="Far Off", received_on=date(2026, 11, 20))
    assert services.sar_reminders_send(today=date(2026, 11, 24)) == 0  # 8 days left
    assert services.sar_reminders_send(today=date(2026, 11, 25)) == 1
    assert services.sar_reminders_send(today=date(2026, 11, 26)) == 0
    [soon] = sent_mail
    assert head.email in soon.to and "due in 7 days" in soon.subject
    assert sar.reference in soon.body and "Pat Quimby" not in soon.body + soon.subject
    assert services.sar_reminders_send(today=date(2026, 12, 3)) == 1
    assert "Overdue" in sent_mail[-1].subject
    assert services.sar_reminders_send(today=date(2026, 12, 4)) == 0
    services.sar_complete(sar=sar, actor=principal)
    assert services.sar_reminders_send(today=date(2026, 12, 30)) == 1  # the other one only
    assert quiet.reference in sent_mail[-1].subject


def test_an_extended_request_is_reminded_again_before_its_new_date(principal, sent_mail):
    sar = request_for(principal, received_on=date(2026, 11, 2))  # due 2 December
    assert services.sar_reminders_send(today=date(2026, 11, 26)) == 1
    sar = services.sar_extend(sar=sar, reason="Many records", actor=principal)  # 2 February
    assert services.sar_reminders_send(today=date(2027, 1, 20)) == 0
    assert services.sar_reminders_send(today=date(2027, 1, 27)) == 1
    assert "2 February 2027" in sent_mail[-1].body


def test_completing_goes_through_the_workflow_once_and_a_second_time_is_a_message(
    client, principal
):
    sar = request_for(principal, subject_name="Alex Done")
    client.force_login(principal)
    done = client.post(sar.get_absolute_url(), {"action": "complete"}, follow=True)
    assert [str(m) for m in done.context["messages"]] == [f"{sar.reference} is completed."]
    sar.refresh_from_db()
    assert sar.status == "completed" and sar.completed_on == timezone.localdate()
    again = client.post(sar.get_absolute_url(), {"action": "complete"}, follow=True)
    assert again.redirect_chain[-1][0] == sar.get_absolute_url()
    assert [str(m) for m in again.context["messages"]] == [
        f"{sar.reference} is completed and can no longer be changed."
    ]
    status_changes = AuditLogEntry.objects.filter(
        object_reference=sar.reference, changes__has_key="status"
    )
    assert [entry.changes for entry in status_changes] == [{"status": ["open", "completed"]}]
