"""transition(): the one way a record changes state, on a real model (an incident)."""

import pytest
from django.db import transaction

from incidents.models import Incident, IncidentEvent
from incidents.tests.factories import IncidentFactory
from overstone.workflow import (
    InvalidTransition,
    Move,
    RecordFinished,
    Refused,
    StaleTransition,
    Workflow,
    transition,
)

pytestmark = pytest.mark.django_db
Status = Incident.Status


@pytest.fixture
def coordinator(user_with_role):
    return user_with_role("coordinator")


def write_event(move: Move) -> None:
    IncidentEvent.objects.create(
        incident=move.record,
        kind=IncidentEvent.Kind.EDITED,
        actor=move.actor,
        summary=move.note,
        changes=move.changes,
    )


WORKFLOW = Workflow(
    transitions={
        Status.OPEN: {Status.REPORTED_TO_PRINCIPAL, Status.CLOSED},
        Status.REPORTED_TO_PRINCIPAL: {Status.CLOSED},
        Status.CLOSED: set(),
    },
    chronicle=write_event,
    moved_by=lambda incident: "Ms Moved",
)


def test_a_move_saves_the_state_and_writes_one_chronology_line(coordinator):
    incident = IncidentFactory()

    def close(locked: Incident) -> str:
        locked.outcome = "Blocked"
        return "Outcome recorded."

    moved = transition(
        incident,
        to=Status.CLOSED,
        actor=coordinator,
        workflow=WORKFLOW,
        expected=Status.OPEN,
        note="Done",
        apply=close,
    )
    incident.refresh_from_db()
    assert (incident.status, incident.outcome) == (Status.CLOSED, "Blocked")
    assert moved.status == Status.CLOSED
    event = incident.events.get()
    assert event.actor == coordinator
    assert event.summary == "Done\nOutcome recorded."
    assert event.changes == {"status": ["open", "closed"]}


def test_a_stale_move_is_refused_and_says_what_it_is_now(coordinator):
    incident = IncidentFactory(status=Status.REPORTED_TO_PRINCIPAL)
    with pytest.raises(StaleTransition) as refused:
        transition(
            incident,
            to=Status.CLOSED,
            actor=coordinator,
            workflow=WORKFLOW,
            expected=Status.OPEN,
        )
    assert str(refused.value) == (
        f"{incident.reference} changed while you were working on it: it is now “Reported to "
        "the principal” (moved by Ms Moved). Nothing was saved; check it and try again."
    )
    incident.refresh_from_db()
    assert incident.status == Status.REPORTED_TO_PRINCIPAL
    assert not incident.events.exists()
    # The same move from the state the person saw is applied.
    transition(
        incident,
        to=Status.CLOSED,
        actor=coordinator,
        workflow=WORKFLOW,
        expected=Status.REPORTED_TO_PRINCIPAL,
    )
    assert incident.events.count() == 1


def test_a_move_the_map_does_not_allow_is_refused_with_the_next_states(coordinator):
    incident = IncidentFactory(status=Status.REPORTED_TO_PRINCIPAL)
    with pytest.raises(InvalidTransition) as refused:
        transition(incident, to=Status.OPEN, actor=coordinator, workflow=WORKFLOW)
    assert str(refused.value) == (
        f"{incident.reference} is “Reported to the principal”; it cannot move to “Open”. "
        "Next it can go to “Closed”."
    )
    incident.refresh_from_db()
    assert incident.status == Status.REPORTED_TO_PRINCIPAL
    assert not incident.events.exists()


def test_a_finished_record_takes_no_move_and_no_change(coordinator):
    incident = IncidentFactory(status=Status.CLOSED)
    with pytest.raises(RecordFinished, match="is closed and can no longer be changed"):
        transition(incident, to=Status.OPEN, actor=coordinator, workflow=WORKFLOW)
    with pytest.raises(RecordFinished):
        WORKFLOW.check_open(incident)
    WORKFLOW.check_open(IncidentFactory(status=Status.REPORTED_TO_PRINCIPAL))
    assert not incident.events.exists()


def test_every_refusal_is_one_family():
    assert all(issubclass(kind, Refused) for kind in (InvalidTransition, StaleTransition))
    assert issubclass(RecordFinished, Refused)


def test_a_refusal_from_apply_leaves_nothing_behind(coordinator):
    incident = IncidentFactory()

    def refuse(locked: Incident) -> str:
        locked.outcome = "half done"
        raise InvalidTransition("Not yet.")

    with pytest.raises(InvalidTransition, match="Not yet."):
        transition(incident, to=Status.CLOSED, actor=coordinator, workflow=WORKFLOW, apply=refuse)
    incident.refresh_from_db()
    assert (incident.status, incident.outcome) == (Status.OPEN, "")
    assert not incident.events.exists()


def test_effects_run_only_after_the_commit(coordinator, django_capture_on_commit_callbacks):
    incident = IncidentFactory()
    seen = []
    with django_capture_on_commit_callbacks() as callbacks:
        transition(
            incident,
            to=Status.CLOSED,
            actor=coordinator,
            workflow=WORKFLOW,
            effects=[lambda record: seen.append(record.status)],
        )
        assert seen == []  # committed only when the outer transaction does
    assert len(callbacks) == 1
    callbacks[0]()
    assert seen == [Status.CLOSED]


def test_effects_never_run_when_the_transaction_rolls_back(
    coordinator, django_capture_on_commit_callbacks
):
    incident = IncidentFactory()
    seen = []
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        transition(
            incident,
            to=Status.CLOSED,
            actor=coordinator,
            workflow=WORKFLOW,
            effects=[lambda record: seen.append(record.status)],
        )
        raise RuntimeError("the caller's next step failed")
    assert callbacks == [] and seen == []
    incident.refresh_from_db()
    assert incident.status == Status.OPEN
