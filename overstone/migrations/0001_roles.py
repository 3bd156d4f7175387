from django.db import migrations

# Written out rather than imported: a migration must not change when the code does.
ROLE_NAMES = [
    "principal",
    "slt",
    "coordinator",
    "staff",
    "governor",
    "chair_of_governors",
    "parent",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, remove_roles)]
