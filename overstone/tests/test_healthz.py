import json

import pytest
from django.db import connection

from conftest import DEAD_BROKER_URL, run_django, services_required
from overstone.celery import app as celery_app


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "up", "broker": "up"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_healthz_is_503_when_the_broker_does_not_answer():
    output = run_django(
        "import json; from django.test import Client; "
        "r = Client(HTTP_HOST='localhost').get('/healthz'); "
        "print(json.dumps([r.status_code, r.json()]))",
        CELERY_BROKER_URL=DEAD_BROKER_URL,
    )
    assert json.loads(output) == [503, {"database": "up", "broker": "down"}]


def test_ci_runs_on_postgresql_and_redis():
    if not services_required():
        pytest.skip("only CI (OVERSTONE_REQUIRE_SERVICES=1) must run on PostgreSQL and Redis")
    assert connection.vendor == "postgresql"
    assert celery_app.conf.broker_url.startswith("redis://")
