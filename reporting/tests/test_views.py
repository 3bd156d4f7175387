import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.tests.factories import ComplaintFactory
from incidents.tests.factories import IncidentFactory
from overstone.models import AuditLogEntry, OutboxMessage
from overstone.schoolyear import school_year_of
from reporting.models import AnnualReport, PolicyDocument
from reporting.tests.factories import AnnualReportFactory, PolicyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def principal_client(client, user_with_role):
    client.force_login(user_with_role("principal"))
    return client


@pytest.mark.parametrize("rows", [10, 200])
def test_dashboard_queries_do_not_grow_with_incidents(
    principal_client, django_assert_max_num_queries, rows
):
    IncidentFactory.create_batch(rows, category="gambling")
    PolicyFactory.create_batch(3, review_due=timezone.localdate())
    # 19, the count of failed e-mails, and the induction topics that must be renewed
    with django_assert_max_num_queries(21):
        response = principal_client.get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    assert "<svg" in response.text  # the month chart


def test_dashboard_lists_policies_due_and_counts(principal_client):
    IncidentFactory.create_batch(2)
    PolicyFactory(title="Complaints Policy", review_due=timezone.localdate())
    PolicyFactory(title="Far Away Policy")
    page = principal_client.get(reverse("reporting:dashboard")).text
    assert "Complaints Policy" in page and "Far Away Policy" not in page


def test_adding_a_policy_validates_the_form(principal_client, user_with_role):
    owner = user_with_role("coordinator")
    url = reverse("reporting:policy_create")
    response = principal_client.post(url, {"title": "", "owner": owner.pk, "review_due": "soon"})
    assert response.status_code == 200
    assert "This field is required" in response.text and "Enter a valid date" in response.text
    principal_client.post(
        url,
        {
            "title": "Mobile Phones Policy",
            "version": "1.0",
            "owner": owner.pk,
            "review_due": "2027-07-01",
            "review_every_months": 12,
        },
    )
    assert PolicyDocument.objects.get().title == "Mobile Phones Policy"


def test_a_policy_title_on_two_lines_is_refused_on_the_form(principal_client, user_with_role):
    data = {
        "title": "Mobile Phones\nPolicy",
        "version": "1.0",
        "owner": user_with_role("coordinator").pk,
        "review_due": "2027-07-01",
        "review_every_months": 12,
    }
    response = principal_client.post(reverse("reporting:policy_create"), data)
    assert response.status_code == 200
    assert "Use one line, with no line breaks." in response.text
    assert not PolicyDocument.objects.exists()
    principal_client.post(reverse("reporting:policy_create"), data | {"title": "Mobile Phones"})
    assert PolicyDocument.objects.get().title == "Mobile Phones"


def test_a_review_in_the_future_is_refused_on_the_form(principal_client):
    policy = PolicyFactory()
    response = principal_client.post(
        reverse("reporting:policy_review", args=[policy.pk]),
        {"reviewed_on": "2999-01-01", "version": "2"},
    )
    assert response.status_code == 400
    assert "future date" in response.text
    response = principal_client.post(
        reverse("reporting:policy_review", args=[policy.pk]),
        {"reviewed_on": timezone.localdate().isoformat(), "version": "2"},
        follow=True,
    )
    assert "Review recorded; the next is due" in response.text


def test_requesting_a_report_redirects_to_its_progress(principal_client):
    response = principal_client.post(
        reverse("reporting:report_request"), {"school_year": school_year_of() - 1}, follow=True
    )
    report = AnnualReport.objects.get()
    assert response.redirect_chain[-1][0] == report.get_absolute_url()
    assert 'hx-trigger="every 1s"' in response.text
    bad = principal_client.post(
        reverse("reporting:report_request"), {"school_year": 1990}, follow=True
    )
    assert "Choose a school year from the list" in bad.text


def test_the_status_panel_refreshes_the_page_when_done(principal_client):
    report = AnnualReportFactory(status=AnnualReport.Status.RUNNING, progress=40)
    url = reverse("reporting:report_status", args=[report.pk])
    running = principal_client.get(url, headers={"HX-Request": "true"})
    assert "40%" in running.text and "HX-Refresh" not in running
    report.status = AnnualReport.Status.DONE
    report.save()
    assert principal_client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"


def test_a_failed_report_shows_the_reason_and_a_retry_button(principal_client):
    report = AnnualReportFactory(status=AnnualReport.Status.FAILED, error="OSError: disk full")
    page = principal_client.get(report.get_absolute_url()).text
    assert "OSError: disk full" in page and "Try again" in page
    principal_client.post(reverse("reporting:report_retry", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.QUEUED


def test_an_unfinished_report_has_no_pdf_yet(principal_client):
    report = AnnualReportFactory(status=AnnualReport.Status.RUNNING)
    assert (
        principal_client.get(reverse("reporting:report_pdf", args=[report.pk])).status_code == 404
    )


def test_dashboard_shows_open_complaints_by_stage_with_overdue(principal_client, user_with_role):
    ComplaintFactory(stage_due=timezone.localdate() - timezone.timedelta(days=2))
    ComplaintFactory()
    page = principal_client.get(reverse("reporting:dashboard")).text
    assert "Reported: <strong>2</strong>" in page
    assert "1 overdue" in page
    principal_client.force_login(user_with_role("coordinator"))
    assert "Open online complaints" not in principal_client.get(reverse("reporting:dashboard")).text


def test_the_school_figures_are_counted_at_most_once_a_minute(principal_client):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("reporting:dashboard")
    with CaptureQueriesContext(connection) as first:
        assert "Counted at" in principal_client.get(url).text
    with CaptureQueriesContext(connection) as second:
        principal_client.get(url)
    assert len(second) < len(first) - 5
    IncidentFactory(status="open")
    cache.clear()  # a minute later
    assert 'data-testid="incidents-open">1<' in principal_client.get(url).text


def test_trying_again_moves_the_status_through_the_workflow_and_is_audited(principal_client):
    report = AnnualReportFactory(status=AnnualReport.Status.FAILED, error="OSError: disk full")
    principal_client.post(reverse("reporting:report_retry", args=[report.pk]))
    entry = AuditLogEntry.objects.get(object_type="annual report", action="change")
    assert entry.changes == {"status": ["failed", "queued"]}


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (AnnualReport.Status.DONE, "is ready and can no longer be changed."),
        (AnnualReport.Status.QUEUED, "Only a report that failed or stalled can be tried again."),
    ],
)
def test_trying_again_a_ready_or_fresh_report_is_refused_with_a_message(
    principal_client, status, message
):
    report = AnnualReportFactory(status=status)
    response = principal_client.post(
        reverse("reporting:report_retry", args=[report.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == report.get_absolute_url()
    assert [str(m) for m in response.context["messages"]] == [
        f"{report} {message}" if status == AnnualReport.Status.DONE else message
    ]
    report.refresh_from_db()
    assert report.status == status
    assert not OutboxMessage.objects.exists()


def test_the_dashboard_counts_incidents_of_every_category(principal_client):
    IncidentFactory.create_batch(2, category="grooming")
    IncidentFactory(category="offensive_email")
    IncidentFactory(category="other_web")
    page = principal_client.get(reverse("reporting:dashboard")).text
    table = page.split('data-testid="incidents-by-category"')[1].split("</table>")[0]
    assert '<td>Grooming</td><td class="text-end">2</td>' in table
    assert '<td>Offensive e-mail</td><td class="text-end">1</td>' in table
    assert '<td>Other web content</td><td class="text-end">1</td>' in table
    assert "Cyberbullying" not in table  # none this year: no row
