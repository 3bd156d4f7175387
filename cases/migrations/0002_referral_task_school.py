"""Referrals and case tasks belong to a school (overstone.schools): the existing ones to the
first school. The indexes of the reminders and of a person's open tasks start with it."""

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
        ("cases", "0001_referrals_and_tasks"),
        ("overstone", "0017_roles_into_memberships"),
    ]

    operations = [
        migrations.AddField("referral", "school", school_field(null=True)),
        migrations.AddField("casetask", "school", school_field(null=True)),
        overstone.schools.records_into_first_school("cases", "Referral", "CaseTask"),
        migrations.AlterField(
            "referral", "school", school_field(default=overstone.schools.school_id_or_default)
        ),
        migrations.AlterField(
            "casetask", "school", school_field(default=overstone.schools.school_id_or_default)
        ),
        migrations.RemoveIndex(model_name="referral", name="referral_unanswered"),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                condition=models.Q(("responded_on__isnull", True)),
                fields=["school", "response_due"],
                name="referral_unanswered",
            ),
        ),
        migrations.RemoveIndex(model_name="casetask", name="case_task_open"),
        migrations.AddIndex(
            model_name="casetask",
            index=models.Index(
                condition=models.Q(("done_at__isnull", True)),
                fields=["school", "owner", "due_on"],
                name="case_task_open",
            ),
        ),
    ]
