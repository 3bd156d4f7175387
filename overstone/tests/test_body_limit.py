"""Request bodies are capped before anything reads them (issue 14.4): a form's worth on
every page, more only where files are uploaded (evidence) or imported (CSV)."""

import pytest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from incidents.tests.factories import IncidentFactory
from overstone.models import ImportJob
from overstone.samples import upload
from training.models import ParentProfile

MB = 1_000_000


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = read


def post_declared(client, url: str, length: int):
    """A POST that says it carries ``length`` bytes, none of which may be read."""
    return client.generic(
        "POST",
        url,
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": UnreadableBody()},
    )


def post_multipart(client, url: str, data: dict):
    return client.generic(
        "POST", url, encode_multipart(BOUNDARY, data), content_type=MULTIPART_CONTENT
    )


def multipart_size(data: dict) -> int:
    return len(encode_multipart(BOUNDARY, data))


@pytest.fixture
def coordinator_client(client, user_with_role):
    client.force_login(user_with_role("coordinator"))
    return client


@pytest.mark.django_db
def test_login_page_refuses_a_huge_anonymous_post_without_reading_it():
    client = Client(enforce_csrf_checks=True)
    response = post_declared(client, reverse("login"), 800 * MB)
    assert response.status_code == 413
    assert "Too much sent at once" in response.text
    assert "Nothing was saved" in response.text


@pytest.mark.django_db
def test_a_form_of_exactly_the_limit_is_read_and_one_byte_more_is_refused(client, settings):
    data = {"username": "nobody", "password": "wrong password"}
    settings.OVERSTONE_REQUEST_MAX_BYTES = multipart_size(data)
    response = post_multipart(client, reverse("login"), data)
    assert response.status_code == 200
    assert "enter a correct username and password" in response.text
    settings.OVERSTONE_REQUEST_MAX_BYTES -= 1
    response = post_multipart(client, reverse("login"), data)
    assert response.status_code == 413
    assert f"up to {settings.OVERSTONE_REQUEST_MAX_BYTES / MB:.0f} MB" in response.text


@pytest.mark.django_db
def test_evidence_upload_takes_more_than_a_form_up_to_its_own_limit(coordinator_client, settings):
    incident = IncidentFactory()
    url = reverse("incidents:evidence_add", args=[incident.reference])
    size = multipart_size({"files": upload("shot.png")})
    settings.OVERSTONE_REQUEST_MAX_BYTES = size // 2  # an ordinary form's limit is far less
    settings.OVERSTONE_EVIDENCE_REQUEST_MAX_BYTES = size - 1
    response = post_multipart(coordinator_client, url, {"files": upload("shot.png")})
    assert response.status_code == 413
    assert "send the files in smaller groups" in response.text
    assert incident.evidence.count() == 0
    settings.OVERSTONE_EVIDENCE_REQUEST_MAX_BYTES = size
    response = post_multipart(coordinator_client, url, {"files": upload("shot.png")})
    assert response.status_code == 302
    assert incident.evidence.count() == 1


@pytest.mark.django_db
def test_a_500_mb_evidence_upload_is_refused_unread_at_the_default_limit(coordinator_client):
    incident = IncidentFactory()
    for url in (
        reverse("incidents:evidence_add", args=[incident.reference]),
        reverse("incidents:create"),
        reverse("complaints:create"),
    ):
        assert post_declared(coordinator_client, url, 500 * MB).status_code == 413


@pytest.mark.django_db
def test_csv_import_takes_up_to_its_own_limit(coordinator_client, settings):
    csv = "name,email,year_group\nZoë Brontë,zoe@example.org,Year 1\n".encode()
    data = {"file": upload("parents.csv", csv)}
    size = multipart_size(data)
    settings.OVERSTONE_REQUEST_MAX_BYTES = size // 2
    settings.OVERSTONE_IMPORT_REQUEST_MAX_BYTES = size - 1
    url = reverse("training:parent_import")
    response = post_multipart(coordinator_client, url, {"file": upload("parents.csv", csv)})
    assert response.status_code == 413
    assert "split the file" in response.text
    assert not ParentProfile.objects.exists()
    settings.OVERSTONE_IMPORT_REQUEST_MAX_BYTES = size
    response = post_multipart(coordinator_client, url, {"file": upload("parents.csv", csv)})
    assert response.status_code == 302  # taken: queued as an import job
    assert bytes(ImportJob.objects.get().upload) == csv


@pytest.mark.django_db
def test_the_filter_alert_import_is_an_import_not_a_form(coordinator_client, settings):
    url = reverse("incidents:import")
    settings.OVERSTONE_IMPORT_REQUEST_MAX_BYTES = 5 * MB
    assert post_declared(coordinator_client, url, 5 * MB + 1).status_code == 413
    assert post_declared(Client(), reverse("login"), 5 * MB).status_code == 413


@pytest.mark.django_db
def test_a_body_without_a_length_is_refused_not_taken_as_empty(client):
    response = client.generic(
        "POST",
        reverse("login"),
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 411
    assert "without saying how large it is" in response.text
