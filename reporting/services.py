"""Writes for reporting: the annual report's generation and the policy register."""

import logging
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from overstone.audit import audit_change, field_changes
from overstone.models import ReferenceSequence
from overstone.outbox import outbox_enqueue
from overstone.schoolyear import school_year_of
from reporting import charts
from reporting.models import AnnualReport, PolicyDocument, PolicyReminder, PolicyReview
from reporting.snapshot import SECTIONS, snapshot_header

logger = logging.getLogger(__name__)

# What the audit log compares when a register entry is saved.
POLICY_FIELDS = [
    "title",
    "version",
    "owner",
    "approved_on",
    "review_due",
    "review_every_months",
    "notes",
]
Status = AnnualReport.Status
REPORT_SEQUENCE = "REPORT"  # ReferenceSequence prefix: the last version number per year


class ReportNotRetryable(Exception):
    pass


@transaction.atomic
def annual_report_request(*, school_year: int, actor) -> AnnualReport:
    """Queue a new version of the report for a school year; earlier versions stay.

    While a version of that year is queued or running, that one is returned instead.
    """
    from reporting.tasks import generate_annual_report

    if school_year > school_year_of():
        raise ValueError("That school year has not started yet.")
    # The year's version sequence row, locked, serialises requests for the same year: a
    # double submit waits here instead of taking the same version number.
    ReferenceSequence.objects.get_or_create(prefix=REPORT_SEQUENCE, year=school_year)
    sequence = ReferenceSequence.objects.select_for_update().get(
        prefix=REPORT_SEQUENCE, year=school_year
    )
    waiting = AnnualReport.objects.filter(
        school_year=school_year, status__in=[Status.QUEUED, Status.RUNNING]
    ).first()
    if waiting is not None and not waiting.is_stalled:
        return waiting  # the same request again while it is being generated
    latest = AnnualReport.objects.filter(school_year=school_year).aggregate(v=Max("version"))["v"]
    report = AnnualReport.objects.create(
        school_year=school_year, version=(latest or 0) + 1, requested_by=actor
    )
    sequence.last_value = report.version
    sequence.save(update_fields=["last_value"])
    outbox_enqueue(generate_annual_report, report.pk)
    return report


@transaction.atomic
def annual_report_retry(*, report: AnnualReport, actor) -> AnnualReport:
    from reporting.tasks import generate_annual_report

    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status != Status.FAILED and not report.is_stalled:
        raise ReportNotRetryable("Only a report that failed or stalled can be tried again.")
    report.status, report.progress, report.error = Status.QUEUED, 0, ""
    report.progress_message = "Queued again"
    report.save(update_fields=["status", "progress", "error", "progress_message"])
    outbox_enqueue(generate_annual_report, report.pk)
    return report


def _progress(report: AnnualReport, percent: int, message: str) -> None:
    report.progress, report.progress_message = percent, message
    report.save(update_fields=["progress", "progress_message"])


def build_report_context(snapshot: dict, *, anonymise: bool = True) -> dict:
    by_month = snapshot["filtering_by_month"]
    by_category = snapshot["incidents_by_category"]
    return {
        "snapshot": snapshot,
        "month_chart": charts.stacked_bars(
            by_month["months"], by_month["series"], anonymise=anonymise
        ),
        "category_chart": charts.horizontal_bars(
            [row["category"] for row in by_category],
            [row["count"] for row in by_category],
            anonymise=anonymise,
        ),
    }


