"""How the school checks that the policy works: the annual e-safety audit (a checklist
from a template the school edits), the filtering review, lesson observations and
conversations, each noted against a policy on the register; and the risk assessments."""

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse

from overstone.schools import SchoolField, scoped_manager
from overstone.validators import validate_single_line
from reporting.models import PolicyDocument


class ChecklistItem(models.Model):
    """One line of the school's e-safety audit template. An audit copies the lines in
    use when it starts, so editing or retiring a line never changes an audit already
    made."""

    school = SchoolField()
    text = models.CharField(max_length=300, validators=[validate_single_line])
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lines are listed in this order (lowest first)."
    )
    in_use = models.BooleanField(
        default=True, help_text="Untick to leave it out of audits started from now on."
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class CheckKind(models.TextChoices):
    AUDIT = "audit", "Annual e-safety audit"
    FILTERING = "filtering", "Filtering review"
    OBSERVATION = "observation", "Lesson observation"
    CONVERSATION = "conversation", "Conversation"


class SpokeWith(models.TextChoices):
    PUPILS = "pupils", "Pupils"
    STAFF = "staff", "School personnel"
    PARENTS = "parents", "Parents and carers"
    GOVERNORS = "governors", "Governors"


class FilteringResult(models.TextChoices):
    EFFECTIVE = "effective", "Appropriate, effective and reasonable"
    CHANGES_NEEDED = "changes_needed", "Changes needed"
    NOT_EFFECTIVE = "not_effective", "Not effective"


class EffectivenessCheck(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        COMPLETED = "completed", "Completed"

    school = SchoolField()
    reference = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=CheckKind.choices, db_index=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    policy = models.ForeignKey(
        PolicyDocument,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The policy on the register this check is noted against; completing the "
        "check moves its review date on.",
    )
    held_on = models.DateField("date of the check")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(
        max_length=200,
        validators=[validate_single_line],
        help_text="E.g. the lesson observed or the group spoken with. Name no pupil.",
    )
    spoke_with = models.CharField(
        "spoke with", max_length=20, choices=SpokeWith.choices, blank=True
    )
    tested = models.TextField("what was tested", blank=True)
    result = models.CharField(max_length=20, choices=FilteringResult.choices, blank=True)
    findings = models.TextField(blank=True)
    actions = models.TextField("actions agreed", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "reference"], name="unique_check_reference")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("effectiveness:check_detail", args=[self.reference])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Outcome(models.TextChoices):
    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"


class AuditItem(models.Model):
    """One line of one audit, copied from the template, with its finding."""

    audit = models.ForeignKey(EffectivenessCheck, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    evidence = models.TextField(blank=True)
    action = models.TextField(blank=True)

    objects = scoped_manager(path="audit__school")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class RiskAssessment(models.Model):
    """A risk assessment "to reduce Internet misuse" on the register, with its review."""

    school = SchoolField()
    activity = models.CharField(max_length=200, validators=[validate_single_line])
    risks = models.TextField()
    controls = models.TextField("controls in place")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risk_assessments"
    )
    review_due = models.DateField("review date", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["review_due", "activity"]

    def __str__(self) -> str:
        return self.activity

    def get_absolute_url(self) -> str:
        return reverse("effectiveness:risk_detail", args=[self.pk])

    def is_overdue(self, today: date) -> bool:
        return self.review_due < today


class RiskReminder(models.Model):
    """One reminder sent; the constraint keeps each to once per review date."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Review due soon"
        OVERDUE = "overdue", "Review overdue"

    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.CASCADE, related_name="reminders"
    )
    review_due = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(path="assessment__school")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "review_due", "kind"], name="one_risk_reminder_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.get_kind_display()} {self.review_due}"
