from django.contrib.auth import get_user_model
from django.core.management import call_command

from incidents.models import Evidence, Incident
from overstone.roles import Role, user_roles
from pupils.models import Pupil
from reporting.models import AnnualReport, PolicyDocument

DEMO_MODELS = [Incident, Evidence, PolicyDocument, AnnualReport, Pupil]


def test_seed_demo_is_idempotent_and_gives_every_role_a_login(db):
    call_command("seed_demo", password="pw-for-this-test")
    counts = {model: model.objects.count() for model in DEMO_MODELS}
    call_command("seed_demo", password="pw-for-this-test")
    assert {model: model.objects.count() for model in DEMO_MODELS} == counts
    assert all(counts.values())
    users = get_user_model().objects.filter(username__in=Role.values)
    assert users.count() == len(Role)
    for user in users:
        assert user.check_password("pw-for-this-test")
        assert user_roles(user) == {Role(user.username)}
