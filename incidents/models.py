from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from overstone.evidence import EvidenceFile
from overstone.models import AppendOnlyModel, AppendOnlyQuerySet, MonitoredCategory
from overstone.schools import SchoolField, scoped_manager


class FilteringCategory(models.TextChoices):
    """Content the school's internet filter blocks (the policy's list)."""

    ADULT = "adult", "Adult content"
    VIOLENT = "violent", "Violent content"
    HATE = "hate", "Hate material"
    ILLEGAL_DRUGS = "illegal_drugs", "Illegal drug taking"
    CRIMINAL = "criminal", "Criminal content"
    GAMBLING = "gambling", "Gambling"
    NON_EDUCATIONAL = "non_educational", "Non-educational / social networking"
    # What a filter export names that is none of the above (the import says so).
    OTHER_WEB = "other_web", "Other web content"


class AbuseCategory(models.TextChoices):
    """Harm the policy names beside the filtering list and the monitored comments: social
    media used "to groom and abuse children", cyber bullying, and the offensive e-mail
    pupils are asked to report."""

    GROOMING = "grooming", "Grooming"
    CYBERBULLYING = "cyberbullying", "Cyberbullying"
    OFFENSIVE_EMAIL = "offensive_email", "Offensive e-mail"


CATEGORY_CHOICES = [
    ("Internet filtering", FilteringCategory.choices),
    ("Online abuse", AbuseCategory.choices),
    ("Online conduct", MonitoredCategory.choices),
]
CATEGORY_LABELS = {value: label for _, choices in CATEGORY_CHOICES for value, label in choices}


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class Location(models.TextChoices):
    SCHOOL_NETWORK = "school_network", "School network"
    SCHOOL_DEVICE = "school_device", "School device"
    PERSONAL_DEVICE = "personal_device", "Personal device"
    ONLINE_PLATFORM = "online_platform", "Online platform / social media"
    OTHER = "other", "Other"


class YearGroup(models.TextChoices):
    NURSERY = "N", "Nursery"
    RECEPTION = "R", "Reception"
    Y1 = "1", "Year 1"
    Y2 = "2", "Year 2"
    Y3 = "3", "Year 3"
    Y4 = "4", "Year 4"
    Y5 = "5", "Year 5"
    Y6 = "6", "Year 6"
    Y7 = "7", "Year 7"
    Y8 = "8", "Year 8"
    Y9 = "9", "Year 9"
    Y10 = "10", "Year 10"
    Y11 = "11", "Year 11"
    Y12 = "12", "Year 12"
    Y13 = "13", "Year 13"


