"""Data protection: retention, legal holds and subject-access requests.

The records themselves belong to their apps; this app keeps what the principal decided
about them. A record is referred to by its type and primary key (and its reference, for
people to read), so one table serves every kind of record the apps declare in their
``personal_data`` modules.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from overstone.models import AppendOnlyModel, AppendOnlyQuerySet
from overstone.schools import SchoolField, scoped_manager


class LegalHold(models.Model):
    """Keep a record whatever its retention period says (a claim, an investigation)."""

    school = SchoolField()
    record_type = models.CharField(
        max_length=20, help_text="The name of its record kind (overstone.personal_data)."
    )
    record_id = models.PositiveBigIntegerField()
    reference = models.CharField(max_length=20)
    reason = models.CharField(max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(auto_now_add=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id"],
                condition=models.Q(lifted_at__isnull=True),
                name="one_active_legal_hold_per_record",
            )
        ]

    def __str__(self) -> str:
        return f"Legal hold on {self.reference}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class Anonymisation(AppendOnlyModel):
    """The principal's approval that a record past retention was anonymised."""

    school = SchoolField()
    record_type = models.CharField(
        max_length=20, help_text="The name of its record kind (overstone.personal_data)."
    )
    record_id = models.PositiveBigIntegerField()
    reference = models.CharField(max_length=20)
    finished_at = models.DateTimeField(help_text="When the record was closed or answered.")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = scoped_manager(AppendOnlyQuerySet)

    class Meta:
        ordering = ["-approved_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id"], name="one_anonymisation_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} anonymised"


class RetentionReview(models.Model):
    """The monthly list of records past retention put to the principal: one a month."""

    school = SchoolField()
    month = models.DateField(help_text="The first day of the month.")
    records_listed = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["school", "month"], name="one_retention_review_a_month")
        ]

    def __str__(self) -> str:
        return f"Retention review {self.month:%B %Y}"


class SubjectAccessRequest(models.Model):
    """A person's request for the personal data Overstone holds about them.

    Due one calendar month after it was received (UK GDPR article 12(3)); extendable by
    two further months for a complex request, with the reason recorded.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed"

    school = SchoolField()
    reference = models.CharField(max_length=20, editable=False)
    subject_name = models.CharField("the person's name", max_length=150)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="their Overstone account",
    )
    other_names = models.TextField(
        blank=True,
        help_text="Other names they go by, one a line (a maiden name, a handle).",
    )
    received_on = models.DateField()
    due_on = models.DateField(db_index=True)
    extension_reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    completed_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The principal's reminders, each sent once: a week before the due date, and when late.
    reminded_due_soon_at = models.DateTimeField(null=True, blank=True)
    reminded_overdue_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["status", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "reference"], name="unique_sar_reference")
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.subject_name})"

    def get_absolute_url(self) -> str:
        return reverse("privacy:sar_detail", args=[self.reference])

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and self.due_on < today
