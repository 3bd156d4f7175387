from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from overstone.evidence import evidence_storage
from overstone.schools import SchoolField, scoped_manager
from overstone.schoolyear import school_year_label
from overstone.validators import validate_single_line

STALLED_AFTER = timedelta(minutes=30)  # the report task's hard limit is 25 minutes


class PolicyDocument(models.Model):
    """A policy or yearly duty on the school's register, with the date its review falls
    due."""

    school = SchoolField()
    title = models.CharField(max_length=200, validators=[validate_single_line])
    version = models.CharField(max_length=20, default="1.0")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="policies_owned"
    )
    approved_on = models.DateField(null=True, blank=True)
    review_due = models.DateField(db_index=True)
    review_every_months = models.PositiveSmallIntegerField(default=12)
    notes = models.TextField(blank=True)
    # The policy asks that parents can read this policy and the Complaints policy: the
    # text published to everyone who logs in (Markdown); blank when not published.
    published_text = models.TextField(
        "text published to parents and staff",
        blank=True,
        help_text="Markdown. Everyone who logs in can read it, parents included; leave it "
        "empty for a policy the school does not publish.",
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["review_due", "title"]
        constraints = [
            models.UniqueConstraint(fields=["school", "title"], name="one_policy_title_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:policy_detail", args=[self.pk])

    def days_to_review(self, today: date) -> int:
        return (self.review_due - today).days

    def next_review_after(self, reviewed_on: date) -> date:
        return reviewed_on + relativedelta(months=self.review_every_months)


class PolicyReview(models.Model):
    policy = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    version = models.CharField(max_length=20)
    notes = models.TextField(blank=True)
    next_review_due = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(path="policy__school")

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.policy.title} reviewed {self.reviewed_on}"


class PolicyReminder(models.Model):
    """One reminder e-mail sent; the unique constraint keeps each one to once."""

    class Kind(models.TextChoices):
        DAYS_60 = "60", "60 days before"
        DAYS_30 = "30", "30 days before"
        DAYS_7 = "7", "7 days before"
        OVERDUE = "overdue", "Overdue"

    policy = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="reminders")
    review_due = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager(path="policy__school")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "review_due", "kind"], name="one_reminder_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy.title}: {self.get_kind_display()} {self.review_due}"


class AnnualReport(models.Model):
    """The school's annual report on the policy, one version after another per year."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being generated"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    school = SchoolField()
    school_year = models.PositiveSmallIntegerField(help_text="The year it starts, e.g. 2025.")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(default=dict, blank=True)
    html = models.TextField(blank=True)
    pdf = models.FileField(storage=evidence_storage, upload_to="reports/", blank=True)
    # The policy asks for an annual report "on the success and development of this policy":
    # the figures are counted, the development is written by the principal, per version.
    development = models.TextField(
        "development of the policy",
        blank=True,
        help_text="How the policy has developed this year and what comes next. Markdown. "
        "Anonymised like the figures: name no pupil, member of staff or parent.",
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["-school_year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "version"], name="one_report_version_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"Annual report {self.year_label} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:report_detail", args=[self.pk])

    @property
    def year_label(self) -> str:
        return school_year_label(self.school_year)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def may_write_development(self) -> bool:
        """The development section is written about figures that are there to read."""
        return self.status == self.Status.DONE

    @property
    def is_stalled(self) -> bool:
        """Unfinished long after the task's hard time limit: its worker or message was
        lost (a filesystem broker does not redeliver), so it may be started again."""
        return not self.is_finished and timezone.now() - self.requested_at > STALLED_AFTER
