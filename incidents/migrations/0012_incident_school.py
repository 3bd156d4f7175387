"""Incidents belong to a school (overstone.schools): the existing ones to the first school.
The list's indexes start with the school; a web filter row is imported once per school;
alert preferences are chosen per school."""

import django.db.models.deletion
from django.db import migrations, models

import overstone.schools


def school_field(**kwargs):
    return models.ForeignKey(
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="overstone.school",
        **kwargs,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0011_search_reference_indexes"),
        ("overstone", "0017_roles_into_memberships"),
    ]

    operations = [
        migrations.AddField("incident", "school", school_field(null=True)),
        migrations.AddField("alertpreference", "school", school_field(null=True)),
        overstone.schools.records_into_first_school("incidents", "Incident", "AlertPreference"),
        migrations.AlterField(
            "incident", "school", school_field(default=overstone.schools.school_id_or_default)
        ),
        migrations.AlterField(
            "alertpreference",
            "school",
            school_field(default=overstone.schools.school_id_or_default),
        ),
        migrations.RemoveIndex(model_name="incident", name="incident_recent_first"),
        migrations.RemoveIndex(model_name="incident", name="incident_category_severity"),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(
                fields=["school", "-occurred_at", "-id"], name="incident_recent_first"
            ),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(
                fields=["school", "category", "severity", "-occurred_at", "-id"],
                name="incident_category_severity",
            ),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(
                fields=["school", "status", "-occurred_at", "-id"], name="incident_school_status"
            ),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(fields=["school", "created_at"], name="incident_school_created"),
        ),
        migrations.AlterField(
            model_name="incident",
            name="filter_alert_key",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AddConstraint(
            model_name="incident",
            constraint=models.UniqueConstraint(
                fields=("school", "filter_alert_key"), name="filter_alert_imported_once"
            ),
        ),
        migrations.RemoveConstraint(
            model_name="alertpreference", name="one_alert_mode_per_severity"
        ),
        migrations.AddConstraint(
            model_name="alertpreference",
            constraint=models.UniqueConstraint(
                fields=("school", "user", "severity"), name="one_alert_mode_per_severity"
            ),
        ),
    ]
