"""The append-only audit log: what is recorded, that it cannot change, who may read it."""

import pytest
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from incidents.tests.factories import IncidentFactory, evidence_for
from overstone.audit import audit_record
from overstone.models import AppendOnlyError, AuditLogEntry
from overstone.samples import PDF
from reporting.models import AnnualReport
from reporting.tests.factories import AnnualReportFactory
from training.tests.factories import BookingFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Overstone test)"


@pytest.fixture
def principal_client(client, user_with_role):
    client.user = user_with_role("principal", username="head")
    client.force_login(client.user)
    return client


def only_entry() -> AuditLogEntry:
    [entry] = AuditLogEntry.objects.all()
    return entry


def test_viewing_an_incident_records_who_what_when_and_where(principal_client):
    incident = IncidentFactory()
    principal_client.get(
        incident.get_absolute_url(), REMOTE_ADDR="203.0.113.5", HTTP_USER_AGENT=BROWSER
    )
    entry = only_entry()
    assert entry.user == principal_client.user and entry.username == "head"
    assert entry.action == AuditLogEntry.Action.VIEW
    assert entry.object_type == "incident"
    assert entry.object_reference == incident.reference
    assert entry.ip_address == "203.0.113.5"
    assert entry.user_agent == BROWSER
    assert entry.path == incident.get_absolute_url()
    assert entry.at is not None


def test_a_refused_view_is_not_recorded_as_a_view(client, user_with_role):
    client.force_login(user_with_role("governor"))
    client.get(IncidentFactory().get_absolute_url())
    assert not AuditLogEntry.objects.exists()


def test_evidence_download_is_recorded(principal_client):
    evidence = evidence_for(IncidentFactory())
    url = reverse(
        "incidents:evidence_download",
        kwargs={"reference": evidence.incident.reference, "pk": evidence.pk},
    )
    assert principal_client.get(url).status_code == 200
    entry = only_entry()
    assert entry.action == AuditLogEntry.Action.DOWNLOAD
    assert entry.object_reference == f"{evidence.incident.reference} evidence #{evidence.pk}"


def test_incident_export_is_recorded_with_its_filters(principal_client):
    principal_client.get(reverse("incidents:export"), {"category": "hate"})
    entry = only_entry()
    assert entry.action == AuditLogEntry.Action.EXPORT
    assert entry.object_type == "incident"
    assert entry.object_reference == "incident list filtered by category=hate"


def test_report_pdf_download_is_recorded(principal_client):
    report = AnnualReportFactory(status=AnnualReport.Status.DONE)
    report.pdf.save("report.pdf", ContentFile(PDF))
    principal_client.get(reverse("reporting:report_pdf", kwargs={"pk": report.pk}))
    entry = only_entry()
    assert entry.action == AuditLogEntry.Action.DOWNLOAD
    assert entry.object_reference == f"{report.year_label} v{report.version}"


def test_training_attendance_export_is_recorded(client, user_with_role):
    client.force_login(user_with_role("coordinator"))
    booking = BookingFactory()
    client.get(reverse("training:attendance_csv", kwargs={"pk": booking.session.pk}))
    entry = only_entry()
    assert entry.action == AuditLogEntry.Action.EXPORT
    assert entry.object_reference == f"attendance of {booking.session}"


def test_the_address_behind_our_proxy_is_the_one_it_appended(principal_client, settings):
    settings.OVERSTONE_BEHIND_PROXY = True
    incident = IncidentFactory()
    principal_client.get(
        incident.get_absolute_url(),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20",  # the first is the client's claim
    )
    assert only_entry().ip_address == "198.51.100.20"


def test_entries_cannot_be_changed_or_deleted_by_the_application(principal_client):
    principal_client.get(IncidentFactory().get_absolute_url())
    entry = only_entry()
    entry.object_reference = "something else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditLogEntry.objects.update(object_reference="x")
    with pytest.raises(AppendOnlyError):
        AuditLogEntry.objects.all().delete()
    assert only_entry().object_reference != "something else"


