"""Demo data protection: two complaints from years ago past retention (complaints.demo
dates them; one is put on legal hold here) and an open subject-access request from the
demo parent."""

from datetime import timedelta

from django.utils import timezone

from overstone.personal_data import record_kind
from overstone.roles import Role
from privacy.models import LegalHold, SubjectAccessRequest
from privacy.selectors import past_retention
from privacy.services import legal_hold_place, sar_create


def seed(people: dict) -> str:
    principal, parent = people[Role.PRINCIPAL], people[Role.PARENT]
    old = past_retention(user=principal, today=timezone.localdate(), kind=record_kind("complaint"))[
        :2
    ]
    references = [row["reference"] for row in old]
    if len(references) == 2 and not LegalHold.objects.exists():
        legal_hold_place(
            reference=references[1],
            reason="The parent has issued a claim; keep until it is settled.",
            actor=principal,
        )
    if not SubjectAccessRequest.objects.exists():
        sar_create(
            actor=principal,
            subject_name=parent.get_full_name() or parent.username,
            subject_user=parent,
            received_on=timezone.localdate() - timedelta(days=20),
            notes="Asked by e-mail for everything the school holds about them.",
        )
    return f"{len(references)} complaints past retention, 1 subject-access request"
