"""Training's records belong to a school: existing ones to the first school. A parent
can have a profile at each school; induction validity, the termly reminder and the
working party are each school's own."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import overstone.schools

RECORDS = (
    "InductionRecord",
    "InductionValidity",
    "ParentInvitation",
    "ParentProfile",
    "TermReminder",
    "TrainingSession",
    "WorkingPartyMeeting",
    "WorkingPartyMember",
)


def school_field(*, null: bool) -> models.ForeignKey:
    if null:
        return models.ForeignKey(
            null=True,
            on_delete=django.db.models.deletion.PROTECT,
            related_name="+",
            to="overstone.school",
        )
    return models.ForeignKey(
        default=overstone.schools.school_id_or_default,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="overstone.school",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("overstone", "0017_roles_into_memberships"),
        ("training", "0008_search_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="inductionrecord",
            name="one_record_per_staff_topic",
        ),
        migrations.RemoveConstraint(
            model_name="termreminder",
            name="one_reminder_per_term",
        ),
        *(
            migrations.AddField(
                model_name=name.lower(), name="school", field=school_field(null=True)
            )
            for name in RECORDS
        ),
        overstone.schools.records_into_first_school("training", *RECORDS),
        *(
            migrations.AlterField(
                model_name=name.lower(), name="school", field=school_field(null=False)
            )
            for name in RECORDS
        ),
        migrations.AlterField(
            model_name="inductionvalidity",
            name="topic",
            field=models.CharField(
                choices=[
                    ("this_policy", "All aspects of this policy"),
                    ("social_networking", "Internet Social Networking"),
                    ("e_safety", "E-safety"),
                    ("complaints", "Complaints"),
                    ("home_school_agreement", "Home School Agreement"),
                    ("communications", "Communications"),
                    (
                        "allegations",
                        "Dealing with Allegations against School Personnel, Volunteers, "
                        "Principal or Pupils",
                    ),
                    ("equal_opportunities", "Equal opportunities"),
                    ("inclusion", "Inclusion"),
                ],
                max_length=40,
            ),
        ),
        migrations.AlterField(
            model_name="parentprofile",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="parent_profiles",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="trainingsession",
            index=models.Index(fields=["school", "starts_at"], name="session_school_starts"),
        ),
        migrations.AddIndex(
            model_name="workingpartymeeting",
            index=models.Index(fields=["school", "-held_on"], name="meeting_school_held_on"),
        ),
        migrations.AddConstraint(
            model_name="inductionrecord",
            constraint=models.UniqueConstraint(
                fields=("school", "staff", "topic"), name="one_record_per_staff_topic"
            ),
        ),
        migrations.AddConstraint(
            model_name="inductionvalidity",
            constraint=models.UniqueConstraint(
                fields=("school", "topic"), name="one_validity_a_topic"
            ),
        ),
        migrations.AddConstraint(
            model_name="parentprofile",
            constraint=models.UniqueConstraint(
                fields=("school", "user"), name="one_parent_profile_a_school"
            ),
        ),
        migrations.AddConstraint(
            model_name="termreminder",
            constraint=models.UniqueConstraint(
                fields=("school", "school_year", "term"), name="one_reminder_per_term"
            ),
        ),
    ]
