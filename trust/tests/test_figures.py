"""The trust's figures: each school's records of a school year, kept as they are written
(PostgreSQL) or counted when asked (SQLite); the same numbers either way."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.tests.factories import ComplaintFactory
from incidents.models import Incident
from incidents.tests.factories import IncidentFactory
from overstone.models import School
from overstone.roles import Role
from overstone.schools import default_school, membership_add, trust_membership_add
from overstone.schoolyear import school_year_of
from overstone.tests.factories import UserFactory
from trust.figures import COUNTED, trust_figures, trust_totals

YEAR = school_year_of()


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


def figures_of(start_year: int) -> dict[str, dict[str, tuple[int, int]]]:
    """{school name: {figure name: (this year, last year)}}"""
    return {
        row.school.name: {f.counted.name: (f.this_year, f.last_year) for f in row.figures}
        for row in trust_figures(start_year)
    }


@pytest.fixture
def schools(db):
    first = default_school()
    first.number_on_roll = 500
    first.save()
    second = School.objects.create(trust=first.trust, name="Riverside Academy", code="RVA")
    return first, second


def test_each_school_counts_its_own_records_in_the_school_year_they_happened(schools):
    first, second = schools
    # The school year starts on 1 September: the evening of 31 August is the year before.
    IncidentFactory(school=first, occurred_at=at(YEAR, 9, 1, 0))
    IncidentFactory(school=first, occurred_at=at(YEAR, 9, 2), severity="critical")
    IncidentFactory(school=first, occurred_at=at(YEAR, 8, 31, 23))
    IncidentFactory(school=second, occurred_at=at(YEAR, 10, 1), severity="high")
    ComplaintFactory(school=second)

    figures = figures_of(YEAR)
    assert figures["Overstone School"]["incidents"] == (2, 1)
    assert figures["Overstone School"]["serious_incidents"] == (1, 0)
    assert figures["Riverside Academy"]["incidents"] == (1, 0)
    assert figures["Riverside Academy"]["serious_incidents"] == (1, 0)
    assert figures["Riverside Academy"]["complaints"] == (1, 0)
    assert figures["Overstone School"]["complaints"] == (0, 0)


def test_a_change_of_date_severity_or_school_moves_the_count_and_a_deletion_removes_it(schools):
    first, second = schools
    incident = IncidentFactory(school=first, occurred_at=at(YEAR, 10, 1))
    Incident.objects.filter(pk=incident.pk).update(severity="high")
    assert figures_of(YEAR)["Overstone School"]["serious_incidents"] == (1, 0)

    Incident.objects.filter(pk=incident.pk).update(occurred_at=at(YEAR, 7, 1))
    assert figures_of(YEAR)["Overstone School"]["incidents"] == (0, 1)

    Incident.objects.filter(pk=incident.pk).update(school=second)
    figures = figures_of(YEAR)
    assert figures["Overstone School"]["incidents"] == (0, 0)
    assert figures["Riverside Academy"]["incidents"] == (0, 1)

    Incident.objects.filter(pk=incident.pk).update(description="Nothing counted changes")
    assert figures_of(YEAR)["Riverside Academy"]["incidents"] == (0, 1)
    Incident.objects.filter(pk=incident.pk).delete()
    assert figures_of(YEAR)["Riverside Academy"]["incidents"] == (0, 0)


def test_many_records_written_at_once_are_all_counted(schools):
    first, _ = schools
    reporter = UserFactory(roles=[Role.COORDINATOR])
    template = IncidentFactory.build(
        school=first, occurred_at=at(YEAR, 11, 5), reported_by=reporter
    )
    Incident.objects.bulk_create(
        [
            Incident(
                **{
                    f.attname: getattr(template, f.attname)
                    for f in Incident._meta.concrete_fields
                    if not f.primary_key
                }
                | {"reference": f"INC-2026-{8000 + n}"}
            )
            for n in range(30)
        ]
    )
    assert figures_of(YEAR)["Overstone School"]["incidents"] == (30, 0)


def test_per_thousand_pupils_and_the_trusts_line(schools):
    first, second = schools
    for day in (1, 2, 3):
        IncidentFactory(school=first, occurred_at=at(YEAR, 10, day))
    IncidentFactory(school=second, occurred_at=at(YEAR, 10, 1))
    rows = trust_figures(YEAR)
    incidents = {row.school.name: row.figures[0] for row in rows}
    assert incidents["Overstone School"].per_thousand == 6.0  # 3 of 500 pupils
    assert incidents["Riverside Academy"].per_thousand is None  # roll not given
    total = trust_totals(rows)[0]
    assert (total.this_year, total.per_thousand) == (4, 8.0)  # 4 of 500 pupils in all


@pytest.fixture
def trustee(schools):
    person = UserFactory()
    trust_membership_add(person, Role.TRUSTEE)
    return person


def test_the_trust_dashboard_shows_every_school_side_by_side_and_no_names(client, trustee, schools):
    first, second = schools
    IncidentFactory(
        school=second, occurred_at=at(YEAR, 10, 1), description="Jamie Doe was threatened"
    )
    client.force_login(trustee)
    page = client.get(reverse("trust:dashboard")).content.decode()
    assert "Overstone School" in page and "Riverside Academy" in page
    assert "Jamie Doe" not in page
    for counted in COUNTED:
        assert f'data-testid="trust-{counted.name}"' in page


def test_a_schools_principal_cannot_open_the_trusts_figures(client, schools):
    principal = UserFactory(roles=[Role.PRINCIPAL])
    membership_add(principal, Role.PRINCIPAL, schools[1])
    client.force_login(principal)
    assert client.get(reverse("trust:dashboard")).status_code == 403


def test_the_year_picker_shows_an_earlier_year_and_refuses_nonsense(client, trustee, schools):
    IncidentFactory(school=schools[0], occurred_at=at(YEAR - 1, 10, 1))
    client.force_login(trustee)
    earlier = client.get(reverse("trust:dashboard"), {"year": YEAR - 1})
    assert earlier.context["year"] == YEAR - 1
    assert figures_of(YEAR - 1)["Overstone School"]["incidents"] == (1, 0)
    for nonsense in ("x", "1999", str(YEAR + 1)):
        response = client.get(reverse("trust:dashboard"), {"year": nonsense})
        assert response.status_code == 200 and response.context["year"] == YEAR


def test_the_dashboard_reads_as_many_queries_with_many_records(
    client, trustee, schools, django_assert_max_num_queries
):
    client.force_login(trustee)
    for n in range(20):
        IncidentFactory(school=schools[n % 2], occurred_at=at(YEAR, 10, 1 + n))
    with django_assert_max_num_queries(16):  # SQLite counts each figure of each year
        assert client.get(reverse("trust:dashboard")).status_code == 200


def test_the_trust_report_is_a_pdf(client, trustee, schools):
    client.force_login(trustee)
    response = client.get(reverse("trust:report_pdf"), {"year": YEAR})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
