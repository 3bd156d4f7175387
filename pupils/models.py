from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat
from django.urls import reverse

from overstone.schools import SchoolField, scoped_manager


class YearGroup(models.TextChoices):
    """The year groups a pupil can be in (the school's information system uses these)."""

    Y7 = "7", "Year 7"
    Y8 = "8", "Year 8"
    Y9 = "9", "Year 9"
    Y10 = "10", "Year 10"
    Y11 = "11", "Year 11"
    Y12 = "12", "Year 12"
    Y13 = "13", "Year 13"


class Pupil(models.Model):
    """A pupil as the school's information system knows them, kept up to date by
    re-importing its export (matched by pupil number); a leaver is kept, marked left."""

    school = SchoolField()
    number = models.CharField("pupil number", max_length=20)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    # Searched as a whole (subject access looks for "Jamie Doe", not each name alone).
    full_name = models.GeneratedField(
        expression=Concat("first_name", Value(" "), "last_name"),
        output_field=models.CharField(max_length=201),
        db_persist=True,
    )
    date_of_birth = models.DateField(null=True, blank=True)
    year_group = models.CharField(max_length=2, choices=YearGroup.choices, db_index=True)
    form = models.CharField(max_length=20, blank=True)
    parents = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="children")
    left_on = models.DateField(null=True, blank=True, db_index=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["last_name", "first_name", "number"]
        constraints = [
            # The school's information system numbers its own pupils; another school's
            # may use the same number.
            models.UniqueConstraint(fields=["school", "number"], name="one_pupil_per_number")
        ]
        indexes = [
            # The pupils list: a school's pupils on the roll (or leavers), by name.
            models.Index(
                fields=["school", "last_name", "first_name", "number"], name="pupil_school_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_year_group_display()})"

    def get_absolute_url(self) -> str:
        return reverse("pupils:detail", args=[self.number])

    @property
    def reference(self) -> str:
        """How data protection and the audit log name a pupil: their pupil number."""
        return self.number

    @reference.setter
    def reference(self, value: str) -> None:
        """Data protection's queries annotate ``reference`` (the number again): nothing to
        keep."""

    @property
    def pick_label(self) -> str:
        """How a form offers the pupil to pick (``pupil_picked`` reads the number back)."""
        form = f", {self.form}" if self.form else ""
        return f"{self.full_name} ({self.get_year_group_display()}{form}) · {self.number}"

    @property
    def has_left(self) -> bool:
        return self.left_on is not None


def name_key(name: str) -> str:
    """A full name as compared when matching free text to pupils: case and spaces aside."""
    return " ".join(name.split()).casefold()
