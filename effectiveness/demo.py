"""Demo effectiveness checks, the audit template and risk assessments."""

from datetime import timedelta

from django.utils import timezone

from effectiveness.models import CheckKind, ChecklistItem, EffectivenessCheck, RiskAssessment
from effectiveness.selectors import social_media_policy
from effectiveness.services import (
    audit_items_save,
    check_complete,
    check_create,
    checklist_item_save,
    risk_assessment_save,
)
from overstone.roles import Role

CHECKLIST = [
    "The e-Safety policy has been reviewed against local authority guidance this year.",
    "Every member of staff has signed the Responsible Internet Use statement.",
    "Parents have been offered social-media awareness training this year.",
    "Internet access is filtered by the provider and the filtering is reviewed annually.",
    "e-Safety incidents are logged and reported to the principal.",
    "Pupils are taught e-safety in every year group.",
]

RISKS = [
    # activity, risks, controls, review in days
    ("Pupils using the internet in computing lessons",
     "Access to inappropriate content; contact with strangers.",
     "Filtered provider; supervised lessons; acceptable-use agreement.", 10),
    ("School Facebook page",
     "Negative or offensive comments about staff or pupils; photographs without consent.",
     "Comments moderated daily; photograph consent checked before posting.", 120),
    ("Staff use of personal devices",
     "School data on unmanaged devices.",
     "Device policy; no pupil data on personal devices.", -5),
]  # fmt: skip


def seed(people: dict) -> str:
    coordinator = people[Role.COORDINATOR]
    today = timezone.localdate()
    for position, text in enumerate(CHECKLIST, start=1):
        if not ChecklistItem.objects.filter(text=text).exists():
            checklist_item_save(item=ChecklistItem(text=text, position=position), actor=coordinator)
    for activity, risks, controls, days in RISKS:
        if not RiskAssessment.objects.filter(activity=activity).exists():
            assessment = RiskAssessment(
                activity=activity, risks=risks, controls=controls, owner=coordinator,
                review_due=today + timedelta(days=days),
            )  # fmt: skip
            risk_assessment_save(assessment=assessment, actor=coordinator)
    policy = social_media_policy()
    if policy is not None and not EffectivenessCheck.objects.exists():
        common = {"policy": policy, "checked_by": coordinator, "actor": coordinator}
        audit = check_create(kind=CheckKind.AUDIT, title="Annual e-safety audit",
                             held_on=today - timedelta(days=30), **common)  # fmt: skip
        findings = {
            item.pk: {"outcome": "met", "evidence": "Seen and recorded.", "action": ""}
            for item in audit.items.all()
        }
        last = audit.items.last()
        findings[last.pk] = {"outcome": "partly", "evidence": "Years 7 to 9 only.",
                             "action": "Add e-safety to the Year 10 and 11 PSHE plan."}  # fmt: skip
        audit_items_save(check=audit, findings=findings, actor=coordinator)
        check_complete(check=audit, actor=coordinator)
        for kind, days_ago, fields in [
            (CheckKind.OBSERVATION, 21, {
                "title": "Year 8 computing: reporting worries online",
                "findings": "Pupils named the report button and a trusted adult; two were "
                            "unsure how to block a stranger.",
                "actions": "Add blocking to the Year 8 scheme of work.",
            }),
            (CheckKind.CONVERSATION, 14, {
                "title": "Year 10 pupils on group chats", "spoke_with": "pupils",
                "findings": "Pupils know the policy's rules on photographs; unkind group "
                            "chats are their main worry.",
            }),
        ]:  # fmt: skip
            check = check_create(
                kind=kind, held_on=today - timedelta(days=days_ago), **fields, **common
            )
            check_complete(check=check, actor=coordinator)
        check_create(
            kind=CheckKind.FILTERING, title="Provider's filtering service",
            held_on=today - timedelta(days=7),
            tested="Searched for gambling and social networking sites from a pupil account.",
            **common,
        )  # fmt: skip
    checks = EffectivenessCheck.objects.count()
    return f"{len(CHECKLIST)} checklist lines, {len(RISKS)} risk assessments, {checks} checks"
