import csv
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from incidents.imports import incidents_import_filter_alerts
from incidents.models import Incident, IncidentEvent
from overstone.models import ImportJob
from overstone.tests.imports import import_through_the_page

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[1] / "static/incidents/filter-alerts-sample.csv"


def test_the_sample_file_imports_into_the_right_categories(user_with_role):
    result = incidents_import_filter_alerts(
        actor=user_with_role("coordinator"), text=SAMPLE.read_text()
    )
    assert not result.errors
    assert [i.category for i in result.created] == ["gambling", "non_educational", "adult"]
    assert all(i.location == "school_network" for i in result.created)
    assert "IT-SUITE-PC07" in result.created[0].location_detail


def test_importing_twice_creates_no_duplicates(user_with_role):
    coordinator = user_with_role("coordinator")
    incidents_import_filter_alerts(actor=coordinator, text=SAMPLE.read_text())
    again = incidents_import_filter_alerts(actor=coordinator, text=SAMPLE.read_text())
    assert again.created == [] and again.already_imported == 3
    assert Incident.objects.count() == 3


def test_a_file_with_bad_rows_imports_nothing_and_lists_each_problem(client, user_with_role):
    client.force_login(user_with_role("coordinator"))
    text = (
        "timestamp,user,device,url,category,action\n"
        "2026-10-05 09:14,a,PC1,http://ok.test,Gambling,blocked\n"
        "yesterday,b,PC2,http://x.test,Gambling,blocked\n"
        "2026-10-05 09:20,c,PC3,http://y.test,,blocked\n"
        "2026-10-05 09:21,d,PC4,,Adult,blocked\n"
    )
    response = import_through_the_page(client, reverse("incidents:import"), text.encode())
    assert response.status_code == 200
    assert "Nothing was imported: 3 problems" in response.text
    assert "Line 3: timestamp “yesterday” is not a date and time" in response.text
    assert "Line 4: the category is empty" in response.text
    assert "Line 5: the url is empty" in response.text
    assert not Incident.objects.exists()


def test_a_category_we_do_not_know_imports_as_other_web_content_with_a_warning(
    client, user_with_role
):
    client.force_login(user_with_role("coordinator"))
    text = (
        "timestamp,user,device,url,category,action\n"
        "2026-10-05 09:14,a,PC1,http://ok.test,Gambling,blocked\n"
        "2026-10-05 09:20,c,PC3,http://y.test,Knitting,blocked\n"
        "2026-10-05 09:21,d,PC4,http://z.test,Knitting,allowed\n"
    )
    page = import_through_the_page(client, reverse("incidents:import"), text.encode())
    assert "3 incident(s) imported" in page.text
    assert (
        "Web filter category “Knitting” is not one we know: 2 row(s), first on line 3, "
        "imported as “Other web content”." in page.text
    )
    by_url = dict(Incident.objects.values_list("description", "category"))
    assert sorted(by_url.values()) == ["gambling", "other_web", "other_web"]
    assert Incident.objects.get(description__contains="y.test").category_label == (
        "Other web content"
    )


def test_a_file_of_known_categories_shows_no_warning(client, user_with_role):
    client.force_login(user_with_role("coordinator"))
    page = import_through_the_page(client, reverse("incidents:import"), SAMPLE.read_bytes())
    assert "3 incident(s) imported" in page.text
    assert 'data-testid="import-warnings"' not in page.text
    assert not Incident.objects.filter(category="other_web").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,email\nx,y\n", "the header lacks the column(s): timestamp"),
        (b"\xff\xfe\x00binary", "not a CSV text file"),
        (b"timestamp,user,device,url,category,action\n", "the file has no rows"),
    ],
)
def test_unusable_files_are_explained(client, user_with_role, content, message):
    client.force_login(user_with_role("coordinator"))
    response = import_through_the_page(client, reverse("incidents:import"), content)
    assert message in response.text


def test_a_good_upload_shows_a_count(client, user_with_role):
    client.force_login(user_with_role("principal"))
    response = import_through_the_page(client, reverse("incidents:import"), SAMPLE.read_bytes())
    assert "3 incident(s) imported" in response.text
    assert Incident.objects.count() == 3


HEADER = "timestamp,user,device,url,category,action\n"
GOOD_ROW = "2026-10-05 09:14,a,PC1,http://ok.test,Gambling,blocked\n"
TOO_LONG = "x" * (csv.field_size_limit() + 1)


def alert_row(timestamp: str, url: str = "http://x.test") -> str:
    return f"{timestamp},b,PC2,{url},Gambling,blocked\n"


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (alert_row("2026-10-05 09:15", TOO_LONG), "Line 3: a value is longer than 131,072"),
        (
            alert_row("0001-01-01T00:00:00+01:00"),
            "Line 3: timestamp “0001-01-01T00:00:00+01:00” is not a date that can be stored",
        ),
        (
            alert_row("9999-12-31T23:30:00-01:00"),
            "Line 3: timestamp “9999-12-31T23:30:00-01:00” is not a date that can be stored",
        ),
        (alert_row("9999-12-31"), "Line 3: timestamp “9999-12-31” is in the future"),
        (alert_row("2026-10-05 09:15", "http://nul\x00.test"), "Line 3: the line contains a NUL"),
    ],
    ids=["over-the-csv-field-limit", "year-1", "after-year-9999", "year-9999", "nul-byte"],
)
def test_hostile_values_are_row_problems_not_errors(client, user_with_role, row, problem):
    client.force_login(user_with_role("coordinator"))
    text = HEADER + GOOD_ROW + row + alert_row("2026-10-05 09:16", "http://last.test")
    page = import_through_the_page(client, reverse("incidents:import"), text.encode())
    assert page.status_code == 200
    assert "Nothing was imported: 1 problem" in page.text
    assert problem in page.text
    assert not Incident.objects.exists()


def test_an_alert_a_moment_ago_imports_one_in_an_hour_does_not(client, user_with_role):
    client.force_login(user_with_role("coordinator"))
    now = timezone.localtime()
    late = (now + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    page = import_through_the_page(
        client, reverse("incidents:import"), (HEADER + alert_row(late)).encode()
    )
    assert f"Line 2: timestamp “{late}” is in the future" in page.text
    just_now = (now - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")
    page = import_through_the_page(
        client, reverse("incidents:import"), (HEADER + alert_row(just_now)).encode()
    )
    assert "1 incident(s) imported" in page.text


def test_the_job_page_shows_only_filter_alert_imports(client, user_with_role):
    client.force_login(user_with_role("coordinator"))
    job = ImportJob.objects.create(kind=ImportJob.Kind.PARENTS)
    assert client.get(reverse("incidents:import_job", args=[job.pk])).status_code == 404


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_big_export_imports_fully_through_the_worker(worker, client, user_with_role):
    client.force_login(user_with_role("coordinator"))
    rows = 1500
    text = HEADER + "".join(
        alert_row(f"05/10/2026 {n % 24:02d}:{n % 60:02d}", f"http://site{n}.test")
        for n in range(rows)
    )
    response = client.post(
        reverse("incidents:import"), {"file": SimpleUploadedFile("alerts.csv", text.encode())}
    )
    job = ImportJob.objects.get()
    deadline = time.monotonic() + 90
    while not job.is_finished:
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.3)
        job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors
    assert Incident.objects.count() == rows
    assert IncidentEvent.objects.filter(kind="created").count() == rows
    references = set(Incident.objects.values_list("reference", flat=True))
    assert len(references) == rows  # each its own reference
    assert "1500 incident(s) imported" in client.get(response["Location"]).text
