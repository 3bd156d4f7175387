import re

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from overstone.forms import BIGINT_MAX
from overstone.models import Membership
from overstone.personal_data import record_kind
from overstone.schools import school_id_or_default

RECORD_KEY = re.compile(r"([a-z]+):([0-9]{1,19})")


class RecordSelectionField(forms.MultipleChoiceField):
    """Records ticked on the retention list, posted as ``incident:42``; cleaned to
    ``[("incident", 42), ...]``. Which of them may really be anonymised is the service's
    decision, made again at the moment of approval."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value) -> bool:
        match = RECORD_KEY.fullmatch(str(value))
        return bool(match and record_kind(match[1]) is not None and int(match[2]) <= BIGINT_MAX)

    def clean(self, value) -> list[tuple[str, int]]:
        keys = super().clean(value)
        return [(key.split(":")[0], int(key.split(":")[1])) for key in dict.fromkeys(keys)]


class AnonymiseForm(forms.Form):
    selected = RecordSelectionField(
        error_messages={"required": "Tick the records whose anonymisation you approve."}
    )
    confirm = forms.BooleanField(
        label="I approve the anonymisation of the ticked records. It cannot be undone.",
        error_messages={"required": "Confirm that you approve: anonymisation cannot be undone."},
    )


class LegalHoldForm(forms.Form):
    reference = forms.CharField(
        max_length=20, help_text="The record's reference, e.g. INC-2026-0042 or CMP-2026-0007."
    )
    reason = forms.CharField(
        max_length=300, help_text="Why it must be kept, e.g. the claim or investigation."
    )


class SubjectAccessRequestForm(forms.Form):
    subject_name = forms.CharField(label="The person's name", max_length=150)
    subject_user = forms.ModelChoiceField(
        label="Their Overstone account, if they have one",
        queryset=None,
        required=False,
    )
    other_names = forms.CharField(
        label="Other names",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Other names they are known by or written as, one a line (a maiden name, "
        "a nickname, a social-media handle). Each is searched for in every record.",
    )
    received_on = forms.DateField(
        label="Request received on", widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["subject_user"]
        # The accounts of the school's people (and the trust's), active or not: a former
        # parent may ask too. Another school's are not named here.
        here = Membership.objects.filter(Q(school_id=school_id_or_default()) | Q(school=None))
        field.queryset = (
            get_user_model()
            .objects.filter(pk__in=here.values("user_id"))
            .order_by("first_name", "last_name", "username")
        )
        field.label_from_instance = lambda user: (
            f"{user.get_full_name()} ({user.username})" if user.get_full_name() else user.username
        )
        # Every account is listed: one inline loop, not a template include per option.
        field.widget.template_name = "overstone/widgets/select.html"

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError("The date the request arrived cannot be in the future.")
        return received_on

    def clean_subject_name(self) -> str:
        name = " ".join(self.cleaned_data["subject_name"].split())
        if len(name) < 3:
            raise forms.ValidationError("Give at least three letters of the name to search for.")
        return name


class SubjectAccessExtendForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        help_text="Why the request is complex enough to need two more months; tell the "
        "person within the first month.",
    )
