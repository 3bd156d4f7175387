"""Pupils belong to a school (overstone.schools): existing pupils go to the first school,
and a pupil number is unique within its school only."""

import django.db.models.deletion
from django.db import migrations, models

import overstone.schools


class Migration(migrations.Migration):
    dependencies = [
        ("overstone", "0017_roles_into_memberships"),
        ("pupils", "0002_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="pupil",
            name="school",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="overstone.school",
            ),
        ),
        overstone.schools.records_into_first_school("pupils", "Pupil"),
        migrations.AlterField(
            model_name="pupil",
            name="school",
            field=models.ForeignKey(
                default=overstone.schools.school_id_or_default,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="overstone.school",
            ),
        ),
        migrations.AlterField(
            model_name="pupil",
            name="number",
            field=models.CharField(max_length=20, verbose_name="pupil number"),
        ),
        migrations.AddConstraint(
            model_name="pupil",
            constraint=models.UniqueConstraint(
                fields=("school", "number"), name="one_pupil_per_number"
            ),
        ),
        migrations.AddIndex(
            model_name="pupil",
            index=models.Index(
                fields=["school", "last_name", "first_name", "number"], name="pupil_school_list"
            ),
        ),
    ]
