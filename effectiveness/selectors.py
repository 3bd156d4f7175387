"""Reads for effectiveness pages. Every page is open to a role as a whole (SLT read,
the principal and coordinator manage): nothing here is narrowed per person."""

from django.db.models import QuerySet
from django.http import Http404

from effectiveness.models import ChecklistItem, EffectivenessCheck, RiskAssessment
from reporting.models import PolicyDocument

# The register entry a check is noted against unless the coordinator picks another.
SOCIAL_MEDIA_POLICY_TITLE = "Parent & Community Use of Social Media Policy"


def check_list(*, kind: str = "") -> QuerySet[EffectivenessCheck]:
    checks = EffectivenessCheck.objects.select_related("policy", "checked_by")
    return checks.filter(kind=kind) if kind else checks


def check_get(*, reference: str) -> EffectivenessCheck:
    check = check_list().filter(reference=reference).first()
    if check is None:
        raise Http404
    return check


def checklist_items() -> QuerySet[ChecklistItem]:
    return ChecklistItem.objects.all()


def social_media_policy() -> PolicyDocument | None:
    return PolicyDocument.objects.filter(title=SOCIAL_MEDIA_POLICY_TITLE).first()


def risk_assessment_list() -> QuerySet[RiskAssessment]:
    return RiskAssessment.objects.select_related("owner")
