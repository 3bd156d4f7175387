import pytest
from django.db import connection

from conftest import services_required
from overstone.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "up", "broker": "up"}


def test_healthz_is_503_when_the_broker_does_not_answer(client, monkeypatch):
    # Nothing listens on port 1: the broker is down. Celery reads CELERY_BROKER_URL
    # from the environment before its settings, so point both there.
    dead_broker = "redis://127.0.0.1:1/0"
    monkeypatch.setenv("CELERY_BROKER_URL", dead_broker)
    monkeypatch.setattr(celery_app.conf, "broker_url", dead_broker)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "up", "broker": "down"}


def test_ci_runs_on_postgresql_and_redis():
    if not services_required():
        pytest.skip("only CI (OVERSTONE_REQUIRE_SERVICES=1) must run on PostgreSQL and Redis")
    assert connection.vendor == "postgresql"
    assert celery_app.conf.broker_url.startswith("redis://")
