from django import forms
from django.utils import timezone

from complaints.models import (
    About,
    CalendarEntry,
    Concern,
    OnlineComplaint,
    Platform,
    RemovalRequest,
    Stage,
)
from complaints.selectors import parents
from overstone.forms import PeopleField
from overstone.selectors import school_personnel

DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def person_label(user) -> str:
    return user.get_full_name() or user.username


def not_in_future(value):
    if value and value > timezone.now() + timezone.timedelta(minutes=5):
        raise forms.ValidationError("This is in the future.")
    return value


class ComplaintForm(forms.ModelForm):
    post_url = forms.URLField(
        label="Post URL", max_length=2000, required=False, assume_scheme="https"
    )

    class Meta:
        model = OnlineComplaint
        fields = [
            "platform",
            "post_url",
            "account_handle",
            "posted_at",
            "content",
            "posted_by_name",
            "posted_by_parent",
            "about",
            "staff_about",
            "pupils_about",
            "category",
        ]
        field_classes = {"staff_about": PeopleField}
        labels = {"staff_about": "Staff it is about", "posted_by_parent": "Or the parent's account"}
        widgets = {
            "posted_at": DATETIME_LOCAL,
            "content": forms.Textarea(attrs={"rows": 4}),
            "staff_about": forms.SelectMultiple,
        }
        help_texts = {
            "content": "Copy the words of the post as they appear.",
            "staff_about": "Type a name to find them; choose as many as apply.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_about"].queryset = school_personnel()
        self.fields["staff_about"].label_from_instance = person_label
        self.fields["posted_by_parent"].queryset = parents()
        self.fields["posted_by_parent"].label_from_instance = person_label

    def clean_posted_at(self):
        return not_in_future(self.cleaned_data["posted_at"])

    def clean(self):
        data = super().clean()
        if data.get("about") == About.STAFF and not data.get("staff_about"):
            self.add_error("staff_about", "Choose the staff member the post is about.")
        if data.get("about") == About.PUPILS and not data.get("pupils_about"):
            self.add_error("pupils_about", "Say which pupils (names stay inside Overstone).")
        return data


class AllegationForm(forms.ModelForm):
    """A member of staff reports an allegation or comment posted about them."""

    post_url = forms.URLField(
        label="Post URL", max_length=2000, required=False, assume_scheme="https"
    )

    class Meta:
        model = OnlineComplaint
        fields = [
            "platform",
            "post_url",
            "account_handle",
            "posted_at",
            "content",
            "posted_by_name",
            "category",
        ]
        widgets = {"posted_at": DATETIME_LOCAL, "content": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"content": "What was posted about you, as it appears."}

    def clean_posted_at(self):
        return not_in_future(self.cleaned_data["posted_at"])


