import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Evidence, Incident, IncidentEvent
from incidents.tests.factories import IncidentFactory, evidence_for
from overstone.models import OutboxMessage
from overstone.roles import Role
from overstone.samples import PNG, upload

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "category": "gambling",
        "severity": "high",
        "location": "school_device",
        "location_detail": "IT suite PC 7",
        "description": "Pupil opened a betting site during a lesson.",
        "pupils-TOTAL_FORMS": "3",
        "pupils-INITIAL_FORMS": "0",
        "pupils-0-name": "Jo Smith",
        "pupils-0-year_group": "9",
        "evidence-captured_url": "https://bet.example/slots",
    }
    return {**data, **overrides}


@pytest.fixture
def coordinator_client(client, user_with_role):
    client.force_login(user_with_role("coordinator"))
    return client


def test_logging_an_incident_with_a_screenshot_shows_its_sha256(coordinator_client):
    response = coordinator_client.post(
        reverse("incidents:create"),
        {**form_data(), "evidence-files": [upload("shot.png"), upload("shot2.png")]},
        follow=True,
    )
    incident = Incident.objects.get()
    assert response.redirect_chain[-1][0] == incident.get_absolute_url()
    evidence = Evidence.objects.filter(incident=incident)
    assert evidence.count() == 2
    assert evidence[0].sha256 in response.text
    assert "Jo Smith (Year 9)" in response.text
    assert evidence[0].captured_url == "https://bet.example/slots"
    assert "shot.png" not in evidence[0].file.name  # stored under a random name


