from django import forms
from django.utils import timezone

from overstone.schoolyear import school_year_label, school_year_of
from training.models import (
    Audience,
    AwarenessTopic,
    InductionTopic,
    Term,
    TrainingSession,
    WorkingPartyMember,
    WorkingPartyRole,
    term_of,
)
from training.services.bookings import SESSION_FIELDS

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ParentImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: name, email, year_group (a header line first). UTF-8.",
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:  # 50,000 parents take about 2.5 MB
            raise forms.ValidationError("The file is larger than 5 MB; split it and try again.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”."
            ) from None


class ParentForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(label="E-mail address")
    year_group = forms.CharField(max_length=30, label="Child's year group")


class SessionForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        choices=AwarenessTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The policy's awareness-training topics this session covers.",
    )
    online_link = forms.URLField(required=False, assume_scheme="https", label="Online link")

    class Meta:
        model = TrainingSession
        fields = list(SESSION_FIELDS)
        labels = {
            "starts_at": "Starts",
            "ends_at": "Ends",
            "online_link": "Online link",
            "max_guests": "Other adults a parent may bring",
            "booking_open": "Booking is open",
        }
        widgets = {"starts_at": DATETIME_WIDGET, "ends_at": DATETIME_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["ends_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["audience"].initial = Audience.PARENTS

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The session must end after it starts.")
        if not data.get("place") and not data.get("online_link"):
            self.add_error("place", "Give a place, an online link, or both.")
        if data.get("capacity") is not None and data["capacity"] < 1:
            self.add_error("capacity", "The capacity must be at least 1.")
        if starts and not self.instance.pk and starts <= timezone.now():
            self.add_error("starts_at", "A new session must start in the future.")
        return data


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class BookingForm(forms.Form):
    def __init__(self, *args, max_guests: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guests"] = forms.IntegerField(
            min_value=0,
            max_value=max_guests,
            initial=0,
            label="Other adults coming with you",
            help_text=f"Not counting yourself; up to {max_guests}.",
        )


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        choices=[("yes", "Attended"), ("no", "Did not attend")], coerce=lambda v: v == "yes"
    )


class InductionForm(forms.Form):
    topic = forms.ChoiceField(choices=InductionTopic.choices)
    completed_on = forms.DateField(widget=DATE_WIDGET, label="Completed on")

    def clean_completed_on(self):
        completed_on = self.cleaned_data["completed_on"]
        if completed_on > timezone.localdate():
            raise forms.ValidationError("The completion date cannot be in the future.")
        return completed_on


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.replace(",", "\n").splitlines() if name.strip()]


def school_year_choices() -> list[tuple[int, str]]:
    current = school_year_of(timezone.localdate())
    return [(year, school_year_label(year)) for year in range(current + 1, current - 6, -1)]


class MeetingForm(forms.Form):
    school_year = forms.TypedChoiceField(coerce=int, choices=school_year_choices)
    term = forms.ChoiceField(choices=Term.choices)
    held_on = forms.DateField(widget=DATE_WIDGET, label="Date")
    members = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Members attending",
        help_text="The working party's members (the principal or coordinator adds them).",
    )
    others = forms.CharField(
        required=False,
        label="Guests attending",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Anyone else, by name: one a line (or separated by commas).",
    )
    agenda = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 10}))
    minutes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Markdown: **bold**, *italic*, lists with -, headings with #.",
    )
    decisions = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="One decision a line."
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda m: (
            f"{m.user.get_full_name() or m.user.username} ({m.get_place_display()})"
        )

    @classmethod
    def initial_for(cls, meeting) -> dict:
        attendees = list(meeting.attendees.all())
        member_users = {a.user_id for a in attendees if a.user_id}
        return {
            "school_year": meeting.school_year,
            "term": meeting.term,
            "held_on": meeting.held_on,
            "members": [
                m.pk
                for m in WorkingPartyMember.objects.filter(user__in=member_users)
                if m.is_current(meeting.held_on)
            ],
            "others": "\n".join(a.name for a in attendees if not a.user_id),
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
            "decisions": meeting.decisions,
        }

    def clean(self):
        data = super().clean()
        held_on, school_year, term = data.get("held_on"), data.get("school_year"), data.get("term")
        if (
            held_on
            and school_year is not None
            and term
            and (school_year_of(held_on), term_of(held_on)) != (school_year, term)
        ):
            self.add_error(
                "held_on",
                f"{held_on:%d %B %Y} is in the {term_of(held_on).label.lower()} term of "
                f"{school_year_label(school_year_of(held_on))}; choose that term and year "
                "or another date.",
            )
        for member in data.get("members") or []:
            if held_on and not member.is_current(held_on):
                self.add_error(
                    "members",
                    f"{member.user.get_full_name() or member.user} was not on the working "
                    f"party on {held_on:%d %B %Y}.",
                )
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "school_year": data["school_year"],
            "term": data["term"],
            "held_on": data["held_on"],
            "agenda": data["agenda"],
            "minutes": data["minutes"],
            "decisions": data["decisions"],
            "members": list(data["members"]),
            "guests": _names(data["others"]),
        }


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(queryset=None, label="Account")
    place = forms.ChoiceField(choices=WorkingPartyRole.choices)
    from_date = forms.DateField(widget=DATE_WIDGET, label="From")
    to_date = forms.DateField(widget=DATE_WIDGET, label="To", required=False)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.email})"
        )

    def clean(self):
        data = super().clean()
        from_date, to_date = data.get("from_date"), data.get("to_date")
        if from_date and to_date and to_date < from_date:
            self.add_error("to_date", "The membership cannot end before it starts.")
        return data


class MemberEndForm(forms.Form):
    to_date = forms.DateField(widget=DATE_WIDGET, label="Last day")


class InductionValidityForm(forms.Form):
    """One field a topic: the months it counts for, blank if it never expires."""

    def __init__(self, *args, validity: dict[str, int | None], **kwargs):
        super().__init__(*args, **kwargs)
        for topic in InductionTopic:
            self.fields[topic.value] = forms.IntegerField(
                label=topic.label,
                required=False,
                min_value=1,
                max_value=120,
                initial=validity.get(topic.value),
                help_text="Months; blank if it never needs renewing.",
            )

    def months(self) -> dict[str, int | None]:
        return {topic.value: self.cleaned_data[topic.value] for topic in InductionTopic}


class ActionItemForm(forms.Form):
    description = forms.CharField(max_length=300)
    owner = forms.ModelChoiceField(queryset=None)
    due_on = forms.DateField(widget=DATE_WIDGET, label="Due")

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
