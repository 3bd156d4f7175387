"""Retention: records past it are listed for the principal, never changed until she
approves; a legal hold keeps a record whatever its age; anonymising removes what
identifies anyone and keeps what the reports count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services as complaint_services
from complaints.models import ComplaintEvent, Concern, Meeting, Stage
from complaints.tests.factories import complaint_at
from incidents import services as incident_services
from incidents.models import Incident, IncidentEvent
from overstone.evidence import evidence_check, evidence_storage
from overstone.models import ANONYMISED_TEXT, MonitoredCategory
from overstone.monitored import monitored_counts_between
from overstone.personal_data import record_kind
from overstone.roles import Role
from overstone.samples import upload
from overstone.schools import users_with_roles
from privacy import services
from privacy.models import Anonymisation, LegalHold, RetentionReview
from privacy.selectors import past_retention

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def principal(user_with_role):
    """Every test has the principal, whose data-protection pages these are."""
    return user_with_role(Role.PRINCIPAL, email="principal@school.example")


@pytest.fixture
def coordinator(user_with_role):
    return user_with_role(Role.COORDINATOR)


def closed_incident(coordinator, staff, *, years_ago: int = 0) -> Incident:
    incident = incident_services.incident_create(
        actor=coordinator,
        occurred_at=timezone.now() - timedelta(days=3),
        category=MonitoredCategory.RACIST_HOMOPHOBIC,
        severity="high",
        location="online_platform",
        location_detail="Jamie Pupil's Instagram account",
        description="Jamie Pupil posted a racist comment about Sam Staff.",
        pupils=[{"name": "Jamie Pupil", "year_group": "9"}],
        staff_involved=[staff],
        evidence=[evidence_check(upload("post.png"))],
    )
    incident_services.incident_report_to_principal(incident=incident, actor=coordinator)
    incident = incident_services.incident_close(
        incident=incident, actor=coordinator, outcome="Jamie Pupil apologised to Sam Staff."
    )
    if years_ago:
        Incident.objects.filter(pk=incident.pk).update(
            closed_at=timezone.now() - timedelta(days=365 * years_ago + 10)
        )
    return incident


def listed(record_type: str = "", *, today=None) -> list[str]:
    """The principal's list of records past retention."""
    principal = users_with_roles([Role.PRINCIPAL]).get()
    rows = past_retention(
        user=principal, today=today or timezone.localdate(), kind=record_kind(record_type)
    )
    return [row["reference"] for row in rows]


def test_only_finished_records_past_their_period_are_listed(coordinator, user_with_role):
    staff = user_with_role(Role.STAFF)
    old = closed_incident(coordinator, staff, years_ago=26)
    closed_incident(coordinator, staff, years_ago=24)  # inside its 25 years
    still_open = closed_incident(coordinator, staff, years_ago=30)
    Incident.objects.filter(pk=still_open.pk).update(status=Incident.Status.OPEN)
    assert listed() == [old.reference]
    assert listed(record_type="complaint") == []


def test_the_period_is_a_setting(coordinator, user_with_role, settings):
    recent = closed_incident(coordinator, user_with_role(Role.STAFF), years_ago=3)
    assert listed() == []
    settings.OVERSTONE_RETENTION_YEARS = {**settings.OVERSTONE_RETENTION_YEARS, "incident": 2}
    assert listed() == [recent.reference]


def test_the_monthly_review_lists_and_tells_the_principal_but_changes_nothing(
    coordinator, principal, user_with_role, sent_mail
):
    old = closed_incident(coordinator, user_with_role(Role.STAFF), years_ago=26)
    assert services.retention_review_prepare() == 1
    [mail] = sent_mail
    assert mail.to == [principal.email]
    assert "1 record past retention" in mail.subject
    assert reverse("privacy:retention") in mail.body
    assert "Jamie" not in mail.body and old.reference not in mail.body
    old.refresh_from_db()
    assert old.description.startswith("Jamie Pupil posted")
    assert old.pupils.count() == 1 and old.evidence.count() == 1
    # Once a month, whatever runs the task again.
    assert services.retention_review_prepare() == 0
    assert len(sent_mail) == 1
    assert RetentionReview.objects.get().records_listed == 1


def test_the_review_waits_for_a_principal_to_decide(
    coordinator, principal, user_with_role, sent_mail
):
    """With no active principal nothing is recorded, so the next day's run tells one."""
    old = closed_incident(coordinator, user_with_role(Role.STAFF), years_ago=26)
    principal.is_active = False
    principal.save(update_fields=["is_active"])
    assert services.retention_review_prepare() == 0
    assert not RetentionReview.objects.exists() and len(sent_mail) == 0
    head = user_with_role(Role.PRINCIPAL, email="head@school.example")
    assert services.retention_review_prepare() == 1
    [mail] = sent_mail
    assert mail.to == [head.email] and old.reference not in mail.body


