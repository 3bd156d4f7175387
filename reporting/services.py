"""Writes for reporting: the annual report's generation and the policy register."""

import logging
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from overstone import charts
from overstone.audit import audit_change, field_changes
from overstone.models import School
from overstone.notify import email_link, notify
from overstone.outbox import outbox_enqueue
from overstone.pdf import html_to_pdf
from overstone.schools import school_id_or_default
from overstone.schoolyear import school_year_of
from overstone.workflow import Move, Refused, Workflow, transition
from reporting.models import AnnualReport, PolicyDocument, PolicyReminder, PolicyReview
from reporting.sections import declared_sections
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
    "published_text",
]
Status = AnnualReport.Status


class ReportNotRetryable(Refused):
    pass


def _report_audit(move: Move) -> None:
    """A person's move (trying again) is audited; the worker's moves show as the
    report's own progress."""
    if move.actor is not None:
        audit_change(actor=move.actor, obj=move.record, changes=move.changes)


WORKFLOW = Workflow(
    transitions={
        # Queued again: a stalled report (its worker or message was lost).
        Status.QUEUED: {Status.RUNNING, Status.QUEUED},
        # Running again: the task redelivered after its worker died.
        Status.RUNNING: {Status.DONE, Status.FAILED, Status.RUNNING, Status.QUEUED},
        Status.FAILED: {Status.QUEUED},
        Status.DONE: set(),
    },
    chronicle=_report_audit,
    name=str,
)


class ReportNotReady(Refused):
    """The development section is written on a report whose figures are ready."""


NOT_READY = "The development section can be written once the report's figures are ready."


@transaction.atomic
def annual_report_request(*, school_year: int, actor) -> AnnualReport:
    """Queue a new version of the report for a school year; earlier versions stay.

    While a version of that year is queued or running, that one is returned instead.
    """
    if school_year > school_year_of():
        raise ValueError("That school year has not started yet.")
    # The school's row, locked, serialises the school's requests: a double submit waits
    # here instead of taking the same version number. (No key update: the school's new
    # records, which only refer to the row, are not held up.)
    School.objects.select_for_update(no_key=True).filter(pk=school_id_or_default()).get()
    waiting = AnnualReport.objects.filter(
        school_year=school_year, status__in=[Status.QUEUED, Status.RUNNING]
    ).first()
    if waiting is not None and not waiting.is_stalled:
        return waiting  # the same request again while it is being generated
    latest = AnnualReport.objects.filter(school_year=school_year).aggregate(v=Max("version"))["v"]
    report = AnnualReport.objects.create(
        school_year=school_year, version=(latest or 0) + 1, requested_by=actor
    )
    outbox_enqueue("reporting.tasks.generate_annual_report", report.pk)
    return report


@transaction.atomic
def annual_report_retry(*, report: AnnualReport, actor) -> AnnualReport:
    def requeue(report: AnnualReport) -> None:
        if report.status != Status.FAILED and not report.is_stalled:
            raise ReportNotRetryable("Only a report that failed or stalled can be tried again.")
        report.progress, report.error, report.progress_message = 0, "", "Queued again"

    report = transition(report, to=Status.QUEUED, actor=actor, workflow=WORKFLOW, apply=requeue)
    outbox_enqueue("reporting.tasks.generate_annual_report", report.pk)
    return report


def _pdf_name(report: AnnualReport) -> str:
    return f"annual-report-{report.school_year}-v{report.version}.pdf"


def _progress(report: AnnualReport, percent: int, message: str) -> None:
    report.progress, report.progress_message = percent, message
    report.save(update_fields=["progress", "progress_message"])


def report_sections() -> list[tuple[str, str, object]]:
    """Reporting's own sections, then those declared by the apps above it."""
    declared = [(section.key, section.title, section.build) for section in declared_sections()]
    return SECTIONS + declared


def build_report_context(snapshot: dict, *, anonymise: bool = True) -> dict:
    by_month = snapshot["filtering_by_month"]
    by_category = snapshot["incidents_by_category"]
    return {
        "snapshot": snapshot,
        # A report generated before a section was declared has no data for it.
        "declared_sections": [
            {"template": section.template, "data": snapshot[section.key]}
            for section in declared_sections()
            if section.key in snapshot
        ],
        "month_chart": charts.stacked_bars(
            by_month["months"], by_month["series"], anonymise=anonymise
        ),
        "category_chart": charts.horizontal_bars(
            [row["category"] for row in by_category],
            [row["count"] for row in by_category],
            anonymise=anonymise,
        ),
    }