def annual_report_generate(*, report_id: int) -> AnnualReport | None:
    """Build the snapshot, the HTML and the PDF. Safe to run twice: a finished report is
    left as it is."""
    from weasyprint import HTML

    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status == Status.DONE:
            return report
        report.status, report.error = Status.RUNNING, ""
        report.save(update_fields=["status", "error"])
    try:
        snapshot = snapshot_header(report.school_year)
        for number, (key, title, build) in enumerate(SECTIONS):
            _progress(report, int(80 * number / len(SECTIONS)), f"Counting: {title.lower()}")
            snapshot[key] = build(report.school_year)
        _progress(report, 80, "Drawing charts and writing the report")
        html = render_to_string(
            "reporting/_annual_report_body.html",
            {**build_report_context(snapshot), "report": report},
        )
        _progress(report, 90, "Making the PDF")
        document = render_to_string(
            "reporting/annual_report_document.html", {"body": html, "snapshot": snapshot}
        )
        pdf = HTML(string=document, base_url=str(settings.BASE_DIR)).write_pdf()
    except Exception as error:
        logger.exception("Annual report %s failed", report_id)
        report.status, report.error = Status.FAILED, f"{type(error).__name__}: {error}"
        report.save(update_fields=["status", "error"])
        return report
    report.snapshot, report.html = snapshot, html
    report.pdf.save(f"annual-report-{report.school_year}-v{report.version}.pdf", ContentFile(pdf))
    report.status, report.progress, report.progress_message = Status.DONE, 100, "Ready"
    report.finished_at = timezone.now()
    report.save()
    return report


def annual_report_for_last_year() -> AnnualReport | None:
    """On 1 September: last school year's report, unless one exists already."""
    last_year = school_year_of() - 1
    if AnnualReport.objects.filter(school_year=last_year).exists():
        return None
    return annual_report_request(school_year=last_year, actor=None)


@transaction.atomic
def policy_review_record(
    *, policy: PolicyDocument, actor, reviewed_on: date, version: str, notes: str = ""
) -> PolicyReview:
    """A review moves the next review date on by the policy's interval."""
    policy = PolicyDocument.objects.select_for_update().get(pk=policy.pk)
    next_due = policy.next_review_after(reviewed_on)
    review = PolicyReview.objects.create(
        policy=policy,
        reviewed_on=reviewed_on,
        reviewed_by=actor,
        version=version,
        notes=notes,
        next_review_due=next_due,
    )
    before = {name: getattr(policy, name) for name in ("version", "approved_on", "review_due")}
    policy.version, policy.approved_on, policy.review_due = version, reviewed_on, next_due
    policy.save(update_fields=["version", "approved_on", "review_due"])
    after = {"version": version, "approved_on": reviewed_on, "review_due": next_due}
    audit_change(actor=actor, obj=policy, changes=field_changes(before, after))
    return review


def reminder_kind(days_left: int) -> str | None:
    if days_left < 0:
        return PolicyReminder.Kind.OVERDUE
    for days in sorted(PolicyReminder.Kind.values[:3], key=int):
        if days_left <= int(days):
            return days
    return None


def policy_reminders_send(*, today: date | None = None) -> int:
    """E-mail owners 60, 30 and 7 days before a review and when it is overdue; each once."""
    today = today or timezone.localdate()
    sent = 0
    due = PolicyDocument.objects.filter(
        review_due__lte=today + timezone.timedelta(days=60)
    ).select_related("owner")
    for policy in due:
        kind = reminder_kind(policy.days_to_review(today))
        with transaction.atomic():
            reminder, created = PolicyReminder.objects.get_or_create(
                policy=policy, review_due=policy.review_due, kind=kind
            )
            if not created or not policy.owner.email:
                continue
            context = {
                "policy": policy,
                "days_left": policy.days_to_review(today),
                "url": settings.SITE_URL + policy.get_absolute_url(),
            }
            send_mail(
                render_to_string("reporting/emails/policy_reminder_subject.txt", context).strip(),
                render_to_string("reporting/emails/policy_reminder_body.txt", context),
                None,
                [policy.owner.email],
            )
            reminder.sent_at = timezone.now()
            reminder.save(update_fields=["sent_at"])
            sent += 1
    return sent


@transaction.atomic
def policy_save(*, policy: PolicyDocument, actor) -> PolicyDocument:
    """Add or change a register entry (the form has validated it)."""
    policy.full_clean()
    saved = PolicyDocument.objects.select_related("owner").filter(pk=policy.pk).first()
    before = {name: getattr(saved, name) for name in POLICY_FIELDS} if saved else {}
    policy.save()
    after = {name: getattr(policy, name) for name in POLICY_FIELDS}
    audit_change(actor=actor, obj=policy, changes=field_changes(before, after))
    return policy
