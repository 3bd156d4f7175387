from django import forms
from django.utils import timezone

from overstone.schoolyear import school_year_label, school_year_of
from overstone.selectors import school_personnel
from reporting.models import AnnualReport, PolicyDocument

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PolicyForm(forms.ModelForm):
    class Meta:
        model = PolicyDocument
        fields = [
            "title", "version", "owner", "approved_on", "review_due", "review_every_months",
            "published_text",
        ]  # fmt: skip
        widgets = {"approved_on": DATE, "review_due": DATE}
        labels = {"review_every_months": "Review every (months)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = school_personnel()
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["review_every_months"].min_value = 1
        self.fields["review_every_months"].widget.attrs["min"] = 1

    def clean_title(self) -> str:
        # Unique in the school's register (the school is not a field of the form, so
        # the model form's own check leaves the constraint out).
        title = self.cleaned_data["title"]
        same = PolicyDocument.objects.filter(title=title).exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError("The register already has a policy with this title.")
        return title


class PolicyReviewForm(forms.Form):
    reviewed_on = forms.DateField(widget=DATE, initial=timezone.localdate)
    version = forms.CharField(max_length=20, help_text="The version approved at this review.")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_reviewed_on(self):
        reviewed_on = self.cleaned_data["reviewed_on"]
        if reviewed_on > timezone.localdate():
            raise forms.ValidationError("A review cannot be recorded for a future date.")
        return reviewed_on


def school_year_choices(count: int = 6) -> list[tuple[int, str]]:
    current = school_year_of()
    return [(year, school_year_label(year)) for year in range(current, current - count, -1)]


class ReportRequestForm(forms.Form):
    school_year = forms.TypedChoiceField(coerce=int, choices=school_year_choices)


class ReportDevelopmentForm(forms.Form):
    development = forms.CharField(
        label="Development of the policy",
        required=False,
        max_length=20_000,  # about six printed pages
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=AnnualReport._meta.get_field("development").help_text,
    )
