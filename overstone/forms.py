from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator

from overstone import twofactor


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code from your authenticator app",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError("The code is 6 digits.")
        return code


class TotpSetupForm(TotpCodeForm):
    """The first code from a new app and, after a reset, the code e-mailed then (the
    view drops that field when it is not needed)."""

    email_code = forms.CharField(
        label="Code from the e-mail telling you your two-factor login was reset",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code from your authenticator app, or a backup code",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_code(self) -> str:
        code = twofactor.backup_code_clean(self.cleaned_data["code"])
        if not code.isalnum():
            raise forms.ValidationError("Enter the 6-digit code or one of your backup codes.")
        return code


BIGINT_MAX = 2**63 - 1


class PeopleField(forms.ModelMultipleChoiceField):
    """Several users picked from a list. A posted id beyond the database's integer range
    is an invalid choice, not a database error (Django's ``__in`` lookup does not check)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else [value]:
            text = str(pk).strip().lstrip("-")
            if text.isdigit() and int(text) > BIGINT_MAX:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class LoginForm(AuthenticationForm):
    """Django's login form, with the username's length checked before anything looks it
    up (Django sets max_length after the field is built, so no validator enforces it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class RecordLinkForm(forms.Form):
    """The reference of the record about the same post (overstone.links)."""

    other = forms.CharField(
        label="Reference of the record about the same post",
        max_length=20,
        help_text="An incident (INC-…) for a complaint, a complaint (CMP-…) for an incident.",
    )

    def clean_other(self) -> str:
        return self.cleaned_data["other"].replace("\x00", "").strip().upper()


class PasswordResetNotifyForm(PasswordResetForm):
    """Django's password reset, its e-mail sent as every other one is: through
    ``overstone.notify`` (the outbox and its retries), from our two templates."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):  # fmt: skip
        from overstone.notify import notify

        notify("registration/password_reset", context, to=[to_email])
