from pathlib import Path

import pytest
from django.urls import reverse

from incidents.imports import incidents_import_filter_alerts
from incidents.models import Incident
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
        "2026-10-05 09:20,c,PC3,http://y.test,Knitting,blocked\n"
        "2026-10-05 09:21,d,PC4,,Adult,blocked\n"
    )
    response = import_through_the_page(client, reverse("incidents:import"), text.encode())
    assert response.status_code == 200
    assert "Nothing was imported: 3 problems" in response.text
    assert "Line 3: timestamp “yesterday” is not a date and time" in response.text
    assert "Line 4: unknown category “Knitting”" in response.text
    assert "Line 5: the url is empty" in response.text
    assert not Incident.objects.exists()


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
