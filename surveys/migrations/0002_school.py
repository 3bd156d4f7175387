"""Surveys and School Council meetings belong to a school (overstone.schools): existing
ones go to the first school."""

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
        ("overstone", "0017_roles_into_memberships"),
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.AddField(model_name="survey", name="school", field=school_field(null=True)),
        migrations.AddField(
            model_name="councilmeeting", name="school", field=school_field(null=True)
        ),
        overstone.schools.records_into_first_school("surveys", "Survey", "CouncilMeeting"),
        migrations.AlterField(
            model_name="survey",
            name="school",
            field=school_field(default=overstone.schools.school_id_or_default),
        ),
        migrations.AlterField(
            model_name="councilmeeting",
            name="school",
            field=school_field(default=overstone.schools.school_id_or_default),
        ),
        migrations.AddIndex(
            model_name="survey",
            index=models.Index(fields=["school", "-opens_on"], name="survey_school_opens"),
        ),
    ]