def test_on_postgresql_the_database_refuses_update_and_delete(principal_client):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    principal_client.get(IncidentFactory().get_absolute_url())
    for sql in (
        "UPDATE overstone_auditlogentry SET username = 'someone else'",
        "DELETE FROM overstone_auditlogentry",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert only_entry().username == "head"


def test_audit_record_is_reusable_for_any_record(rf, user_with_role):
    request = rf.get("/complaints/C-2026-0001/", HTTP_USER_AGENT=BROWSER)
    request.user = user_with_role("principal")
    incident = IncidentFactory()
    entry = audit_record(request, "view", incident, reference="custom-ref")
    assert entry.object_reference == "custom-ref"
    assert entry.path == "/complaints/C-2026-0001/"
    assert entry.ip_address == "127.0.0.1"
    with pytest.raises(TypeError):
        audit_record(request, "view")
    with pytest.raises(ValueError):
        audit_record(request, "nonsense", incident)


def test_principal_searches_the_log(principal_client, user_with_role, client):
    first, second = IncidentFactory(), IncidentFactory()
    principal_client.get(first.get_absolute_url())
    principal_client.get(reverse("incidents:export"))
    slt = user_with_role("slt", username="deputy")
    other = type(client)()
    other.force_login(slt)
    other.get(second.get_absolute_url())

    url = reverse("audit_log")
    page = principal_client.get(url)
    assert page.status_code == 200
    assert first.reference in page.text and second.reference in page.text

    by_user = principal_client.get(url, {"user": slt.pk}).text
    assert second.reference in by_user and first.reference not in by_user

    exports = principal_client.get(url, {"action": "export"}).text
    assert "all incidents" in exports and first.reference not in exports

    by_reference = principal_client.get(url, {"reference": first.reference[-4:]}).text
    assert first.reference in by_reference and second.reference not in by_reference

    today = AuditLogEntry.objects.first().at.date().isoformat()
    in_range = principal_client.get(url, {"at_min": today, "at_max": today}).text
    assert first.reference in in_range
    before = principal_client.get(url, {"at_max": "2000-01-01"}).text
    assert "No entry matches" in before


def test_the_log_is_paginated(principal_client):
    incident = IncidentFactory()
    for _ in range(51):
        principal_client.get(incident.get_absolute_url())
    page = principal_client.get(reverse("audit_log"))
    assert "Page 1 of 2" in page.text
    assert principal_client.get(reverse("audit_log"), {"page": 2}).status_code == 200


@pytest.mark.parametrize("role", ["slt", "coordinator", "staff", "governor", "parent"])
def test_only_the_principal_reads_the_log(client, user_with_role, role):
    client.force_login(user_with_role(role))
    assert client.get(reverse("audit_log")).status_code == 403


def test_complaint_detail_evidence_and_bundle_downloads_are_recorded(principal_client):
    from complaints.tests import factories as complaint_factories

    complaint = complaint_factories.complaint_at("legal_advice")
    evidence = complaint.evidence.get()
    principal_client.get(complaint.get_absolute_url())
    principal_client.get(
        reverse("complaints:evidence_download", args=[complaint.reference, evidence.pk])
    )
    principal_client.post(reverse("complaints:bundle", args=[complaint.reference]))
    entries = list(AuditLogEntry.objects.order_by("pk").values_list("action", "object_reference"))
    assert entries == [
        ("view", complaint.reference),
        ("download", f"{complaint.reference} evidence #{evidence.pk}"),
        ("export", f"{complaint.reference} bundle"),
    ]


def test_policy_register_changes_are_audited_before_and_after(principal_client):
    from reporting.tests.factories import PolicyFactory

    policy = PolicyFactory(title="Complaints Policy", version="4.1")
    response = principal_client.post(
        reverse("reporting:policy_update", args=[policy.pk]),
        {
            "title": "Complaints Policy",
            "version": "4.2",
            "owner": policy.owner.pk,
            "approved_on": "",
            "review_due": policy.review_due.isoformat(),
            "review_every_months": policy.review_every_months,
            "notes": policy.notes,
        },
    )
    assert response.status_code == 302
    entry = only_entry()
    assert entry.action == AuditLogEntry.Action.CHANGE
    assert entry.user == principal_client.user
    assert entry.changes == {"version": ["4.1", "4.2"]}
    assert entry.path == reverse("reporting:policy_update", args=[policy.pk])
    assert entry.ip_address == "127.0.0.1"  # from where, as for every other entry
    page = principal_client.get(reverse("audit_log")).content.decode()
    assert "version: 4.1 → 4.2" in page


def test_term_calendar_changes_are_audited(principal_client):
    from complaints.models import CalendarEntry

    CalendarEntry.objects.all().delete()
    principal_client.post(
        reverse("complaints:calendar"),
        {
            "kind": "inset",
            "name": "Training day",
            "starts_on": "2026-11-27",
            "ends_on": "2026-11-27",
        },
    )
    entry = CalendarEntry.objects.get()
    principal_client.post(reverse("complaints:calendar_delete", args=[entry.pk]))
    assert not CalendarEntry.objects.exists()
    added, removed = AuditLogEntry.objects.order_by("pk")
    assert added.changes == {"entry": ["", str(entry)]}
    assert removed.changes == {"entry": [str(entry), ""]}