def test_approving_anonymises_an_incident_and_keeps_its_counts(
    coordinator, principal, user_with_role, django_capture_on_commit_callbacks
):
    staff = user_with_role(Role.STAFF)
    incident = closed_incident(coordinator, staff, years_ago=26)
    stored = incident.evidence.get().file.name
    today = timezone.localdate()
    counts_before = monitored_counts_between(since=None, until=today)
    assert counts_before[MonitoredCategory.RACIST_HOMOPHOBIC] == 1
    with django_capture_on_commit_callbacks(execute=True):
        done, refused = services.retention_anonymise(
            selections=[("incident", incident.pk)], actor=principal
        )
    assert (done, refused) == ([incident.reference], [])
    incident.refresh_from_db()
    assert incident.description == ANONYMISED_TEXT
    assert incident.outcome == ANONYMISED_TEXT and incident.location_detail == ""
    assert not incident.pupils.exists() and not incident.staff_involved.exists()
    assert not incident.evidence.exists() and not evidence_storage.exists(stored)
    events = list(incident.events.all())
    assert [event.kind for event in events][-1] == IncidentEvent.Kind.ANONYMISED
    assert all("Jamie" not in event.summary and not event.changes for event in events)
    assert IncidentEvent.Kind.CREATED in [event.kind for event in events]  # who/when kept
    assert Anonymisation.objects.get().approved_by == principal
    assert listed() == []
    assert monitored_counts_between(since=None, until=today) == counts_before


def test_a_legal_hold_keeps_a_record_out_of_the_list_and_out_of_reach(
    coordinator, principal, user_with_role
):
    incident = closed_incident(coordinator, user_with_role(Role.STAFF), years_ago=26)
    hold = services.legal_hold_place(
        reference=incident.reference.lower(), reason="Claim", actor=principal
    )
    assert listed() == []
    done, refused = services.retention_anonymise(
        selections=[("incident", incident.pk)], actor=principal
    )
    assert done == [] and refused == [
        f"{incident.reference} is no longer awaiting a retention decision."
    ]
    incident.refresh_from_db()
    assert incident.description.startswith("Jamie Pupil posted")
    with pytest.raises(services.PrivacyError, match="already on legal hold"):
        services.legal_hold_place(reference=incident.reference, reason="Twice", actor=principal)
    services.legal_hold_lift(hold=hold, actor=principal)
    assert listed() == [incident.reference]


def test_a_refused_hold_or_lift_is_said_on_the_holds_page(
    client, coordinator, principal, user_with_role
):
    incident = closed_incident(coordinator, user_with_role(Role.STAFF))
    client.force_login(principal)
    url = reverse("privacy:legal_holds")
    refused = client.post(url, {"reference": "INC-9999-0001", "reason": "Claim by Pat"})
    assert "has the reference INC-9999-0001." in refused.text
    assert "Claim by Pat" in refused.text  # the form comes back as typed

    client.post(url, {"reference": incident.reference, "reason": "Claim"})
    hold = services.legal_hold_lift(hold=LegalHold.objects.get(), actor=principal)
    again = client.post(reverse("privacy:legal_hold_lift", args=[hold.pk]), follow=True)
    assert again.redirect_chain == [(url, 302)]
    assert f"The legal hold on {incident.reference} was already lifted." in again.text


def test_a_record_inside_its_period_cannot_be_anonymised(coordinator, principal, user_with_role):
    incident = closed_incident(coordinator, user_with_role(Role.STAFF), years_ago=1)
    done, refused = services.retention_anonymise(
        selections=[("incident", incident.pk)], actor=principal
    )
    assert done == [] and len(refused) == 1
    assert Incident.objects.get(pk=incident.pk).description.startswith("Jamie")


def test_an_unknown_reference_cannot_be_held(principal):
    with pytest.raises(services.PrivacyError, match="No incident, complaint, concern or pupil"):
        services.legal_hold_place(reference="INC-1999-0001", reason="Claim", actor=principal)


