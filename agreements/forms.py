from django import forms
from django.utils import timezone

from agreements import selectors
from agreements.models import YEAR_GROUPS, Agreement, Signers
from overstone.validators import validate_single_line

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YEAR_GROUP_CHOICES = [("", "—"), *((year, year) for year in YEAR_GROUPS)]
ANOTHER_CHILD = ""


class ChildFields(forms.Form):
    """A child named by their parent (or by the coordinator from a paper form)."""

    child_name = forms.CharField(
        label="Child's full name", max_length=200, required=False, validators=[validate_single_line]
    )
    year_group = forms.ChoiceField(choices=YEAR_GROUP_CHOICES, required=False)
    form = forms.CharField(
        label="Form (tutor group)", max_length=30, required=False, help_text="If you know it."
    )

    def require_child(self, cleaned: dict) -> None:
        cleaned["child_name"] = " ".join(cleaned.get("child_name", "").split())
        if not cleaned["child_name"]:
            self.add_error("child_name", "Name the child this signature is for.")
        if not cleaned.get("year_group"):
            self.add_error("year_group", "Choose the child's year group.")


class SignForm(ChildFields):
    """The current version, signed online: a typed name and a tick (and for parents, the
    child: one of their children on the school's records; a parent with none on record
    picks one they named before or names another)."""

    child = forms.ChoiceField(label="Signing for", required=False)
    typed_name = forms.CharField(
        label="Type your full name to sign", max_length=200, validators=[validate_single_line]
    )
    agreed = forms.BooleanField(
        label="I have read this agreement and I agree to it",
        error_messages={"required": "Tick the box to agree."},
    )
    field_order = ["child", "child_name", "year_group", "form", "typed_name", "agreed"]

    def __init__(self, *args, agreement: Agreement, children: list[selectors.Child], **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.children = {child.choice: child for child in children}
        self.on_record = any(child.key for child in children)
        choices = [
            (c.choice, f"{c.name} ({c.year_group})" if c.year_group else c.name) for c in children
        ]
        if not agreement.per_child:
            for name in ("child", "child_name", "year_group", "form"):
                del self.fields[name]
        elif self.on_record:
            for name in ("child_name", "year_group", "form"):
                del self.fields[name]
            self.fields["child"].choices = choices
            self.fields["child"].required = True
            self.fields["child"].error_messages["required"] = "Choose the child you sign for."
            self.fields["child"].widget = forms.RadioSelect(choices=choices)
            self.fields["child"].initial = children[0].choice if len(children) == 1 else None
        elif children:
            self.fields["child"].choices = [
                *choices,
                (ANOTHER_CHILD, "Another child: name them below"),
            ]
            self.fields["child"].initial = children[0].choice
        else:
            del self.fields["child"]

    def clean(self):
        cleaned = super().clean()
        if not self.agreement.per_child:
            return cleaned
        known = self.children.get(cleaned.get("child") or ANOTHER_CHILD)
        if known:
            cleaned.update(
                child_name=known.name, year_group=known.year_group, form=known.form,
                child_key=known.key,
            )  # fmt: skip
        elif not self.on_record:
            self.require_child(cleaned)
        return cleaned


class PaperSignatureForm(ChildFields):
    signer = forms.ModelChoiceField(queryset=None, label="Signed by")
    signed_on = forms.DateField(widget=DATE_WIDGET, label="Date on the paper form")
    note = forms.CharField(
        max_length=300, required=False, help_text="Where the paper form is kept, for example."
    )
    field_order = ["signer", "child_name", "year_group", "form", "signed_on", "note"]

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.fields["signer"].queryset = selectors.people_who_sign(signers=agreement.signers)
        self.fields["signer"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["signed_on"].initial = timezone.localdate()
        if not agreement.per_child:
            for name in ("child_name", "year_group", "form"):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        if self.agreement.per_child:
            self.require_child(cleaned)
        return cleaned


class VersionForm(forms.Form):
    version = forms.CharField(max_length=20, validators=[validate_single_line])
    effective_on = forms.DateField(
        widget=DATE_WIDGET, help_text="From this date everyone is asked to sign again."
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}), help_text="Markdown.")


class AgreementForm(VersionForm):
    title = forms.CharField(max_length=200, validators=[validate_single_line])
    signers = forms.ChoiceField(choices=Signers.choices, label="Who signs")
    purpose = forms.CharField(max_length=300, required=False, validators=[validate_single_line])
    field_order = ["title", "signers", "purpose", "version", "effective_on", "text"]

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if Agreement.objects.filter(title__iexact=title).exists():
            raise forms.ValidationError("There is already an agreement with this title.")
        return title
