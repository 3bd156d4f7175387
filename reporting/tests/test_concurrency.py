"""Several people (or one impatient double-click) ask for the same year's report at once.

Each thread has its own database connection and goes through the whole stack (client,
view, service). The year's version sequence row, locked, serialises them: every request
ends on the one report being generated, none fails and no version is taken twice.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import settle_worker
from overstone.models import OutboxMessage
from reporting.models import AnnualReport
from reporting.tests.factories import AnnualReportFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CONTENDERS = 6


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time: the race needs PostgreSQL")


def test_simultaneous_requests_for_one_year_make_one_report(user_with_role):
    AnnualReportFactory(school_year=2025, version=1, status=AnnualReport.Status.DONE)
    people = [user_with_role("principal"), user_with_role("coordinator")]
    clients = []
    for index in range(CONTENDERS):
        client = Client()
        client.force_login(people[index % 2])
        clients.append(client)
    start = threading.Barrier(CONTENDERS)
    locations: list[str] = []
    errors: list[BaseException] = []

    def request(client: Client) -> None:
        try:
            start.wait(timeout=30)
            response = client.post(reverse("reporting:report_request"), {"school_year": "2025"})
            assert response.status_code == 302, response.status_code
            locations.append(response["Location"])
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    new = AnnualReport.objects.get(school_year=2025, version=2)
    assert locations == [new.get_absolute_url()] * CONTENDERS
    assert AnnualReport.objects.filter(school_year=2025).count() == 2
    assert OutboxMessage.objects.count() == 1
    settle_worker()
