"""What data protection itself holds about people (see overstone.personal_data)."""

from overstone.personal_data import NotPersonal, register

register(
    NotPersonal(
        "privacy.SubjectAccessRequest",
        ("subject_user", "subject_name", "other_names", "notes", "created_by"),
        "The request itself: the person knows they made it, and the answer is built from it.",
    ),
    NotPersonal(
        "privacy.LegalHold",
        ("placed_by", "lifted_by"),
        "The principal's decisions about a record, not about a person.",
    ),
    NotPersonal(
        "privacy.Anonymisation",
        ("approved_by",),
        "The principal's approval that a record was anonymised.",
    ),
)
