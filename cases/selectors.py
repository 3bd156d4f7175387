"""Every read of referrals and case tasks, already limited to those on records the user
may see (``cases.records.visible_cases_q``): a complaint about the principal stays the
chair of governors' alone, with its referrals and tasks."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import CaseTask, Referral
from cases.records import visible_cases_q, with_record_kind


def referral_list(*, user, overdue_only: bool = False, today: date | None = None) -> QuerySet:
    """Referrals this user may see, unanswered ones by their expected date first."""
    referrals = with_record_kind(
        Referral.objects.filter(visible_cases_q(user)).select_related("referred_by")
    )
    if overdue_only:
        referrals = referrals.filter(overdue_referrals_q(today or timezone.localdate()))
    return referrals.order_by("responded_on", "response_due", "pk")


def overdue_referrals_q(today: date) -> Q:
    """No response recorded by the end of the day it was expected (``Referral.is_overdue``)."""
    return Q(responded_on__isnull=True, response_due__lt=today)


def referrals_on(*, user, reference: str) -> QuerySet:
    return Referral.objects.filter(visible_cases_q(user), record_reference=reference).order_by(
        "referred_on", "pk"
    )


def tasks_on(*, user, reference: str) -> QuerySet:
    """The record's tasks, open ones first."""
    return (
        CaseTask.objects.filter(visible_cases_q(user), record_reference=reference)
        .select_related("owner", "done_by")
        .order_by("done_at", "due_on", "pk")
    )


def open_tasks_for(user) -> QuerySet:
    """The open tasks this user owns on records they may still see, soonest due first:
    their work queue."""
    tasks = CaseTask.objects.filter(visible_cases_q(user), owner=user, done_at__isnull=True)
    return with_record_kind(tasks).order_by("due_on", "pk")
