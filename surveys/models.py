"""Surveys of parents, staff, governors and pupils, and the School Council's meetings.

A survey is anonymous or named, chosen when it is set up and shown to everyone asked.
An anonymous response keeps no link to its respondent: it has a random key (not a number
in the order of arrival), the day it was given and not the time, and no account. One
response per person is still kept by ``Answered`` (the survey and the account, nothing
else), which no answer points to.

Pupils have no accounts: a class code handed out in a lesson lets up to ``places``
responses in, each browser session once (see ``ClassCode``).
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from overstone.schools import SchoolField, scoped_manager
from overstone.validators import validate_single_line

# Groups with fewer respondents than this are not broken down (results, export, report).
SMALL_GROUP = 5


class Audience(models.TextChoices):
    PARENTS = "parents", "Parents and carers"
    STAFF = "staff", "School personnel"
    GOVERNORS = "governors", "Governors"
    PUPILS = "pupils", "Pupils (with a class code)"


class Survey(models.Model):
    school = SchoolField()
    title = models.CharField(max_length=200, validators=[validate_single_line])
    introduction = models.TextField(blank=True, help_text="Shown above the questions.")
    audiences = models.JSONField(default=list, help_text="Audience values.")
    opens_on = models.DateField(db_index=True)
    closes_on = models.DateField(db_index=True)
    anonymous = models.BooleanField(
        default=True,
        help_text="Shown to everyone asked, before they answer.",
    )
    in_annual_report = models.BooleanField(
        "Include in the annual report",
        default=False,
        help_text="Counts only, in the report of the year the survey closed.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        # The surveys list, and those open to answer: a school's, newest first.
        indexes = [models.Index(fields=["school", "-opens_on"], name="survey_school_opens")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", args=[self.pk])

    def audience_labels(self) -> list[str]:
        return [Audience(value).label for value in self.audiences]

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "One choice"
        MULTIPLE = "multiple", "Several choices"
        SCALE = "scale", "Scale from 1 to 5"
        TEXT = "text", "Free text"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300, validators=[validate_single_line])
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The choices of a single or multiple choice question, in order.
    options = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)

    objects = scoped_manager(path="survey__school")

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="one_question_per_place")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def choices(self) -> list[str]:
        """What a respondent picks from (the scale's points for a scale)."""
        if self.kind == self.Kind.SCALE:
            return [str(point) for point in range(1, 6)]
        return list(self.options)


# No 0/O or 1/I/L: read aloud and copied from a board without mistakes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_class_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class ClassCode(models.Model):
    """A code for one class (form) to answer a pupils' survey, handed out in a lesson.

    It lets ``places`` responses in. A browser session that has answered is refused a
    second time; a pupil who opens another browser (or a private window) could answer
    again, up to the class's places: a code is a class's, not a pupil's.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="class_codes")
    group = models.CharField("Class or form", max_length=30, validators=[validate_single_line])
    # Unique across the schools: a pupil without an account is found by the code alone.
    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_class_code)
    places = models.PositiveSmallIntegerField(help_text="How many pupils are in the class.")
    used = models.PositiveSmallIntegerField(default=0)

    objects = scoped_manager(path="survey__school")

    class Meta:
        ordering = ["group"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "group"], name="one_code_per_class"),
            models.CheckConstraint(condition=models.Q(used__lte=models.F("places")),
                                   name="class_code_within_places"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.group}: {self.code}"

    @property
    def places_left(self) -> int:
        return self.places - self.used


class Response(models.Model):
    """One person's answers. ``respondent`` only on a named survey (see the module)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    # The respondent's group: an Audience label, or a class for pupils.
    group = models.CharField(max_length=50)
    given_on = models.DateField()

    objects = scoped_manager(path="survey__school")

    class Meta:
        ordering = ["id"]  # random: not the order in which people answered

    def __str__(self) -> str:
        return f"Response to {self.survey}"


class Answer(models.Model):
    """One answer: a choice (one row for each choice ticked), a point on the scale, or text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)

    objects = scoped_manager(path="response__survey__school")

    class Meta:
        ordering = ["question__position", "pk"]

    def __str__(self) -> str:
        return self.choice or self.text[:50]


class Answered(models.Model):
    """That a person has answered a survey, and nothing else: one response per person
    without tying an anonymous response to them."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answered")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="surveys_answered"
    )

    objects = scoped_manager(path="survey__school")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="one_response_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} answered {self.survey}"


class CouncilMeeting(models.Model):
    """A School Council meeting, as the member of staff who ran it noted it."""

    school = SchoolField()
    held_on = models.DateField(db_index=True)
    # Who attended, as the council is: forms, not pupils' names.
    attendance = models.CharField(
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text="Which forms or year groups were represented (no pupils' names).",
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = scoped_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"School Council, {self.held_on:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:council_detail", args=[self.pk])


class CouncilPoint(models.Model):
    """Something pupils raised about online safety, and the school's response."""

    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.CASCADE, related_name="points")
    raised = models.TextField(help_text="What the pupils raised (no pupils' names).")
    school_response = models.TextField(blank=True, help_text="What the school did or will do.")
    responded_on = models.DateField(null=True, blank=True)

    objects = scoped_manager(path="meeting__school")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.raised[:60]
