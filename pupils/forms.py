from django import forms

from pupils.models import Pupil
from pupils.services import NUMBER


class PupilForm(forms.ModelForm):
    class Meta:
        model = Pupil
        fields = ["number", "first_name", "last_name", "date_of_birth", "year_group", "form"]
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "number": "As in the school's information system, so the next import updates "
            "this pupil instead of adding them twice.",
        }

    def clean_number(self):
        number = self.cleaned_data["number"].strip().upper()
        if not NUMBER.fullmatch(number):
            raise forms.ValidationError(
                "Use letters, digits and dashes (at most 20, at least one digit)."
            )
        if Pupil.objects.filter(number=number).exists():  # the school's pupils
            raise forms.ValidationError("A pupil with this pupil number is already on record.")
        return number


class PupilImportForm(forms.Form):
    file = forms.FileField(
        label="CSV export of the school's information system",
        help_text="Columns: pupil_number, first_name, last_name, date_of_birth, year_group, "
        "form, parent1_name, parent1_email, parent2_name, parent2_email (see the README).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 5 MB: is it the right file?")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                "This is not a CSV text file (it is not UTF-8 text)."
            ) from error