def test_a_complaint_is_anonymised_with_its_meetings_and_evidence(
    principal, user_with_role, django_capture_on_commit_callbacks
):
    staff = user_with_role(Role.STAFF)
    complaint = complaint_at(Stage.RESOLVED, posted_by_name="Pat Parent")
    complaint.staff_about.add(staff)
    later = timezone.localdate() + timedelta(days=365 * 7)
    assert listed(today=later) == [complaint.reference]
    with django_capture_on_commit_callbacks(execute=True):
        done, _ = services.retention_anonymise(
            selections=[("complaint", complaint.pk)], actor=principal, today=later
        )
    assert done == [complaint.reference]
    complaint.refresh_from_db()
    assert complaint.content == ANONYMISED_TEXT and complaint.posted_by_name == ""
    assert complaint.post_url == "" and complaint.account_handle == ""
    assert not complaint.staff_about.exists() and not complaint.evidence.exists()
    assert complaint.category and complaint.stage == Stage.RESOLVED
    meeting = Meeting.objects.get(complaint=complaint)
    assert meeting.attendees == ANONYMISED_TEXT and meeting.notes == ""
    kinds = list(complaint.events.values_list("kind", flat=True))
    assert kinds[-1] == ComplaintEvent.Kind.ANONYMISED
    assert not complaint.events.exclude(summary="").exclude(kind="anonymised").exists()


def test_an_open_complaint_is_never_anonymised(principal):
    complaint = complaint_at(Stage.PARENTS_MEETING)
    with pytest.raises(complaint_services.NotFinished):
        complaint_services.complaint_anonymise(complaint=complaint, actor=principal)


def test_an_answered_concern_loses_its_parent_and_text(client, principal, user_with_role):
    parent = user_with_role(Role.PARENT, first_name="Quentin", last_name="Marchbanks")
    concern = complaint_services.concern_create(
        actor=parent, subject="My child Alex", details="Alex was filmed in class."
    )
    complaint_services.concern_transition(
        concern=concern, to_status=Concern.Status.ANSWERED, actor=principal, response="Deleted."
    )
    later = timezone.localdate() + timedelta(days=365 * 7)
    assert listed() == []
    done, _ = services.retention_anonymise(
        selections=[("concern", concern.pk)], actor=principal, today=later
    )
    assert done == [concern.reference]
    concern.refresh_from_db()
    assert concern.raised_by is None and "Alex" not in concern.subject + concern.details
    assert not concern.events.filter(summary__contains="Deleted").exists()
    assert not concern.events.filter(actor=parent).exists()  # nor who raised it
    client.force_login(principal)
    page = client.get(reverse("complaints:concern_detail", args=[concern.reference])).text
    assert "Marchbanks" not in page and "Raised by a parent (anonymised)" in page


def test_the_principal_approves_on_the_page_and_must_confirm(
    client, coordinator, principal, user_with_role
):
    incident = closed_incident(coordinator, user_with_role(Role.STAFF), years_ago=26)
    client.force_login(principal)
    url = reverse("privacy:retention")
    page = client.get(url)
    assert incident.reference in page.content.decode()
    key = f"incident:{incident.pk}"
    refused = client.post(url, {"selected": [key]})
    assert "Confirm that you approve" in refused.content.decode()
    assert Incident.objects.get(pk=incident.pk).description.startswith("Jamie")
    response = client.post(url, {"selected": [key], "confirm": "on"}, follow=True)
    assert f"Anonymised: {incident.reference}" in response.content.decode()
    assert Incident.objects.get(pk=incident.pk).description == ANONYMISED_TEXT
    assert "No record is past its retention period" in response.content.decode()


def test_the_retention_list_takes_the_same_queries_for_many_rows(
    client, coordinator, principal, user_with_role, django_assert_max_num_queries
):
    staff = user_with_role(Role.STAFF)
    for _ in range(12):
        closed_incident(coordinator, staff, years_ago=26)
    client.force_login(principal)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("privacy:retention"))
    assert response.content.decode().count('name="selected"') == 12


def test_a_record_on_hold_says_so_on_its_page(client, coordinator, principal, user_with_role):
    incident = closed_incident(coordinator, user_with_role(Role.STAFF))
    complaint = complaint_at(Stage.RESOLVED)
    client.force_login(principal)
    assert 'data-testid="legal-hold"' not in client.get(incident.get_absolute_url()).text
    for record in (incident, complaint):
        services.legal_hold_place(
            reference=record.reference, reason="Claim by Mr X", actor=principal
        )
        page = client.get(record.get_absolute_url()).text
        assert "On legal hold" in page and "Claim by Mr X" in page
    client.force_login(user_with_role(Role.SLT))
    page = client.get(complaint.get_absolute_url()).text
    assert "On legal hold" in page and "Claim by Mr X" not in page  # why: the principal's
