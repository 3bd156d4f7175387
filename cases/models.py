"""Referrals to outside agencies and tasks, on an incident or an online complaint.

Both attach to their record by its reference, as ``overstone.models.RecordLink`` does,
so one implementation serves the two record apps, which may not import each other.
Which record a reference names, and who may see it or act on it, is the record app's
own answer (``cases.records``).
"""

from django.conf import settings
from django.db import models

from complaints.models import OnlineComplaint
from overstone.schools import SchoolField, scoped_manager


class Agency(models.TextChoices):
    POLICE = "police", "Police"
    LADO = "lado", "Local authority designated officer (LADO)"
    HR = "hr", "HR"
    PLATFORM = "platform", "The platform's report tool"
    ISP = "isp", "Internet service provider"


class Referral(models.Model):
    """A case referred to an agency, which is expected to respond by ``response_due``.

    Overdue when no response is recorded by the end of that day (``is_overdue``); the
    person who referred it is reminded once (``reminded_at``).
    """

    school = SchoolField()
    record_reference = models.CharField(max_length=20, db_index=True)
    agency = models.CharField(max_length=20, choices=Agency.choices)
    referred_on = models.DateField()
    agency_reference = models.CharField("their reference", max_length=100, blank=True)
    contact = models.CharField(max_length=200, blank=True)
    response_due = models.DateField("response expected by")
    responded_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["referred_on", "pk"]
        indexes = [
            models.Index(
                fields=["school", "response_due"],
                name="referral_unanswered",
                condition=models.Q(responded_on__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_reference}: {self.get_agency_display()}"

    @property
    def withheld_from_principal(self) -> bool:
        """On a complaint about the principal: audit entries stay out of their log."""
        return OnlineComplaint.objects.filter(
            reference=self.record_reference, about_principal=True
        ).exists()

    @property
    def reference(self) -> str:
        """The record's reference: audit entries about a referral are filed under it."""
        return self.record_reference

    def is_overdue(self, today) -> bool:
        return self.responded_on is None and self.response_due < today


class CaseTask(models.Model):
    """Something someone must do on a case, by a date; its owner is reminded once, on the
    day it is due (or the first day after, if the reminder could not go that day)."""

    school = SchoolField()
    record_reference = models.CharField(max_length=20, db_index=True)
    what = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["school", "owner", "due_on"],
                name="case_task_open",
                condition=models.Q(done_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_reference}: {self.what}"

    @property
    def withheld_from_principal(self) -> bool:
        """On a complaint about the principal: audit entries stay out of their log."""
        return OnlineComplaint.objects.filter(
            reference=self.record_reference, about_principal=True
        ).exists()

    @property
    def reference(self) -> str:
        return self.record_reference

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today) -> bool:
        return self.done_at is None and self.due_on < today
