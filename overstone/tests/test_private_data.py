"""Personal data is kept out of caches and out of other accounts' reach on the server
(issue 14.13): no response of the application may be stored by a browser or proxy, and
evidence and report files are readable by the service account only."""

import stat
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from incidents.tests.factories import IncidentFactory, evidence_for
from overstone.samples import upload
from reporting import services as reporting

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def principal_client(client, user_with_role):
    client.force_login(user_with_role("principal"))
    return client


def test_record_pages_exports_evidence_and_the_audit_log_are_not_stored(principal_client):
    incident = IncidentFactory()
    evidence = evidence_for(incident)
    for url in (
        reverse("home"),
        incident.get_absolute_url(),
        reverse("incidents:export"),
        reverse("incidents:evidence_download", args=[incident.reference, evidence.pk]),
        reverse("audit_log"),
    ):
        response = principal_client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), (url, response.get("Cache-Control"))


@pytest.fixture
def collected_static_file():
    """A file in STATIC_ROOT, where whitenoise serves from in production."""
    path = Path(django_settings.STATIC_ROOT) / "cache-probe.css"
    path.write_text("body {}")
    yield django_settings.STATIC_URL + path.name
    path.unlink()


def test_anonymous_pages_are_not_stored_and_static_files_are_cacheable(
    client, collected_static_file
):
    assert no_store(client.get(reverse("login")))
    static = client.get(collected_static_file)
    assert static.status_code == 200
    assert "no-store" not in static["Cache-Control"]


def test_uploaded_evidence_is_readable_by_the_service_account_only(client, user_with_role):
    client.force_login(user_with_role("coordinator"))
    incident = IncidentFactory()
    url = reverse("incidents:evidence_add", args=[incident.reference])
    client.post(url, {"files": upload("shot.png")})
    stored = Path(incident.evidence.get().file.path)
    assert mode(stored) == 0o600
    assert mode(stored.parent) == 0o700  # the folder made for it


def test_annual_report_files_are_readable_by_the_service_account_only(user_with_role):
    report = reporting.annual_report_request(school_year=2025, actor=user_with_role("principal"))
    report = reporting.annual_report_generate(report_id=report.pk)
    assert report.pdf.read(5) == b"%PDF-"
    assert mode(Path(report.pdf.path)) == 0o600
    assert mode(Path(report.pdf.path).parent) == 0o700