def test_a_rejected_file_is_explained_and_nothing_typed_is_lost(coordinator_client):
    response = coordinator_client.post(
        reverse("incidents:create"),
        {**form_data(), "evidence-files": upload("virus.png", b"MZ" + b"\x00" * 100)},
    )
    assert response.status_code == 200
    assert "not a file type we accept" in response.text
    assert "Pupil opened a betting site during a lesson." in response.text
    assert 'value="Jo Smith"' in response.text
    assert "IT suite PC 7" in response.text
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("occurred_at", "2999-01-01T10:00", "This is in the future"),
        ("occurred_at", "not a date", "Enter a valid date/time"),
        ("category", "made_up", "Select a valid choice"),
        ("description", "", "This field is required"),
        ("pupils-0-year_group", "", "Choose the pupil"),
    ],
)
def test_bad_input_gets_a_message_on_the_form(coordinator_client, field, value, message):
    response = coordinator_client.post(reverse("incidents:create"), form_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.text
    assert not Incident.objects.exists()


def test_staff_see_only_what_they_reported(client, user_with_role):
    staff = user_with_role("staff")
    mine = IncidentFactory(reported_by=staff)
    theirs = IncidentFactory()
    client.force_login(staff)
    page = client.get(reverse("incidents:list")).text
    assert mine.reference in page and theirs.reference not in page
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_the_list_filters_sorts_and_paginates(coordinator_client):
    IncidentFactory.create_batch(30, category="gambling")
    hate = IncidentFactory(category="hate", severity="critical", description="slur on forum")
    url = reverse("incidents:list")
    page = coordinator_client.get(url).text
    assert "Page 1 of 2" in page
    filtered = coordinator_client.get(url, {"category": "hate"}).text
    assert hate.reference in filtered and "1 incident" in filtered
    assert hate.reference in coordinator_client.get(url, {"q": "slur"}).text
    by_severity = coordinator_client.get(url, {"ordering": "-severity"})
    assert by_severity.context["page_obj"].object_list[0] == hate
    empty = coordinator_client.get(url, {"q": "nothing matches this"}).text
    assert "No incident matches these filters" in empty
    assert coordinator_client.get(url, {"occurred_min": "garbage"}).status_code == 200


@pytest.mark.parametrize("rows", [10, 200])
def test_list_queries_do_not_grow_with_incidents(
    coordinator_client, django_assert_max_num_queries, rows
):
    for incident in IncidentFactory.create_batch(rows):
        evidence_for(incident) if incident.pk % 7 == 0 else None
    with django_assert_max_num_queries(8):
        response = coordinator_client.get(reverse("incidents:list"))
    assert response.status_code == 200


def test_every_page_makes_the_same_queries_at_10_and_1000_incidents(coordinator_client):
    """Page 1, a filtered page and the last page, at two sizes: the same query count
    (the bench checks 100,000: bench/README.md)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("incidents:list")
    reporter = IncidentFactory().reported_by
    counts = {}
    for rows in (10, 1000):
        Incident.objects.bulk_create(
            IncidentFactory.build_batch(rows - Incident.objects.count(), reported_by=reporter)
        )
        last_page = -(-rows // 25)
        for name, query in [("first", {}), ("filtered", {"severity": "medium"}),
                            ("last", {"page": last_page})]:  # fmt: skip
            cache.clear()  # measure each page as drawn afresh (the filter form is cached)
            with CaptureQueriesContext(connection) as captured:
                response = coordinator_client.get(url, query)
            assert response.status_code == 200 and response.context["page_obj"].object_list
            counts[rows, name] = len(captured)
    for name in ("first", "filtered", "last"):
        assert counts[10, name] == counts[1000, name], counts


def test_next_and_previous_walk_every_incident_once_by_cursor(
    coordinator_client, django_assert_max_num_queries
):
    """Next carries the last row's key, so a deep page reads from the index like page 1
    (no OFFSET); following Next to the end, then Previous back, sees every row once."""
    import re
    from html import unescape

    reporter = IncidentFactory().reported_by
    same_time = timezone.now() - timezone.timedelta(days=2)
    IncidentFactory.create_batch(30, reported_by=reporter, occurred_at=same_time)  # ties
    IncidentFactory.create_batch(25, reported_by=reporter)
    expected = list(Incident.objects.values_list("reference", flat=True))  # newest first
    link = re.compile(r'href="\?([^"]*)">(Next|Previous)</a>')

    def walk(url, direction):
        seen, pages = [], []
        while url is not None:
            with django_assert_max_num_queries(8):
                response = coordinator_client.get(f"{reverse('incidents:list')}?{url}")
            seen += [incident.reference for incident in response.context["page_obj"]]
            pages.append(response.context["page_obj"].number)
            links = {name: unescape(href) for href, name in link.findall(response.text)}
            url = links.get(direction)
        return seen, pages

    forward, numbers = walk("", "Next")
    assert forward == expected and numbers == [1, 2, 3]
    first = coordinator_client.get(reverse("incidents:list")).text
    assert "page=2&amp;after=" in first  # the key of row 25, not an OFFSET
    last_url = f"page=3&after={forward[49]}"  # not a cursor: ignored, the page by number
    assert coordinator_client.get(f"{reverse('incidents:list')}?{last_url}").status_code == 200
    last = coordinator_client.get(reverse("incidents:list"), {"page": 3})
    previous = dict((n, unescape(h)) for h, n in link.findall(last.text))["Previous"]
    backward, numbers = walk(previous, "Previous")
    assert backward == expected[:50][25:] + expected[:25] and numbers == [2, 1]
    sorted_page = coordinator_client.get(reverse("incidents:list"), {"ordering": "reference"})
    assert "after=" not in sorted_page.text  # another order pages by number


def test_csv_export_streams_the_filtered_set_without_pupil_names(coordinator_client):
    IncidentFactory(category="gambling", description="=HYPERLINK(evil)")
    hate = IncidentFactory(category="hate", location_detail="=cmd|' /C calc'!A0")
    hate.pupils.create(name="Private Name", year_group="8")
    response = coordinator_client.get(reverse("incidents:export"), {"category": "hate"})
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Reference"
    assert [row[0] for row in rows[1:]] == [hate.reference]
    assert rows[1][6].startswith("'=")  # no formula injection into spreadsheets
    assert "Private Name" not in body


def test_report_to_principal_is_post_only_and_refuses_a_second_time(coordinator_client):
    incident = IncidentFactory()
    url = reverse("incidents:report", args=[incident.reference])
    assert coordinator_client.get(url).status_code == 405
    coordinator_client.post(url)
    incident.refresh_from_db()
    assert incident.status == Incident.Status.REPORTED_TO_PRINCIPAL
    assert OutboxMessage.objects.count() == 1
    response = coordinator_client.post(url, follow=True)
    assert "cannot move to" in response.text
    assert OutboxMessage.objects.count() == 1


def test_closing_needs_an_outcome(coordinator_client):
    incident = IncidentFactory(status=Incident.Status.REPORTED_TO_PRINCIPAL)
    url = reverse("incidents:close", args=[incident.reference])
    assert "This field is required" in coordinator_client.post(url, {"outcome": ""}).text
    coordinator_client.post(url, {"outcome": "Filter rule added."})
    incident.refresh_from_db()
    assert incident.is_closed and incident.outcome == "Filter rule added."
    edit = coordinator_client.get(reverse("incidents:update", args=[incident.reference]))
    assert edit.status_code == 302 and edit["Location"] == incident.get_absolute_url()


def test_recording_isp_contact(coordinator_client):
    incident = IncidentFactory()
    coordinator_client.post(
        reverse("incidents:contact_isp", args=[incident.reference]),
        {"contacted_at": "2026-10-05T10:30", "reference": "ISP-123"},
    )
    incident.refresh_from_db()
    assert incident.isp_reference == "ISP-123"
    assert incident.events.filter(kind=IncidentEvent.Kind.ISP_CONTACTED).exists()


def test_evidence_download_is_an_attachment_with_nosniff(coordinator_client):
    evidence = evidence_for(IncidentFactory())
    url = reverse("incidents:evidence_download", args=[evidence.incident.reference, evidence.pk])
    response = coordinator_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_tampered_file_is_refused_with_a_warning_and_audited(coordinator_client):
    evidence = evidence_for(IncidentFactory())
    with open(evidence.file.path, "ab") as handle:
        handle.write(b"edited")
    url = reverse("incidents:evidence_download", args=[evidence.incident.reference, evidence.pk])
    response = coordinator_client.get(url)
    assert response.status_code == 409
    assert "Tamper warning" in response.text
    assert evidence.incident.events.filter(kind=IncidentEvent.Kind.EVIDENCE_TAMPERED).exists()


def test_adding_evidence_later_refuses_an_empty_file(coordinator_client):
    incident = IncidentFactory()
    url = reverse("incidents:evidence_add", args=[incident.reference])
    response = coordinator_client.post(url, {"files": upload("blank.png", b"")})
    assert "is empty" in response.text
    assert "Choose at least one file" in coordinator_client.post(url, {}).text
    coordinator_client.post(url, {"files": upload("shot.png")})
    assert incident.evidence.count() == 1


def test_parent_and_governor_are_refused_every_evidence_download(client, user_with_role):
    evidence = evidence_for(IncidentFactory())
    url = reverse("incidents:evidence_download", args=[evidence.incident.reference, evidence.pk])
    for role in (Role.PARENT, Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS):
        client.force_login(user_with_role(role))
        assert client.get(url).status_code == 403


def test_closing_an_incident_not_yet_reported_is_refused_with_a_message(coordinator_client):
    incident = IncidentFactory(status=Incident.Status.OPEN)
    url = reverse("incidents:close", args=[incident.reference])
    response = coordinator_client.post(url, {"outcome": "Skipped a step."}, follow=True)
    assert response.redirect_chain[-1][0] == incident.get_absolute_url()
    assert [str(m) for m in response.context["messages"]] == [
        f"{incident.reference} is “Open”; it cannot move to “Closed”. "
        "Next it can go to “Reported to the principal”."
    ]
    incident.refresh_from_db()
    assert incident.status == Incident.Status.OPEN and incident.outcome == ""


@pytest.mark.parametrize(
    ("category", "label"),
    [
        ("grooming", "Grooming"),
        ("cyberbullying", "Cyberbullying"),
        ("offensive_email", "Offensive e-mail"),
    ],
)
def test_the_policys_online_abuse_can_be_logged_and_filtered(coordinator_client, category, label):
    form = coordinator_client.get(reverse("incidents:create")).text
    assert f'<option value="{category}">{label}</option>' in form
    coordinator_client.post(reverse("incidents:create"), form_data(category=category))
    incident = Incident.objects.get()
    assert incident.category == category and incident.category_label == label
    other = IncidentFactory(category="gambling")
    listed = coordinator_client.get(reverse("incidents:list"), {"category": category}).text
    assert incident.reference in listed and other.reference not in listed


def test_the_page_leads_with_the_action_for_the_incidents_status(coordinator_client):
    """Open: report it; reported: close it; the rest under "More actions"; closed: none."""
    open_, reported, closed = (
        IncidentFactory(status=status)
        for status in (
            Incident.Status.OPEN,
            Incident.Status.REPORTED_TO_PRINCIPAL,
            Incident.Status.CLOSED,
        )
    )
    first = coordinator_client.get(open_.get_absolute_url()).text
    assert "Report to the principal" in first
    assert reverse("incidents:close", args=[open_.reference]) not in first
    assert "More actions" in first
    second = coordinator_client.get(reported.get_absolute_url()).text
    assert "Report to the principal" not in second
    assert reverse("incidents:close", args=[reported.reference]) in second
    last = coordinator_client.get(closed.get_absolute_url()).text
    assert "More actions" not in last
    assert reverse("incidents:contact_isp", args=[closed.reference]) not in last
