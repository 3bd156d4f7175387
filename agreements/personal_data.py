"""What agreements hold about people, for data protection (see overstone.personal_data).

A signature is the person's own record of what they agreed to, and for which child; the
register's pages are open to a role, so whoever answers a subject-access request reads
them all. Signatures are kept while the agreement is (no retention kind): they are the
school's evidence of consent."""

from django.urls import reverse

from agreements.models import AgreementReminder, Signature
from overstone.personal_data import Mention, NotPersonal, SubjectAccessSource, register


def _describe(signature: Signature) -> Mention:
    child = f" for {signature.child_name} ({signature.year_group})" if signature.child_name else ""
    how = signature.get_method_display().lower()
    return Mention(
        "Agreement signature",
        str(signature.version),
        signature.signed_at,
        f"Signed {how} as “{signature.typed_name}”{child}",
        reverse("agreements:document", args=[signature.version.agreement_id]),
    )


register(
    SubjectAccessSource(
        label="Agreement signature",
        model=Signature,
        records=lambda user: Signature.objects.select_related("version__agreement"),
        text_fields=("child_name", "typed_name", "note"),
        account_fields=("signer", "recorded_by"),
        date_field="signed_at",
        describe=_describe,
    ),
    SubjectAccessSource(
        label="Agreement reminder",
        model=AgreementReminder,
        records=lambda user: AgreementReminder.objects.all(),
        text_fields=(),
        account_fields=("person",),
        date_field="sent_at",
        describe=lambda reminder: Mention(
            "Agreement reminder", "Reminder to sign", reminder.sent_at, "Reminder e-mail sent", ""
        ),
    ),
    NotPersonal(
        "agreements.Signature",
        ("child_key", "year_group", "form"),
        "A pupil number, year group and form: found through the child's name and the "
        "signer's account.",
    ),
    NotPersonal(
        "agreements.AgreementReminder",
        ("sent_by",),
        "The coordinator who pressed the reminder button; the reminder is the person's.",
    ),
    NotPersonal(
        "agreements.AgreementVersion",
        ("created_by", "text"),
        "The school's own statement and who published it, the same for everyone.",
    ),
    NotPersonal(
        "agreements.Agreement",
        ("title", "purpose"),
        "The statement's title and why it is signed.",
    ),
)
