from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from overstone.evidence import EvidenceFile
from overstone.models import AppendOnlyModel, AppendOnlyQuerySet, MonitoredCategory
from overstone.schools import SchoolField, scoped_manager


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X / Twitter"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    WHATSAPP = "whatsapp", "WhatsApp"
    YOUTUBE = "youtube", "YouTube"
    OTHER = "other", "Other"


class About(models.TextChoices):
    SCHOOL = "school", "The school"
    STAFF = "staff", "Named staff"
    PUPILS = "pupils", "Pupils"


class Stage(models.TextChoices):
    """The policy's path for online complaints by parents/carers, in order."""

    REPORTED = "reported", "Reported"
    # The policy's words: "supporting and reassuring school personnel". A complaint about
    # the school or pupils passes this stage with a reason (complaints.stages).
    STAFF_SUPPORTED = "staff_supported", "School personnel supported and reassured"
    EVIDENCE_GATHERED = "evidence_gathered", "Evidence gathered"
    PARENTS_MEETING = "parents_meeting", "Met the parents"
    REMOVAL_REQUESTED = "removal_requested", "Removal requested"
    RESOLVED = "resolved", "Resolved"
    LEGAL_WARNING_GIVEN = "legal_warning_given", "Legal-action warning given"
    GOVERNORS_MEETING = "governors_meeting", "Met with the chair of governors"
    WAY_FORWARD = "way_forward", "Way forward discussed"
    LEGAL_ADVICE = "legal_advice", "Legal advice taken"
    CLOSED = "closed", "Closed"


FINAL_STAGES = frozenset({Stage.RESOLVED, Stage.CLOSED})

# The monitored categories whose posts are about school personnel: the policy's first step,
# "supporting and reassuring school personnel", applies to them whatever "about" says.
STAFF_CATEGORIES = frozenset(
    {
        MonitoredCategory.ALLEGATION_STAFF,
        MonitoredCategory.COMPLAINT_STAFF,
        MonitoredCategory.DEFAMATORY_STAFF,
        MonitoredCategory.OFFENSIVE_STAFF,
        MonitoredCategory.UNAUTHORISED_PHOTO,
    }
)


