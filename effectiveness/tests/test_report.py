"""The effectiveness checks in the governors' annual report (declared through
reporting.sections: reporting does not import effectiveness)."""

from datetime import date

import pytest

from effectiveness import services
from effectiveness.report_sections import effectiveness_figures
from effectiveness.tests.factories import RiskAssessmentFactory, a_check, an_audit
from reporting.models import AnnualReport
from reporting.services import annual_report_generate
from reporting.tests.factories import AnnualReportFactory

pytestmark = pytest.mark.django_db

YEAR = 2025  # 1 September 2025 to 31 August 2026


def completed(check, **findings):
    if check.kind == "audit":
        items = list(check.items.all())
        outcomes = ["met", "partly"]
        services.audit_items_save(
            check=check,
            findings={
                item.pk: {"outcome": outcome, "evidence": "", "action": "Do it"}
                for item, outcome in zip(items, outcomes, strict=True)
            },
            actor=check.created_by,
        )
    return services.check_complete(check=check, actor=check.created_by)


def test_checks_completed_in_the_school_year_are_counted():
    completed(an_audit(held_on=date(2025, 9, 1)))  # first day of the year
    completed(a_check("filtering", held_on=date(2026, 8, 31), tested="x", result="effective"))
    completed(a_check(held_on=date(2025, 8, 31), findings="x"))  # the year before
    a_check(held_on=date(2025, 10, 1), findings="x")  # in progress: not counted
    RiskAssessmentFactory(review_due=date(2026, 8, 30))
    RiskAssessmentFactory(review_due=date(2026, 8, 31))

    figures = effectiveness_figures(YEAR)
    counts = {row["kind"]: row["completed"] for row in figures["kinds"]}
    assert counts == {
        "Annual e-safety audit": 1,
        "Filtering review": 1,
        "Lesson observation": 0,
        "Conversation": 0,
    }
    assert figures["audits"] == [{"held_on": "2025-09-01", "met": 1, "partly": 1, "not_met": 0}]
    assert figures["filtering"] == [
        {"held_on": "2026-08-31", "result": "Appropriate, effective and reasonable"}
    ]
    assert figures["risk_assessments"] == {"total": 2, "overdue_at_year_end": 1}


def test_the_annual_report_has_the_section():
    completed(an_audit(held_on=date(2025, 10, 1), title="Audit by Mrs Named Person"))
    report = AnnualReportFactory(school_year=YEAR, status=AnnualReport.Status.QUEUED)
    report = annual_report_generate(report_id=report.pk)
    assert report.status == AnnualReport.Status.DONE, report.error
    assert report.snapshot["effectiveness"]["audits"][0]["met"] == 1
    assert "e-Safety audit of 1 October 2025: 1 line met, 1 partly met" in report.html
    assert "Named Person" not in report.html  # titles are free text: never in the report
