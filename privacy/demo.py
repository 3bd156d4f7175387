"""Demo data protection: two complaints from years ago past retention (one on legal
hold) and an open subject-access request from the demo parent."""

from datetime import timedelta

from django.utils import timezone

from complaints.models import FINAL_STAGES, OnlineComplaint
from overstone.roles import Role
from privacy.models import LegalHold, SubjectAccessRequest
from privacy.services import legal_hold_place, sar_create


def seed(people: dict) -> str:
    principal, parent = people[Role.PRINCIPAL], people[Role.PARENT]
    finished = OnlineComplaint.objects.filter(stage__in=FINAL_STAGES).order_by("pk")
    old = list(finished[:2])
    # The demo pretends these finished seven years ago, so the retention list has work.
    seven_years_ago = timezone.now() - timedelta(days=7 * 365)
    OnlineComplaint.objects.filter(pk__in=[c.pk for c in old]).update(finished_at=seven_years_ago)
    if len(old) == 2 and not LegalHold.objects.exists():
        legal_hold_place(
            reference=old[1].reference,
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
    return f"{len(old)} complaints past retention, 1 subject-access request"
