"""What reporting holds about people, for data protection (see overstone.personal_data):
nothing searched; the annual report is aggregated, with no names."""

from overstone.personal_data import NotPersonal, register

register(
    NotPersonal(
        "reporting.PolicyDocument",
        ("owner", "notes", "published_text"),
        "The member of staff responsible for a policy, notes about it and its published text.",
    ),
    NotPersonal(
        "reporting.PolicyReview",
        ("reviewed_by", "notes"),
        "Who reviewed a policy, and notes about the policy: the school's record of its "
        "staff at work.",
    ),
    NotPersonal(
        "reporting.AnnualReport",
        ("requested_by", "error", "html", "development"),
        "Who asked for the report; the report itself counts records and names no one, and "
        "its development section is the principal's account of the policy for governors.",
    ),
)
