"""Two people move the same complaint at the same moment: exactly one wins."""

import threading

import pytest
from django.db import connections

from complaints import services
from complaints.models import ComplaintEvent, OnlineComplaint
from complaints.tests.factories import ComplaintFactory
from overstone.roles import Role
from overstone.schools import school_scope
from overstone.tests.factories import UserFactory
from overstone.workflow import StaleTransition

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_concurrent_transitions_one_wins_the_other_is_told_it_changed():
    complaint = ComplaintFactory()
    people = [UserFactory(roles=[Role.PRINCIPAL]), UserFactory(roles=[Role.SLT])]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def move(actor):
        try:
            barrier.wait(timeout=10)
            with school_scope(complaint.school_id):  # as each person's request would
                services.complaint_transition(
                    complaint=OnlineComplaint.objects.get(pk=complaint.pk),
                    to_stage="staff_supported",
                    actor=actor,
                    expected_stage="reported",
                    note=f"Supported by {actor.username}",
                )
            outcomes.append("moved")
        except StaleTransition as refusal:
            outcomes.append(str(refusal))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=move, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes)[-1] == "moved", outcomes
    assert outcomes.count("moved") == 1, outcomes
    refusal = next(o for o in outcomes if o != "moved")
    assert "changed while you were working" in refusal
    assert ComplaintEvent.objects.filter(complaint=complaint, kind="transition").count() == 1
    complaint.refresh_from_db()
    assert complaint.stage == "staff_supported"