class OnlineComplaint(models.Model):
    school = SchoolField()
    reference = models.CharField(max_length=20, unique=True, editable=False)
    platform = models.CharField(max_length=20, choices=Platform.choices, db_index=True)
    post_url = models.URLField("post URL", max_length=2000, blank=True)
    account_handle = models.CharField("account / handle", max_length=200, blank=True)
    posted_at = models.DateTimeField("when posted")
    content = models.TextField("what was posted")
    posted_by_name = models.CharField(
        "who posted it", max_length=200, blank=True, help_text="The parent or carer, if known."
    )
    posted_by_parent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="posted by (parent account)",
    )
    about = models.CharField("whom it is about", max_length=10, choices=About.choices)
    staff_about = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="complaints_about_me"
    )
    pupils_about = models.CharField(
        "pupils concerned",
        max_length=300,
        blank=True,
        help_text="Names stay inside Overstone: never in e-mails or reports.",
    )
    # Set when a named staff member is the principal: the complaint goes to the chair.
    about_principal = models.BooleanField(default=False, db_index=True)
    category = models.CharField(
        "monitored category", max_length=30, choices=MonitoredCategory.choices, db_index=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaints_reported"
    )
    stage = models.CharField(
        max_length=30, choices=Stage.choices, default=Stage.REPORTED, db_index=True
    )
    stage_entered_at = models.DateTimeField(default=timezone.now)
    stage_due = models.DateField(null=True, blank=True, db_index=True)
    escalated_at = models.DateTimeField(
        "reached the chair of governors", null=True, blank=True, db_index=True
    )
    # The meeting with the chair of governors as arranged (the letter inviting to it).
    governors_meeting_at = models.DateTimeField(null=True, blank=True)
    governors_meeting_place = models.CharField(max_length=200, blank=True)
    support_note = models.TextField(blank=True)
    warning_given_on = models.DateField(null=True, blank=True)
    legal_adviser = models.CharField(max_length=200, blank=True)
    legal_advice_on = models.DateField(null=True, blank=True)
    legal_advice_summary = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The board's order in a school, overdue first (complaints.selectors.complaint_list).
            models.Index(
                fields=["school", "stage_due", "-created_at", "-id"], name="complaint_board_order"
            ),
            # The board's counts per stage, of complaints about the principal or not.
            models.Index(
                fields=["school", "about_principal", "stage"], name="complaint_stage_counts"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("complaints:detail", args=[self.reference])

    @property
    def withheld_from_principal(self) -> bool:
        """Conflict of interest: audit entries about it stay out of the principal's log."""
        return self.about_principal

    @property
    def is_finished(self) -> bool:
        return self.stage in FINAL_STAGES

    @property
    def is_about_staff(self) -> bool:
        """About a member of staff: named, the principal, or a category about school
        personnel (an allegation about a teacher is one even if "about" says the school)."""
        return (
            self.about == About.STAFF or self.about_principal or self.category in STAFF_CATEGORIES
        )

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(self.stage_due and not self.is_finished and self.stage_due < today)

    @property
    def posted_by_known(self) -> str:
        """Who posted it, or "" when no one knows (a letter then greets "Parent/Carer")."""
        if self.posted_by_parent_id:
            parent = self.posted_by_parent
            return parent.get_full_name() or parent.username
        return self.posted_by_name

    @property
    def posted_by_label(self) -> str:
        return self.posted_by_known or "Not known"


class Evidence(EvidenceFile):
    complaint = models.ForeignKey(
        OnlineComplaint, on_delete=models.CASCADE, related_name="evidence"
    )

    objects = scoped_manager(path="complaint__school")

    class Meta(EvidenceFile.Meta):
        verbose_name_plural = "evidence"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        PARENTS = "parents", "Meeting with the parents"
        GOVERNORS = "governors", "Meeting with the chair of governors and the parents"

    complaint = models.ForeignKey(
        OnlineComplaint, on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    held_at = models.DateTimeField("when")
    attendees = models.TextField("who attended")
    notes = models.TextField(blank=True)
    outcome = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = scoped_manager(path="complaint__school")

    class Meta:
        ordering = ["held_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_at:%Y-%m-%d}"


class RemovalRequest(models.Model):
    class Outcome(models.TextChoices):
        """What came of asking; a complaint is resolved only once each request has one."""

        REMOVED = "removed", "Removed"
        REFUSED = "refused", "Refused by the platform"
        AUTHOR_UNREACHABLE = "author_unreachable", "Author not reachable"

    complaint = models.ForeignKey(
        OnlineComplaint, on_delete=models.CASCADE, related_name="removal_requests"
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    post_url = models.URLField("post URL", max_length=2000, blank=True)
    platform_reference = models.CharField("platform report reference", max_length=200, blank=True)
    requested_at = models.DateTimeField("asked when")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField("outcome known when", null=True, blank=True)
    outcome_note = models.TextField(blank=True)

    objects = scoped_manager(path="complaint__school")

    class Meta:
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.requested_at:%Y-%m-%d}"


class ComplaintEvent(AppendOnlyModel):
    """One line of a complaint's chronology. Written once, never changed."""

    class Kind(models.TextChoices):
        CREATED = "created", "Reported"
        TRANSITION = "transition", "Stage changed"
        EVIDENCE_ADDED = "evidence_added", "Evidence added"
        EVIDENCE_TAMPERED = "evidence_tampered", "Evidence failed its integrity check"
        REMOVAL_REQUESTED = "removal_requested", "Removal requested"
        # Stored as "removal_confirmed" from when removal was the only outcome recorded.
        REMOVAL_OUTCOME = "removal_confirmed", "Removal request's outcome recorded"
        LETTER = "letter", "Letter produced"
        BUNDLE = "bundle", "Evidence bundle downloaded"
        REMINDER = "reminder", "Overdue reminder sent"
        NOTIFIED = "notified", "Notified"
        ANONYMISED = "anonymised", "Anonymised under the retention policy"
        CHAIR_INVITED = "chair_invited", "Meeting with the chair of governors arranged"
        NOTE = "note", "Note added"

    complaint = models.ForeignKey(OnlineComplaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_stage = models.CharField(max_length=30, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=30, choices=Stage.choices, blank=True)
    summary = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)

    objects = scoped_manager(AppendOnlyQuerySet, path="complaint__school")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} at {self.at:%Y-%m-%d %H:%M}"


class StageReminder(models.Model):
    """The overdue reminder sent for one stage of one complaint: at most one each."""

    complaint = models.ForeignKey(
        OnlineComplaint, on_delete=models.CASCADE, related_name="reminders"
    )
    stage = models.CharField(max_length=30, choices=Stage.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    objects = scoped_manager(path="complaint__school")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "stage"], name="one_reminder_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.stage}"


class Concern(models.Model):
    """A concern or complaint a parent raises privately: the traditional route."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        IN_PROGRESS = "in_progress", "Being looked into"
        ANSWERED = "answered", "Answered"

    school = SchoolField()
    reference = models.CharField(max_length=20, unique=True, editable=False)
    # Empty only once the concern has been anonymised under the retention policy.
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="concerns_raised",
    )
    subject = models.CharField(max_length=200)
    details = models.TextField()
    # Conflict of interest, as for complaints: such a concern goes to the chair of governors.
    about_principal = models.BooleanField(
        "my concern is about the principal",
        default=False,
        db_index=True,
        help_text="Then it goes to the chair of governors instead of the principal.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    response = models.TextField(
        blank=True, help_text="What the parent sees: keep it short and factual."
    )
    # The last school day to answer it (OVERSTONE_CONCERN_ANSWER_SCHOOL_DAYS after it was raised).
    answer_due = models.DateField(null=True, blank=True, db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # When the principal (or chair) was told of it, the parent sent the answer, the
    # overdue reminder sent: each once.
    notified_at = models.DateTimeField(null=True, blank=True)
    answer_emailed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The concerns' list in a school, newest first (complaints.selectors.concern_list).
            models.Index(fields=["school", "-created_at", "-id"], name="concern_list_order")
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("complaints:concern_detail", args=[self.reference])

    @property
    def withheld_from_principal(self) -> bool:
        """Conflict of interest: audit entries about it stay out of the principal's log."""
        return self.about_principal

    @property
    def is_answered(self) -> bool:
        return self.status == self.Status.ANSWERED

    def is_overdue(self, today=None) -> bool:
        """Not answered by the end of its last school day."""
        today = today or timezone.localdate()
        return bool(self.answer_due and not self.is_answered and self.answer_due < today)


class ConcernEvent(AppendOnlyModel):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True, choices=Concern.Status.choices)
    to_status = models.CharField(max_length=20, blank=True, choices=Concern.Status.choices)
    summary = models.TextField(blank=True)

    objects = scoped_manager(AppendOnlyQuerySet, path="concern__school")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.concern_id} {self.to_status} at {self.at:%Y-%m-%d %H:%M}"


class CalendarEntry(models.Model):
    """A school's term calendar: terms, and the days inside them school is closed. Each
    school keeps its own (``complaints.selectors.school_calendar``)."""

    class Kind(models.TextChoices):
        TERM = "term", "Term"
        HOLIDAY = "holiday", "Holiday (half term, bank holiday)"
        INSET = "inset", "INSET day"

    school = SchoolField()
    kind = models.CharField(max_length=10, choices=Kind.choices, db_index=True)
    name = models.CharField(max_length=100)
    starts_on = models.DateField()
    ends_on = models.DateField()

    objects = scoped_manager()

    class Meta:
        ordering = ["starts_on", "kind", "pk"]
        verbose_name_plural = "calendar entries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="calendar_entry_ends_after_start",
                violation_error_message="The end is before the start.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on} – {self.ends_on})"
