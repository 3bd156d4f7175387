"""Complaints, concerns and the term calendar belong to a school: what there is goes to
the first school; the board's and the concerns' lists are indexed by school first."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import overstone.schools

MODELS = ("onlinecomplaint", "concern", "calendarentry")


def school_field(**kwargs):
    return models.ForeignKey(
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="overstone.school",
        **kwargs,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0010_removal_outcome_notes_staff_support"),
        ("overstone", "0017_roles_into_memberships"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        *[
            migrations.AddField(model_name=name, name="school", field=school_field(null=True))
            for name in MODELS
        ],
        overstone.schools.records_into_first_school(
            "complaints", "OnlineComplaint", "Concern", "CalendarEntry"
        ),
        *[
            migrations.AlterField(
                model_name=name,
                name="school",
                field=school_field(default=overstone.schools.school_id_or_default),
            )
            for name in MODELS
        ],
        migrations.RemoveIndex(model_name="onlinecomplaint", name="complaint_board_order"),
        migrations.RemoveIndex(model_name="onlinecomplaint", name="complaint_stage_counts"),
        migrations.AddIndex(
            model_name="onlinecomplaint",
            index=models.Index(
                fields=["school", "stage_due", "-created_at", "-id"], name="complaint_board_order"
            ),
        ),
        migrations.AddIndex(
            model_name="onlinecomplaint",
            index=models.Index(
                fields=["school", "about_principal", "stage"], name="complaint_stage_counts"
            ),
        ),
        migrations.AddIndex(
            model_name="concern",
            index=models.Index(fields=["school", "-created_at", "-id"], name="concern_list_order"),
        ),
    ]