class Incident(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        REPORTED_TO_PRINCIPAL = "reported_to_principal", "Reported to the principal"
        CLOSED = "closed", "Closed"

    school = SchoolField()
    # Unique across the trust: the sequence is shared by schools without a code, and a
    # code makes a school's references its own.
    reference = models.CharField(max_length=20, unique=True, editable=False)
    occurred_at = models.DateTimeField(db_index=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incidents_reported"
    )
    category = models.CharField(max_length=30, choices=CATEGORY_CHOICES, db_index=True)
    severity = models.CharField(
        max_length=10, choices=Severity.choices, default=Severity.MEDIUM, db_index=True
    )
    location = models.CharField(
        "where", max_length=20, choices=Location.choices, default=Location.SCHOOL_NETWORK
    )
    location_detail = models.CharField(
        "where, in detail",
        max_length=200,
        blank=True,
        help_text="Room and device, or the platform and account.",
    )
    description = models.TextField()
    staff_involved = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="incidents_involved_in"
    )
    status = models.CharField(
        max_length=30, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    isp_contacted_at = models.DateTimeField("ISP contacted at", null=True, blank=True)
    isp_reference = models.CharField("ISP reference", max_length=100, blank=True, db_index=True)
    police_contacted_at = models.DateTimeField(null=True, blank=True)
    police_reference = models.CharField(max_length=100, blank=True, db_index=True)
    outcome = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    principal_notified_at = models.DateTimeField(null=True, blank=True)
    # Set for incidents imported from the web filter, so a row is never imported twice
    # into the school (two schools may share a filter's export).
    filter_alert_key = models.CharField(max_length=64, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        # Every list is one school's: its indexes start with the school (5M incidents
        # across a trust of 50 schools).
        indexes = [
            models.Index(fields=["school", "-occurred_at", "-id"], name="incident_recent_first"),
            # The list filtered by category (and severity): counted and paged from the index.
            models.Index(
                fields=["school", "category", "severity", "-occurred_at", "-id"],
                name="incident_category_severity",
            ),
            # The list filtered by status, and the open incidents counted for the work queue.
            models.Index(
                fields=["school", "status", "-occurred_at", "-id"], name="incident_school_status"
            ),
            # The daily digest: what was logged in the school since yesterday.
            models.Index(fields=["school", "created_at"], name="incident_school_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "filter_alert_key"], name="filter_alert_imported_once"
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("incidents:detail", args=[self.reference])

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS.get(self.category, self.category)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class PupilInvolved(models.Model):
    """A pupil named on an incident: picked from the pupils (``pupil``), or as free text for
    one not on the list. The name and year group are kept as they were when logged."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="pupils")
    pupil = models.ForeignKey(
        "pupils.Pupil",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incident_mentions",
    )
    name = models.CharField(max_length=150)
    year_group = models.CharField(max_length=2, choices=YearGroup.choices)

    objects = scoped_manager(path="incident__school")

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "pupils involved"

    def __str__(self) -> str:
        return f"{self.name} ({self.get_year_group_display()})"


class Evidence(EvidenceFile):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="evidence")

    objects = scoped_manager(path="incident__school")

    class Meta(EvidenceFile.Meta):
        verbose_name_plural = "evidence"


class IncidentEvent(AppendOnlyModel):
    """One line of an incident's chronology. Written once, never changed."""

    class Kind(models.TextChoices):
        CREATED = "created", "Logged"
        EDITED = "edited", "Edited"
        EVIDENCE_ADDED = "evidence_added", "Evidence added"
        REPORTED = "reported", "Reported to the principal"
        ISP_CONTACTED = "isp_contacted", "ISP contacted"
        POLICE_CONTACTED = "police_contacted", "Police contacted"
        CLOSED = "closed", "Closed"
        EVIDENCE_TAMPERED = "evidence_tampered", "Evidence failed its integrity check"
        ANONYMISED = "anonymised", "Anonymised under the retention policy"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)

    objects = scoped_manager(AppendOnlyQuerySet, path="incident__school")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind} at {self.at:%Y-%m-%d %H:%M}"


class AlertMode(models.TextChoices):
    IMMEDIATE = "immediate", "At once, one e-mail per incident"
    DIGEST = "digest", "In the daily digest"


class AlertPreference(models.Model):
    """How one person wants new incidents of one severity announced, in one school (a
    coordinator at two schools chooses for each). Without a row the default holds (see
    incidents.alerts.alert_modes); the immediate severities of the settings cannot be
    moved to the digest."""

    school = SchoolField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="incident_alert_modes"
    )
    severity = models.CharField(max_length=10, choices=Severity.choices)
    mode = models.CharField(max_length=10, choices=AlertMode.choices)

    objects = scoped_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user", "severity"], name="one_alert_mode_per_severity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.severity}: {self.mode}"


class IncidentAlert(models.Model):
    """One incident announced to one person, at once or in a digest. At most one per
    person, incident and mode: a digest never repeats what that person was already sent
    (it leaves out every incident they have an alert for), and a severity raised after a
    digest listed the incident is still announced at once, once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="incident_alerts"
    )
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="alerts")
    mode = models.CharField(max_length=10, choices=AlertMode.choices)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = scoped_manager(path="incident__school")

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "incident", "mode"], name="one_alert_per_incident_and_mode"
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} to {self.user_id} ({self.mode})"
