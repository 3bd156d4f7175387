"""training.AuditEntry rows move into the principal's audit log (migration 0004)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from overstone.models import AuditLogEntry
from overstone.roles import Role
from privacy.selectors import sar_mentions
from privacy.services import sar_create

# Migrations run outside a test transaction; the database is put back afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
BEFORE = [("training", "0003_sessionevent")]


def latest():
    executor = MigrationExecutor(connection)
    return [node for node in executor.loader.graph.leaf_nodes() if node[0] == "training"]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_trail(user_with_role):
    """A database as it was before the move, with training's own audit rows in it."""
    coordinator = user_with_role(Role.COORDINATOR)
    apps = migrate(BEFORE)
    AuditEntry = apps.get_model("training", "AuditEntry")
    session = apps.get_model("training", "TrainingSession").objects.create(
        title="Staying safe online",
        starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=3, hours=1),
        capacity=10,
    )
    rows = [
        ("parent_created", "User", 4242, "", "robin.parent@example.org", ""),
        ("session_created", "TrainingSession", session.pk, "", session.title, ""),
        ("session_status", "TrainingSession", session.pk, "scheduled", "cancelled", "Snow"),
    ]
    written = timezone.now() - dt.timedelta(days=400)
    for action, subject_type, subject_id, before, after, note in rows:
        entry = AuditEntry.objects.create(
            actor_id=coordinator.pk,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            before=before,
            after=after,
            note=note,
        )
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=written)
    # On to the latest state, not just past the move: the tests after this one need
    # training's later tables.
    migrate(latest())
    return coordinator, session.pk, written


def test_old_rows_are_in_the_audit_log_with_who_when_and_before_after(old_trail):
    coordinator, session_pk, written = old_trail
    moved = AuditLogEntry.objects.filter(path="training audit trail (moved)").order_by("pk")
    assert [
        (e.user, e.username, e.action, e.object_type, e.object_reference, e.at, e.changes)
        for e in moved
    ] == [
        (
            coordinator,
            coordinator.username,
            "change",
            "user",
            "4242",
            written,
            {"parent created": ["", "robin.parent@example.org"]},
        ),
        (
            coordinator,
            coordinator.username,
            "change",
            "training session",
            str(session_pk),
            written,
            {"session created": ["", "Staying safe online"]},
        ),
        (
            coordinator,
            coordinator.username,
            "change",
            "training session",
            str(session_pk),
            written,
            {"session status": ["scheduled", "cancelled"], "note": ["", "Snow"]},
        ),
    ]


def test_the_audit_log_page_and_the_session_page_show_the_old_history(
    client, user_with_role, old_trail
):
    coordinator, session_pk, _ = old_trail
    client.force_login(user_with_role(Role.PRINCIPAL))
    page = client.get(reverse("audit_log")).content.decode()
    assert "parent created: (none) → robin.parent@example.org" in page
    assert "session status: scheduled → cancelled" in page

    client.force_login(coordinator)
    page = client.get(reverse("training:session_detail", args=[session_pk])).content.decode()
    assert "Staying safe online" in page
    assert "Cancelled · status: scheduled → cancelled · Snow" in page


def test_subject_access_finds_the_parents_address_the_old_rows_held(old_trail):
    coordinator, _, _ = old_trail
    sar = sar_create(
        actor=coordinator,
        subject_name="Robin Parent",
        other_names="robin.parent@example.org",
        received_on=timezone.localdate(),
    )
    found = [(m.source, m.reference) for m in sar_mentions(sar=sar, user=coordinator)]
    assert ("Audit log", "user 4242") in found
