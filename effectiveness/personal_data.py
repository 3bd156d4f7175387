"""What effectiveness checks and risk assessments hold about people, for data protection
(see overstone.personal_data).

Checks name who carried them out, and their notes (findings, evidence, actions) may
mention someone spoken with or observed; risk assessments name their owner. They are the
school's record of monitoring its policy, open to a role as a whole, so there is no
retention kind: the principal answers a subject-access request from these sources."""

from django.urls import reverse

from effectiveness.models import EffectivenessCheck, RiskAssessment
from overstone.personal_data import Mention, SubjectAccessSource, register


def _describe_check(check: EffectivenessCheck) -> Mention:
    return Mention(
        "Effectiveness check",
        check.reference,
        check.held_on,
        f"{check.get_kind_display()}: {check.title} ({check.get_status_display().lower()})",
        check.get_absolute_url(),
    )


def _describe_risk(assessment: RiskAssessment) -> Mention:
    return Mention(
        "Risk assessment",
        assessment.activity,
        assessment.created_at,
        f"Owner; review date {assessment.review_due:%d %B %Y}",
        reverse("effectiveness:risk_detail", args=[assessment.pk]),
    )


register(
    SubjectAccessSource(
        label="Effectiveness check",
        model=EffectivenessCheck,
        records=lambda user: EffectivenessCheck.objects.all(),
        text_fields=("title", "tested", "findings", "actions", "items__evidence", "items__action"),
        account_fields=("checked_by", "created_by", "completed_by"),
        date_field="held_on",
        describe=_describe_check,
    ),
    SubjectAccessSource(
        label="Risk assessment",
        model=RiskAssessment,
        records=lambda user: RiskAssessment.objects.all(),
        text_fields=("activity", "risks", "controls"),
        account_fields=("owner",),
        date_field="created_at",
        describe=_describe_risk,
    ),
)
