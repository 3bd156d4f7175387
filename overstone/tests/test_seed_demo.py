from django.contrib.auth import get_user_model
from django.core.management import call_command

from overstone.roles import Role, user_roles


def test_seed_demo_is_idempotent_and_gives_every_role_a_login(db):
    call_command("seed_demo", password="pw-for-this-test")
    call_command("seed_demo", password="pw-for-this-test")
    users = get_user_model().objects.filter(username__in=Role.values)
    assert users.count() == len(Role)
    for user in users:
        assert user.check_password("pw-for-this-test")
        assert user_roles(user) == {Role(user.username)}
