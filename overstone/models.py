from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager, ScopeError, get_scope


# The school in scope, here for the kernel's own records' default; used through
# overstone.schools, which imports this module.
def current_school_id() -> int | None:
    """The school in scope, or None when no single school is (no scope, scopes
    disabled, or a trust-wide scope of several)."""
    value = get_scope().get("school")
    if isinstance(value, School):
        return value.pk
    if isinstance(value, int):
        return value
    return None


def default_school() -> "School":
    """The school of a single-school installation, created on first use."""
    first_two = list(School.objects.order_by("pk")[:2])
    if len(first_two) > 1:
        raise ScopeError("Several schools: say which one (overstone.schools.school_scope).")
    if first_two:
        return first_two[0]
    trust = Trust.objects.order_by("pk").first() or Trust.objects.create(
        name=settings.OVERSTONE_SCHOOL_NAME
    )
    return School.objects.create(trust=trust, name=settings.OVERSTONE_SCHOOL_NAME)


def school_id_in_scope() -> int:
    """The school a kernel record created now belongs to (``overstone.schools``'
    ``school_id_or_default``, which imports this module)."""
    return current_school_id() or default_school().pk


def SchoolField() -> models.ForeignKey:  # noqa: N802 - used like a field class
    """``overstone.schools.SchoolField`` for the kernel's own records."""
    return models.ForeignKey(
        "School", on_delete=models.PROTECT, related_name="+", default=school_id_in_scope
    )


def scoped_manager(queryset_class=models.QuerySet):
    """``overstone.schools.scoped_manager`` for the kernel's own records."""
    return ScopedManager(
        school="school", _manager_class=models.Manager.from_queryset(queryset_class)
    )


