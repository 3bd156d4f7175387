"""Agreements and reminders belong to a school (overstone.schools): existing ones go to
the first school; a title is unique within its school only."""

import django.db.models.deletion
from django.db import migrations, models

import overstone.schools
import overstone.validators


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
        ("agreements", "0002_signature_per_pupil"),
    ]

    operations = [
        migrations.AddField(model_name="agreement", name="school", field=school_field(null=True)),
        migrations.AddField(
            model_name="agreementreminder", name="school", field=school_field(null=True)
        ),
        overstone.schools.records_into_first_school("agreements", "Agreement", "AgreementReminder"),
        migrations.AlterField(
            model_name="agreement",
            name="school",
            field=school_field(default=overstone.schools.school_id_or_default),
        ),
        migrations.AlterField(
            model_name="agreementreminder",
            name="school",
            field=school_field(default=overstone.schools.school_id_or_default),
        ),
        migrations.AlterField(
            model_name="agreement",
            name="title",
            field=models.CharField(
                max_length=200, validators=[overstone.validators.validate_single_line]
            ),
        ),
        migrations.AddConstraint(
            model_name="agreement",
            constraint=models.UniqueConstraint(
                fields=("school", "title"), name="one_agreement_per_title"
            ),
        ),
    ]
