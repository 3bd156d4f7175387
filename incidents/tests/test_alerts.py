"""Who hears of a new incident, and when (incidents.alerts)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

import incidents.tasks  # noqa: F401  (registers the tasks run by name below)
from incidents import services
from incidents.alerts import (
    AlertLocked,
    alert_digest_send,
    alert_modes,
    alert_preferences_set,
    incident_announce,
)
from incidents.imports import incidents_import_filter_alerts
from incidents.models import AlertMode, IncidentAlert, Severity
from incidents.tests.factories import IncidentFactory
from overstone.celery import app as celery_app
from overstone.models import MonitoredCategory, OutboxMessage
from overstone.roles import Role
from overstone.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[1] / "static/incidents/filter-alerts-sample.csv"
PUPIL = "Tommy Atkins"


@pytest.fixture
def coordinator():
    return UserFactory(roles=[Role.COORDINATOR])


@pytest.fixture
def principal():
    return UserFactory(roles=[Role.PRINCIPAL])


@pytest.fixture
def staff():
    return UserFactory(roles=[Role.STAFF])


def log(actor, severity: str, **overrides):
    """An incident logged through the form's service, naming a pupil, and its announcement
    as the queued task would make it."""
    incident = services.incident_create(
        actor=actor,
        occurred_at=timezone.now() - timedelta(hours=1),
        category=MonitoredCategory.THREAT_OF_VIOLENCE,
        severity=severity,
        location="online_platform",
        description=f"{PUPIL} was threatened on a group chat.",
        pupils=[{"name": PUPIL, "year_group": "9"}],
        **overrides,
    )
    assert OutboxMessage.objects.filter(
        task_name="incidents.tasks.announce_incident", args=[incident.pk]
    ).exists()
    incident_announce(incident_id=incident.pk)
    return incident


@pytest.mark.parametrize("severity", [Severity.HIGH, Severity.CRITICAL])
def test_a_high_or_critical_incident_is_emailed_at_once_to_the_coordinator_and_principal(
    coordinator, principal, staff, sent_mail, severity
):
    incident = log(staff, severity)
    [mail] = sent_mail
    assert sorted(mail.to) == sorted([coordinator.email, principal.email])
    assert incident.reference in mail.subject and severity.label.lower() in mail.subject
    assert incident.get_absolute_url() in mail.body
    assert "Tommy" not in mail.body + mail.subject and "Atkins" not in mail.body


@pytest.mark.parametrize("severity", [Severity.LOW, Severity.MEDIUM])
def test_a_lower_severity_incident_waits_for_the_digest(
    coordinator, principal, staff, sent_mail, severity
):
    incident = log(staff, severity)
    assert len(sent_mail) == 0
    assert alert_digest_send(user_id=coordinator.pk) == 1
    [mail] = sent_mail
    assert mail.to == [coordinator.email]
    assert incident.reference in mail.body and "Comment threatening violence" in mail.body


def test_the_digest_names_no_pupil_and_sends_each_incident_once(coordinator, staff, sent_mail):
    first = log(staff, Severity.MEDIUM)
    IncidentFactory(description=f"{PUPIL} on a gambling site", severity=Severity.LOW)
    assert alert_digest_send(user_id=coordinator.pk) == 2
    assert "Tommy" not in sent_mail[0].body and "Atkins" not in sent_mail[0].body
    assert alert_digest_send(user_id=coordinator.pk) == 0  # nothing new: no e-mail at all
    later = log(staff, Severity.LOW)
    assert alert_digest_send(user_id=coordinator.pk) == 1
    assert len(sent_mail) == 2
    assert later.reference in sent_mail[1].body and first.reference not in sent_mail[1].body


def test_an_incident_emailed_at_once_is_not_repeated_in_the_digest(coordinator, staff, sent_mail):
    log(staff, Severity.CRITICAL)
    assert alert_digest_send(user_id=coordinator.pk) == 0
    assert len(sent_mail) == 1
    assert incident_announce(incident_id=IncidentAlert.objects.get().incident_id) == 0


def test_whoever_logged_it_is_not_told_of_it(coordinator, principal, sent_mail):
    log(coordinator, Severity.CRITICAL)
    [mail] = sent_mail
    assert mail.to == [principal.email]
    log(coordinator, Severity.LOW)
    assert alert_digest_send(user_id=coordinator.pk) == 0


def test_the_coordinator_cannot_move_critical_incidents_to_the_digest(coordinator, staff):
    with pytest.raises(AlertLocked):
        alert_preferences_set(
            user=coordinator, modes={Severity.CRITICAL: AlertMode.DIGEST}, actor=coordinator
        )
    assert alert_modes(user=coordinator)[Severity.CRITICAL] == AlertMode.IMMEDIATE


def test_a_posted_choice_for_critical_is_ignored_and_critical_still_comes_at_once(
    client, coordinator, staff, sent_mail
):
    client.force_login(coordinator)
    response = client.post(
        reverse("incidents:alerts"),
        {"critical": "digest", "high": "digest", "medium": "immediate", "low": "digest"},
        follow=True,
    )
    assert "Your choices are saved." in response.text
    modes = alert_modes(user=coordinator)
    assert modes[Severity.CRITICAL] == modes[Severity.HIGH] == AlertMode.IMMEDIATE
    assert modes[Severity.MEDIUM] == AlertMode.IMMEDIATE
    log(staff, Severity.CRITICAL)
    log(staff, Severity.MEDIUM)
    assert [mail.to for mail in sent_mail] == [[coordinator.email]] * 2


def test_a_lower_severity_moved_to_at_once_is_emailed_to_that_person_only(
    coordinator, principal, staff, sent_mail
):
    alert_preferences_set(
        user=principal, modes={Severity.MEDIUM: AlertMode.IMMEDIATE}, actor=principal
    )
    incident = log(staff, Severity.MEDIUM)
    [mail] = sent_mail
    assert mail.to == [principal.email]
    assert alert_digest_send(user_id=principal.pk) == 0
    assert alert_digest_send(user_id=coordinator.pk) == 1
    assert incident.reference in sent_mail[1].body


def test_which_severities_come_at_once_is_a_setting(settings, coordinator, staff, sent_mail):
    settings.OVERSTONE_ALERT_IMMEDIATE_SEVERITIES = ["critical"]
    log(staff, Severity.HIGH)
    assert len(sent_mail) == 0
    assert alert_digest_send(user_id=coordinator.pk) == 1


def test_a_filter_import_sends_no_email_per_incident_but_one_digest(
    coordinator, principal, sent_mail
):
    result = incidents_import_filter_alerts(actor=coordinator, text=SAMPLE.read_text())
    assert [i.severity for i in result.created] == ["medium", "low", "high"]
    assert not OutboxMessage.objects.filter(task_name="incidents.tasks.announce_incident")
    assert incident_announce(incident_id=result.created[2].pk) == 0  # even the high one
    assert len(sent_mail) == 0
    for person in (coordinator, principal):
        assert alert_digest_send(user_id=person.pk) == 3
        assert alert_digest_send(user_id=person.pk) == 0
    assert len(sent_mail) == 2
    body = sent_mail[1].body
    assert all(incident.reference in body for incident in result.created)
    assert "jsmith" not in body and "(web filter import)" in body


def test_the_alerts_page_lists_the_alerts_sent_to_me_and_no_one_else(
    client, coordinator, principal, staff
):
    mine = log(staff, Severity.CRITICAL)
    alert_preferences_set(
        user=principal, modes={Severity.LOW: AlertMode.IMMEDIATE}, actor=principal
    )
    theirs = log(staff, Severity.LOW)
    client.force_login(coordinator)
    response = client.get(reverse("incidents:alerts"))
    assert mine.reference in response.text and theirs.reference not in response.text
    assert "Always at once: this cannot be changed." in response.text


def raise_to(incident, severity: str, actor):
    """An edit of the severity through the form's service, and its announcement as the
    queued task would make it (if one was queued); the number told."""
    data = {field: getattr(incident, field) for field in services.EDITABLE_FIELDS}
    pupils = list(incident.pupils.values("pupil_id", "name", "year_group"))
    services.incident_update(
        incident=incident,
        actor=actor,
        data={**data, "severity": severity},
        pupils=pupils,
        staff_involved=incident.staff_involved.all(),
    )
    queued = OutboxMessage.objects.filter(task_name="incidents.tasks.announce_incident_raised")
    told = sum(celery_app.tasks[message.task_name](*message.args) for message in queued)
    queued.delete()
    return told


def test_a_severity_raised_to_critical_after_it_was_logged_is_announced_then_once(
    coordinator, principal, staff, sent_mail
):
    incident = log(staff, Severity.MEDIUM)
    assert alert_digest_send(user_id=coordinator.pk) == 1  # told of it at medium
    assert raise_to(incident, Severity.CRITICAL, staff) == 2
    mail = sent_mail[-1]
    assert sorted(mail.to) == sorted([coordinator.email, principal.email])
    assert f"{incident.reference} raised to critical" in mail.subject
    assert "Tommy" not in mail.body + mail.subject
    assert incident_announce(incident_id=incident.pk, raised_by_id=staff.pk) == 0  # once
    assert alert_digest_send(user_id=principal.pk) == 0  # and not in the digest after
    assert len(sent_mail) == 2


def test_whoever_raised_the_severity_is_not_told_of_it(coordinator, principal, staff, sent_mail):
    incident = log(staff, Severity.LOW)
    assert raise_to(incident, Severity.HIGH, coordinator) == 1
    [mail] = sent_mail
    assert mail.to == [principal.email]


def test_a_severity_lowered_or_raised_below_high_or_already_announced_sends_nothing_at_once(
    coordinator, principal, staff, sent_mail
):
    low = log(staff, Severity.LOW)
    assert raise_to(low, Severity.MEDIUM, staff) == 0  # still the digest's
    high = log(staff, Severity.HIGH)
    assert len(sent_mail) == 1
    assert raise_to(high, Severity.CRITICAL, staff) == 0  # they were told at once already
    assert raise_to(high, Severity.LOW, staff) == 0
    assert len(sent_mail) == 1
    assert alert_digest_send(user_id=coordinator.pk) == 1
    assert low.reference in sent_mail[-1].body and high.reference not in sent_mail[-1].body
