"""Incidents are kept per school (overstone.schools): a person working in one school sees,
finds and acts on that school's incidents only; what they log, import or are alerted of
is their school's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope

import incidents.tasks  # noqa: F401  (registers the tasks run by name below)
from incidents.models import (
    AlertMode,
    AlertPreference,
    Evidence,
    Incident,
    IncidentAlert,
    IncidentEvent,
    PupilInvolved,
    Severity,
)
from incidents.tests.factories import IncidentFactory, evidence_for
from incidents.tests.test_views import form_data
from overstone.celery import app as celery_app
from overstone.models import OutboxMessage, School
from overstone.roles import Role
from overstone.schools import ScopeError, default_school, membership_add, school_scope
from overstone.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FILTER_EXPORT = (
    b"timestamp,user,device,url,category,action\n"
    b"2026-03-04 10:15,pupil1,PC-7,https://bet.example/,gambling,blocked\n"
    b"2026-03-04 10:20,pupil2,PC-8,https://chat.example/,social networking,blocked\n"
)


@pytest.fixture
def first():
    return default_school()


@pytest.fixture
def second(first):
    return School.objects.create(trust=first.trust, name="Second School", code="TWO")


def person(role: Role, *schools: School):
    user = UserFactory()
    for school in schools:
        membership_add(user, role, school)
    return user


def import_through_the_page(client, content: bytes) -> str:
    """The job's page once the task queued by the upload has run, in the school that
    queued it (overstone.tests.imports runs it outside any, as if there were one school)."""
    upload = SimpleUploadedFile("alerts.csv", content)
    response = client.post(reverse("incidents:import"), {"file": upload})
    run_queued("incidents.tasks.import_filter_alerts")
    return client.get(response["Location"]).text


def run_queued(task_name: str) -> None:
    """The queued tasks of this name, each run as the worker runs it: in the school
    that queued it."""
    celery_app.loader.import_default_modules()
    for message in OutboxMessage.objects.filter(task_name=task_name).order_by("pk"):
        celery_app.tasks[task_name].apply(
            args=message.args, headers={"school_id": message.school_id}, throw=True
        )
        message.delete()


@pytest.fixture
def theirs(second):
    incident = IncidentFactory(
        school=second, reference="TWO-INC-2026-0001", description="Zanzibar betting site"
    )
    PupilInvolved.objects.create(incident=incident, name="Tommy Atkins", year_group="8")
    return incident


@pytest.fixture
def ours(first):
    return IncidentFactory(school=first, description="Zanzibar chat room")


def test_the_list_export_and_search_show_only_the_schools_own_incidents(
    client, first, ours, theirs
):
    client.force_login(person(Role.COORDINATOR, first))
    listed = client.get(reverse("incidents:list")).text
    assert ours.reference in listed and theirs.reference not in listed
    export = client.get(reverse("incidents:export"))
    exported = b"".join(export.streaming_content).decode()  # read after the request ends
    assert ours.reference in exported and theirs.reference not in exported
    found = client.get(reverse("search"), {"q": "Zanzibar"}).text
    assert ours.reference in found and theirs.reference not in found
    assert theirs.reference not in client.get(reverse("search"), {"q": "Atkins"}).text


def test_another_schools_incident_is_not_found_and_cannot_be_acted_on(
    client, first, second, theirs
):
    evidence = evidence_for(theirs)
    client.force_login(person(Role.COORDINATOR, first))
    ref = theirs.reference
    for name in ("detail", "update", "isp", "close"):
        url_name = "contact_isp" if name == "isp" else name
        assert client.get(reverse(f"incidents:{url_name}", args=[ref])).status_code == 404
    url = reverse("incidents:evidence_download", args=[ref, evidence.pk])
    assert client.get(url).status_code == 404
    assert client.post(reverse("incidents:report", args=[ref])).status_code == 404
    close = client.post(reverse("incidents:close", args=[ref]), {"outcome": "Closed by A."})
    assert close.status_code == 404
    edit = client.post(reverse("incidents:update", args=[ref]), form_data(severity="critical"))
    assert edit.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Incident.Status.OPEN and theirs.severity == Severity.MEDIUM
    assert not IncidentEvent.objects.filter(incident=theirs).exists()

    # Their own coordinator still opens it.
    client.force_login(person(Role.COORDINATOR, second))
    assert client.get(reverse("incidents:detail", args=[ref])).status_code == 200


def test_an_incident_logged_belongs_to_the_school_and_carries_its_code(client, second):
    client.force_login(person(Role.STAFF, second))
    response = client.post(reverse("incidents:create"), form_data())
    incident = Incident.objects.get()
    assert response["Location"] == incident.get_absolute_url()
    assert incident.school == second
    assert incident.reference.startswith("TWO-INC-")


def test_imported_alerts_land_in_the_importing_school_and_are_imported_once_per_school(
    client, first, second
):
    client.force_login(person(Role.COORDINATOR, second))
    page = import_through_the_page(client, FILTER_EXPORT)
    assert "2 incident(s) imported" in page
    imported = Incident.objects.filter(school=second)
    assert imported.count() == 2
    assert all(i.reference.startswith("TWO-INC-") for i in imported)
    assert not Incident.objects.filter(school=first).exists()

    # The same export in the other school is that school's to import, not a duplicate.
    client.force_login(person(Role.COORDINATOR, first))
    page = import_through_the_page(client, FILTER_EXPORT)
    assert "2 incident(s) imported" in page
    assert Incident.objects.filter(school=first).count() == 2


def test_a_new_incident_is_announced_to_its_own_schools_coordinator_only(
    client, first, second, sent_mail
):
    ours_coordinator = person(Role.COORDINATOR, first)
    theirs_coordinator = person(Role.COORDINATOR, second)
    client.force_login(person(Role.STAFF, second))
    client.post(reverse("incidents:create"), form_data(severity="critical"))
    run_queued("incidents.tasks.announce_incident")
    [mail] = sent_mail
    assert mail.to == [theirs_coordinator.email]
    assert ours_coordinator.email not in mail.to


def test_the_daily_digest_goes_school_by_school(first, second, sent_mail):
    ours_coordinator = person(Role.COORDINATOR, first)
    theirs_coordinator = person(Role.COORDINATOR, second)
    both = person(Role.COORDINATOR, first, second)
    ours = IncidentFactory(
        school=first, severity=Severity.LOW, reported_by=person(Role.STAFF, first)
    )
    theirs = IncidentFactory(
        school=second,
        severity=Severity.LOW,
        reported_by=person(Role.STAFF, second),
        reference="TWO-INC-2026-0001",
    )

    assert incidents.tasks.send_alert_digests() == 4  # beat: outside any school's scope
    run_queued("incidents.tasks.send_alert_digest")

    by_person = {}
    for mail in sent_mail:
        by_person.setdefault(mail.to[0], []).append(mail)
    [mail] = by_person[ours_coordinator.email]
    assert ours.reference in mail.body and theirs.reference not in mail.body
    assert "at Overstone School" in mail.subject
    [mail] = by_person[theirs_coordinator.email]
    assert theirs.reference in mail.body and ours.reference not in mail.body
    assert "at Second School" in mail.subject
    assert sorted(m.subject for m in by_person[both.email]) == sorted(
        f"e-Safety incidents at {name}: your daily digest (1 new)"
        for name in ("Overstone School", "Second School")
    )


def test_alert_choices_are_made_for_the_school_worked_in(client, first, second):
    coordinator = person(Role.COORDINATOR, first, second)
    client.force_login(coordinator)
    session = client.session
    session["school_id"] = second.pk
    session.save()
    choices = {"critical": "immediate", "high": "immediate", "medium": "immediate", "low": "digest"}
    client.post(reverse("incidents:alerts"), choices)
    [chosen] = AlertPreference.objects.filter(severity=Severity.MEDIUM)
    assert chosen.school == second and chosen.mode == AlertMode.IMMEDIATE
    with school_scope(first):
        assert not AlertPreference.objects.exists()


@pytest.mark.parametrize(
    "model", [Incident, PupilInvolved, Evidence, IncidentEvent, IncidentAlert, AlertPreference]
)
def test_a_query_outside_any_schools_scope_fails_loudly(model):
    with scope(), pytest.raises(ScopeError):
        model.objects.count()
