from django import forms
from django.utils import timezone

from incidents.alerts import immediate_severities
from incidents.models import AlertMode, Incident, Severity, YearGroup
from overstone.forms import PeopleField
from overstone.selectors import school_personnel
from pupils.selectors import pupil_picked

DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class IncidentForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = [
            "occurred_at",
            "category",
            "severity",
            "location",
            "location_detail",
            "description",
            "staff_involved",
        ]
        field_classes = {"staff_involved": PeopleField}
        labels = {"occurred_at": "When did it happen?", "staff_involved": "Staff involved"}
        widgets = {
            "occurred_at": DATETIME_LOCAL,
            "description": forms.Textarea(attrs={"rows": 5}),
            "staff_involved": forms.SelectMultiple,
        }
        help_texts = {
            "description": "What happened, what was seen or said, and what was done at once.",
            "staff_involved": "Type a name to find them; choose as many as apply.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_involved"].queryset = school_personnel()
        self.fields["staff_involved"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )

    def clean_occurred_at(self):
        occurred_at = self.cleaned_data["occurred_at"]
        if occurred_at > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError("This is in the future: when did it happen?")
        return occurred_at


class PupilForm(forms.Form):
    """A pupil picked from the list of pupils (the name field offers them, each with
    their year group), or typed as free text with a year group for one not on it."""

    name = forms.CharField(
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"list": "pupils-on-roll", "autocomplete": "off"}),
        help_text="Start typing to pick from the pupils; or type the name of one not listed.",
    )
    year_group = forms.ChoiceField(
        choices=[("", "—"), *YearGroup.choices], required=False, label="Year group"
    )

    def clean(self):
        data = super().clean()
        data["pupil"] = None
        picked, pupil = pupil_picked(data.get("name", ""))
        if picked and pupil is None:
            self.add_error("name", "This pupil is no longer on the list: pick them again.")
        elif pupil is not None:
            data.update(pupil=pupil, name=pupil.full_name, year_group=pupil.year_group)
            return data
        if data.get("name") and not data.get("year_group"):
            self.add_error("year_group", "Choose the pupil's year group.")
        if data.get("year_group") and not data.get("name"):
            self.add_error("name", "Give the pupil's name.")
        return data


PupilFormSet = forms.formset_factory(PupilForm, extra=3, max_num=30, validate_max=True)


def pupils_from(formset) -> list[dict]:
    """The pupils of the formset as ``incident_create`` takes them."""
    return [
        {
            "pupil_id": form.cleaned_data["pupil"] and form.cleaned_data["pupil"].pk,
            "name": form.cleaned_data["name"].strip(),
            "year_group": form.cleaned_data["year_group"],
        }
        for form in formset
        if form.cleaned_data.get("name")
    ]


def pupils_initial(incident) -> list[dict]:
    """The incident's pupils as the formset shows them: a linked one as picked."""
    return [
        {
            "name": involved.pupil.pick_label if involved.pupil else involved.name,
            "year_group": involved.year_group,
        }
        for involved in incident.pupils.select_related("pupil")
    ]


class ContactForm(forms.Form):
    contacted_at = forms.DateTimeField(label="Contacted at", widget=DATETIME_LOCAL)
    reference = forms.CharField(
        max_length=100, required=False, help_text="Their case or ticket number, if they gave one."
    )


class CloseForm(forms.Form):
    outcome = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="What was done and how the matter ended.",
    )


class FilterAlertImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file from the web filter",
        help_text="Columns: timestamp, user, device, url, category, action (see the README).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 5 MB; split it and try again.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                "This is not a CSV text file (it is not UTF-8 text)."
            ) from error


class AlertPreferenceForm(forms.Form):
    """When the person hears of new incidents, per severity, most severe first. The
    immediate severities are shown fixed: a disabled field keeps its initial value
    whatever is posted."""

    def __init__(self, *args, modes: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        locked = immediate_severities()
        for severity in reversed(Severity):
            fixed = severity.value in locked
            self.fields[severity.value] = forms.ChoiceField(
                label=f"{severity.label} incidents",
                choices=AlertMode.choices,
                initial=modes[severity.value],
                widget=forms.RadioSelect,
                disabled=fixed,
                help_text="Always at once: this cannot be changed." if fixed else "",
            )
