from django import forms
from django.utils import timezone
from django_scopes.forms import SafeModelChoiceField

from effectiveness.models import (
    CheckKind,
    ChecklistItem,
    EffectivenessCheck,
    Outcome,
    RiskAssessment,
)
from overstone.selectors import school_personnel
from reporting.models import PolicyDocument

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})

# What each kind of check records besides its policy, date, who and title.
KIND_FIELDS = {
    CheckKind.AUDIT: ["findings", "actions"],
    CheckKind.FILTERING: ["tested", "result", "findings", "actions"],
    CheckKind.OBSERVATION: ["findings", "actions"],
    CheckKind.CONVERSATION: ["spoke_with", "findings", "actions"],
}
TITLE_LABELS = {
    CheckKind.AUDIT: "Title",
    CheckKind.FILTERING: "Filtering service reviewed",
    CheckKind.OBSERVATION: "Lesson observed",
    CheckKind.CONVERSATION: "Conversation (the occasion)",
}


def _person_label(user) -> str:
    return user.get_full_name() or user.username


class CheckForm(forms.ModelForm):
    """A check of one kind; what is still missing is told when it is completed, so a
    check can be saved part done."""

    class Meta:
        model = EffectivenessCheck
        fields = ["policy", "held_on", "checked_by", "title", *KIND_FIELDS[CheckKind.FILTERING],
                  "spoke_with"]  # fmt: skip
        widgets = {"held_on": DATE, "tested": TEXT, "findings": TEXT, "actions": TEXT}
        labels = {"checked_by": "Checked by", "policy": "Noted against"}
        # Choices of the school's register, read in __init__ (never at import).
        field_classes = {"policy": SafeModelChoiceField}

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name in set(self.fields) - {"policy", "held_on", "checked_by", "title"}:
            if name not in KIND_FIELDS[kind]:
                del self.fields[name]
        self.fields["policy"].queryset = PolicyDocument.objects.order_by("title")
        self.fields["checked_by"].queryset = school_personnel()
        self.fields["checked_by"].label_from_instance = _person_label
        self.fields["title"].label = TITLE_LABELS[kind]
        if "findings" in self.fields:
            self.fields["findings"].help_text = "What you found, against the policy."

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError("A check cannot be dated in the future.")
        return held_on


class AuditFindingsForm(forms.Form):
    """Each line of an audit: met, partly met or not met, the evidence and the action."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"outcome_{item.pk}"] = forms.ChoiceField(
                label="Outcome",
                choices=[("", "Not yet checked"), *Outcome.choices],
                required=False,
                initial=item.outcome,
            )
            self.fields[f"evidence_{item.pk}"] = forms.CharField(
                label="Evidence", widget=TEXT, required=False, initial=item.evidence
            )
            self.fields[f"action_{item.pk}"] = forms.CharField(
                label="Action", widget=TEXT, required=False, initial=item.action
            )

    def rows(self):
        """(line, its outcome, evidence and action fields) for the template."""
        for item in self.items:
            yield item, [self[f"{name}_{item.pk}"] for name in ("outcome", "evidence", "action")]

    def findings(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            item.pk: {
                name: data[f"{name}_{item.pk}"].strip() if name != "outcome"
                else data[f"{name}_{item.pk}"]
                for name in ("outcome", "evidence", "action")
            }
            for item in self.items
        }  # fmt: skip


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["text", "position", "in_use"]
        labels = {"text": "Checklist line"}


class RiskAssessmentForm(forms.ModelForm):
    class Meta:
        model = RiskAssessment
        fields = ["activity", "risks", "controls", "owner", "review_due"]
        widgets = {"review_due": DATE, "risks": TEXT, "controls": TEXT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = school_personnel()
        self.fields["owner"].label_from_instance = _person_label
