"""The one way a record moves from one state to another, and the one family of refusals.

Each record type describes its states once, as a ``Workflow``; its service calls
``transition()``, which locks the row, refuses a move made from a stale page, a move
the map does not allow or a change to a finished record, saves, writes the record's
chronology line and runs the effects that must wait for the commit::

    INCIDENT = Workflow(
        transitions={"open": {"reported"}, "reported": {"closed"}, "closed": set()},
        chronicle=incident_event,  # writes one IncidentEvent from the Move
    )
    incident = transition(incident, to="closed", actor=user, workflow=INCIDENT,
                          expected=request_status, note="Resolved with the ISP")

Every refusal a service raises for the person to read is a ``Refused``; the view mixin
``overstone.views.RefusedMessageMixin`` (part of every view's ``CapabilityRequiredMixin``)
shows it as a message instead of an error page.
"""

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction

Record = TypeVar("Record", bound=models.Model)


class Refused(Exception):
    """A request the rules refuse; the message is meant for the person who asked.
    ``field``, when a subclass names one, is the form field the refusal is about: the
    form shows it there rather than above the form."""

    field: str | None = None


class InvalidTransition(Refused):
    """A move the record's map of states does not allow, or whose conditions are not met."""


class StaleTransition(Refused):
    """Someone else moved the record after the person saw it: nothing was saved."""


class RecordFinished(Refused):
    """A change to a record that has reached a final state."""


@dataclass(frozen=True)
class Move:
    """One state change as the chronology records it."""

    record: Any
    actor: Any
    before: str
    after: str
    note: str = ""
    field: str = "status"

    @property
    def changes(self) -> dict[str, list[str]]:
        return {self.field: [self.before, self.after]}


def _reference(record) -> str:
    return getattr(record, "reference", "") or str(record)


@dataclass(frozen=True)
class Workflow:
    """A record type's states: where each may go next (a state with nowhere to go is
    final), how a move is written in its chronology, how a record is named, and (if its
    chronology can tell) who made the last move, for the refusal of a stale one."""

    transitions: Mapping[str, Collection[str]]
    chronicle: Callable[[Move], object]
    field: str = "status"
    name: Callable[[Any], str] = _reference
    moved_by: Callable[[Any], str] | None = None

    def label(self, record, state: str) -> str:
        return dict(record._meta.get_field(self.field).flatchoices).get(state, state)

    def is_finished(self, record) -> bool:
        return not self.transitions[getattr(record, self.field)]

    def check_open(self, record) -> None:
        """Refuse any change to a record in a final state."""
        if self.is_finished(record):
            state = self.label(record, getattr(record, self.field))
            raise RecordFinished(
                f"{self.name(record)} is {state.lower()} and can no longer be changed."
            )


def transition(
    record: Record,
    *,
    to: str,
    actor,
    workflow: Workflow,
    expected: str | None = None,
    note: str = "",
    apply: Callable[[Record], str | None] | None = None,
    effects: Iterable[Callable[[Record], None]] = (),
) -> Record:
    """Move ``record`` to the state ``to`` and return the saved, locked copy.

    ``expected`` is the state the person saw when they chose the move: if it changed
    meanwhile the move is refused rather than applied twice. ``apply`` runs after the
    checks, on the locked row still in its old state: it may refuse (raise ``Refused``),
    set the fields that go with the move, and return text for the chronology line.
    ``effects`` run once the transaction commits, never if it rolls back. (E-mail goes
    through the outbox inside the transaction instead: the outbox itself waits for the
    commit, and survives a crash.)
    """
    with transaction.atomic():
        record = type(record).objects.select_for_update().get(pk=record.pk)
        before = getattr(record, workflow.field)
        if expected and expected != before:
            who = workflow.moved_by(record) if workflow.moved_by else ""
            raise StaleTransition(
                f"{workflow.name(record)} changed while you were working on it: it is now "
                f"“{workflow.label(record, before)}”{f' (moved by {who})' if who else ''}. "
                "Nothing was saved; check it and try again."
            )
        workflow.check_open(record)
        allowed = workflow.transitions[before]
        if to not in allowed:
            choices = sorted(allowed, key=list(workflow.transitions).index)
            following = ", ".join(f"“{workflow.label(record, state)}”" for state in choices)
            raise InvalidTransition(
                f"{workflow.name(record)} is “{workflow.label(record, before)}”; it cannot "
                f"move to “{workflow.label(record, to)}”. Next it can go to {following}."
            )
        recorded = apply(record) if apply else None
        setattr(record, workflow.field, to)
        record.save()
        summary = "\n".join(part for part in (note, recorded) if part)
        workflow.chronicle(Move(record, actor, before, to, summary, workflow.field))
        for effect in effects:
            transaction.on_commit(lambda effect=effect: effect(record))
    return record