class TransitionForm(forms.Form):
    """Base for moving a complaint to ``stage``; subclasses add what that stage records."""

    stage: Stage
    note_label = "Note"
    note_required = False

    expected_stage = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, complaint: OnlineComplaint, **kwargs):
        kwargs.setdefault("prefix", self.stage.value)
        kwargs.setdefault("initial", {})
        kwargs["initial"].update(expected_stage=complaint.stage)
        super().__init__(*args, **kwargs)
        self.fields["note"].label = self.note_label
        self.fields["note"].required = self.note_required

    @property
    def action_label(self) -> str:
        """The submit button's words."""
        return f"Move to “{self.stage.label}”"

    def details(self) -> dict:
        skip = {"expected_stage", "note"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class MeetingFields(forms.Form):
    held_at = forms.DateTimeField(label="When", widget=DATETIME_LOCAL)
    attendees = forms.CharField(label="Who attended", max_length=1000)
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    outcome = forms.CharField(label="Outcome", widget=forms.Textarea(attrs={"rows": 2}))

    def clean_held_at(self):
        return not_in_future(self.cleaned_data["held_at"])


class SupportForm(TransitionForm):
    """About a member of staff, how they were supported and reassured; about the school or
    pupils, the reason the step is passed (complaints.stages records either)."""

    stage = Stage.STAFF_SUPPORTED
    note_label = "How the staff member was supported and reassured"
    note_required = True

    def __init__(self, *args, complaint: OnlineComplaint, **kwargs):
        super().__init__(*args, complaint=complaint, **kwargs)
        self.passing = not complaint.is_about_staff
        if self.passing:
            about = complaint.get_about_display().lower()
            self.fields["note"].label = "Why this step is passed"
            self.fields["note"].help_text = (
                f"This complaint is about {about}, not a member of staff: there is no one to "
                "support and reassure. The reason goes into the chronology."
            )

    @property
    def action_label(self) -> str:
        return "Pass this step, with the reason" if self.passing else super().action_label


class EvidenceGatheredForm(TransitionForm):
    stage = Stage.EVIDENCE_GATHERED
    note_label = "What was established about the post"
    note_required = True


class ParentsMeetingForm(TransitionForm, MeetingFields):
    stage = Stage.PARENTS_MEETING


class RemovalForm(TransitionForm):
    stage = Stage.REMOVAL_REQUESTED
    requested_at = forms.DateTimeField(label="Asked when", widget=DATETIME_LOCAL)
    platform_reference = forms.CharField(
        label="Platform report reference", max_length=200, required=False
    )

    def clean_requested_at(self):
        return not_in_future(self.cleaned_data["requested_at"])


class ResolvedForm(TransitionForm):
    stage = Stage.RESOLVED
    note_label = "The successful outcome"
    note_required = True


class WarningForm(TransitionForm):
    stage = Stage.LEGAL_WARNING_GIVEN
    note_label = "How the parents were told further posts could lead to legal action"
    note_required = True
    warning_given_on = forms.DateField(label="Warning given on", widget=DATE)


class GovernorsMeetingForm(TransitionForm, MeetingFields):
    stage = Stage.GOVERNORS_MEETING


class WayForwardForm(TransitionForm):
    stage = Stage.WAY_FORWARD
    note_label = "The way forward agreed"
    note_required = True


class LegalAdviceForm(TransitionForm):
    stage = Stage.LEGAL_ADVICE
    adviser = forms.CharField(max_length=200)
    advised_on = forms.DateField(label="Advice given on", widget=DATE)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class ClosedForm(TransitionForm):
    stage = Stage.CLOSED
    note_label = "Closing outcome"
    note_required = True


class RemovalOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=RemovalRequest.Outcome.choices, widget=forms.RadioSelect, label="What came of it"
    )
    outcome_at = forms.DateTimeField(label="Known when", widget=DATETIME_LOCAL)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text="Needed unless the post was removed: what the platform answered, or how "
        "the author was tried.",
    )

    def clean_outcome_at(self):
        return not_in_future(self.cleaned_data["outcome_at"])

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome and outcome != RemovalRequest.Outcome.REMOVED and not data.get("note"):
            label = RemovalRequest.Outcome(outcome).label.lower()
            self.add_error("note", f"Say what happened: the post was not removed ({label}).")
        return data


class ComplaintNoteForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="Added to the chronology as it is; the complaint's stage does not change.",
    )


class RemovalRequestForm(forms.Form):
    platform = forms.ChoiceField(choices=Platform.choices)
    post_url = forms.URLField(
        label="Post URL", max_length=2000, required=False, assume_scheme="https"
    )
    platform_reference = forms.CharField(
        label="Platform report reference", max_length=200, required=False
    )
    requested_at = forms.DateTimeField(label="Asked when", widget=DATETIME_LOCAL)

    def clean_requested_at(self):
        return not_in_future(self.cleaned_data["requested_at"])


class GovernorsMeetingArrangeForm(forms.Form):
    meeting_at = forms.DateTimeField(label="Proposed for", widget=DATETIME_LOCAL)
    place = forms.CharField(
        label="Where",
        max_length=200,
        initial="the school",
        help_text="As the letter to the parents will say it, e.g. “the school office”.",
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who has been invited. The chair of governors can read the complaint from "
        "now on.",
    )

    def clean_meeting_at(self):
        meeting_at = self.cleaned_data["meeting_at"]
        if meeting_at < timezone.now() - timezone.timedelta(days=1):
            raise forms.ValidationError("This is in the past: record a meeting held instead.")
        return meeting_at


class ConcernForm(forms.ModelForm):
    class Meta:
        model = Concern
        fields = ["subject", "details", "about_principal"]
        widgets = {"details": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "details": "Tell the principal what has happened and what you would like done. "
            "Only the principal and senior leaders read this; if it is about the "
            "principal, the chair of governors reads it and the principal does not."
        }


class ConcernReplyForm(forms.Form):
    to_status = forms.ChoiceField(
        label="Move to",
        choices=[(s.value, s.label) for s in Concern.Status if s != Concern.Status.RECEIVED],
    )
    expected_status = forms.CharField(widget=forms.HiddenInput)
    response = forms.CharField(
        label="Reply the parent will see",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class CalendarEntryForm(forms.ModelForm):
    class Meta:
        model = CalendarEntry
        fields = ["kind", "name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}
