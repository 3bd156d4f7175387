"""What referrals and tasks on a case hold about people, for data protection (see
overstone.personal_data).

They are seen by whoever may see their record (``cases.records``): a complaint about the
principal is the chair of governors' alone, with its referrals and tasks. They are kept as
long as their record and anonymised with it.
"""

from cases.models import CaseTask, Referral
from cases.records import visible_cases_q
from cases.services import case_anonymise
from overstone.personal_data import (
    AttachedToRecord,
    Mention,
    NotPersonal,
    SubjectAccessSource,
    register,
)
from overstone.roles import Role, user_roles


def _referrals(user):
    return Referral.objects.filter(visible_cases_q(user))


def _tasks(user):
    return CaseTask.objects.filter(visible_cases_q(user))


def _conflict_of_interest(user) -> str:
    if Role.PRINCIPAL in user_roles(user):
        return (
            "Referrals and tasks on complaints about the principal are left out (conflict "
            "of interest): the chair of governors, who alone may open them, handles them."
        )
    return ""


register(
    AttachedToRecord(
        "Referrals and tasks on a case",
        lambda reference, actor: case_anonymise(reference=reference, actor=actor),
    ),
    SubjectAccessSource(
        label="Referral to an outside agency",
        model=Referral,
        records=_referrals,
        text_fields=("contact", "outcome"),
        account_fields=(),
        date_field="referred_on",
        describe=lambda referral: Mention(
            "Referral to an outside agency",
            referral.record_reference,
            referral.referred_on,
            f"{referral.get_agency_display()}. {referral.contact} {referral.outcome}".strip(),
            "",
        ),
        withheld=_conflict_of_interest,
    ),
    SubjectAccessSource(
        label="Task on a case",
        model=CaseTask,
        records=_tasks,
        text_fields=("what",),
        account_fields=("owner",),
        date_field="due_on",
        describe=lambda task: Mention(
            "Task on a case", task.record_reference, task.due_on, task.what, ""
        ),
        withheld=_conflict_of_interest,
    ),
    NotPersonal(
        "cases.Referral",
        ("referred_by",),
        "Who made the referral: the school's record of its staff at work (who was contacted "
        "and what came of it are searched).",
    ),
    NotPersonal(
        "cases.CaseTask",
        ("created_by", "done_by"),
        "Who set the task and who marked it done: the school's record of its staff at work "
        "(the owner and what the task says are searched).",
    ),
)
