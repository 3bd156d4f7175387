"""Demo policy register and last year's annual report."""

from datetime import date, timedelta

from django.utils import timezone

from overstone.roles import Role
from overstone.schoolyear import school_year_of
from reporting.models import AnnualReport, PolicyDocument
from reporting.services import annual_report_generate, annual_report_request

# What parents read in the app: the policy asks that they can read this policy and the
# Complaints policy (shortened from the policy's own wording).
PUBLISHED = {
    "Parent & Community Use of Social Media Policy": (
        "## Parents and carers\n\n"
        "Parents and carers will:\n\n"
        "- be aware of and comply with this policy;\n"
        "- support the school by using social media responsibly;\n"
        "- not make online allegations against anyone in the school community;\n"
        "- be aware that they must use the Complaints policy to make a complaint against "
        "the school;\n"
        "- make their children aware of the e-Safety policy."
    ),
    "Complaints Policy": (
        "## Raising a concern\n\n"
        "Please raise any concern with the school, never on social media. Use **Raise a "
        "concern privately** in this app: the principal reads every concern and replies.\n\n"
        "If the matter is not resolved, the principal meets you; if it is still not "
        "resolved, you meet the chair of governors."
    ),
}


def seed(people: dict) -> str:
    principal, coordinator = people[Role.PRINCIPAL], people[Role.COORDINATOR]
    today = timezone.localdate()

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    def ahead(days: int) -> date:
        return today + timedelta(days=days)

    register = [
        # title, owner, version, approved on, review due
        ("Parent & Community Use of Social Media Policy", coordinator, "1.0",
         date(2024, 9, 1), date(2025, 8, 31)),
        ("Home-School Agreement", principal, "3.1", ago(320), ahead(45)),
        ("Acceptable Use Policy", coordinator, "2.0", ago(200), ahead(165)),
        ("Complaints Policy", principal, "4.2", ago(340), ahead(25)),
        ("Online Safety Policy", coordinator, "2.3", ago(100), ahead(265)),
        ("Internet filtering service review", coordinator, "2025", ago(358), ahead(6)),
        ("e-Safety audit", coordinator, "2025", ago(300), ahead(65)),
    ]  # fmt: skip
    for title, owner, version, approved_on, review_due in register:
        PolicyDocument.objects.get_or_create(
            title=title,
            defaults={
                "owner": owner,
                "version": version,
                "approved_on": approved_on,
                "review_due": review_due,
            },
        )
    for title, text in PUBLISHED.items():  # a text the school later edits stays as edited
        PolicyDocument.objects.filter(title=title, published_text="").update(published_text=text)
    last_year = school_year_of() - 1
    if not AnnualReport.objects.filter(school_year=last_year).exists():
        report = annual_report_request(school_year=last_year, actor=principal)
        annual_report_generate(report_id=report.pk)
    return f"{len(register)} policies; annual report for {last_year}"
