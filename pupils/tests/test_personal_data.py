"""Pupils in subject access and, once a leaver's record has been kept long enough, in
anonymisation (pupils/personal_data.py)."""

from datetime import date

import pytest

from overstone.roles import Role
from privacy.selectors import past_retention, sar_mentions
from privacy.services import PrivacyError, legal_hold_place, retention_anonymise, sar_create
from pupils.models import Pupil
from pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def test_a_subject_access_request_finds_the_pupil_by_name_and_their_parent_by_account(
    user_with_role,
):
    principal = user_with_role(Role.PRINCIPAL)
    parent = user_with_role(Role.PARENT)
    jamie = PupilFactory(number="P1", first_name="Jamie", last_name="Doe")
    jamie.parents.add(parent)
    PupilFactory(first_name="Ruby", last_name="Doe")

    by_name = sar_create(actor=principal, subject_name="Jamie Doe", received_on=date.today())
    found = [m.reference for m in sar_mentions(sar=by_name, user=principal) if m.source == "Pupil"]
    assert found == ["P1"]
    by_account = sar_create(
        actor=principal, subject_name="Someone Else", received_on=date.today(), subject_user=parent
    )
    mentions = sar_mentions(sar=by_account, user=principal)
    assert [m.reference for m in mentions if m.source == "Pupil"] == ["P1"]


def test_a_leaver_is_anonymised_only_after_the_retention_period(user_with_role, settings):
    settings.OVERSTONE_RETENTION_YEARS = {**settings.OVERSTONE_RETENTION_YEARS, "pupil": 6}
    principal = user_with_role(Role.PRINCIPAL)
    parent = user_with_role(Role.PARENT)
    left_long_ago = PupilFactory(number="P1", left_on=date(2019, 7, 20))
    left_long_ago.parents.add(parent)
    PupilFactory(number="P2", left_on=date(2021, 7, 20))  # six years not yet over
    PupilFactory(number="P3")  # still at school

    due = past_retention(user=principal, today=date(2026, 12, 1))
    assert [row["reference"] for row in due if row["record_type"] == "pupil"] == ["P1"]

    done, _ = retention_anonymise(
        selections=[("pupil", left_long_ago.pk)], actor=principal, today=date(2026, 12, 1)
    )
    assert done == ["P1"]
    pupil = Pupil.objects.get(number="P1")
    assert (pupil.full_name, pupil.date_of_birth, pupil.form) == ("Anonymised pupil", None, "")
    assert not pupil.parents.exists()


def test_a_pupil_can_be_put_on_legal_hold_by_their_number(user_with_role):
    principal = user_with_role(Role.PRINCIPAL)
    PupilFactory(number="P1", left_on=date(2019, 7, 20))
    hold = legal_hold_place(reference="p1", reason="Claim expected", actor=principal)
    assert (hold.record_type, hold.reference) == ("pupil", "P1")
    with pytest.raises(PrivacyError, match="No incident, complaint, concern or pupil"):
        legal_hold_place(reference="P404", reason="?", actor=principal)
