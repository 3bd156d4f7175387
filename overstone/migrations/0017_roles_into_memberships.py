"""The roles people held (one group per role) become their roles at the installation's
one school, created here when there is anyone to hold them."""

from django.conf import settings
from django.db import migrations


def groups_to_memberships(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    School = apps.get_model("overstone", "School")
    Trust = apps.get_model("overstone", "Trust")
    Membership = apps.get_model("overstone", "Membership")
    held = list(User.groups.through.objects.values_list("user_id", "group__name"))
    if not held:
        return
    school = School.objects.order_by("pk").first()
    if school is None:
        trust = Trust.objects.create(name=settings.OVERSTONE_SCHOOL_NAME)
        school = School.objects.create(trust=trust, name=settings.OVERSTONE_SCHOOL_NAME)
    Membership.objects.bulk_create(
        [Membership(user_id=user_id, school=school, role=role) for user_id, role in held],
        ignore_conflicts=True,
        batch_size=1000,
    )


def memberships_to_groups(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Group = apps.get_model("auth", "Group")
    Membership = apps.get_model("overstone", "Membership")
    groups = {}
    for user_id, role in Membership.objects.values_list("user_id", "role").distinct():
        group = groups.get(role) or Group.objects.get_or_create(name=role)[0]
        groups[role] = group
        User.groups.through.objects.get_or_create(user_id=user_id, group_id=group.pk)


class Migration(migrations.Migration):
    dependencies = [("overstone", "0016_schools")]

    operations = [migrations.RunPython(groups_to_memberships, memberships_to_groups)]
