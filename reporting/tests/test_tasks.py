import time

import pytest
from django.db import transaction

from overstone.roles import Role
from overstone.tests.factories import UserFactory
from reporting.models import AnnualReport
from reporting.services import annual_report_request


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_real_worker_generates_the_report(worker):
    with transaction.atomic():
        report = annual_report_request(school_year=2025, actor=UserFactory(roles=[Role.PRINCIPAL]))
    deadline = time.monotonic() + 60
    while not AnnualReport.objects.get(pk=report.pk).is_finished:
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.3)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DONE, report.error
    assert report.pdf.read().startswith(b"%PDF")
