from django import forms
from django.utils import timezone

from overstone.validators import validate_single_line
from surveys.models import Audience, ClassCode, CouncilMeeting, Question, Survey

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SurveyForm(forms.ModelForm):
    audiences = forms.MultipleChoiceField(
        label="Who is asked",
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    anonymous = forms.TypedChoiceField(
        label="Anonymous or named",
        choices=[
            ("True", "Anonymous: nobody, not even the school, can see who answered what"),
            ("False", "Named: the school sees each person's answers"),
        ],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        initial="True",
    )

    class Meta:
        model = Survey
        fields = ["title", "introduction", "audiences", "opens_on", "closes_on", "anonymous"]
        widgets = {"opens_on": DATE_WIDGET, "closes_on": DATE_WIDGET}

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "A survey cannot close before it opens.")
        return cleaned


class QuestionForm(forms.Form):
    text = forms.CharField(label="Question", max_length=300, validators=[validate_single_line])
    kind = forms.ChoiceField(label="Answered with", choices=Question.Kind.choices)
    options = forms.CharField(
        label="Choices",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One on each line (for one choice or several choices).",
    )
    required = forms.BooleanField(label="An answer is required", required=False, initial=True)

    def clean_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("kind") in (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
        if choice and len(cleaned.get("options", [])) < 2:
            self.add_error("options", "Give at least two choices, one on each line.")
        return cleaned


class ClassCodeForm(forms.ModelForm):
    class Meta:
        model = ClassCode
        fields = ["group", "places"]


class ReportIncludeForm(forms.Form):
    include = forms.BooleanField(required=False)


class CodeEntryForm(forms.Form):
    code = forms.CharField(label="Your class code", max_length=20)


class AnswerForm(forms.Form):
    """One field for each question of the survey; ``answers()`` maps them back."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = {f"q{q.pk}": q for q in questions}
        for name, question in self.questions.items():
            self.fields[name] = self._field(question)

    @staticmethod
    def _field(question: Question) -> forms.Field:
        common = {"label": question.text, "required": question.required}
        choices = [(c, c) for c in question.choices]
        if question.kind == Question.Kind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        if question.kind == Question.Kind.TEXT:
            return forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, **common
            )
        if question.kind == Question.Kind.SCALE:
            common["help_text"] = "1 is the least, 5 the most."
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)

    def answers(self) -> dict[Question, list[str] | str]:
        found = {}
        for name, question in self.questions.items():
            value = self.cleaned_data.get(name)
            if question.kind == Question.Kind.TEXT:
                found[question] = value or ""
            elif isinstance(value, list):
                found[question] = value
            else:
                found[question] = [value] if value else []
        return found


class CouncilMeetingForm(forms.ModelForm):
    class Meta:
        model = CouncilMeeting
        fields = ["held_on", "attendance", "notes"]
        widgets = {"held_on": DATE_WIDGET}

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError("A meeting is recorded once it has been held.")
        return held_on


class CouncilPointForm(forms.Form):
    raised = forms.CharField(
        label="What the pupils raised",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="About online safety; no pupils' names.",
    )
    school_response = forms.CharField(
        label="The school's response",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Can be added later.",
    )


class CouncilResponseForm(forms.Form):
    school_response = forms.CharField(
        label="The school's response", widget=forms.Textarea(attrs={"rows": 3})
    )
