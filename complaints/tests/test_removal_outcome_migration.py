"""Removals confirmed before outcomes existed become the outcome "removed" (migration 0010),
and going back keeps only those confirmed."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from complaints.models import RemovalRequest
from overstone.roles import Role

# Migrations run outside a test transaction; the database is put back afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
BEFORE = [("complaints", "0009_concern_alerts")]
OUTCOMES = [("complaints", "0010_removal_outcome_notes_staff_support")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return [node for node in executor.loader.graph.leaf_nodes() if node[0] == "complaints"]


@pytest.fixture
def old_removals(user_with_role):
    """Two removal requests as they were stored before 0010: one confirmed removed."""
    principal = user_with_role(Role.PRINCIPAL)
    apps = migrate(BEFORE)
    complaint = apps.get_model("complaints", "OnlineComplaint").objects.create(
        reference="CMP-2025-0001",
        platform="facebook",
        posted_at=timezone.now() - dt.timedelta(days=9),
        content="Post",
        about="school",
        category="complaint_school",
        reported_by_id=principal.pk,
    )
    Removal = apps.get_model("complaints", "RemovalRequest")
    asked = timezone.now() - dt.timedelta(days=8)
    removed_at = timezone.now() - dt.timedelta(days=5)
    confirmed = Removal.objects.create(
        complaint=complaint,
        platform="facebook",
        requested_at=asked,
        confirmed_removed_at=removed_at,
    )
    waiting = Removal.objects.create(complaint=complaint, platform="x", requested_at=asked)
    yield confirmed.pk, waiting.pk, removed_at
    migrate(latest())


def test_a_confirmed_removal_becomes_the_outcome_removed_and_back(old_removals):
    confirmed, waiting, removed_at = old_removals
    apps = migrate(OUTCOMES)
    Removal = apps.get_model("complaints", "RemovalRequest")
    assert Removal.objects.get(pk=confirmed).outcome == RemovalRequest.Outcome.REMOVED
    assert Removal.objects.get(pk=confirmed).outcome_at == removed_at
    assert (
        Removal.objects.get(pk=waiting).outcome,
        Removal.objects.get(pk=waiting).outcome_at,
    ) == (
        "",
        None,
    )
    Removal.objects.filter(pk=waiting).update(
        outcome=RemovalRequest.Outcome.REFUSED, outcome_at=timezone.now(), outcome_note="No."
    )

    apps = migrate(BEFORE)
    Removal = apps.get_model("complaints", "RemovalRequest")
    assert Removal.objects.get(pk=confirmed).confirmed_removed_at == removed_at
    assert Removal.objects.get(pk=waiting).confirmed_removed_at is None  # refused: not removed
