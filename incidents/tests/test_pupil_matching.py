"""Pupils typed as free text on incidents are linked to the pupil records where the name
is unambiguous: by the migration that added the link (an install that already had
pupils) and by ``manage.py incident_pupils_match`` (after the first pupil import)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from incidents.models import PupilInvolved
from incidents.tests.factories import IncidentFactory
from overstone.models import AuditLogEntry
from overstone.tests.factories import UserFactory
from pupils.tests.factories import PupilFactory


def named(name: str) -> PupilInvolved:
    return PupilInvolved.objects.create(incident=IncidentFactory(), name=name, year_group="8")


@pytest.mark.django_db
def test_the_command_links_unambiguous_names_and_keeps_the_others_as_text(capsys):
    jamie = PupilFactory(first_name="Jamie", last_name="Doe")
    PupilFactory(first_name="Sam", last_name="Lee")
    PupilFactory(first_name="Sam", last_name="Lee", year_group="10")
    unambiguous = named("  jamie   DOE ")
    twins = named("Sam Lee")
    unknown = named("Visiting Pupil")

    call_command("incident_pupils_match")

    assert "1 pupil name(s) linked" in capsys.readouterr().out
    for involved in (unambiguous, twins, unknown):
        involved.refresh_from_db()
    assert unambiguous.pupil == jamie and unambiguous.name == "  jamie   DOE "
    assert twins.pupil is None and unknown.pupil is None
    entry = AuditLogEntry.objects.get(object_reference=unambiguous.incident.reference)
    assert entry.changes == {"pupil linked": ["  jamie   DOE ", jamie.number]}
    assert "(command line)" in entry.username


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_links_unambiguous_names_and_keeps_the_others_as_text():
    executor = MigrationExecutor(connection)
    executor.migrate([("incidents", "0008_pupil_involved_pupil")])
    apps = executor.loader.project_state([("incidents", "0008_pupil_involved_pupil")]).apps
    IncidentThen = apps.get_model("incidents", "Incident")
    PupilInvolvedThen = apps.get_model("incidents", "PupilInvolved")
    # The pupils' table is as it is now (in a school): only the incidents' went back.
    jamie = PupilFactory(number="P1", first_name="Jamie", last_name="Doe", year_group="8")
    for number in ("P2", "P3"):
        PupilFactory(number=number, first_name="Sam", last_name="Lee", year_group="9")
    incident = IncidentThen.objects.create(  # as the table was then (no school yet)
        reference="INC-2026-0001",
        occurred_at=timezone.now(),
        reported_by_id=UserFactory().pk,
        category="gambling",
        description="Pupil reached a gambling site.",
    )
    for name in ("Jamie Doe", "Sam Lee", "Visiting Pupil"):
        PupilInvolvedThen.objects.create(incident_id=incident.pk, name=name, year_group="8")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # Through the matching migration (0009) to the latest state: the tests after this one
    # need the incidents tables as they are now.
    executor.migrate([n for n in executor.loader.graph.leaf_nodes() if n[0] == "incidents"])

    linked = dict(PupilInvolved.objects.values_list("name", "pupil_id"))
    assert linked == {"Jamie Doe": jamie.pk, "Sam Lee": None, "Visiting Pupil": None}