def _report_pdf(report: AnnualReport, *, body: str, snapshot: dict) -> bytes:
    """The PDF: the figures' HTML as generated, then the development section as it is."""
    document = render_to_string(
        "reporting/annual_report_document.html",
        {"body": body, "snapshot": snapshot, "report": report},
    )
    return html_to_pdf(document)


def annual_report_generate(*, report_id: int) -> AnnualReport | None:
    """Build the snapshot, the HTML and the PDF. Safe to run twice: a finished report is
    left as it is."""
    report = AnnualReport.objects.filter(pk=report_id).first()
    if report is None:
        return None

    def start(report: AnnualReport) -> None:
        report.error = ""

    try:
        report = transition(report, to=Status.RUNNING, actor=None, workflow=WORKFLOW, apply=start)
    except Refused:  # finished (or failed, waiting to be tried again): left as it is
        report.refresh_from_db()
        return report
    try:
        snapshot = snapshot_header(report.school_year)
        sections = report_sections()
        for number, (key, title, build) in enumerate(sections):
            _progress(report, int(80 * number / len(sections)), f"Counting: {title.lower()}")
            snapshot[key] = build(report.school_year)
        _progress(report, 80, "Drawing charts and writing the report")
        html = render_to_string(
            "reporting/_annual_report_body.html",
            {**build_report_context(snapshot), "report": report},
        )
        _progress(report, 90, "Making the PDF")
        pdf = _report_pdf(report, body=html, snapshot=snapshot)
    except Exception as error:
        logger.exception("Annual report %s failed", report_id)
        reason = f"{type(error).__name__}: {error}"

        def give_reason(report: AnnualReport) -> None:
            report.error = reason

        return transition(
            report, to=Status.FAILED, actor=None, workflow=WORKFLOW, apply=give_reason
        )

    def finish(report: AnnualReport) -> None:
        report.snapshot, report.html = snapshot, html
        report.pdf.save(_pdf_name(report), ContentFile(pdf), save=False)
        report.progress, report.progress_message = 100, "Ready"
        report.finished_at = timezone.now()

    return transition(report, to=Status.DONE, actor=None, workflow=WORKFLOW, apply=finish)


@transaction.atomic
def annual_report_development_save(
    *, report: AnnualReport, development: str, actor
) -> AnnualReport:
    """Keep the principal's section on the policy's development with this version, and
    make its PDF again with it (from the figures as generated: nothing is counted again)."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if not report.may_write_development:
        raise ReportNotReady(NOT_READY)
    if development == report.development:
        return report
    before, old_pdf = report.development, report.pdf.name
    report.development = development
    pdf = _report_pdf(report, body=report.html, snapshot=report.snapshot)
    report.pdf.save(_pdf_name(report), ContentFile(pdf), save=False)
    report.save(update_fields=["development", "pdf"])
    audit_change(
        actor=actor,
        obj=report,
        changes=field_changes({"development": before}, {"development": development}),
        reference=f"{report.year_label} v{report.version}",
    )
    if old_pdf:
        storage = report.pdf.storage
        transaction.on_commit(lambda: storage.delete(old_pdf))
    return report


def annual_report_for_last_year() -> AnnualReport | None:
    """On 1 September: the school's report on last school year, unless it has one."""
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


@transaction.atomic
def policy_review_due_move(
    *, policy: PolicyDocument, checked_on: date, actor, because: str
) -> PolicyDocument:
    """A check of the policy's effectiveness held on ``checked_on`` moves its next review
    on to one interval after that day; never back (a later date already set stays)."""
    policy = PolicyDocument.objects.select_for_update().get(pk=policy.pk)
    next_due = policy.next_review_after(checked_on)
    if next_due <= policy.review_due:
        return policy
    before = policy.review_due
    policy.review_due = next_due
    policy.save(update_fields=["review_due"])
    changes = field_changes({"review_due": before}, {"review_due": next_due})
    audit_change(actor=actor, obj=policy, changes={**changes, "because": ["", because]})
    return policy


def reminder_kind(days_left: int) -> str | None:
    if days_left < 0:
        return PolicyReminder.Kind.OVERDUE
    for days in sorted(PolicyReminder.Kind.values[:3], key=int):
        if days_left <= int(days):
            return days
    return None


def policy_reminders_send(*, today: date | None = None) -> int:
    """E-mail owners of the school's policies 60, 30 and 7 days before a review and when
    it is overdue; each once."""
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
                "url": email_link(policy.get_absolute_url()),
            }
            notify("reporting/emails/policy_reminder", context, to=[policy.owner.email])
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
