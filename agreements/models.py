"""The agreements and consent register: the statements the policy asks people to sign.

An agreement (the Home-School Agreement, Acceptable Use, Internet access consent, staff
"Responsible Internet Use") has versions; a signature belongs to one version, so a new
version asks everyone again. Parents sign once for each child.

A child on the school's pupil records is signed for once (by either parent) and the
signature keeps their pupil number (``child_key``) with their name, year group and form
as they were when signed. A parent with no child on record names the child instead
(``child_key`` empty).
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.safestring import SafeString

from overstone.markdown import render_markdown
from overstone.schools import SchoolField, scoped_manager
from overstone.validators import validate_single_line


class Signers(models.TextChoices):
    PARENTS = "parents", "Parents and carers, for each child"
    STAFF = "staff", "School personnel"
    GOVERNORS = "governors", "Governors"


class Agreement(models.Model):
    school = SchoolField()
    title = models.CharField(max_length=200, validators=[validate_single_line])
    signers = models.CharField(max_length=20, choices=Signers.choices, db_index=True)
    purpose = models.CharField(
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text="Why it is signed, in a line (shown to those asked to sign).",
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["school", "title"], name="one_agreement_per_title")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:document", args=[self.pk])

    @property
    def per_child(self) -> bool:
        return self.signers == Signers.PARENTS


class AgreementVersion(models.Model):
    """One version's text. The current one is the latest already in effect."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(max_length=20, validators=[validate_single_line])
    text = models.TextField(help_text="Markdown.")
    effective_on = models.DateField(db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(path="agreement__school")

    class Meta:
        ordering = ["-effective_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "version"], name="one_version_label")
        ]

    def __str__(self) -> str:
        return f"{self.agreement.title} v{self.version}"

    @property
    def text_html(self) -> SafeString:
        return render_markdown(self.text)


class Signature(models.Model):
    """Someone's agreement to one version: online (a typed name and a tick) or on paper,
    recorded by the coordinator. Parents sign once per child; others once."""

    class Method(models.TextChoices):
        ONLINE = "online", "Online"
        PAPER = "paper", "On paper"

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agreement_signatures"
    )
    child_name = models.CharField(max_length=200, blank=True, validators=[validate_single_line])
    # The pupil number of a child on record: how the pupil's page finds the signature.
    child_key = models.CharField(max_length=50, blank=True, db_index=True)
    year_group = models.CharField(max_length=30, blank=True)
    form = models.CharField(max_length=30, blank=True)
    typed_name = models.CharField(max_length=200, validators=[validate_single_line])
    signed_at = models.DateTimeField(db_index=True)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.ONLINE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    objects = scoped_manager(path="version__agreement__school")

    class Meta:
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "version", "signer", Lower("child_name"), name="one_signature_per_child"
            ),
            models.UniqueConstraint(
                fields=["version", "child_key"],
                condition=~models.Q(child_key=""),
                name="one_signature_per_pupil",
            ),
        ]

    def __str__(self) -> str:
        child = f" for {self.child_name}" if self.child_name else ""
        return f"{self.signer} signed {self.version}{child}"


class AgreementReminder(models.Model):
    """One reminder e-mail to a person about what they have not signed at a school: at
    most one a week from each school (``REMINDER_EVERY`` in services)."""

    school = SchoolField()
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agreement_reminders"
    )
    sent_at = models.DateTimeField(db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"Reminder to {self.person} at {self.sent_at:%Y-%m-%d %H:%M}"


YEAR_GROUPS = ["Reception", *(f"Year {n}" for n in range(1, 14))]
