from django import forms
from django.utils import timezone

from cases.models import Agency
from overstone.roles import SCHOOL_PERSONNEL, Role
from overstone.schools import users_with_roles

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReferralForm(forms.Form):
    agency = forms.ChoiceField(choices=Agency.choices, label="Referred to")
    referred_on = forms.DateField(widget=DATE)
    agency_reference = forms.CharField(
        label="Their reference",
        max_length=100,
        required=False,
        help_text="Their case, crime or ticket number, if they gave one.",
    )
    contact = forms.CharField(
        max_length=200, required=False, help_text="Who you spoke to, and how to reach them."
    )
    response_due = forms.DateField(
        label="Response expected by",
        widget=DATE,
        help_text="Flagged, and you are reminded once, if nothing is recorded by then.",
    )

    def clean_referred_on(self):
        referred_on = self.cleaned_data["referred_on"]
        if referred_on > timezone.localdate():
            raise forms.ValidationError("A referral cannot be made in the future.")
        return referred_on

    def clean(self):
        data = super().clean()
        referred_on, due = data.get("referred_on"), data.get("response_due")
        if referred_on and due and due < referred_on:
            self.add_error("response_due", "This is before the referral was made.")
        return data


class ReferralResponseForm(forms.Form):
    responded_on = forms.DateField(label="They responded on", widget=DATE)
    outcome = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="What they said or did.",
    )

    def clean_responded_on(self):
        responded_on = self.cleaned_data["responded_on"]
        if responded_on > timezone.localdate():
            raise forms.ValidationError("A response cannot be recorded in the future.")
        return responded_on


def task_owners():
    """School personnel and the chair of governors (who alone handles complaints about the
    principal); the service checks that the one picked may see the record."""
    roles = [role.value for role in SCHOOL_PERSONNEL | {Role.CHAIR_OF_GOVERNORS}]
    return users_with_roles(roles).order_by("last_name", "first_name", "username")


class CaseTaskForm(forms.Form):
    what = forms.CharField(label="What is to be done", max_length=300)
    owner = forms.ModelChoiceField(queryset=None, help_text="Reminded by e-mail when it is due.")
    due_on = forms.DateField(label="Due on", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = task_owners()
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
