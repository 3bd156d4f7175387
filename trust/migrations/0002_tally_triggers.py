"""The database keeps the trust's figures (trust.figures): PostgreSQL only; SQLite counts
them when asked. Changing ``trust.figures.COUNTED`` needs a new migration running
``tally_triggers_create`` again (it replaces the functions and triggers, and counts
again from the records)."""

from django.db import migrations

from trust.figures import tally_triggers_create, tally_triggers_drop


class Migration(migrations.Migration):
    dependencies = [
        ("trust", "0001_tally"),
        ("incidents", "0012_incident_school"),
        ("complaints", "0011_schools"),
    ]

    operations = [migrations.RunPython(tally_triggers_create, tally_triggers_drop)]
