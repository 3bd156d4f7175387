"""The principal's "development" section of the annual report: kept with the version,
shown in the HTML and printed in the PDF, Markdown made safe, every change audited."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from overstone.models import AuditLogEntry
from overstone.samples import PDF
from reporting import services
from reporting.models import AnnualReport
from reporting.tests.factories import AnnualReportFactory

pytestmark = pytest.mark.django_db

WRITTEN = (
    "## Next year\n\nA **parents' forum** each term.\n\n"
    '<script>alert("x")</script><img src="https://tracker.example/x.png" onerror="alert(1)">'
)


def pdf_text(report: AnnualReport) -> str:
    report.pdf.open("rb")
    with report.pdf:
        return "".join(
            page.extract_text() for page in PdfReader(io.BytesIO(report.pdf.read())).pages
        )


def a_ready_report(**fields) -> AnnualReport:
    report = AnnualReportFactory(
        status=AnnualReport.Status.DONE,
        html="<section><h2>Monitored online conduct</h2></section>",
        snapshot={"label": "2025–26", "previous_label": "2024–25"},
        **fields,
    )
    report.pdf.save("report.pdf", ContentFile(PDF))
    return report


def test_the_section_is_kept_with_the_version_printed_and_audited(
    user_with_role, django_capture_on_commit_callbacks
):
    principal = user_with_role("principal")
    report = services.annual_report_request(school_year=2025, actor=principal)
    report = services.annual_report_generate(report_id=report.pk)
    other_version = a_ready_report(version=report.version + 1)
    assert "has not written this section yet" in pdf_text(report)
    first_pdf = report.pdf.name

    with django_capture_on_commit_callbacks(execute=True):
        services.annual_report_development_save(report=report, development=WRITTEN, actor=principal)

    report.refresh_from_db()
    assert report.development == WRITTEN
    text = pdf_text(report)
    assert "Development of the policy" in text and "parents' forum each term" in text
    assert "Monitored online conduct" in text  # the figures are still there
    assert 'alert("x")' not in text
    assert not report.pdf.storage.exists(first_pdf)  # the old PDF is not left behind
    assert AnnualReport.objects.get(pk=other_version.pk).development == ""
    entry = AuditLogEntry.objects.get(action="change", object_reference="2025–26 v1")
    assert entry.user == principal and entry.changes == {"development": ["", WRITTEN]}

    # The same text again changes nothing: no new PDF, no audit line.
    services.annual_report_development_save(report=report, development=WRITTEN, actor=principal)
    assert AnnualReport.objects.get(pk=report.pk).pdf.name == report.pdf.name
    assert AuditLogEntry.objects.filter(action="change").count() == 1


@pytest.mark.parametrize("status", ["queued", "running", "failed"])
def test_it_waits_for_the_figures(user_with_role, status):
    report = AnnualReportFactory(status=status)
    with pytest.raises(services.ReportNotReady):
        services.annual_report_development_save(
            report=report, development="Text", actor=user_with_role("principal")
        )
    report.refresh_from_db()
    assert report.development == ""


@pytest.fixture
def principal_client(client, user_with_role):
    client.force_login(user_with_role("principal"))
    return client


def test_the_principal_writes_it_and_governors_read_it_safely(
    principal_client, client, user_with_role
):
    a_ready_report(version=1, development="Last draft of the section.")
    report = a_ready_report(version=2)
    url = reverse("reporting:report_development", args=[report.pk])

    page = principal_client.get(report.get_absolute_url()).text
    assert "has not written this section yet" in page and "Write the development section" in page
    form = principal_client.get(url).text
    assert "Last draft of the section." in form  # starts from the earlier version's text

    response = principal_client.post(url, {"development": WRITTEN}, follow=True)
    assert response.redirect_chain[-1][0] == report.get_absolute_url()
    assert "The development section is saved" in response.text
    assert "<h4>Next year</h4>" in response.text
    assert "<strong>parents' forum</strong>" in response.text
    assert "<script>alert" not in response.text and "onerror" not in response.text
    assert "tracker.example" not in response.text

    client.force_login(user_with_role("governor"))
    page = client.get(report.get_absolute_url()).text
    assert "<h4>Next year</h4>" in page
    assert "development section" not in page  # no edit link for a reader


def test_too_long_a_text_is_refused_with_a_message(principal_client):
    report = a_ready_report()
    url = reverse("reporting:report_development", args=[report.pk])
    response = principal_client.post(url, {"development": "x" * 20_001})
    assert response.status_code == 200
    assert "at most 20000 characters" in response.text
    report.refresh_from_db()
    assert report.development == ""


def test_a_report_still_being_generated_sends_back_to_its_progress(principal_client):
    report = AnnualReportFactory(status=AnnualReport.Status.RUNNING)
    url = reverse("reporting:report_development", args=[report.pk])
    response = principal_client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == report.get_absolute_url()
    assert "once the report&#x27;s figures are ready" in response.text
    response = principal_client.post(url, {"development": "Too soon"})
    assert "once the report&#x27;s figures are ready" in response.text
    report.refresh_from_db()
    assert report.development == ""