class OutboxMessage(models.Model):
    """A Celery task to send, written in the same transaction as the change it follows.

    Saving a user's work never depends on the broker: if it is down, the message waits
    here and the dispatch_outbox beat task sends it when the broker is back.
    """

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # The school the task runs in: the one in scope when it was queued (SchoolTask).
    school = models.ForeignKey("School", null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"


class MonitoredCategory(models.TextChoices):
    """The kinds of online conduct the principal must monitor (the policy's list)."""

    ALLEGATION_STAFF = "allegation_staff", "Allegation about school personnel"
    ALLEGATION_PUPILS = "allegation_pupils", "Allegation about pupils"
    COMPLAINT_SCHOOL = "complaint_school", "Complaint about the school"
    COMPLAINT_STAFF = "complaint_staff", "Complaint about school personnel"
    DEFAMATORY_SCHOOL = "defamatory_school", "Defamatory statement about the school"
    DEFAMATORY_STAFF = "defamatory_staff", "Defamatory statement about school personnel"
    OFFENSIVE_STAFF = "offensive_staff", "Negative or offensive comment about school personnel"
    OFFENSIVE_PUPILS = "offensive_pupils", "Negative or offensive comment about pupils"
    RACIST_HOMOPHOBIC = "racist_homophobic", "Racist or homophobic comment"
    THREAT_OF_VIOLENCE = "threat_of_violence", "Comment threatening violence"
    UNAUTHORISED_PHOTO = "unauthorised_photo", "Unauthorised photograph of school personnel"


class ReferenceSequence(models.Model):
    """The last number handed out for a prefix and year, e.g. INC-2026-0042."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="unique_reference_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_value}"


# What an anonymised record says instead of its text (the retention policy).
ANONYMISED_TEXT = "[Anonymised under the retention policy]"


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} entries cannot be changed")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} entries cannot be deleted")

    def redact(self, **blanks) -> int:
        """The one sanctioned change: blank what entries say (their text), keeping who did
        what and when. Only the retention policy's approved anonymisation calls this."""
        return super().update(**blanks)


class AppendOnlyModel(models.Model):
    """A record that is written once: chronology and audit entries."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} entries cannot be deleted")


class AuditLogEntry(AppendOnlyModel):
    """Who looked at or took away sensitive records, or changed someone's security or a
    setting-like record that keeps no history of its own (term calendar, policy register,
    legal holds, subject-access requests), when, and from where.

    Kept per school: what was done in a request belongs to its school, and each school's
    principal reads their own. Written by ``overstone.audit``. Append-only twice over: the
    model refuses changes, and on PostgreSQL a trigger refuses UPDATE and DELETE. A user
    who appears here cannot be deleted (deactivate the account instead). ``user`` is empty
    for what was done from the command line; ``username`` then names the system account.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        DOWNLOAD = "download", "Downloaded"
        EXPORT = "export", "Exported"
        TWO_FACTOR_RESET = "two_factor_reset", "Reset two-factor login of"
        CHANGE = "change", "Changed"

    school = SchoolField()
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="audit_entries",
        null=True,
        blank=True,
    )
    username = models.CharField(max_length=150, help_text="As it was at the time.")
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=100, db_index=True)
    object_reference = models.CharField(max_length=200, db_index=True)
    path = models.CharField(max_length=500)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # For a change: {field: [before, after]}, as text.
    changes = models.JSONField(default=dict, blank=True)
    # About a complaint or concern about the principal (the record's own
    # ``withheld_from_principal``): not in the audit log's page, which is the principal's.
    withheld_from_principal = models.BooleanField(default=False)

    objects = scoped_manager(AppendOnlyQuerySet)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit log entries"
        # The principal's page: one school's entries, newest first.
        indexes = [models.Index(fields=["school", "-at"], name="audit_school_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_reference}"


class Email(models.Model):
    """One e-mail queued by ``overstone.notify``: rendered when it was decided, sent by
    the ``overstone.tasks.send_email`` task, tried again with back-off until it is sent
    or has failed ``MAX_TRIES`` times. ``sent_at`` is what keeps a retry, or a task the
    broker delivers twice, from sending it again. Once sent, only the record of it is
    kept (to whom, subject, when): the body and attachments are blanked."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    school = SchoolField()
    template = models.CharField(max_length=200)
    to = models.JSONField(default=list)
    subject = models.TextField()
    body = models.TextField()
    # [{"filename": ..., "mimetype": ..., "content": base64}]
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    tries = models.PositiveIntegerField(default=0)
    next_try_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # About a complaint or concern about the principal: kept out of the principal's list
    # of failed e-mails (conflict of interest: its subject and recipients say it exists).
    withheld_from_principal = models.BooleanField(default=False)

    objects = scoped_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_status_display().lower()})"


# A job of an unfinished kind older than this was lost with its worker or message: it no
# longer blocks a new import of its kind (the import task's hard limit is 6 minutes).
IMPORT_STALLED_AFTER = timedelta(minutes=15)


class ImportJob(models.Model):
    """One uploaded file being imported by a Celery task, all rows or none.

    The upload is kept here (never in a served folder) until the task has read it. At
    most one job of each kind is queued or running at a time.
    """

    class Kind(models.TextChoices):
        PARENTS = "parents", "Parent accounts"
        FILTER_ALERTS = "filter_alerts", "Web filter alerts"
        PUPILS = "pupils", "Pupils"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Nothing imported"

    school = SchoolField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The uploaded bytes (UTF-8), emptied once the import has finished. Bytes, not text:
    # a NUL character, which PostgreSQL refuses in text, must reach the row check.
    upload = models.BinaryField(blank=True)
    upload_sha256 = models.CharField(max_length=64, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    # [[line, reason], ...]: every row problem when nothing was imported.
    errors = models.JSONField(default=list, blank=True)
    # What was done, e.g. {"created": 12000, "already_present": 3}.
    result = models.JSONField(default=dict, blank=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_unfinished_import_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_stalled(self) -> bool:
        return not self.is_finished and timezone.now() - self.requested_at > IMPORT_STALLED_AFTER

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class RecordLink(models.Model):
    """An incident and an online complaint about the same post, linked by their
    references.

    The link lives in the kernel because neither record app may import the other (see
    docs/architecture.md): each app declares in its ``links.py`` how one of its records is
    found for a user, and ``overstone.links`` writes and reads the link for both pages. A
    record is linked to at most one of the other kind.

    Counted once: the complaint always carries a monitored category, an incident not
    always (filtering, online abuse), so in the monitored counts a linked pair is counted
    through the complaint and the incident's own counter leaves out linked incidents
    (``incidents.selectors.incident_counts_by_category``). The incident still counts in
    the report's "incidents by category".
    """

    school = SchoolField()
    incident_reference = models.CharField(max_length=20)
    complaint_reference = models.CharField(max_length=20)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-linked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "incident_reference"], name="one_link_per_incident"
            ),
            models.UniqueConstraint(
                fields=["school", "complaint_reference"], name="one_link_per_complaint"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_reference} ↔ {self.complaint_reference}"


class Trust(models.Model):
    """A multi-academy trust: the schools of one installation, seen together by its
    trust roles. A single-school installation has one trust nobody sees."""

    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """The scope of every record (``overstone.schools``).

    ``code`` goes in front of references (``OPS-INC-2026-0042``); the one school of a
    single-school installation has none, so its references read as they always did.
    """

    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    code = models.CharField(
        max_length=5,
        blank=True,
        help_text="Two to five capitals put in front of references, e.g. OPS.",
    )
    number_on_roll = models.PositiveIntegerField(
        default=0, help_text="Pupils on roll, for the trust's figures per 1,000 pupils."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="unique_school_code"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A role a person holds at one school, or across the trust (``school`` empty: the
    trust roles). A person can be staff at one school and a parent at another."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school", "role"],
                condition=models.Q(school__isnull=False),
                name="unique_school_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(school__isnull=True),
                name="unique_trust_membership",
            ),
        ]
        indexes = [models.Index(fields=["school", "role"], name="membership_school_role")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} at {self.school_id or 'the trust'}"
