"""Each school has its own policy register, annual reports and dashboard figures."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopeError, scope

from overstone.models import Email, School
from overstone.roles import Role
from overstone.schools import default_school, school_scope
from overstone.schoolyear import school_year_of
from overstone.tests.factories import UserFactory
from reporting.models import AnnualReport, PolicyDocument, PolicyReview
from reporting.services import annual_report_request
from reporting.tasks import generate_last_years_report, send_policy_reminders
from reporting.tests.factories import AnnualReportFactory, PolicyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools() -> tuple[School, School]:
    one = default_school()
    return one, School.objects.create(trust=one.trust, name="Two", code="TWO")


def person(role: Role, school: School):
    with school_scope(school):
        return UserFactory(roles=[role])


@pytest.fixture
def ours(schools, client):
    """The principal of the first school, logged in, and a policy and report of each."""
    one, two = schools
    client.force_login(person(Role.PRINCIPAL, one))
    with school_scope(one):
        mine = PolicyFactory(title="Our Policy", published_text="Ours to read")
        our_report = AnnualReportFactory(status=AnnualReport.Status.DONE)
    with school_scope(two):
        theirs = PolicyFactory(title="Their Policy", published_text="Theirs to read")
        their_report = AnnualReportFactory(status=AnnualReport.Status.FAILED)
    return {"mine": mine, "theirs": theirs, "our_report": our_report, "their_report": their_report}


def test_the_register_and_reports_list_the_schools_own(client, ours):
    policies = client.get(reverse("reporting:policy_list")).text
    assert "Our Policy" in policies and "Their Policy" not in policies
    published = client.get(reverse("reporting:published_list")).text
    assert "Our Policy" in published and "Their Policy" not in published
    reports = client.get(reverse("reporting:report_list")).context["object_list"]
    assert list(reports) == [ours["our_report"]]


def test_another_schools_policy_and_report_are_not_found(client, ours):
    theirs, report = ours["theirs"].pk, ours["their_report"].pk
    for name, pk in [
        ("reporting:policy_detail", theirs),
        ("reporting:policy_update", theirs),
        ("reporting:published_detail", theirs),
        ("reporting:report_detail", report),
        ("reporting:report_status", report),
        ("reporting:report_pdf", report),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    mine = ours["mine"].pk
    assert client.get(reverse("reporting:policy_detail", args=[mine])).status_code == 200


def test_another_schools_policy_and_report_cannot_be_acted_on(client, ours):
    theirs = ours["theirs"]
    review = {"reviewed_on": timezone.localdate().isoformat(), "version": "9.0"}
    response = client.post(reverse("reporting:policy_review", args=[theirs.pk]), review)
    assert response.status_code == 404
    retry = reverse("reporting:report_retry", args=[ours["their_report"].pk])
    assert client.post(retry).status_code == 404
    theirs.refresh_from_db()
    assert theirs.version == "1.0" and not PolicyReview.objects.exists()
    assert AnnualReport.objects.get(pk=ours["their_report"].pk).status == "failed"


def test_a_policy_added_belongs_to_the_school_and_titles_repeat_across_schools(
    client, ours, schools
):
    owner = ours["mine"].owner
    form = {"title": "Their Policy", "version": "1.0", "owner": owner.pk}
    form |= {"review_due": "2027-09-01", "review_every_months": 12}
    response = client.post(reverse("reporting:policy_create"), form)
    assert response.status_code == 302
    added = PolicyDocument.objects.get(title="Their Policy", school=schools[0])
    assert added.owner == owner
    # The same title again in the same school is refused on the form.
    again = client.post(reverse("reporting:policy_create"), form)
    assert again.status_code == 200
    assert "already has a policy with this title" in again.text


def test_another_schools_people_are_not_owners_to_pick(client, ours, schools):
    stranger = person(Role.COORDINATOR, schools[1])
    form = client.get(reverse("reporting:policy_create")).context["form"]
    owners = set(form.fields["owner"].queryset)
    assert ours["mine"].owner in owners and stranger not in owners


def test_report_versions_are_numbered_per_school(schools):
    one, two = schools
    year = school_year_of() - 1
    with school_scope(two):
        assert annual_report_request(school_year=year, actor=None).version == 1
    with school_scope(one):
        AnnualReportFactory(school_year=year, version=1, status=AnnualReport.Status.DONE)
        report = annual_report_request(school_year=year, actor=None)
    assert (report.version, report.school) == (2, one)


def test_the_dashboard_figures_are_cached_per_school(client, schools):
    one, two = schools
    soon = timezone.localdate()
    with school_scope(one):
        PolicyFactory(title="Due At One", review_due=soon)
    with school_scope(two):
        PolicyFactory(title="Due At Two", review_due=soon)
    client.force_login(person(Role.PRINCIPAL, one))
    first = client.get(reverse("reporting:dashboard")).text
    client.force_login(person(Role.PRINCIPAL, two))
    second = client.get(reverse("reporting:dashboard")).text  # within the cached minute
    assert "Due At One" in first and "Due At Two" not in first
    assert "Due At Two" in second and "Due At One" not in second


def test_policy_reminders_go_school_by_school(schools):
    one, two = schools
    soon = timezone.localdate() + timezone.timedelta(days=5)
    with school_scope(one):
        ours = PolicyFactory(review_due=soon)
    with school_scope(two):
        theirs = PolicyFactory(review_due=soon)

    assert send_policy_reminders() == 2

    emails = {email.school_id: email.to for email in Email.objects.all()}
    assert emails == {one.pk: [ours.owner.email], two.pk: [theirs.owner.email]}


def test_last_years_report_is_made_for_each_school(schools):
    one, two = schools
    last_year = school_year_of() - 1
    with school_scope(two):
        AnnualReportFactory(school_year=last_year, status=AnnualReport.Status.DONE)

    queued = generate_last_years_report()

    [report] = AnnualReport.objects.filter(pk__in=queued)
    assert (report.school, report.school_year) == (one, last_year)


def test_the_register_is_not_read_outside_a_school(schools):
    with pytest.raises(ScopeError), scope():
        PolicyDocument.objects.count()
    with pytest.raises(ScopeError), scope():
        AnnualReport.objects.count()
