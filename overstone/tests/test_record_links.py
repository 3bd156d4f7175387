"""An incident and an online complaint about the same post, linked from either page
(overstone.links), shown on both, audited, and counted once in the monitored counts."""

from datetime import date, datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from complaints.tests.factories import ComplaintFactory
from incidents.tests.factories import IncidentFactory
from overstone.models import AuditLogEntry, MonitoredCategory, RecordLink
from overstone.monitored import monitored_counts_between
from reporting.snapshot import monitored_counts

pytestmark = pytest.mark.django_db

OFFENSIVE = MonitoredCategory.OFFENSIVE_STAFF


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def principal(client, user_with_role):
    user = user_with_role("principal")
    client.force_login(user)
    return user


def test_a_complaint_links_to_the_incident_and_both_pages_show_it(client, principal):
    incident, complaint = IncidentFactory(), ComplaintFactory()
    response = client.post(
        reverse("complaints:link", args=[complaint.reference]),
        {"other": incident.reference.lower()},
        follow=True,
    )
    assert messages_of(response) == [f"{complaint.reference} is linked to {incident.reference}."]
    link = RecordLink.objects.get()
    assert (link.incident_reference, link.complaint_reference, link.linked_by) == (
        incident.reference,
        complaint.reference,
        principal,
    )
    incident_page = client.get(incident.get_absolute_url()).text
    assert f'href="{complaint.get_absolute_url()}">{complaint.reference}</a>' in incident_page
    assert f'href="{incident.get_absolute_url()}">{incident.reference}</a>' in response.text
    audited = AuditLogEntry.objects.filter(action="change", object_type__icontains="link")
    assert sorted(audited.values_list("object_reference", flat=True)) == sorted(
        [incident.reference, complaint.reference]
    )


def test_an_incident_links_to_the_complaint_from_its_page(client, principal):
    incident, complaint = IncidentFactory(), ComplaintFactory()
    page = client.get(incident.get_absolute_url()).text
    assert reverse("incidents:link", args=[incident.reference]) in page  # the way to link
    client.post(
        reverse("incidents:link", args=[incident.reference]), {"other": complaint.reference}
    )
    assert RecordLink.objects.filter(
        incident_reference=incident.reference, complaint_reference=complaint.reference
    ).exists()


@pytest.mark.parametrize(
    ("other", "message"),
    [
        ("CMP-2026-9999", "There is no incident CMP-2026-9999 that you can see."),
        ("INC-2099-0001", "There is no incident INC-2099-0001 that you can see."),
    ],
    ids=["a-complaint-is-not-an-incident", "no-such-incident"],
)
def test_a_link_to_nothing_or_to_the_same_kind_is_refused_with_a_message(
    client, principal, other, message
):
    complaint = ComplaintFactory()
    ComplaintFactory(reference="CMP-2026-9999")
    response = client.post(
        reverse("complaints:link", args=[complaint.reference]), {"other": other}, follow=True
    )
    assert message in messages_of(response)
    assert not RecordLink.objects.exists()


def test_a_record_already_linked_is_not_linked_again(client, principal):
    incident, first, second = IncidentFactory(), ComplaintFactory(), ComplaintFactory()
    client.post(reverse("complaints:link", args=[first.reference]), {"other": incident.reference})
    response = client.post(
        reverse("complaints:link", args=[second.reference]),
        {"other": incident.reference},
        follow=True,
    )
    assert f"{incident.reference} is already linked to {first.reference}." in messages_of(response)
    assert RecordLink.objects.count() == 1


def test_the_coordinator_cannot_link_to_a_complaint_they_cannot_see(client, user_with_role):
    client.force_login(user_with_role("coordinator"))
    incident, complaint = IncidentFactory(), ComplaintFactory()
    response = client.post(
        reverse("incidents:link", args=[incident.reference]),
        {"other": complaint.reference},
        follow=True,
    )
    assert f"There is no complaint {complaint.reference} that you can see." in messages_of(response)
    assert not RecordLink.objects.exists()


def at(day: date):
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10)))


def test_a_linked_pair_counts_once_in_the_monitored_counts(user_with_role):
    from overstone.links import record_link_create

    incident = IncidentFactory(category=OFFENSIVE, occurred_at=at(date(2025, 10, 1)))
    complaint = ComplaintFactory(category=OFFENSIVE, posted_at=at(date(2025, 9, 30)))
    IncidentFactory(category=OFFENSIVE, occurred_at=at(date(2025, 11, 1)))  # another post
    year = {"since": date(2025, 9, 1), "until": date(2026, 8, 31)}
    assert monitored_counts_between(**year)[OFFENSIVE] == 3  # not linked: each counts

    record_link_create(
        reference=complaint.reference,
        other=incident.reference,
        actor=user_with_role("principal"),
    )
    assert monitored_counts_between(**year)[OFFENSIVE] == 2
    # The dashboard and the annual report read the same counts.
    row = next(r for r in monitored_counts(2025) if r["category"] == OFFENSIVE.label)
    assert row["this_year"] == 2


def test_a_linked_pair_counts_under_the_complaints_category(user_with_role):
    from overstone.links import record_link_create

    incident = IncidentFactory(category="cyberbullying", occurred_at=at(date(2025, 10, 1)))
    complaint = ComplaintFactory(category=OFFENSIVE, posted_at=at(date(2025, 10, 1)))
    record_link_create(
        reference=incident.reference,
        other=complaint.reference,
        actor=user_with_role("principal"),
    )
    counts = monitored_counts_between(since=date(2025, 9, 1), until=date(2026, 8, 31))
    assert counts[OFFENSIVE] == 1 and sum(counts.values()) == 1
